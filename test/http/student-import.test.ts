/**
 * Importing student lists: every encoding schools hand over reads to the same Unicode; a
 * file with every kind of bad cell is reported whole and imports nothing unless the
 * person explicitly imports the valid rows only; column choices are remembered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { enrolments, students } from '../../src/db/schema.ts';
import { EXPECTED_ROWS, HEADER, iconv, legacyText, STUDENTS, studentXlsx, textXlsx, toCsv, utf16, vn3Case } from '../../src/services/import/test-fixtures.ts';
import { BACKENDS } from '../helpers/db.ts';
import { multipart } from '../helpers/multipart.ts';
import { sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';


const csv = toCsv(EXPECTED_ROWS);
const FILES: Array<[string, string, () => Promise<Buffer> | Buffer]> = [
  ['UTF-8 with BOM', 'ds.csv', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')])],
  ['UTF-8 without BOM, semicolons', 'ds.csv', () => Buffer.from(toCsv(EXPECTED_ROWS, ';'), 'utf8')],
  ['Windows-1258', 'ds.csv', () => iconv(csv, 'CP1258')],
  ['TCVN3 bytes (.VnTime)', 'ds.csv', () => iconv(toCsv(EXPECTED_ROWS.map((r) => r.map(vn3Case))), 'TCVN5712-1')],
  ['VNI-Windows text', 'ds.csv', () => Buffer.from(toCsv(EXPECTED_ROWS.map((r) => r.map((c) => legacyText(c, 'vni')))), 'latin1')],
  ['UTF-16LE', 'ds.csv', () => utf16(csv, 'le')],
  ['XLSX with TCVN3 text cells', 'ds.xlsx', () => studentXlsx((s) => legacyText(vn3Case(s), 'tcvn3'))],
  ['XLSX in Unicode', 'ds.xlsx', () => studentXlsx()],
];

for (const kind of BACKENDS) {
  describe(`student list import (${kind})`, () => {
    let t: TestApp;
    let homeroom: Client;
    const upload = async (name: string, content: Buffer, classId = t.school.classId) => homeroom.request({ method: 'POST', url: `/api/classes/${classId}/student-imports`, ...multipart(name, content) });
    before(async () => {
      t = await startTestApp(kind);
      homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
    });
    after(() => t.close());

    const expected = STUDENTS.map(([, code, name, born, gender, ethnicity, place]) => {
      const [d, m, y] = born!.split('/');
      const codes: Record<string, string> = { Kinh: '01', Tày: '02', Mường: '06', Thái: '03' };
      return { studentCode: code, fullName: name, birthDate: `${y}-${m}-${d}`, gender: gender === 'Nam' ? 'male' : 'female', ethnicityCode: codes[ethnicity!], birthPlace: place };
    });

    for (const [label, name, make] of FILES) {
      test(`${label}: reads to the same Unicode values`, async () => {
        const res = await upload(name, await make());
        assert.equal(res.statusCode, 201, res.body);
        const p = res.json();
        assert.equal(p.layout, 'custom');
        assert.deepEqual(p.rows.map((r: { values: Record<string, string> }) => r.values), expected);
        assert.ok(p.rows.every((r: { action: string }) => r.action === 'create'), JSON.stringify(p.rows.map((r: { problems: unknown[] }) => r.problems)));
        if (label.includes('TCVN3')) assert.equal(p.legacyFont, 'tcvn3');
      });
    }

    test('committing creates and enrols the students; the same list again changes nothing', async () => {
      const p = (await upload('ds.csv', Buffer.from(csv, 'utf8'))).json();
      const res = await homeroom.request({ method: 'POST', url: `/api/student-imports/${p.id}/commit`, payload: { mode: 'all' } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { created: 5, updated: 0, skipped: 0 });
      const again = await homeroom.request({ method: 'POST', url: `/api/student-imports/${p.id}/commit`, payload: { mode: 'all' } });
      assert.equal(again.statusCode, 409, 'a committed import cannot be committed twice');
      const second = (await upload('ds.csv', iconv(csv, 'CP1258'))).json();
      assert.deepEqual(second.summary, { rows: 5, valid: 5, errors: 0, create: 0, update: 0, unchanged: 5 });
      const roster = (await homeroom.request({ method: 'GET', url: `/api/classes/${t.school.classId}/students` })).json().students;
      assert.ok(roster.some((s: { fullName: string }) => s.fullName === 'Đặng Văn Ước'));
      const audit = await t.database.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'students.imported'`);
      assert.equal(audit[0]!.n, 1);
    });

    test('a file with every kind of bad cell: each reported with row, column and rule; "all" imports nothing; "valid rows only" imports the good one', async () => {
      const [existingInOtherClass] = await t.database.db.select().from(students).where(eq(students.id, t.school.studentIds[3]!));
      await t.database.db.update(students).set({ personalId: '038210999999' }).where(eq(students.id, t.school.studentIds[0]!));
      const header = [...HEADER, 'Số định danh cá nhân', 'Lớp học'];
      const rows = [
        header,
        ['1', '3811111111', 'Hoàng Văn Tốt', '01/02/2010', 'Nam', 'Kinh', 'Hậu Lộc', '', '10A1'], // good
        ['2', '3822222222', 'Lê Thị Sai Ngày', '31/02/2010', 'Nữ', 'Kinh', 'Hậu Lộc', '', ''], // impossible date
        ['3', '3833333333', 'Vũ Văn Dân Tộc', '01/03/2010', 'Nam', 'Người Sao Hỏa', 'Hậu Lộc', '', ''], // unknown ethnicity
        ['4', '3844444444', 'Mai Thị Giới', '01/04/2010', 'Khác', 'Kinh', 'Hậu Lộc', '', ''], // bad gender
        ['5', '3855555555', '', '01/05/2010', 'Nữ', 'Kinh', 'Hậu Lộc', '', ''], // no name for a new student
        ['6', '3811111111', 'Hoàng Văn Tốt', '01/02/2010', 'Nam', 'Kinh', 'Hậu Lộc', '', ''], // same as row 2
        ['7', '3866666666', 'Ngô Thị Lớp', '01/06/2010', 'Nữ', 'Kinh', 'Hậu Lộc', '', '11A5'], // another class
        ['8', '3877777777', 'Bùi Văn Trùng', '01/07/2010', 'Nam', 'Kinh', 'Hậu Lộc', '038210999999', ''], // ID of another student
        ['9', existingInOtherClass!.studentCode!, existingInOtherClass!.fullName, '04/03/2010', 'Nữ', 'Kinh', '', '', ''], // studies in 10A2
      ];
      const res = await upload('loi.xlsx', await textXlsx(rows));
      assert.equal(res.statusCode, 201, res.body);
      const p = res.json();
      const errorsByRow = Object.fromEntries(
        p.rows.map((r: { row: number; problems: Array<{ code: string; column: string | null }> }) => [r.row, r.problems.filter((x) => x.code.startsWith('import.')).map((x) => `${x.code}@${x.column ?? '-'}`)]),
      );
      assert.deepEqual(errorsByRow, {
        2: [],
        3: ['import.bad_value@D'],
        4: ['import.bad_value@F'],
        5: ['import.bad_value@E'],
        6: ['import.missing_required@C'],
        7: ['import.duplicate_row@-', 'import.duplicate_row@-'],
        8: ['import.other_class@I'],
        9: ['import.identity_mismatch@-', 'import.id_taken@H'],
        10: ['import.in_other_class@-'],
      });
      assert.equal(p.summary.errors, 8);
      const before = await t.database.query<{ n: number }>('select count(*)::int as n from students');
      const all = await homeroom.request({ method: 'POST', url: `/api/student-imports/${p.id}/commit`, payload: { mode: 'all' } });
      assert.equal(all.statusCode, 400);
      assert.equal(all.json().error.code, 'import.invalid');
      assert.ok(all.json().error.details.length >= 9);
      assert.deepEqual(await t.database.query('select count(*)::int as n from students'), before, 'nothing written');
      const report = await homeroom.request({ method: 'GET', url: `/api/student-imports/${p.id}/errors.xlsx` });
      assert.equal(report.rawPayload.subarray(0, 2).toString(), 'PK');
      const valid = await homeroom.request({ method: 'POST', url: `/api/student-imports/${p.id}/commit`, payload: { mode: 'valid_only' } });
      assert.deepEqual(valid.json(), { created: 1, updated: 0, skipped: 8 });
      const [good] = await t.database.db.select().from(students).where(eq(students.studentCode, '3811111111'));
      const [enr] = await t.database.db.select().from(enrolments).where(eq(enrolments.studentId, good!.id));
      assert.equal(enr!.classId, t.school.classId);
    });

    test('a school sheet with its own headers: unknown columns are listed, the chosen mapping is remembered', async () => {
      const rows = [['STT', 'Tên HS', 'Ngày sinh', 'Giới tính', 'Sở thích'], ['1', 'Phan Văn Mới', '09/09/2010', 'Nam', 'Bóng đá']];
      const first = (await upload('rieng.xlsx', await textXlsx(rows))).json();
      assert.deepEqual(first.unmappedColumns, ['Tên HS', 'Sở thích']);
      assert.equal(first.rows[0].action, 'error', 'no name column yet');
      const mapped = await homeroom.request({ method: 'PUT', url: `/api/student-imports/${first.id}/mapping`, payload: { mapping: { ...first.mapping, fullName: 1 } } });
      assert.equal(mapped.json().rows[0].values.fullName, 'Phan Văn Mới');
      const bad = await homeroom.request({ method: 'PUT', url: `/api/student-imports/${first.id}/mapping`, payload: { mapping: { fullName: 42, shoeSize: 1 } } });
      assert.equal(bad.statusCode, 400);
      const second = (await upload('rieng-2.xlsx', await textXlsx(rows))).json();
      assert.equal(second.mapping.fullName, 1, 'remembered for the same header row');
    });

    test('a 5,000-row file with 2,000 bad rows still gives a complete report', async () => {
      const header = ['STT', 'Mã học sinh', 'Họ tên', 'Ngày sinh', 'Giới tính', 'Dân tộc'];
      const rows = Array.from({ length: 5000 }, (_, i) => [String(i + 1), String(3900000000 + i), `Học Sinh Số ${i + 1}`, i % 5 < 2 ? '30/02/2010' : '01/01/2010', 'Nam', 'Kinh']);
      const res = await upload('lon.csv', Buffer.from(toCsv([header, ...rows])));
      assert.equal(res.statusCode, 201);
      const p = res.json();
      assert.equal(p.summary.rows, 5000);
      assert.equal(p.summary.errors, 2000);
      const report = await homeroom.request({ method: 'GET', url: `/api/student-imports/${p.id}/errors.xlsx` });
      const { default: readXlsx } = await import('read-excel-file/node');
      const sheet = ((await readXlsx(report.rawPayload)) as unknown as Array<{ data: unknown[][] }>)[0]!.data;
      const errorLines = sheet.filter((r) => String(r[5] ?? '').startsWith('import.'));
      assert.equal(errorLines.length, 2000, 'every bad row is in the report');
      assert.match(String(errorLines[0]![6]), /30\/02\/2010/);
    });

    test('bad files are clear errors; other people cannot import into a class', async () => {
      const junk = await upload('x.xlsx', Buffer.from('PK\u0003\u0004 not really a zip'));
      assert.equal(junk.statusCode, 400);
      const noHeader = await upload('x.csv', Buffer.from('a,b\n1,2\n'));
      assert.equal(noHeader.json().error.code, 'file.invalid');
      const teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      assert.equal((await teacher.request({ method: 'POST', url: `/api/classes/${t.school.classId}/student-imports`, ...multipart('ds.csv', Buffer.from(csv)) })).statusCode, 403);
      assert.equal((await upload('ds.csv', Buffer.from(csv), t.school.otherClassId)).statusCode, 403, 'not their class');
    });
  });
}
