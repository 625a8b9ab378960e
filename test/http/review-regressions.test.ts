/**
 * Defects found by an independent review of the grade book and auth code, each pinned by
 * the reproduction that showed it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { classSubjects, crossChecks, roleGrants, staff, users } from '../../src/db/schema.ts';
import { BACKENDS } from '../helpers/db.ts';
import { multipart } from '../helpers/multipart.ts';
import { loginAs, sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';
import { TEST_PASSWORD } from '../helpers/factories.ts';

const FIELDS = [['regular', 0], ['regular', 1], ['regular', 2], ['regular', 3], ['midterm', 0], ['final', 0]] as const;


/** Fills and submits a class-subject's semester-I sheet as `teacher`; returns the sheet id and students. */
async function submittedSheet(teacher: Client, classSubjectId: string) {
  const sheet = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${classSubjectId}/1` })).json();
  const cells = sheet.rows.flatMap((r: { studentId: string }) => FIELDS.map(([field, index]) => ({ studentId: r.studentId, field, index, value: '8' })));
  const saved = await teacher.request({ method: 'PUT', url: `/api/grade-sheets/${sheet.id}/cells`, payload: { cells } });
  assert.equal(saved.statusCode, 200, saved.body);
  const sub = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheet.id}/submit`, payload: {} });
  assert.equal(sub.statusCode, 200, sub.body);
  return { sheetId: sheet.id as string, studentIds: sheet.rows.map((r: { studentId: string }) => r.studentId) as string[] };
}

