/**
 * The grade book as a subject teacher uses it every week: Toán 10A1, semester I, typed
 * partly with the keyboard and partly pasted from Excel, saved as they go, averages by
 * Circular 22, reloaded, submitted; then a change request approved by the principal and
 * visible in the history. Invalid marks are refused in the grid and never saved.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { collectPageErrors, newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, DEMO_USERS, parseDemoLogins, type DemoLogin } from './helpers/demo.ts';
import { GradeSheetPage, expectedAverage, openSheetFromMyClasses } from './helpers/grade-book.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { usePlatform } from './helpers/platform.ts';
import { screenshot } from './helpers/screenshots.ts';

/** Marks of a pasted row r: varied, some with a decimal comma as Excel copies them in Vietnamese. */
function pastedMarks(r: number, n: number): { regular: number[]; midterm: number; final: number } {
  return {
    regular: Array.from({ length: n }, (_, i) => 5 + ((r + 2 * i) % 6)),
    midterm: 6 + (r % 4) + ((r % 2) * 5) / 10,
    final: 5 + (r % 5) + 0.5,
  };
}

const vi = (mark: number) => String(mark).replace('.', ',');

async function signIn(page: Page, username: string): Promise<AppShell> {
  await (await new LoginPage(page).open()).signIn(username, DEMO_PASSWORD);
  const shell = new AppShell(page);
  await shell.waitUntilShown();
  await shell.switchLanguage('vi');
  return shell;
}

