/**
 * Return → change → re-sign in the browser, with the demo's server-held keys: the class is
 * signed by its subject teachers and homeroom teacher; the principal returns one record with
 * a reason; the homeroom teacher sees "Bị trả lại: …" on the corrections page, opens the
 * record and requests a correction of the maths row; the principal approves; the maths
 * teacher changes the mark; the homeroom teacher re-freezes (v2); only the maths row is
 * signed again (the other subject signatures carried forward), then homeroom, principal and
 * seal; the viewer shows v1 "đã được thay bằng v2" with a link to v2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { classSubjects, roleGrants, schools, staff, students } from '../../src/db/schema.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from '../helpers/factories.ts';
import { newContext } from './helpers/browser.ts';
import { GradeSheetPage } from './helpers/grade-book.ts';
import { LoginPage } from './helpers/pages.ts';
import { usePlatform } from './helpers/platform.ts';
import { screenshot } from './helpers/screenshots.ts';

const TIMEOUT = 30_000;

describe('corrections in the browser: return → change request → re-sign → v2 supersedes v1', { timeout: 900_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hocba-corrections-ui-'));
  let school: TestSchool;
  let mathClassSubjectId = '';
  let returnedName = '';
  const platform = usePlatform({
    serverEnv: async () => {
      const database = await openDatabase({ dataDir });
      try {
        school = await makeSchool(database, 'cor');
        await inSystem(database.db, async (tx) => {
          await tx.update(schools).set({ isDemo: true }).where(eq(schools.id, school.schoolId));
          await tx.insert(staff).values([
            { schoolId: school.schoolId, fullName: 'Trần Thị Văn', userId: school.users.department_head.id },
            { schoolId: school.schoolId, fullName: 'Nguyễn Văn Hiệu', userId: school.users.principal.id },
            { schoolId: school.schoolId, fullName: 'Phạm Văn Thư', userId: school.users.clerk.id },
          ]);
          await tx.insert(roleGrants).values({ userId: school.users.department_head.id, schoolId: school.schoolId, role: 'subject_teacher' });
        });
        const report = await completeAndFreezeClass({ db: database.db, schoolId: school.schoolId, classId: school.classId, studentIds: school.studentIds.slice(0, 3), teacherUserId: school.users.department_head.id, homeroomUserId: school.users.homeroom_teacher.id });
        assert.equal(report.frozen.length, 3, JSON.stringify(report.blocked));
        // The class-subject the subject teacher (Giáo viên Toán) teaches in 10A1.
        const [mine] = await database.db
          .select({ id: classSubjects.id })
          .from(classSubjects)
          .innerJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
          .where(and(eq(classSubjects.classId, school.classId), eq(staff.userId, school.users.subject_teacher.id)));
        mathClassSubjectId = mine!.id;
        const [st] = await database.db.select({ fullName: students.fullName }).from(students).where(eq(students.id, school.studentIds[2]!));
        returnedName = st!.fullName;
      } finally {
        await database.close();
      }
      return { DATA_DIR: dataDir };
    },
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  async function asUser(role: keyof TestSchool['users'], fn: (page: Page) => Promise<void>) {
    const context = await newContext(platform.browser, platform.server.url);
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    try {
      const login = await new LoginPage(page).open();
      await login.signIn(school.users[role].username, TEST_PASSWORD);
      await page.getByTestId('home-heading').waitFor();
      await fn(page);
    } catch (e) {
      await screenshot(page, `corrections-failure-${role}`, { fullPage: true });
      throw e;
    } finally {
      await context.close();
    }
  }

  /** The signing page → the 10A1 row (or the whole school) → prepare → password → sign. */
  async function signClass(page: Page, opts: { wide?: string; expect: RegExp; shot?: string }) {
    await page.getByTestId('nav-signing').click();
    await page.getByTestId('to-sign-table').waitFor();
    if (opts.wide) await page.getByTestId(opts.wide).click();
    else {
      await page.getByTestId('to-sign-row-10A1').locator('input[type=checkbox]').check();
      await page.getByTestId('signing-prepare').click();
    }
    await page.getByTestId('batch-panel').waitFor();
    await page.getByTestId('signing-password').fill(TEST_PASSWORD);
    await page.getByTestId('signing-run').click();
    await page.getByTestId('batch-counts').filter({ hasText: opts.expect }).waitFor({ timeout: 180_000 });
    if (opts.shot) await screenshot(page, opts.shot, { fullPage: true });
  }

  async function homeroomSign(page: Page, expect: RegExp) {
    await page.goto(`/homeroom/${school.classId}`);
    await page.getByTestId('homeroom-sign').click();
    await signClass(page, { expect });
  }

  test('the whole correction path', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    for (let i = 0; !/issued and registered \d+ TEST certificates/.test(platform.server.output()); i++) {
      assert.ok(i < 600, `no demo certificates:\n${platform.server.output()}`);
      await sleep(100);
    }
    const c = school.studentIds[2]!;
    await asUser('subject_teacher', (page) => signClass(page, { expect: /Đã ký 3\/3 · lỗi 0/ }));
    await asUser('department_head', (page) => signClass(page, { expect: /Đã ký (\d+)\/\1 · lỗi 0/ }));
    await asUser('homeroom_teacher', (page) => homeroomSign(page, /Đã ký 3\/3/));

    const reason = 'Sai điểm cuối kỳ II môn Toán, đề nghị sửa lại.';
    await asUser('principal', async (page) => {
      await page.goto(`/classes/${school.classId}`);
      await page.getByTestId(`record-view-${c}`).click();
      await page.getByTestId('signature-timeline').getByTestId('timeline-sig-homeroom').waitFor();
      await page.getByTestId('timeline-return').click();
      await page.getByTestId('return-reason').fill(reason);
      await page.getByRole('button', { name: 'Trả lại học bạ' }).last().click();
      await page.getByTestId('timeline-returned').waitFor();
    });

    await asUser('homeroom_teacher', async (page) => {
      await page.getByTestId('nav-corrections').click();
      const item = page.getByTestId('return-item').filter({ hasText: returnedName });
      await item.waitFor();
      assert.match((await item.textContent()) ?? '', new RegExp(`Bị trả lại: ${reason.replace(/[.]/g, '\\.')} — [^,]*${school.users.principal.username}`));
      await screenshot(page, 'corrections-returned-list', { fullPage: true });
      await item.getByTestId('open-returned').click();
      await page.getByTestId('returned-reason').waitFor();
      await page.getByTestId('create-correction').click();
      await page.getByTestId('correction-subjects').click();
      await page.locator('.ant-select-item-option').first().click();
      await page.keyboard.press('Escape');
      await page.getByTestId('correction-reason').fill('Nhập sai điểm cuối kỳ II môn Toán (7 thành 9).');
      await screenshot(page, 'corrections-request-form');
      await page.getByTestId('send-correction').click();
      await page.getByTestId('version-corrections').getByText('Chờ duyệt').waitFor();
      await screenshot(page, 'corrections-viewer-pending');
    });

    await asUser('principal', async (page) => {
      await page.getByTestId('nav-corrections').click();
      await page.getByTestId('approve-correction').click();
      await page.getByTestId('confirm-decision').click();
      await page.getByText('Đã duyệt — chờ sửa và chốt lại').first().waitFor();
      await screenshot(page, 'corrections-approved', { fullPage: true });
    });

    await asUser('subject_teacher', async (page) => {
      await page.goto(`/grade-sheets/${mathClassSubjectId}/2`);
      const sheet = new GradeSheetPage(page);
      await sheet.waitUntilShown();
      const row = page.locator('[data-testid^="grade-row-"]').filter({ hasText: returnedName });
      const index = Number(((await row.getAttribute('data-testid')) ?? '').replace('grade-row-', ''));
      const before = await sheet.text(index, 'ck');
      await sheet.typeInto(index, 'ck', before === '9' ? '8' : '9');
      await sheet.waitSaved();
    });

    await asUser('homeroom_teacher', async (page) => {
      await page.goto(`/homeroom/${school.classId}`);
      await page.getByTestId('freeze-class').click();
      await page.locator('.ant-popconfirm').getByRole('button').last().click();
      await page.getByTestId('freeze-frozen').filter({ hasText: returnedName }).waitFor();
    });

    // Only the corrected maths row is signed again; the other rows' signatures were carried forward.
    // The class batch lists the other two records too: refused, they already passed this step.
    await asUser('subject_teacher', (page) => signClass(page, { expect: /Đã ký 1\/3 · lỗi 0 · từ chối 2/, shot: 'corrections-resign-subject' }));
    await asUser('homeroom_teacher', (page) => homeroomSign(page, /Đã ký 1\/3 · lỗi 0 · từ chối 2/));
    await asUser('principal', (page) => signClass(page, { expect: /Đã ký 3\/3 · lỗi 0/ }));
    await asUser('clerk', (page) => signClass(page, { wide: 'signing-prepare-school', expect: /Đã ký 3\/3 · lỗi 0/ }));

    await asUser('homeroom_teacher', async (page) => {
      await page.goto(`/classes/${school.classId}`);
      await page.getByTestId(`record-view-${c}`).click();
      await page.getByTestId('record-version-1').click();
      const banner = page.getByTestId('superseded-by');
      await banner.waitFor();
      assert.match((await banner.textContent()) ?? '', /Bản v1 đã được thay bằng bản v2/);
      assert.match((await page.getByTestId('returned-reason').textContent()) ?? '', /Bị trả lại: Sai điểm cuối kỳ II/);
      await screenshot(page, 'corrections-v1-superseded');
      await page.getByTestId('open-successor').click();
      await page.getByTestId('signature-timeline').getByTestId('timeline-sig-seal').waitFor();
      assert.equal(await page.getByTestId('superseded-by').count(), 0);
      await screenshot(page, 'corrections-v2-sealed');
    });
  });
});
