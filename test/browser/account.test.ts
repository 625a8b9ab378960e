/**
 * The account page against the real server: a member of staff changes their password
 * (the server rotates the session and CSRF token, and the page keeps working), turns on
 * two-step verification, signs in again with a code from the authenticator, and turns
 * it off again. Its own server so the password change touches no other test's account.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generate } from 'otplib';
import { newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, parseDemoLogins } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform } from './helpers/platform.ts';

const NEW_PASSWORD = 'Mua thu Ha Noi 2026';

describe('account page', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;


  test('change the password, turn on TOTP, sign in with a code, turn TOTP off', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const clerk = parseDemoLogins(platform.server.output()).find((l) => l.role === 'clerk');
    assert.ok(clerk, `hocba serve lists a demo clerk:\n${platform.server.output()}`);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      const login = await new LoginPage(page).open();
      await login.signIn(clerk.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown('Trang chủ — Văn thư');
      await shell.goTo('account');

      // The policy is shown, and a short password is refused before it reaches the server.
      assert.match((await page.getByTestId('password-policy').textContent()) ?? '', /ít nhất 10 ký tự/);
      await page.getByTestId('password-current').fill(DEMO_PASSWORD);
      await page.getByTestId('password-new').fill('ngan');
      await page.getByTestId('password-confirm').fill('ngan');
      await page.getByTestId('password-submit').click();
      await page.getByText('Mật khẩu mới cần ít nhất 10 ký tự.').first().waitFor({ state: 'visible' });

      await page.getByTestId('password-new').fill(NEW_PASSWORD);
      await page.getByTestId('password-confirm').fill(NEW_PASSWORD);
      await page.getByTestId('password-submit').click();
      await page.getByText('Đã đổi mật khẩu.').waitFor({ state: 'visible' });

      // After the rotation the next state-changing call must carry the new CSRF token.
      await page.getByTestId('totp-start').click();
      const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
      assert.match(secret, /^[A-Z2-7]{16,}$/, 'the secret is shown as base32');
      assert.match((await page.getByTestId('totp-url').textContent()) ?? '', /^otpauth:\/\/totp\//);
      await screenshot(page, 'account-01-totp-setup-vi', { fullPage: true });
      await page.getByTestId('totp-code').fill(await generate({ secret }));
      await page.getByTestId('totp-enable').click();
      await page.getByTestId('totp-status').filter({ hasText: 'Đang bật' }).waitFor({ state: 'visible' });

      await shell.signOut();
      await login.waitUntilShown();
      await login.signIn(clerk.username, NEW_PASSWORD);
      await login.totp.waitFor({ state: 'visible' });
      await screenshot(page, 'account-02-login-totp-vi');
      // The enabling code's time step is spent (no replays): use the next step's code.
      await login.totp.fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
      await page.getByTestId('login-submit').click();
      await shell.waitUntilShown('Trang chủ — Văn thư');

      await shell.goTo('account');
      await page.getByPlaceholder('Nhập mật khẩu để tắt').fill(NEW_PASSWORD);
      await page.getByTestId('totp-disable').click();
      await page.getByTestId('totp-status').filter({ hasText: 'Chưa bật' }).waitFor({ state: 'visible' });
    } finally {
      await context.close();
    }
  });
});
