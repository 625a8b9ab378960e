/**
 * The web UI shell in headless Chromium against the real platform (`hocba serve` with a
 * fresh data directory and the demo school): the principal signs in, sees their home
 * page, switches to English and signs out; the pages open from the menu; and on a
 * phone the menu is reachable and nothing spills sideways.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { collectPageErrors, newContext } from './helpers/browser.ts';
import { DEMO_USERS } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform } from './helpers/platform.ts';

const { username, password } = DEMO_USERS.principal;

async function sessionLocale(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const response = await fetch('/api/session', { credentials: 'same-origin' });
    return response.ok ? ((await response.json()) as { user: { locale: string } }).user.locale : null;
  });
}

async function numberIn(card: ReturnType<AppShell['homeCard']>): Promise<number> {
  const text = (await card.locator('.ant-statistic-content').textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

describe('web UI shell', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;


  test('the principal signs in, sees the principal home page, switches to English and signs out', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      const login = await new LoginPage(page).open();
      assert.equal((await login.heading.textContent())?.trim(), 'Đăng nhập', 'the sign-in page is Vietnamese by default');
      await screenshot(page, 'desktop-01-login-vi');

      // A wrong password gets a clear Vietnamese message and no session.
      await login.signIn(username, 'not-the-password');
      await login.error.waitFor({ state: 'visible' });
      assert.match((await login.error.textContent()) ?? '', /[ạảãàáâậầấẩẫăặằắẳẵệềếểễọỏõòóôộồốổỗơợờớởỡụủũùúưựừứửữịỉĩìíỵỷỹỳýđ]/i);
      await screenshot(page, 'desktop-02-login-error-vi');

      await login.signIn(username, password);
      const shell = new AppShell(page);
      await shell.waitUntilShown(/^Trang chủ — Hiệu trưởng/);
      assert.match(await shell.headingText(), /^Trang chủ — Hiệu trưởng/);
      assert.match((await shell.userName.textContent()) ?? '', /\S/, 'the header names the person');
      assert.match((await shell.schoolName.textContent()) ?? '', /\S/, 'the header names the school');
      for (const key of ['classes', 'students', 'staff', 'subjects']) {
        await shell.homeCard(key).waitFor({ state: 'visible' });
      }
      assert.match((await shell.homeCard('classes').textContent()) ?? '', /Lớp học/);
      assert.ok((await numberIn(shell.homeCard('classes'))) > 0, 'the demo school has classes');
      assert.ok((await numberIn(shell.homeCard('students'))) > 0, 'the demo school has students');
      await screenshot(page, 'desktop-03-home-principal-vi');

      await shell.switchLanguage('en');
      await shell.waitUntilShown(/^Home — Principal/);
      assert.match(await shell.headingText(), /^Home — Principal/);
      assert.match((await shell.homeCard('classes').textContent()) ?? '', /Classes/);
      assert.equal(await sessionLocale(page), 'en', 'the language choice is saved to the account');
      await screenshot(page, 'desktop-04-home-principal-en');

      await shell.signOut();
      await login.waitUntilShown();
      assert.equal((await login.heading.textContent())?.trim(), 'Sign in', 'the sign-in page keeps the chosen language');
      assert.equal(await shell.sessionStatus(), 401, 'the session is gone on the server');
      await screenshot(page, 'desktop-05-signed-out-en');
      assert.deepEqual(errors, [], 'no script errors');
    } finally {
      await context.close();
    }
  });

  test('the principal opens classes, a class, staff, the audit log and the account page from the menu', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await (await new LoginPage(page).open()).signIn(username, password);
      const shell = new AppShell(page);
      await shell.waitUntilShown();
      await shell.switchLanguage('vi');
      await shell.waitUntilShown(/^Trang chủ/);

      await shell.goTo('classes');
      const firstClass = page.getByTestId('classes-table').locator('tbody tr.ant-table-row').first();
      await firstClass.waitFor({ state: 'visible' });
      await screenshot(page, 'desktop-06-classes-vi');
      await firstClass.click();
      const students = page.getByTestId('class-students-table').locator('tbody tr.ant-table-row');
      await students.first().waitFor({ state: 'visible' });
      assert.match((await page.getByTestId('class-students-heading').textContent()) ?? '', /^Danh sách học sinh lớp /);
      assert.match((await students.first().textContent()) ?? '', /\d{2}\/\d{2}\/\d{4}/, 'birth dates show as dd/mm/yyyy');
      await screenshot(page, 'desktop-07-class-students-vi', { fullPage: true });

      await shell.goTo('staff');
      const staffRows = page.getByTestId('staff-table').locator('tbody tr.ant-table-row');
      await staffRows.first().waitFor({ state: 'visible' });
      const allStaff = await staffRows.count();
      await page.getByTestId('staff-search').locator('input').fill('hieutruong');
      await page.waitForFunction(
        (before) => document.querySelectorAll('[data-testid="staff-table"] tbody tr.ant-table-row').length < before,
        allStaff,
      );
      assert.ok((await staffRows.count()) >= 1, 'the search finds the principal');
      await screenshot(page, 'desktop-08-staff-search-vi');

      await shell.goTo('audit');
      await page.getByTestId('audit-table').locator('tbody tr.ant-table-row').first().waitFor({ state: 'visible' });
      await page.getByTestId('audit-verify').click();
      const verdict = page.getByTestId('audit-verify-result');
      await verdict.waitFor({ state: 'visible' });
      assert.match((await verdict.textContent()) ?? '', /Chuỗi nhật ký toàn vẹn/);
      await screenshot(page, 'desktop-09-audit-verified-vi');

      await shell.goTo('account');
      await page.getByTestId('password-policy').waitFor({ state: 'visible' });
      assert.match((await page.getByTestId('password-policy').textContent()) ?? '', /ít nhất 10 ký tự/);
      await screenshot(page, 'desktop-10-account-vi', { fullPage: true });

      await page.goto('/khong-co-trang-nay');
      await page.getByTestId('error-404').waitFor({ state: 'visible' });
      await screenshot(page, 'desktop-11-not-found-vi');
      assert.deepEqual(errors, [], 'no script errors');
    } finally {
      await context.close();
    }
  });

  test('on a 390×844 phone the menu opens from the header and nothing overlaps or spills sideways', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const context = await newContext(platform.browser, platform.server.url, { phone: true });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      const login = await new LoginPage(page).open();
      await screenshot(page, 'phone-01-login-vi');
      await login.signIn(username, password);
      const shell = new AppShell(page, { phone: true });
      await shell.waitUntilShown();
      await shell.switchLanguage('vi');
      await shell.waitUntilShown(/^Trang chủ — Hiệu trưởng/);

      assert.equal(await page.getByTestId('side-menu').count(), 0, 'no side menu on a phone');
      const boxes = await Promise.all(
        ['menu-toggle', 'school-name', 'lang-switch'].map((id) => page.getByTestId(id).boundingBox()),
      );
      for (const box of boxes) assert.ok(box && box.width > 0, 'header items are shown');
      const [toggle, school, lang] = boxes as Array<{ x: number; width: number }>;
      assert.ok(toggle!.x + toggle!.width <= school!.x + 1, 'menu button and school name do not overlap');
      assert.ok(school!.x + school!.width <= lang!.x + 1, 'school name and language switch do not overlap');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the home page fits the phone width (overflow ${overflow}px)`);
      await screenshot(page, 'phone-02-home-vi', { fullPage: true });

      const menu = await shell.openMenu();
      for (const key of ['home', 'classes', 'staff', 'audit', 'account']) {
        await menu.getByTestId(`nav-${key}`).waitFor({ state: 'visible' });
      }
      await menu.getByTestId('logout').waitFor({ state: 'visible' });
      await screenshot(page, 'phone-03-menu-open-vi');

      await shell.goTo('classes');
      await page.getByTestId('classes-table').locator('tbody tr.ant-table-row').first().waitFor({ state: 'visible' });
      const classesOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(classesOverflow <= 0, `the classes page fits the phone width (overflow ${classesOverflow}px)`);
      await screenshot(page, 'phone-04-classes-vi');

      await shell.signOut();
      await login.waitUntilShown();
      assert.equal(await shell.sessionStatus(), 401);
      assert.deepEqual(errors, [], 'no script errors');
    } finally {
      await context.close();
    }
  });
});