describe('grade book', { timeout: 600_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;
  let teacher: DemoLogin | undefined;

  before(() => {
    if (skipReason) return;
    teacher = parseDemoLogins(platform.server.output()).find((l) => l.description.includes('Giáo viên Toán lớp 10A1'));
  });

  test('a teacher enters a semester of marks, submits, and a principal-approved correction shows in the history', async (t) => {
    if (skipReason) return t.skip(skipReason);
    assert.ok(teacher, `the demo lists the 10A1 maths teacher:\n${platform.server.output()}`);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const sheet = new GradeSheetPage(page);
    try {
      const shell = await signIn(page, teacher.username);
      await shell.goTo('my-classes');
      await screenshot(page, 'grade-book-my-classes');
      await openSheetFromMyClasses(page, '10A1', 'Toán', 1);
      await sheet.waitUntilShown();
      const sheetUrl = new URL(page.url()).pathname;
      const n = await sheet.regularCount();
      const rows = await sheet.rowCount();
      assert.ok(n >= 2 && rows >= 10, `a Toán sheet with TX columns and a class (${n} TX, ${rows} rows)`);
      const tx = (i: number) => `tx${i + 1}`;

      // Invalid marks are refused in the browser, with a message, and never sent.
      const before = await sheet.text(0, 'tx1');
      const refusals: Array<[string, RegExp]> = [
        ['11', /ngoài thang điểm 10/],
        ['8,55', /quá một chữ số thập phân/],
        ['abc', /không phải là điểm số/],
      ];
      for (const [bad, why] of refusals) {
        await sheet.typeInto(0, 'tx1', bad);
        assert.equal(await sheet.state(0, 'tx1'), 'invalid', `"${bad}" is marked invalid`);
        assert.equal(await sheet.text(0, 'tx1'), bad, 'the typed text stays for correction');
        assert.match((await sheet.invalidCells.textContent()) ?? '', why);
      }
      await page.getByTestId('invalid-count').waitFor({ state: 'visible' });
      await screenshot(page, 'grade-book-invalid');
      await page.reload();
      await sheet.waitUntilShown();
      assert.equal(await sheet.text(0, 'tx1'), before, 'the invalid value was not saved');

      // Rows 0 and 1 typed across with Tab, like a row in Excel; "8,5" and "8.5" both accepted.
      const typed = [
        { regular: [8, 9, 7, 8, 9, 8].slice(0, n), midterm: 7, final: 8 },
        { regular: [8.5, 6, 7, 9, 8, 7].slice(0, n), midterm: 8.5, final: 9 },
      ];
      await sheet.typeAcross(0, tx(0), [...typed[0]!.regular.map(String), '7', '8']);
      await sheet.typeAcross(1, tx(0), ['8,5', ...typed[1]!.regular.slice(1).map(String), '8.5', '9']);
      assert.equal(await sheet.text(1, 'tx1'), '8,5');
      assert.equal(await sheet.text(1, 'gk'), '8,5', '"8.5" is shown the Vietnamese way');

      // Row 2 by moving with the arrow keys and Enter: down the TX1 column from row 1, then along.
      const row2 = { regular: [6, 7, 8, 9, 6, 7].slice(0, n), midterm: 7.5, final: 6 };
      await sheet.select(1, tx(0));
      await page.keyboard.press('ArrowDown');
      for (const [i, mark] of row2.regular.entries()) {
        await page.keyboard.type(vi(mark));
        await page.keyboard.press(i === row2.regular.length - 1 ? 'Tab' : 'Tab');
      }
      await page.keyboard.type(vi(row2.midterm));
      await page.keyboard.press('ArrowRight');
      await page.keyboard.type(vi(row2.final));
      await page.keyboard.press('Enter');
      // Escape cancels an edit in progress; Delete clears a cell.
      await sheet.select(2, 'comment');
      await page.keyboard.type('Tiến bộ');
      await page.keyboard.press('Escape');
      assert.equal(await sheet.text(2, 'comment'), '', 'Escape cancelled the comment');
      await page.keyboard.type('Chăm chỉ, tiến bộ rõ');
      await page.keyboard.press('Enter');

      // The other rows pasted as one block copied from Excel (tab-separated, one line per row).
      const pasted = Array.from({ length: rows - 3 }, (_, i) => pastedMarks(i + 3, n));
      const block = pasted.map((m) => [...m.regular, m.midterm, m.final].map(vi).join('\t')).join('\r\n') + '\r\n';
      await sheet.paste(3, tx(0), block);
      assert.equal(await sheet.text(rows - 1, 'ck'), vi(pasted.at(-1)!.final), 'the block reached the last row');
      await sheet.waitSaved();
      await screenshot(page, 'grade-book-sheet', { fullPage: false });

      // Averages from the server: the Circular 22 formula, half up to one decimal.
      const expected = [typed[0]!, typed[1]!, row2, ...pasted].map((m) => expectedAverage(m.regular, m.midterm, m.final));
      if (n === 4) assert.equal(expected[0], '7,8', '(8+9+7+8 + 2·7 + 3·8) / 9 = 70/9');
      for (const r of [0, 1, 2, 3, rows - 1]) assert.equal(await sheet.text(r, 'avg'), expected[r], `average of row ${r}`);

      // Saved: a reload shows the same marks and averages.
      await page.reload();
      await sheet.waitUntilShown();
      assert.equal(await sheet.text(0, 'ck'), '8');
      assert.equal(await sheet.text(1, 'tx1'), '8,5');
      assert.equal(await sheet.text(2, 'comment'), 'Chăm chỉ, tiến bộ rõ');
      assert.equal(await sheet.text(rows - 1, 'gk'), vi(pasted.at(-1)!.midterm));
      for (const r of [0, 2, rows - 1]) assert.equal(await sheet.text(r, 'avg'), expected[r], `average of row ${r} after reload`);

      // Submit: the sheet is locked.
      await sheet.submit();
      assert.equal(await page.getByTestId('submit-sheet').count(), 0, 'no second submission');
      await screenshot(page, 'grade-book-submitted');

      // A change request for TX2 of row 0, with a reason.
      const reason = 'Nhập nhầm điểm kiểm tra thường xuyên lần 2; bài làm được 10 điểm.';
      await sheet.requestChange(0, 'tx2', '10', reason);
      await page.getByTestId('sheet-pending-requests').waitFor({ state: 'visible' });
      assert.equal(await sheet.text(0, 'tx2'), vi(typed[0]!.regular[1]!), 'unchanged until approved');

      // The principal approves it in the inbox.
      const boss = await newContext(platform.browser, platform.server.url);
      const bossPage = await boss.newPage();
      const bossErrors = collectPageErrors(bossPage);
      try {
        const bossShell = await signIn(bossPage, DEMO_USERS.principal.username);
        await bossShell.goTo('change-requests');
        const request = bossPage.getByTestId('change-requests-table').locator('tr', { hasText: reason });
        await request.waitFor({ state: 'visible' });
        assert.match((await request.textContent()) ?? '', /TX2/);
        await screenshot(bossPage, 'grade-book-change-requests');
        await request.getByTestId('approve-request').click();
        await bossPage.getByTestId('decision-note').fill('Đồng ý, đã đối chiếu bài làm.');
        await bossPage.getByTestId('decision-confirm').click();
        await request.waitFor({ state: 'detached' });
        await bossPage.getByTestId('changes-tab-approved').click();
        await bossPage.getByTestId('change-requests-table').locator('tr', { hasText: reason }).waitFor({ state: 'visible' });
        assert.deepEqual(bossErrors, []);
      } finally {
        await boss.close();
      }

      // The teacher sees the new value, the new average and the history: who, when, why, old → new, approved by.
      await page.goto(sheetUrl);
      await sheet.waitUntilShown();
      assert.equal(await sheet.text(0, 'tx2'), '10');
      const corrected = [...typed[0]!.regular];
      corrected[1] = 10;
      assert.equal(await sheet.text(0, 'avg'), expectedAverage(corrected, typed[0]!.midterm, typed[0]!.final));
      const history = await sheet.openHistory();
      const approved = history.locator('[data-testid="history-entry"][data-action="change_approved"]');
      await approved.waitFor({ state: 'visible' });
      const entry = (await approved.textContent()) ?? '';
      assert.match(entry, new RegExp(reason.slice(0, 30)));
      assert.match(entry, /hieutruong|Hiệu trưởng/, 'names the approver');
      assert.match(entry, /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/, 'says when');
      assert.match(entry, /TX2/);
      assert.match(entry, new RegExp(`${vi(typed[0]!.regular[1]!)}\\s*→\\s*10`), 'old → new');
      assert.match((await approved.getByTestId('history-by').textContent()) ?? '', /.+/);
      await screenshot(page, 'grade-book-history');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('grade book: nothing lost, nothing overwritten', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;

  test('cells typed offline survive a closed tab; a cell changed elsewhere is a conflict, not an overwrite', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const teacher = parseDemoLogins(platform.server.output()).find((l) => l.description.includes('Giáo viên Toán lớp 10A1'));
    assert.ok(teacher);
    const context = await newContext(platform.browser, platform.server.url);
    try {
      const page = await context.newPage();
      const shell = await signIn(page, teacher.username);
      await shell.goTo('my-classes');
      await openSheetFromMyClasses(page, '10A1', 'Toán', 2);
      const sheet = new GradeSheetPage(page);
      await sheet.waitUntilShown();
      const sheetUrl = new URL(page.url()).pathname;

      // Offline: the cell waits (yellow corner, "1 ô chưa lưu"), then the tab is closed.
      await context.setOffline(true);
      await sheet.typeInto(0, 'gk', '6,5');
      await page.locator('[data-testid="save-status"][data-state="unsaved"]').waitFor({ state: 'visible' });
      assert.match((await sheet.saveStatus.textContent()) ?? '', /1 ô chưa lưu/);
      await page.getByTestId('retry-countdown').waitFor({ state: 'visible' });
      await page.close();
      await context.setOffline(false);

      // Reopened: restored from this device and saved.
      const again = await context.newPage();
      await again.goto(sheetUrl);
      const sheet2 = new GradeSheetPage(again);
      await sheet2.waitUntilShown();
      await again.getByTestId('sheet-restored').waitFor({ state: 'visible' });
      await sheet2.waitSaved();
      await again.reload();
      await sheet2.waitUntilShown();
      assert.equal(await sheet2.text(0, 'gk'), '6,5', 'the offline cell reached the server');

      // Two tabs: the second still believes GK is 6,5 when the first changes it.
      const other = await context.newPage();
      await other.goto(sheetUrl);
      const sheet3 = new GradeSheetPage(other);
      await sheet3.waitUntilShown();
      await sheet2.typeInto(0, 'gk', '7');
      await sheet2.waitSaved();
      await sheet3.typeInto(0, 'gk', '5');
      await other.getByTestId('sheet-conflict').waitFor({ state: 'visible' });
      assert.match((await other.getByTestId('sheet-conflict').textContent()) ?? '', /Nguyễn Bảo An|TX|GK/);
      await screenshot(other, 'grade-book-conflict');
      await other.getByTestId('conflict-reload').click();
      await sheet3.waitSaved();
      assert.equal(await sheet3.text(0, 'gk'), '7', 'the other tab’s value won; nothing was overwritten');
    } finally {
      await context.close();
    }
  });
});

describe('grade book: every role’s page', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;

  test('phone grade sheet, homeroom, cross-checks, subjects (screenshots)', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const logins = parseDemoLogins(platform.server.output());
    const find = (text: string) => {
      const login = logins.find((l) => l.description.includes(text));
      assert.ok(login, `demo sign-in "${text}"`);
      return login;
    };

    // A phone: the marks scroll sideways, the name column stays.
    const phone = await newContext(platform.browser, platform.server.url, { phone: true });
    try {
      const page = await phone.newPage();
      const errors = collectPageErrors(page);
      await (await new LoginPage(page).open()).signIn(find('Giáo viên Toán lớp 10A1').username, DEMO_PASSWORD);
      const shell = new AppShell(page, { phone: true });
      await shell.waitUntilShown();
      await shell.goTo('my-classes');
      await screenshot(page, 'grade-book-my-classes-phone');
      await openSheetFromMyClasses(page, '10A1', 'Toán', 1);
      const sheet = new GradeSheetPage(page);
      await sheet.waitUntilShown();
      const wrap = await sheet.grid.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      assert.ok(wrap.scroll > wrap.client, 'the grid scrolls sideways on a phone');
      await sheet.typeInto(0, 'ck', '9');
      await sheet.select(0, 'comment'); // scrolls to the far right
      const name = await sheet.grid.locator('tbody tr').first().locator('.hb-col-name').boundingBox();
      const gridBox = await sheet.grid.boundingBox();
      assert.ok(name && gridBox && name.x - gridBox.x < 60, 'the name column stays at the left');
      await screenshot(page, 'grade-book-sheet-phone-right');
      await sheet.select(0, 'tx3');
      await screenshot(page, 'grade-book-sheet-phone');
      assert.deepEqual(errors, []);
    } finally {
      await phone.close();
    }

    const desktop = async (username: string, run: (page: Page, shell: AppShell) => Promise<void>) => {
      const context = await newContext(platform.browser, platform.server.url);
      try {
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        const shell = await signIn(page, username);
        await run(page, shell);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    };

    await desktop(find('GVCN lớp 10A1').username, async (page, shell) => {
      await shell.goTo('homeroom');
      await page.getByTestId('homeroom-students').waitFor({ state: 'visible' });
      await screenshot(page, 'grade-book-homeroom');
      await page.getByRole('tab', { name: /Tình trạng nhập điểm/ }).click();
      await page.getByTestId('homeroom-subjects').waitFor({ state: 'visible' });
      await screenshot(page, 'grade-book-homeroom-subjects');
    });

    await desktop(DEMO_USERS.principal.username, async (page, shell) => {
      await shell.goTo('cross-checks');
      await page.getByTestId('cross-check-assign').click();
      await page.getByRole('button', { name: 'Phân công kiểm tra chéo' }).last().click();
      await page.getByTestId('cross-checks-table').locator('tr.ant-table-row').first().waitFor({ state: 'visible' });
      await screenshot(page, 'grade-book-cross-checks-principal');
      await shell.goTo('classes');
      await page.getByTestId('class-results-10A1').click();
      await page.getByTestId('homeroom-students').waitFor({ state: 'visible' });
      await screenshot(page, 'grade-book-results-readonly');
    });

    await desktop(find('Tổ trưởng').username, async (page, shell) => {
      await shell.goTo('cross-checks');
      await page.getByTestId('cross-checks-table').locator('tr.ant-table-row').first().waitFor({ state: 'visible' });
      await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
      await screenshot(page, 'grade-book-cross-checks-head');
    });

    await desktop(find('Quản trị trường').username, async (page, shell) => {
      await shell.goTo('subjects');
      await page.getByTestId('subjects-table').locator('tr.ant-table-row').first().waitFor({ state: 'visible' });
      await screenshot(page, 'grade-book-subjects');
    });
  });
});