for (const kind of BACKENDS) {
  describe(`review regressions (${kind})`, () => {
    let t: TestApp;
    let teacher: Client;
    let principal: Client;
    let sheetId: string;
    let studentIds: string[];
    before(async () => {
      t = await startTestApp(kind);
      teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      principal = await sessionFor(t, t.school.users.principal.id, t.school.schoolId);
      ({ sheetId, studentIds } = await submittedSheet(teacher, t.school.classSubjectId));
    });
    after(() => t.close());

    const request = (value: string, reason = 'Nhập nhầm điểm') =>
      teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/change-requests`, payload: { kind: 'values', reason, cells: [{ studentId: studentIds[0], field: 'regular', index: 0, value }] } });

    test('approving a request written against values that changed since is a conflict, never a silent overwrite', async () => {
      const first = (await request('6')).json();
      const second = (await request('7')).json();
      assert.equal((await principal.request({ method: 'POST', url: `/api/change-requests/${first.id}/decision`, payload: { approve: true } })).statusCode, 200);
      const stale = await principal.request({ method: 'POST', url: `/api/change-requests/${second.id}/decision`, payload: { approve: true } });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'grade.conflict');
      const sheet = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${t.school.classSubjectId}/1` })).json();
      assert.equal(sheet.rows[0].regular[0], '6');
      const history = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${sheetId}/history` })).json().entries;
      const approved = history.filter((h: { action: string }) => h.action === 'change_approved');
      assert.deepEqual(approved.map((h: { changes: Array<{ old: string; new: string }> }) => [h.changes[0]!.old, h.changes[0]!.new]), [['8', '6']]);
    });

    test('a change request may not remove a mark from a submitted sheet', async () => {
      const res = await request('');
      assert.equal(res.statusCode, 400);
    });

    test('nobody approves their own request, even a principal who teaches', async () => {
      const [principalStaff] = await t.database.db.insert(staff).values({ schoolId: t.school.schoolId, fullName: 'Hiệu trưởng dạy Toán', userId: t.school.users.principal.id }).returning();
      await t.database.db.insert(roleGrants).values({ userId: t.school.users.principal.id, schoolId: t.school.schoolId, role: 'subject_teacher' });
      const [other] = await t.database.db.select().from(classSubjects).where(eq(classSubjects.id, t.school.classSubjectId));
      const [cs] = await t.database.db.insert(classSubjects).values({ schoolId: t.school.schoolId, classId: t.school.otherClassId, subjectId: other!.subjectId, teacherStaffId: principalStaff!.id }).returning();
      const teachingPrincipal = await sessionFor(t, t.school.users.principal.id, t.school.schoolId);
      const own = await submittedSheet(teachingPrincipal, cs!.id);
      const req = await teachingPrincipal.request({ method: 'POST', url: `/api/grade-sheets/${own.sheetId}/change-requests`, payload: { kind: 'values', reason: 'Sửa điểm của tôi', cells: [{ studentId: own.studentIds[0], field: 'final', value: '10' }] } });
      assert.equal(req.statusCode, 201, req.body);
      const self = await teachingPrincipal.request({ method: 'POST', url: `/api/change-requests/${req.json().id}/decision`, payload: { approve: true } });
      assert.equal(self.statusCode, 403);
    });

    test('uploaded letters are readable by their uploader, the principal and readers of the sheet they are attached to — not by any staff', async () => {
      const up = (await teacher.request({ method: 'POST', url: '/api/uploads', ...multipart('Don xin sua diem - Nguyen Van An.pdf', Buffer.from('%PDF-1.4 letter')) })).json();
      const clerk = await sessionFor(t, t.school.users.clerk.id, t.school.schoolId);
      assert.equal((await clerk.request({ method: 'GET', url: `/api/files/${up.id}` })).statusCode, 404);
      const same = (await clerk.request({ method: 'POST', url: '/api/uploads', ...multipart('mine.pdf', Buffer.from('%PDF-1.4 letter')) })).json();
      assert.notEqual(same.id, up.id, 'the same bytes from someone else are their own file');
      assert.equal(same.name, 'mine.pdf');
      const foreign = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/change-requests`, payload: { kind: 'unlock', reason: 'Đính kèm tệp của người khác', attachmentId: same.id } });
      assert.equal(foreign.statusCode, 404, 'only one’s own upload can be attached');
      await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/change-requests`, payload: { kind: 'unlock', reason: 'Có đơn kèm theo', attachmentId: up.id } });
      const homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
      assert.equal((await homeroom.request({ method: 'GET', url: `/api/files/${up.id}` })).statusCode, 200, 'the homeroom teacher reads the class’s sheets');
      assert.equal((await principal.request({ method: 'GET', url: `/api/files/${up.id}` })).statusCode, 200);
    });

    test('replacing an active second factor needs the password', async () => {
      const user = t.school.users.clerk;
      const c = (await loginAs(t.app, user.username)).c;
      // As the browser sends it: no body at all.
      const { secret } = (await c.request({ method: 'POST', url: '/api/auth/totp/setup' })).json();
      assert.equal((await c.request({ method: 'POST', url: '/api/auth/totp/enable', payload: { code: await generate({ secret }) } })).statusCode, 204);
      const thief = await sessionFor(t, user.id, t.school.schoolId);
      assert.equal((await thief.request({ method: 'POST', url: '/api/auth/totp/setup', payload: {} })).statusCode, 401);
      assert.equal((await thief.request({ method: 'POST', url: '/api/auth/totp/setup', payload: { password: 'doan-bua-thoi' } })).statusCode, 401);
      assert.equal((await thief.request({ method: 'POST', url: '/api/auth/totp/setup', payload: { password: TEST_PASSWORD } })).statusCode, 200);
      const [u] = await t.database.db.select({ s: users.totpSecret }).from(users).where(eq(users.id, user.id));
      assert.equal(u!.s, secret, 'the active secret is unchanged until a new one is confirmed');
    });

    test('a school administrator cannot take over a teacher’s staff record', async () => {
      const [teacherStaff] = await t.database.db.select().from(staff).where(eq(staff.userId, t.school.users.subject_teacher.id));
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      const res = await admin.request({ method: 'POST', url: '/api/users', payload: { username: 'gv-moi', displayName: 'Giáo viên mới', password: 'mat-khau-moi-dai', roles: ['subject_teacher'], staffId: teacherStaff!.id } });
      assert.equal(res.statusCode, 409);
      const mine = (await teacher.request({ method: 'GET', url: '/api/my/class-subjects' })).json();
      assert.equal(mine.classSubjects.length, 1);
    });

    test('a teacher answers only a cross-check that found an issue', async () => {
      const [head] = await t.database.db.insert(staff).values({ schoolId: t.school.schoolId, fullName: 'Tổ trưởng', userId: t.school.users.department_head.id, department: 'Ngữ văn' }).returning();
      const [check] = await t.database.db.insert(crossChecks).values({ schoolId: t.school.schoolId, classSubjectId: t.school.classSubjectId, semester: 1, reviewerStaffId: head!.id, status: 'checked' }).returning();
      const res = await teacher.request({ method: 'POST', url: `/api/cross-checks/${check!.id}/answer`, payload: { answer: 'Ghi đè' } });
      assert.equal(res.statusCode, 404);
    });

    test('concurrent first writes of the homeroom record and the register do not fail', async () => {
      const homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
      const puts = await Promise.all(
        Array.from({ length: 6 }, () => homeroom.request({ method: 'PUT', url: `/api/classes/${t.school.classId}/homeroom/students/${studentIds[1]}`, payload: { semester: 2, conduct: 'kha' } })),
      );
      assert.deepEqual(puts.map((r) => r.statusCode), [204, 204, 204, 204, 204, 204]);
      const days = await Promise.all(
        Array.from({ length: 4 }, () => homeroom.request({ method: 'PUT', url: `/api/classes/${t.school.classId}/attendance`, payload: { date: '2025-10-20', entries: [{ studentId: studentIds[1], session: 1, status: 'excused' }] } })),
      );
      assert.deepEqual(days.map((r) => r.statusCode), [204, 204, 204, 204]);
    });

    test('text with a NUL character is a clear 400 naming the field', async () => {
      const res = await teacher.request({ method: 'PUT', url: `/api/grade-sheets/${sheetId}/cells`, payload: { cells: [{ studentId: studentIds[0], field: 'comment', value: 'abc\u0000def' }] } });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.details[0].path, 'cells.0.value');
    });
  });
}
