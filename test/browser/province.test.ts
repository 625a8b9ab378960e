/**
 * Province administration in the browser against the real server with the demo school: the
 * demo province officer (so.thanhhoa) signs in to their role home, opens the province board
 * (the demo school, its students, overdue against the plan), drills down to the school's
 * aggregates, creates a school (a refused code is named on its field) and its administrator
 * (one-time password shown once), and is refused a school page.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectPageErrors, newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, parseDemoLogins } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform } from './helpers/platform.ts';

describe('province administration in the browser', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;

  test('the province officer: board, drill-down, new school and its administrator, no school data', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const officer = parseDemoLogins(platform.server.output()).find((l) => l.role === 'province_officer');
    assert.ok(officer, `hocba serve lists the province officer:\n${platform.server.output()}`);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await (await new LoginPage(page).open()).signIn(officer.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown(/Cán bộ Sở GD&ĐT/);
      await page.getByTestId('home-section-province_officer').waitFor({ state: 'visible' });
      const menu = page.getByTestId('side-menu');
      for (const key of ['province-board', 'province-schools']) await menu.getByTestId(`nav-${key}`).waitFor({ state: 'visible' });
      for (const key of ['classes', 'records', 'staff', 'signing']) assert.equal(await menu.getByTestId(`nav-${key}`).count(), 0, `no ${key} for the province officer`);
      await screenshot(page, 'province-home', { fullPage: true });

      await shell.goTo('province-board');
      await page.getByTestId('province-board-heading').filter({ hasText: 'Thanh Hóa' }).waitFor({ state: 'visible' });
      const row = page.getByTestId('province-board-table').locator('tr', { hasText: 'Trường THPT Hậu Lộc I' });
      await row.waitFor({ state: 'visible' });
      assert.match((await row.textContent()) ?? '', /1\.?512/);
      // The demo year is 2025–2026 and nothing is signed: the school is behind its plan.
      await row.getByTestId('province-late').waitFor({ state: 'visible' });
      await screenshot(page, 'province-board', { fullPage: true });

      await row.getByTestId('province-school-link').click();
      await page.getByTestId('province-school-heading').filter({ hasText: 'Hậu Lộc I' }).waitFor({ state: 'visible' });
      const stages = page.getByTestId('province-school-stages');
      await stages.locator('tr', { hasText: 'Khối 12' }).first().waitFor({ state: 'visible' });
      assert.match((await stages.textContent()) ?? '', /Quá hạn/);
      await screenshot(page, 'province-school', { fullPage: true });

      await shell.goTo('province-schools');
      await page.getByTestId('province-schools-heading').waitFor({ state: 'visible' });
      const form = page.getByTestId('province-school-form');
      await form.getByLabel('Mã trường').fill('bad code!');
      await form.getByLabel('Tên trường').fill('Trường THPT Hậu Lộc 4');
      await form.getByLabel('Xã/phường').fill('Xã Hoa Lộc');
      await page.getByTestId('province-school-submit').click();
      // The server refuses the code, and says so under the code field.
      await form.locator('.ant-form-item-explain-error', { hasText: 'Mã trường 2–20 ký tự' }).waitFor({ state: 'visible' });
      await screenshot(page, 'province-schools-error', { fullPage: true });
      await form.getByLabel('Mã trường').fill('THPT-HAULOC4');
      await page.getByTestId('province-school-submit').click();
      const newRow = page.getByTestId('province-schools-table').locator('tr', { hasText: 'THPT-HAULOC4' });
      await newRow.waitFor({ state: 'visible' });
      await newRow.getByTestId('province-create-admin').click();
      const adminForm = page.getByTestId('province-admin-form');
      await adminForm.getByLabel('Tên đăng nhập').fill('qt.hauloc4');
      await adminForm.getByLabel('Họ và tên').fill('Nguyễn Văn Quản');
      await page.getByRole('button', { name: 'Tạo quản trị' }).last().click();
      const otp = page.getByTestId('province-one-time-password');
      await otp.waitFor({ state: 'visible' });
      assert.match((await otp.textContent()) ?? '', /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      await screenshot(page, 'province-admin-created');
      await page.getByTestId('province-one-time-ok').click();
      await newRow.getByTestId('province-admin').filter({ hasText: 'qt.hauloc4' }).waitFor({ state: 'visible' });
      await screenshot(page, 'province-schools', { fullPage: true });

      // A school page by its address: the friendly 403, never the data.
      await page.goto('/classes');
      await page.getByTestId('error-403').waitFor({ state: 'visible' });
      assert.deepEqual(errors.filter((e) => !/403|Forbidden/.test(e)), []);
    } finally {
      await context.close();
    }
  });
});
