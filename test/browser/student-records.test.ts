/**
 * Student records as the 10A1 homeroom teacher keeps them: (a) a day of the attendance
 * register, whose absences then show in the homeroom view; (b) the class list imported
 * from Excel with deliberately flagged rows — the school has just made "Quê quán"
 * mandatory, so the class starts unclean — the flagged rows fixed on the profile pages,
 * until the data-quality board shows the class 100% clean.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import writeXlsxFile from 'write-excel-file/node';
import type { AttendanceDay, StudentProfileView } from '../../src/server/api-types.ts';
import { ETHNIC_GROUPS } from '../../src/domain/identity/ethnicity.ts';
import { collectPageErrors, newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, parseDemoLogins, type DemoLogin } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { usePlatform } from './helpers/platform.ts';
import { screenshot } from './helpers/screenshots.ts';
import { AttendancePage, ImportWizard, QualityBoard, StudentProfile } from './helpers/student-records.ts';

async function signIn(page: Page, username: string): Promise<AppShell> {
  await (await new LoginPage(page).open()).signIn(username, DEMO_PASSWORD);
  const shell = new AppShell(page);
  await shell.waitUntilShown();
  await shell.switchLanguage('vi');
  return shell;
}

interface ClassInfo {
  id: string;
  students: Array<{ id: string; fullName: string }>;
}

async function homeroomClass(page: Page): Promise<ClassInfo> {
  const classes = (await (await page.request.get('/api/classes')).json()) as { classes: Array<{ id: string; name: string }> };
  const id = classes.classes.find((c) => c.name === '10A1')!.id;
  const list = (await (await page.request.get(`/api/classes/${id}/students`)).json()) as ClassInfo;
  return { id, students: list.students };
}

const dmy = (iso: string) => iso.split('-').reverse().join('/');

describe('student records', { timeout: 600_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;
  let teacher: DemoLogin | undefined;
  let admin: DemoLogin | undefined;

  before(() => {
    if (skipReason) return;
    const logins = parseDemoLogins(platform.server.output());
    teacher = logins.find((l) => l.description.includes('GVCN lớp 10A1'));
    admin = logins.find((l) => l.role === 'school_admin');
  });

  test('the homeroom teacher records a day of attendance and sees the absences counted', async (t) => {
    if (skipReason) return t.skip(skipReason);
    assert.ok(teacher, `the demo lists the 10A1 homeroom teacher:\n${platform.server.output()}`);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await signIn(page, teacher.username);
      const cls = await homeroomClass(page);
      const [first, second] = cls.students;
      assert.ok(first && second, 'the class has students');
      const register = new AttendancePage(page);
      await register.open(cls.id);
      await screenshot(page, 'records-attendance-today');

      // Today may lie outside the demo school year: then the server refuses the save and says why.
      const year = (await (await page.request.get('/api/school/year')).json()) as { startsOn: string; endsOn: string };
      if (await page.getByTestId('attendance-outside-year').isVisible()) {
        await register.cell(first.id, 1).click();
        await register.save();
        const error = page.getByTestId('attendance-error');
        await error.waitFor();
        assert.match((await error.textContent()) ?? '', /ngoài năm học/);
        await screenshot(page, 'records-attendance-refused');
        await page.getByTestId('attendance-discard').click();
        assert.equal(await register.status(first.id, 1), 'present', 'the refused change is discarded');
      }

      // A school day in semester I: one excused morning (click), one unexcused afternoon (keyboard).
      const day = year.startsOn < '2025-11-20' && '2025-11-20' <= year.endsOn ? '2025-11-20' : year.startsOn;
      await register.pickDate(dmy(day), day);
      assert.equal(await register.status(first.id, 1), 'present');
      await register.cell(first.id, 1).click();
      assert.equal(await register.status(first.id, 1), 'excused', 'one click: có phép');
      await register.cell(second.id, 2).focus();
      await page.keyboard.press('k');
      assert.equal(await register.status(second.id, 2), 'unexcused', 'K: không phép');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('p');
      await page.keyboard.press('c');
      assert.equal(await register.status(first.id, 2), 'present', 'P then C on the cell above leaves it present');
      await screenshot(page, 'records-attendance-edited');
      const saved = page.waitForResponse((r) => r.url().endsWith('/attendance') && r.request().method() === 'PUT');
      await register.save();
      assert.equal((await saved).status(), 204);
      await page.getByTestId('attendance-unsaved').filter({ hasText: 'Không có thay đổi' }).waitFor();

      const stored = (await (await page.request.get(`/api/classes/${cls.id}/attendance?date=${day}`)).json()) as AttendanceDay;
      const of = (id: string) => stored.students.find((s) => s.studentId === id)!.sessions;
      assert.deepEqual(of(first.id), { '1': 'excused', '2': 'present' });
      assert.deepEqual(of(second.id), { '1': 'present', '2': 'unexcused' });

      // The homeroom view counts them (semester I).
      await page.getByRole('tab', { name: 'Học sinh' }).click();
      await page.getByTestId(`absences-${first.id}-1-excused`).filter({ hasText: '1' }).waitFor();
      assert.equal((await page.getByTestId(`absences-${first.id}-1-unexcused`).textContent())?.trim(), '0');
      assert.equal((await page.getByTestId(`absences-${second.id}-1-unexcused`).textContent())?.trim(), '1');
      assert.equal((await page.getByTestId(`absences-${second.id}-1-excused`).textContent())?.trim(), '0');
      await screenshot(page, 'records-homeroom-absences');
      assert.deepEqual(errors, [], 'no script errors');
    } finally {
      await context.close();
    }

    // The register on a phone.
    const phone = await newContext(platform.browser, platform.server.url, { phone: true });
    try {
      const p = await phone.newPage();
      await signIn(p, teacher.username);
      const cls = await homeroomClass(p);
      const register = new AttendancePage(p);
      await register.open(cls.id);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the register fits the phone width (overflow ${overflow}px)`);
      await screenshot(p, 'records-attendance-phone');
    } finally {
      await phone.close();
    }
  });

  test('a class list imported with flagged rows is fixed until the class is 100% clean', async (t) => {
    if (skipReason) return t.skip(skipReason);
    assert.ok(teacher && admin, 'the demo lists the homeroom teacher and the school admin');

    // The school makes "Quê quán" mandatory: no demo student has one yet.
    const adminContext = await newContext(platform.browser, platform.server.url);
    try {
      const page = await adminContext.newPage();
      const shell = await signIn(page, admin.username);
      await shell.goTo('school-settings');
      await page.getByTestId('settings-fields').waitFor();
      await page.getByTestId('mandatory-hometown').click();
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/school/student-fields') && r.request().method() === 'PUT');
      await page.getByTestId('settings-fields-save').click();
      assert.equal((await saved).status(), 200);
      await screenshot(page, 'records-settings');
    } finally {
      await adminContext.close();
    }

    const context: BrowserContext = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      const shell = await signIn(page, teacher.username);
      const cls = await homeroomClass(page);
      const board = new QualityBoard(page);
      await shell.goTo('data-quality');
      assert.equal(await board.percentClean('10A1'), 0, 'without a home town nobody is clean');

      // The class list as the server has it, plus a home town for everyone and three deliberate mistakes.
      const profiles = await Promise.all(
        cls.students.map(async (s) => (await (await page.request.get(`/api/students/${s.id}`)).json()) as StudentProfileView),
      );
      const [badId, badDate, badEthnicity] = [profiles[2]!, profiles[5]!, profiles[8]!];
      const wrongCentury = (pid: string) => `${pid.slice(0, 3)}${pid[3] === '2' ? '0' : '2'}${pid.slice(4)}`;
      const headers = ['STT', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Nơi sinh', 'Quốc tịch', 'Số định danh cá nhân', 'Mã học sinh', 'Quê quán', 'Nơi ở hiện nay'];
      const cell = (value: string) => ({ value, type: String });
      const rows = profiles.map((p, i) => {
        const f = p.fields;
        return [
          String(i + 1),
          f.fullName!,
          p === badDate ? '31/02/2010' : dmy(f.birthDate!),
          f.gender === 'female' ? 'Nữ' : 'Nam',
          p === badEthnicity ? 'Xyz' : ETHNIC_GROUPS.find((g) => g.code === f.ethnicityCode)!.name,
          f.birthPlace ?? '',
          f.nationality ?? '',
          p === badId ? wrongCentury(f.personalId!) : f.personalId!,
          f.studentCode!,
          'Xã Hải Lộc, Thanh Hóa',
          f.address ?? '',
        ].map(cell);
      });
      const xlsx = await writeXlsxFile([headers.map((h) => ({ value: h, fontWeight: 'bold' as const })), ...rows], { sheet: '10A1' }).toBuffer();

      await page.goto(`/classes/${cls.id}`);
      await page.getByTestId('class-students-heading').waitFor();
      const wizard = new ImportWizard(page);
      await wizard.upload('danh-sach-10A1.xlsx', Buffer.from(xlsx));
      const fileRow = (p: StudentProfileView) => profiles.indexOf(p) + 2;
      assert.equal(await wizard.action(fileRow(badDate)), 'error', 'an impossible date is an error');
      assert.ok((await wizard.problems(fileRow(badDate))).some((x) => x.includes('31/02/2010')), 'the problem names the value');
      assert.equal(await wizard.action(fileRow(badEthnicity)), 'error', 'an unknown ethnic group is an error');
      assert.ok((await wizard.problems(fileRow(badEthnicity))).some((x) => x.includes('Xyz')));
      const idProblems = await wizard.problems(fileRow(badId));
      assert.ok(idProblems.length > 0, 'the wrong century digit is flagged');
      assert.match((await wizard.summary.textContent()) ?? '', /2 có lỗi/);
      assert.equal(await page.getByTestId('import-all').isDisabled(), true, '"Nhập tất cả" waits until no row has an error');
      await screenshot(page, 'records-import-preview');

      await page.getByTestId('import-valid-only').click();
      const confirm = page.getByTestId('import-confirm-text');
      await confirm.waitFor();
      assert.match((await confirm.textContent()) ?? '', /2 dòng có lỗi sẽ bị bỏ qua/);
      await page.getByTestId('import-confirm-ok').click();
      const result = page.getByTestId('import-result');
      await result.waitFor({ timeout: 30_000 });
      assert.match((await result.textContent()) ?? '', /2 dòng bỏ qua/);
      await screenshot(page, 'records-import-result');
      await page.keyboard.press('Escape');

      // The board now lists the three students still blocking: fix each on the profile page.
      await board.open();
      await page.getByTestId('quality-problems').waitFor();
      const names = new Set(await board.problemStudents().allTextContents());
      assert.deepEqual([...names].sort(), [badId, badDate, badEthnicity].map((p) => p.fields.fullName!).sort());
      assert.ok((await board.percentClean('10A1')) < 100);
      await screenshot(page, 'records-quality-board', { fullPage: true });

      const profile = new StudentProfile(page);
      for (const p of [badId, badDate, badEthnicity]) {
        await board.open();
        await board.problemStudents().filter({ hasText: p.fields.fullName! }).first().click();
        await profile.waitUntilShown();
        if (p === badId) {
          assert.ok((await profile.fieldProblems('personalId').count()) > 0, 'the personal ID problem shows next to the field');
          await screenshot(page, 'records-profile-problem');
          await profile.edit({ personalId: p.fields.personalId! }, 'Đối chiếu căn cước công dân');
        } else {
          assert.ok((await profile.fieldProblems('hometown').count()) > 0, 'the missing home town shows next to the field');
          await profile.edit({ hometown: 'Xã Hải Lộc, Thanh Hóa' });
        }
        await profile.status.filter({ hasText: 'Dữ liệu sạch' }).waitFor();
      }
      await screenshot(page, 'records-profile-clean', { fullPage: true });

      await board.open();
      assert.equal(await board.percentClean('10A1'), 100, 'the class is 100% clean');
      await screenshot(page, 'records-quality-board-clean', { fullPage: true });

      // The reconciliation page of the class opens (no extract loaded yet in the demo).
      await page.goto(`/classes/${cls.id}/reconciliation`);
      await page.getByTestId('recon-students').waitFor();
      await screenshot(page, 'records-reconciliation');
      assert.deepEqual(errors, [], 'no script errors');
    } finally {
      await context.close();
    }

    const phone = await newContext(platform.browser, platform.server.url, { phone: true });
    try {
      const p = await phone.newPage();
      await signIn(p, teacher.username);
      const board = new QualityBoard(p);
      await board.open();
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the board fits the phone width (overflow ${overflow}px)`);
      await screenshot(p, 'records-quality-board-phone', { fullPage: true });
    } finally {
      await phone.close();
    }
  });
});
