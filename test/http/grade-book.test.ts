import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { gradeEntries, staff } from '../../src/db/schema.ts';
import writeXlsxFile from 'write-excel-file/node';
import { BACKENDS } from '../helpers/db.ts';
import { multipart } from '../helpers/multipart.ts';
import { sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';


for (const kind of BACKENDS) {
  describe(`grade book (${kind})`, () => {
    let t: TestApp;
    let teacher: Client;
    let principal: Client;
    let sheetId: string;
    let studentIds: string[];
    const get = async () => (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${t.school.classSubjectId}/1` })).json();
    const save = (cells: unknown[]) => teacher.request({ method: 'PUT', url: `/api/grade-sheets/${sheetId}/cells`, payload: { cells } });

    before(async () => {
      t = await startTestApp(kind);
      teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      principal = await sessionFor(t, t.school.users.principal.id, t.school.schoolId);
      const sheet = await get();
      sheetId = sheet.id;
      studentIds = sheet.rows.map((r: { studentId: string }) => r.studentId);
    });
    after(() => t.close());

    test('the sheet has the Circular 22 number of regular marks and the class roster', async () => {
      const sheet = await get();
      assert.equal(sheet.regularCount, 4, 'Toán, 105 periods → 4 ĐĐGtx');
      assert.equal(sheet.rows.length, 3);
      assert.equal(sheet.can.edit, true);
      assert.equal(sheet.can.submit, false);
      assert.deepEqual(sheet.rows[0].missing, ['TX1', 'TX2', 'TX3', 'TX4', 'GK', 'CK']);
    });

    test('values are saved as written by Vietnamese users and averaged exactly', async () => {
      const [a] = studentIds;
      const cells = [['regular', 0, '8'], ['regular', 1, '9'], ['regular', 2, '7'], ['regular', 3, '8'], ['midterm', 0, '7'], ['final', 0, '8,0']].map(([field, index, value]) => ({
        studentId: a,
        field,
        index,
        value,
        expected: null,
      }));
      const res = await save(cells);
      assert.equal(res.statusCode, 200, res.body);
      const row = res.json().rows[0];
      assert.equal(row.final, '8');
      assert.equal(row.average, '7.8', '(8+9+7+8 + 2·7 + 3·8) / 9 = 70/9 = 7.78 → 7.8');
      assert.deepEqual(row.missing, []);
    });

    test('a batch with any bad value is refused whole, naming each bad cell', async () => {
      const [, b] = studentIds;
      const res = await save([
        { studentId: b, field: 'regular', index: 0, value: '9', expected: null },
        { studentId: b, field: 'regular', index: 1, value: '11', expected: null },
        { studentId: b, field: 'regular', index: 2, value: '8,55', expected: null },
        { studentId: b, field: 'regular', index: 3, value: 'abc', expected: null },
        { studentId: t.other.studentIds[0], field: 'midterm', value: '5', expected: null },
        { studentId: b, field: 'regular', index: 7, value: '5', expected: null },
      ]);
      assert.equal(res.statusCode, 400);
      const paths = res.json().error.details.map((d: { path: string }) => d.path);
      assert.deepEqual(paths, ['cells.1', 'cells.2', 'cells.3', 'cells.4', 'cells.5']);
      const stored = await t.database.db.select().from(gradeEntries).where(eq(gradeEntries.studentId, b!));
      assert.equal(stored.length, 0, 'nothing saved, not even the good cell');
    });

    test('a value changed elsewhere since it was loaded is a conflict, and nothing is written', async () => {
      const [a] = studentIds;
      const res = await save([
        { studentId: a, field: 'regular', index: 0, value: '10', expected: '5' },
        { studentId: a, field: 'regular', index: 1, value: '10', expected: '9' },
      ]);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().error.code, 'grade.conflict');
      assert.equal(res.json().error.details.length, 1);
      assert.equal((await get()).rows[0].regular[1], '9');
    });

    test('only the assigned teacher may enter marks', async () => {
      const homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
      const res = await homeroom.request({ method: 'PUT', url: `/api/grade-sheets/${sheetId}/cells`, payload: { cells: [{ studentId: studentIds[0], field: 'midterm', value: '1' }] } });
      assert.equal(res.statusCode, 403);
      const view = (await homeroom.request({ method: 'GET', url: `/api/grade-sheets/${t.school.classSubjectId}/1` })).json();
      assert.equal(view.can.edit, false);
    });

    test('an incomplete sheet cannot be submitted; a complete one locks', async () => {
      const early = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/submit`, payload: {} });
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().error.code, 'grade.incomplete');
      const cells = studentIds.slice(1).flatMap((studentId) =>
        [['regular', 0], ['regular', 1], ['regular', 2], ['regular', 3], ['midterm', 0], ['final', 0]].map(([field, index]) => ({ studentId, field, index, value: '6,5', expected: null })),
      );
      assert.equal((await save(cells)).statusCode, 200);
      const ok = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/submit`, payload: {} });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().locked, true);
      assert.equal(ok.json().lockReason, 'submitted');
      const late = await save([{ studentId: studentIds[0], field: 'midterm', value: '9', expected: '7' }]);
      assert.equal(late.statusCode, 423);
      assert.equal(late.json().error.code, 'grade.locked');
    });

    test('a change request with a scanned letter, approved by the principal, applies and shows in the history', async () => {
      const letter = multipart('don-xin-sua-diem.pdf', Buffer.from('%PDF-1.4\n% scanned letter\n'), 'application/pdf');
      const up = await teacher.request({ method: 'POST', url: '/api/uploads', ...letter });
      assert.equal(up.statusCode, 201, up.body);
      const fake = await teacher.request({ method: 'POST', url: '/api/uploads', ...multipart('virus.pdf', Buffer.from('MZ not a pdf'), 'application/pdf') });
      assert.equal(fake.json().error.code, 'file.invalid');

      const noReason = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/change-requests`, payload: { kind: 'values', reason: ' ', cells: [] } });
      assert.equal(noReason.statusCode, 400);
      const created = await teacher.request({
        method: 'POST',
        url: `/api/grade-sheets/${sheetId}/change-requests`,
        payload: { kind: 'values', reason: 'Nhập nhầm điểm giữa kỳ của em An', attachmentId: up.json().id, cells: [{ studentId: studentIds[0], field: 'midterm', value: '8,5' }] },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(created.json().changes.map((c: { column: string; old: string; new: string }) => [c.column, c.old, c.new]), [['GK', '7', '8.5']]);

      const teacherCannot = await teacher.request({ method: 'POST', url: `/api/change-requests/${created.json().id}/decision`, payload: { approve: true } });
      assert.equal(teacherCannot.statusCode, 403);
      const inbox = (await principal.request({ method: 'GET', url: '/api/change-requests?status=pending' })).json();
      assert.equal(inbox.requests.length, 1);
      assert.equal(inbox.requests[0].attachment.name, 'don-xin-sua-diem.pdf');
      const decided = await principal.request({ method: 'POST', url: `/api/change-requests/${created.json().id}/decision`, payload: { approve: true, note: 'Đồng ý' } });
      assert.equal(decided.statusCode, 200, decided.body);
      assert.equal(decided.json().status, 'approved');
      const again = await principal.request({ method: 'POST', url: `/api/change-requests/${created.json().id}/decision`, payload: { approve: false } });
      assert.equal(again.json().error.code, 'grade.request_decided');

      const sheet = await get();
      assert.equal(sheet.rows[0].midterm, '8.5');
      assert.equal(sheet.rows[0].average, '8.1', '(32 + 17 + 24) / 9 = 8.11');
      const history = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${sheetId}/history` })).json().entries;
      const approved = history.find((h: { action: string }) => h.action === 'change_approved');
      assert.ok(approved, JSON.stringify(history));
      assert.match(approved.reason, /Nhập nhầm/);
      assert.match(approved.approvedBy, /principal/);
      assert.deepEqual(approved.changes.map((c: { column: string; old: string; new: string }) => [c.column, c.old, c.new]), [['GK', '7', '8.5']]);
      const file = await principal.request({ method: 'GET', url: `/api/files/${up.json().id}` });
      assert.equal(file.headers['content-type'], 'application/pdf');
    });

    test('an approved unlock request reopens the sheet for its teacher', async () => {
      const req = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/change-requests`, payload: { kind: 'unlock', reason: 'Cần nhập lại cả cột TX4' } });
      assert.equal(req.statusCode, 201);
      const rejected = await principal.request({ method: 'POST', url: `/api/change-requests/${req.json().id}/decision`, payload: { approve: false, note: 'Chưa đủ căn cứ' } });
      assert.equal(rejected.json().status, 'rejected');
      assert.equal((await get()).locked, true);
      const req2 = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/change-requests`, payload: { kind: 'unlock', reason: 'Cần nhập lại cả cột TX4' } });
      await principal.request({ method: 'POST', url: `/api/change-requests/${req2.json().id}/decision`, payload: { approve: true } });
      const sheet = await get();
      assert.equal(sheet.locked, false);
      assert.equal(sheet.can.edit, true);
    });

    test('the school deadline locks a sheet that was never submitted', async () => {
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      const set = await admin.request({ method: 'PUT', url: '/api/school/year', payload: { semester2LockAt: new Date(Date.now() - 60_000).toISOString() } });
      assert.equal(set.statusCode, 200, set.body);
      const badStart = await admin.request({ method: 'PUT', url: '/api/school/year', payload: { semester2StartsOn: '2030-01-01' } });
      assert.equal(badStart.statusCode, 400);
      const s2 = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${t.school.classSubjectId}/2` })).json();
      assert.equal(s2.locked, true);
      assert.equal(s2.lockReason, 'deadline');
      assert.equal(s2.can.requestChange, true);
    });

    test('XLSX: export, then import all-or-nothing with every bad cell reported', async () => {
      const exp = await teacher.request({ method: 'GET', url: `/api/grade-sheets/${sheetId}/export.xlsx` });
      assert.equal(exp.statusCode, 200);
      assert.equal(exp.rawPayload.subarray(0, 2).toString(), 'PK');
      const sheet = await get();
      // As a teacher would type it in Excel: one mark above 10, one negative, one with two decimals.
      const header = ['STT', 'Mã học sinh', 'Họ và tên', 'TX1', 'TX2', 'TX3', 'TX4', 'GK', 'CK', 'Nhận xét'].map((value) => ({ value }));
      const bad = await writeXlsxFile(
        [
          header,
          ...sheet.rows.map((r: { studentCode: string; fullName: string }, i: number) =>
            [i + 1, r.studentCode, r.fullName, i === 0 ? 12 : 5, 5, 5, 5, 5, i === 1 ? -1 : 5, i === 2 ? null : 'Tốt'].map((value) => ({ value })),
          ),
          [{ value: 4 }, { value: '9999999999' }, { value: 'Người Lạ' }, { value: '8,75' }],
        ],
        {},
      ).toBuffer();
      const res = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/import`, ...multipart('bang-diem.xlsx', bad, 'application/octet-stream') });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'import.invalid');
      const details = res.json().error.details.map((d: { path: string; message: string }) => `${d.path}: ${d.message}`);
      assert.equal(details.length, 4, details.join("\n"));
      for (const where of ['row 2, D (TX1)', 'row 3, I (CK)', 'row 5, B (Mã học sinh)', 'row 5, D (TX1)']) assert.ok(details.some((d: string) => d.includes(where)), where);
      assert.equal((await get()).rows[1].final, sheet.rows[1].final, 'nothing imported');

      const good = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/import`, ...multipart('bang-diem.xlsx', exp.rawPayload, 'application/octet-stream') });
      assert.equal(good.statusCode, 200, good.body);
      assert.equal(good.json().changed, 0, 'the exported file imports back unchanged');
    });

    test('homeroom teacher records conduct and the daily register; the class view derives results; others cannot edit', async () => {
      const homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
      const url = `/api/classes/${t.school.classId}/homeroom/students/${studentIds[0]}`;
      assert.equal((await homeroom.request({ method: 'PUT', url, payload: { semester: 1, conduct: 'tot' } })).statusCode, 204);
      assert.equal((await homeroom.request({ method: 'PUT', url, payload: { comment: 'Chăm ngoan, học tốt.' } })).statusCode, 204);
      assert.equal((await homeroom.request({ method: 'PUT', url, payload: { conduct: 'tot' } })).statusCode, 400, 'semester required');
      assert.equal((await homeroom.request({ method: 'PUT', url, payload: { semester: 1, absentExcused: 3 } })).statusCode, 400, 'absences come from the register, never silently dropped');
      assert.equal((await teacher.request({ method: 'PUT', url, payload: { semester: 1, conduct: 'kha' } })).statusCode, 403);

      const register = `/api/classes/${t.school.classId}/attendance`;
      const day = (date: string, entries: unknown[]) => homeroom.request({ method: 'PUT', url: register, payload: { date, entries } });
      const a = studentIds[0];
      assert.equal((await day('2025-10-06', [{ studentId: a, session: 1, status: 'excused' }, { studentId: a, session: 2, status: 'unexcused' }])).statusCode, 204);
      assert.equal((await day('2025-10-07', [{ studentId: a, session: 1, status: 'excused' }])).statusCode, 204);
      assert.equal((await day('2025-10-07', [{ studentId: a, session: 1, status: 'present' }])).statusCode, 204, 'a correction removes the absence');
      const outside = await day('2024-10-07', [{ studentId: a, session: 1, status: 'excused' }]);
      assert.equal(outside.statusCode, 400);
      assert.match(outside.json().error.details[0].message, /ngoài năm học/);
      const stranger = await day('2025-10-08', [{ studentId: a, session: 1, status: 'excused' }, { studentId: t.other.studentIds[0], session: 1, status: 'excused' }]);
      assert.equal(stranger.statusCode, 400);
      assert.equal(stranger.json().error.details[0].path, 'entries.1.studentId');
      const got = (await homeroom.request({ method: 'GET', url: `${register}?date=2025-10-06` })).json();
      assert.deepEqual(got.students.find((x: { studentId: string }) => x.studentId === a).sessions, { '1': 'excused', '2': 'unexcused' });

      const view = (await homeroom.request({ method: 'GET', url: `/api/classes/${t.school.classId}/homeroom` })).json();
      assert.equal(view.canEdit, true);
      const s = view.students.find((x: { studentId: string }) => x.studentId === a);
      assert.equal(s.semesters['1'].conduct, 'tot');
      assert.deepEqual([s.semesters['1'].absentExcused, s.semesters['1'].absentUnexcused, s.year.absences], [1, 1, 2]);
      assert.equal(s.year.comment, 'Chăm ngoan, học tốt.');
      // One score subject only: fewer than six subjects reach 5.0, so Circular 22 gives Chưa đạt.
      assert.equal(s.semesters['1'].learning, 'chua_dat');
      assert.equal(view.subjects.length, 1);
      assert.equal(view.subjects[0].semesters['1'].complete, true);
      const principalView = (await principal.request({ method: 'GET', url: `/api/classes/${t.school.classId}/homeroom` })).json();
      assert.equal(principalView.canEdit, false);
      assert.equal(JSON.stringify(view).includes('rank'), false);
    });

    test('an exempt student needs no marks and does not block submitting; exemptions cannot change a locked sheet', async () => {
      // Sheet I is open again (approved unlock); sheet II is past its deadline.
      const bad = await teacher.request({ method: 'POST', url: '/api/exemptions', payload: { studentId: studentIds[2], classSubjectId: t.school.classSubjectId, kind: 'whole_subject', semesters: [1], reason: 'Giấy xác nhận của bệnh viện' } });
      assert.equal(bad.statusCode, 403);
      const gdtc = await principal.request({ method: 'POST', url: '/api/exemptions', payload: { studentId: studentIds[2], classSubjectId: t.school.classSubjectId, kind: 'practical_part', semesters: [1], reason: 'Giấy xác nhận của bệnh viện' } });
      assert.equal(gdtc.statusCode, 400, 'practical-part exemption is for GDTC only');
      const locked = await principal.request({ method: 'POST', url: '/api/exemptions', payload: { studentId: studentIds[2], classSubjectId: t.school.classSubjectId, kind: 'whole_subject', semesters: [2], reason: 'Giấy xác nhận của bệnh viện' } });
      assert.equal(locked.statusCode, 423, 'semester II is locked by its deadline');
      const ok = await principal.request({ method: 'POST', url: '/api/exemptions', payload: { studentId: studentIds[2], classSubjectId: t.school.classSubjectId, kind: 'whole_subject', semesters: [1], reason: 'Giấy xác nhận của bệnh viện' } });
      assert.equal(ok.statusCode, 201, ok.body);
      const sheet = await get();
      assert.equal(sheet.rows[2].exempt, 'whole_subject');
      assert.equal(sheet.rows[2].average, null);
      assert.deepEqual(sheet.rows[2].missing, []);
      // Clear the exempt student's old marks: the sheet is still complete and can be submitted.
      const clear = [['regular', 0], ['regular', 1], ['regular', 2], ['regular', 3], ['midterm', 0], ['final', 0]].map(([field, index]) => ({ studentId: studentIds[2], field, index, value: null }));
      assert.equal((await save(clear)).statusCode, 200);
      const submitted = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/submit`, payload: {} });
      assert.equal(submitted.statusCode, 200, submitted.body);
      const list = (await principal.request({ method: 'GET', url: `/api/classes/${t.school.classId}/exemptions` })).json().exemptions;
      assert.equal(list.length, 1);
      assert.equal((await principal.request({ method: 'DELETE', url: `/api/exemptions/${list[0].id}` })).statusCode, 423, 'removing it would make a submitted sheet incomplete');
    });

    test('cross-check: assigned to a head of another department, reviewed, answered', async () => {
      const head = t.school.users.department_head;
      await t.database.db.insert(staff).values({ schoolId: t.school.schoolId, fullName: 'Tổ trưởng Văn', userId: head.id, department: 'Ngữ văn' });
      const assign = await principal.request({ method: 'POST', url: '/api/cross-checks/assign', payload: { semester: 1 } });
      assert.equal(assign.statusCode, 200, assign.body);
      assert.equal(assign.json().assigned, 1);
      const reviewer = await sessionFor(t, head.id, t.school.schoolId);
      const mine = (await reviewer.request({ method: 'GET', url: '/api/cross-checks' })).json();
      assert.equal(mine.checks.length, 1);
      assert.equal(mine.checks[0].can.review, true);
      const sheet = await reviewer.request({ method: 'GET', url: `/api/grade-sheets/${t.school.classSubjectId}/1` });
      assert.equal(sheet.statusCode, 200);
      const id = mine.checks[0].id;
      assert.equal((await reviewer.request({ method: 'POST', url: `/api/cross-checks/${id}/review`, payload: { status: 'issue_found' } })).statusCode, 400, 'an issue needs a note');
      const reviewed = await reviewer.request({ method: 'POST', url: `/api/cross-checks/${id}/review`, payload: { status: 'issue_found', note: 'Điểm TX1 của em An cần kiểm tra lại' } });
      assert.equal(reviewed.json().status, 'issue_found');
      const answered = await teacher.request({ method: 'POST', url: `/api/cross-checks/${id}/answer`, payload: { answer: 'Đã đối chiếu sổ, điểm đúng.' } });
      assert.equal(answered.json().status, 'answered');
      const coverage = (await principal.request({ method: 'GET', url: '/api/cross-checks' })).json().coverage;
      assert.deepEqual(coverage, { total: 1, checked: 1, issues: 0 });
    });

    test('the school administrator edits the subject catalogue (audited)', async () => {
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      const list = (await admin.request({ method: 'GET', url: '/api/subjects' })).json().subjects;
      const toan = list.find((s: { code: string }) => s.code === 'TOAN');
      const res = await admin.request({ method: 'PUT', url: `/api/subjects/${toan.id}`, payload: { ministryCode: 'TO01', periodsPerYear: 105 } });
      assert.equal(res.json().ministryCode, 'TO01');
      const rules = await admin.request({ method: 'PUT', url: `/api/subjects/${toan.id}`, payload: { periodsPerYear: 70 } });
      assert.equal(rules.statusCode, 400, 'marks exist: changing the periods would change recorded averages');
      const form = await admin.request({ method: 'PUT', url: `/api/subjects/${toan.id}`, payload: { assessment: 'comment' } });
      assert.equal(form.statusCode, 400);
      const audit = await t.database.query<{ action: string }>(`select action from audit_log where target_id = $1`, [toan.id]);
      assert.deepEqual(audit.map((a) => a.action), ['subject.updated']);
    });

    test('the school administrator edits a class’s subject set and teachers; nothing that would change recorded results', async () => {
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      const subjects = (await admin.request({ method: 'GET', url: '/api/subjects' })).json().subjects as Array<{ id: string; code: string }>;
      const id = (code: string) => subjects.find((s) => s.code === code)!.id;
      const url = (code: string) => `/api/classes/${t.school.classId}/subjects/${id(code)}`;
      assert.equal((await admin.request({ method: 'PUT', url: url('VL'), payload: { topicCluster: true } })).statusCode, 200);
      assert.equal((await admin.request({ method: 'PUT', url: url('HH'), payload: { topicCluster: true } })).statusCode, 200);
      assert.equal((await admin.request({ method: 'PUT', url: url('SH'), payload: { topicCluster: true } })).statusCode, 200);
      assert.equal((await admin.request({ method: 'PUT', url: url('NV'), payload: { topicCluster: true } })).statusCode, 400, 'at most three topic clusters');
      assert.equal((await admin.request({ method: 'PUT', url: url('NN1'), payload: { topicCluster: true } })).statusCode, 400, 'Ngoại ngữ 1 has no topic cluster');
      assert.equal((await admin.request({ method: 'PUT', url: url('TOAN'), payload: { topicCluster: true } })).statusCode, 400, 'Toán has marks');
      const list = (await admin.request({ method: 'GET', url: `/api/classes/${t.school.classId}/subjects` })).json();
      assert.deepEqual(list.subjects.map((s: { code: string; topicCluster: boolean; hasMarks: boolean }) => [s.code, s.topicCluster, s.hasMarks]), [['TOAN', false, true], ['VL', true, false], ['HH', true, false], ['SH', true, false]]);
      const toan = list.subjects.find((s: { code: string }) => s.code === 'TOAN');
      assert.equal((await admin.request({ method: 'DELETE', url: `/api/class-subjects/${toan.id}` })).statusCode, 400);
      const vl = list.subjects.find((s: { code: string }) => s.code === 'VL');
      assert.equal((await admin.request({ method: 'DELETE', url: `/api/class-subjects/${vl.id}` })).statusCode, 204);
    });

    test('every grade change is in the audit chain, which still verifies', async () => {
      const n = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action like 'grades.%'`);
      assert.ok(Number(n.rows[0]!.n) >= 6);
      const v = (await principal.request({ method: 'GET', url: '/api/audit/verify' })).json();
      assert.equal(v.ok, true);
    });
  });
}
