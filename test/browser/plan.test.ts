/**
 * The plan in the browser against the real server with the demo school (2025–2026, whose
 * deadlines the real clock has passed: every stage shows overdue): the principal's progress
 * board with its stage × grade table, a class drilled down to the teacher and the sheet, the
 * chart and the exports; the plan page the principal edits (a refused date names the rule);
 * a subject teacher's home with "Việc của tôi", overdue first, and the link to the sheet.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectPageErrors, newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, parseDemoLogins } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform } from './helpers/platform.ts';

describe('the plan, the board and my work in the browser', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;

  test("the principal's board: overdue stages, drill-down to the teacher and the sheet, chart and exports", async (t) => {
    if (skipReason) return t.skip(skipReason);
    const principal = parseDemoLogins(platform.server.output()).find((l) => l.role === 'principal');
    assert.ok(principal);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await (await new LoginPage(page).open()).signIn(principal.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown(/Hiệu trưởng/);
      await page.getByTestId('my-work').waitFor({ state: 'visible' });
      await shell.goTo('plan-board');
      await page.getByTestId('plan-board-heading').filter({ hasText: 'Tiến độ theo kế hoạch' }).waitFor({ state: 'visible' });
      const table = page.getByTestId('plan-board-table');
      const marksRow = table.locator('tr', { hasText: 'Nhập và nộp điểm học kỳ I' }).first();
      await marksRow.waitFor({ state: 'visible' });
      assert.match((await marksRow.textContent()) ?? '', /Quá hạn/);
      await screenshot(page, 'plan-board-principal', { fullPage: true });
      // Drill down: the stage's classes, then one class's pending sheets with their teachers.
      await marksRow.locator('.ant-table-row-expand-icon').click();
      const classRow = table.locator('.ant-table-expanded-row tr.ant-table-row', { hasText: '10A1' }).first();
      await classRow.waitFor({ state: 'visible' });
      await classRow.locator('.ant-table-row-expand-icon').click();
      const pending = page.getByTestId('board-pending').first();
      await pending.waitFor({ state: 'visible' });
      const text = (await pending.textContent()) ?? '';
      assert.match(text, /– HKI/);
      const link = pending.getByRole('link', { name: 'Mở' }).first();
      assert.match((await link.getAttribute('href')) ?? '', /^\/grade-sheets\/[0-9a-f-]+\/1$/);
      await screenshot(page, 'plan-board-drilldown', { fullPage: true });
      await page.getByTestId('progress-chart').locator('svg[role="img"]').waitFor({ state: 'visible' });
      const xlsx = await page.request.get('/api/plan/board.xlsx');
      assert.equal(xlsx.status(), 200);
      assert.equal((await page.request.get('/api/plan/board.pdf')).headers()['content-type'], 'application/pdf');

      // The plan page: the principal edits; a deadline outside the year is refused with the rule.
      await shell.goTo('plan');
      await page.getByTestId('plan-heading').filter({ hasText: 'Kế hoạch năm học 2025-2026' }).waitFor({ state: 'visible' });
      await page.getByTestId('plan-sync-all-dueOn').fill('2026-12-31');
      await page.getByTestId('plan-save').click();
      await page.getByTestId('plan-problems').filter({ hasText: 'ngoài năm học' }).waitFor({ state: 'visible' });
      await screenshot(page, 'plan-edit-refused', { fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a subject teacher\'s home: "Việc của tôi" with the overdue sheets first and a link to each', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const teacher = parseDemoLogins(platform.server.output()).find((l) => l.role === 'subject_teacher');
    assert.ok(teacher, 'the demo lists a subject teacher');
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      await (await new LoginPage(page).open()).signIn(teacher.username, DEMO_PASSWORD);
      await new AppShell(page).waitUntilShown();
      const panel = page.getByTestId('my-work');
      const first = panel.getByTestId('my-work-item').first();
      await first.waitFor({ state: 'visible' });
      assert.equal(await first.getAttribute('data-kind'), 'marks_enter');
      assert.match((await first.textContent()) ?? '', /Quá hạn.*Nhập điểm .* HKI/);
      await screenshot(page, 'my-work-teacher', { fullPage: true });
      await first.getByRole('button', { name: 'Làm ngay' }).click();
      await page.waitForURL(/\/grade-sheets\/[0-9a-f-]+\/1$/);
    } finally {
      await context.close();
    }
  });
});
