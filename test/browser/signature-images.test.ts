/**
 * Signature images in the browser against the real server: the principal uploads their blue
 * signature on the account page (a bad file is refused with the server's reason), the clerk
 * reaches the school settings page for the seal only and uploads it; both previews show.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { opaqueTestPng, sealTestPng, signatureTestPng } from '../../src/documents/pdf/test-png.ts';
import { newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, parseDemoLogins } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform } from './helpers/platform.ts';

describe('signature and seal images', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;

  test('the principal uploads a signature, the clerk the seal', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const logins = parseDemoLogins(platform.server.output());
    const principal = logins.find((l) => l.role === 'principal');
    const clerk = logins.find((l) => l.role === 'clerk');
    assert.ok(principal && clerk, `hocba serve lists a demo principal and clerk:\n${platform.server.output()}`);

    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      const login = await new LoginPage(page).open();
      await login.signIn(principal.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown(/Trang chủ — Hiệu trưởng/);
      await shell.goTo('account');
      const card = page.getByTestId('signature-image-card');
      await card.getByText('Chưa có ảnh').waitFor({ state: 'visible' });
      const input = card.locator('input[type=file]');
      await input.setInputFiles({ name: 'chu-ky-trang.png', mimeType: 'image/png', buffer: opaqueTestPng() });
      await page.getByText(/nền ảnh chưa trong suốt/).first().waitFor({ state: 'visible' });
      await input.setInputFiles({ name: 'chu-ky.png', mimeType: 'image/png', buffer: signatureTestPng() });
      await page.getByTestId('signature-image-preview').waitFor({ state: 'visible' });
      assert.match((await card.textContent()) ?? '', /360 × 140 điểm ảnh/);
      await screenshot(page, 'signature-image-account-vi', { fullPage: true });
      // The principal does not manage the seal: the settings page shows no seal card.
      await shell.goTo('school-settings');
      await page.getByTestId('settings-heading').waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('seal-image-card').count(), 0);
      await shell.signOut();

      await login.waitUntilShown();
      await login.signIn(clerk.username, DEMO_PASSWORD);
      await shell.waitUntilShown('Trang chủ — Văn thư');
      await shell.goTo('school-settings');
      const seal = page.getByTestId('seal-image-card');
      await seal.waitFor({ state: 'visible' });
      await seal.locator('input[type=file]').setInputFiles({ name: 'con-dau.png', mimeType: 'image/png', buffer: sealTestPng() });
      await page.getByTestId('seal-image-preview').waitFor({ state: 'visible' });
      assert.match((await seal.textContent()) ?? '', /Kích thước thật: 35,9 × 35,9 mm/);
      await screenshot(page, 'signature-image-seal-vi', { fullPage: true });
    } finally {
      await context.close();
    }
  });
});
