/**
 * Practice mode in the browser (issue 13.3) on a real `hocba serve` with the demo school:
 * the principal creates the practice school from "Luyện tập", enters it, sees the practice
 * banner on every page, and comes back to the real school with one click; a subject teacher
 * finds it with their own role. Screenshots: test-results/screenshots/practice-*.png.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectPageErrors, newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, DEMO_USERS, parseDemoLogins } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { usePlatform } from './helpers/platform.ts';
import { screenshot } from './helpers/screenshots.ts';

describe('practice school', { timeout: 900_000 }, () => {
  const platform = usePlatform();

  test('the principal creates it, enters it (banner on every page) and comes back', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await (await new LoginPage(page).open()).signIn(DEMO_USERS.principal.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown();
      assert.equal(await page.getByTestId('practice-banner').count(), 0, 'no banner in the real school');
      await shell.goTo('practice');
      await page.getByTestId('practice-empty').waitFor();
      await page.getByTestId('practice-create').click();
      // A school, a year of marks and test certificates for every signer: allow a few minutes.
      await page.getByTestId('practice-card').waitFor({ timeout: 600_000 });
      assert.match((await page.getByTestId('practice-roles').textContent()) ?? '', /Hiệu trưởng/);
      await screenshot(page, 'practice-01-created-vi');

      await page.getByTestId('practice-enter').click();
      await page.getByTestId('practice-banner').waitFor();
      assert.match((await page.getByTestId('practice-banner').textContent()) ?? '', /TRƯỜNG THỰC HÀNH/);
      await shell.goTo('home');
      await page.getByTestId('practice-banner').waitFor();
      assert.match((await shell.schoolName.textContent()) ?? '', /\(thực hành\)/);
      await screenshot(page, 'practice-02-banner-home-vi');

      await page.getByTestId('practice-banner-leave').click();
      await page.getByTestId('practice-banner').waitFor({ state: 'detached' });
      assert.doesNotMatch((await shell.schoolName.textContent()) ?? '', /thực hành/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a subject teacher finds the practice school with their own role and can enter it', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const teacher = parseDemoLogins(platform.server.output()).find((l) => l.role === 'subject_teacher');
    assert.ok(teacher, platform.server.output());
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await (await new LoginPage(page).open()).signIn(teacher.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown();
      await shell.goTo('practice');
      await page.getByTestId('practice-card').waitFor();
      assert.match((await page.getByTestId('practice-roles').textContent()) ?? '', /Giáo viên bộ môn/);
      assert.equal(await page.getByTestId('practice-reset').count(), 0, 'only the IT officer and the principal reset it');
      await page.getByTestId('practice-enter').click();
      await page.getByTestId('practice-banner').waitFor();
      await shell.goTo('my-classes');
      await page.getByTestId('practice-banner').waitFor();
      await screenshot(page, 'practice-03-teacher-classes-vi');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
