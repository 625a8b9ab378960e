/**
 * Three-way reconciliation: the school's records, the sector-database export and a VNeID
 * extract; each disagreement resolved by the homeroom teacher and audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { students } from '../../src/db/schema.ts';
import { CSDL_NGANH_HEADERS } from '../../src/domain/identity/import-columns.ts';
import { toCsv } from '../../src/services/import/test-fixtures.ts';
import { BACKENDS } from '../helpers/db.ts';
import { multipart } from '../helpers/multipart.ts';
import { sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';


/** One sector-export row with the columns we care about filled in. */
function csdlRow(v: { code: string; name: string; dob: string; gender: string; ethnicity: string; birthPlace: string; pid: string }): string[] {
  const row: string[] = CSDL_NGANH_HEADERS.map(() => '');
  const set = (h: (typeof CSDL_NGANH_HEADERS)[number], x: string) => (row[CSDL_NGANH_HEADERS.indexOf(h)] = x);
  set('STT', '1');
  set('Mã định danh Bộ GD&ĐT', v.code);
  set('Họ tên', v.name);
  set('Ngày sinh', v.dob);
  set('Giới tính', v.gender);
  set('Dân tộc', v.ethnicity);
  set('Nơi sinh chi tiết', v.birthPlace);
  set('Số định danh cá nhân', v.pid);
  set('Lớp học', '10A1');
  return row;
}

for (const kind of BACKENDS) {
  describe(`reconciliation (${kind})`, () => {
    let t: TestApp;
    let homeroom: Client;
    let a: string;
    let b: string;
    let c: string;
    const view = async () => (await homeroom.request({ method: 'GET', url: `/api/classes/${t.school.classId}/reconciliation` })).json();
    const load = (source: string, rows: string[][]) =>
      homeroom.request({ method: 'POST', url: `/api/reference-extracts?source=${source}`, ...multipart(`${source}.csv`, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(toCsv(rows))])) });

    before(async () => {
      t = await startTestApp(kind);
      homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
      [a, b, c] = t.school.studentIds as [string, string, string];
      const base = { birthPlace: 'Xã Hậu Lộc, Thanh Hóa', ethnicityCode: '01', nationality: 'Việt Nam', address: 'Thôn 1, Xã Hậu Lộc' };
      await t.database.db.update(students).set({ ...base, studentCode: '3800000001', personalId: '038210000001', birthDate: '2010-03-01' }).where(eq(students.id, a));
      await t.database.db.update(students).set({ ...base, studentCode: '3800000002', personalId: '038310000002', birthDate: '2010-03-02' }).where(eq(students.id, b));
      await t.database.db.update(students).set({ ...base, studentCode: '3800000003', personalId: '038210000003', birthDate: '2010-03-03' }).where(eq(students.id, c));
    });
    after(() => t.close());

    test('before any extract is loaded every student shows "no extract"', async () => {
      const v = await view();
      assert.deepEqual(v.sources, []);
      assert.equal(v.students[0].matches.csdl_nganh.status, 'no_extract');
      assert.equal(v.students[0].reconciled, false);
    });

    test('both sources loaded: matches by ID, code, or name + birth date; disagreements per field', async () => {
      const csdl = await load('csdl_nganh', [
        [...CSDL_NGANH_HEADERS],
        csdlRow({ code: '3800000001', name: 'Nguyễn Văn An', dob: '01/03/2010', gender: 'Nam', ethnicity: 'Kinh', birthPlace: 'Xã Hậu Lộc, Thanh Hóa', pid: '038210000001' }),
        csdlRow({ code: '3800000002', name: 'Lê Thị Bình', dob: '02/03/2010', gender: 'Nữ', ethnicity: 'Kinh', birthPlace: 'Bệnh viện Đa khoa Hậu Lộc', pid: '' }),
        csdlRow({ code: '3899999999', name: 'Người Khác', dob: '09/09/2010', gender: 'Nam', ethnicity: 'Kinh', birthPlace: 'x', pid: '' }),
      ]);
      assert.equal(csdl.statusCode, 201, csdl.body);
      assert.equal(csdl.json().rows, 3);
      const vneid = await load('vneid', [
        ['Số định danh cá nhân', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc'],
        ['038210000001', 'Nguyễn Văn An', '01/03/2010', 'Nam', 'Kinh'],
        ['038310000002', 'Lê Thị Bình', '20/03/2010', 'Nữ', 'Kinh'],
      ]);
      assert.equal(vneid.statusCode, 201, vneid.body);
      const v = await view();
      const by = (id: string) => v.students.find((s: { studentId: string }) => s.studentId === id);
      assert.deepEqual(by(a).matches, { csdl_nganh: { status: 'matched', by: 'personalId' }, vneid: { status: 'matched', by: 'personalId' } });
      assert.deepEqual(by(a).differences, []);
      assert.equal(by(a).reconciled, true);
      assert.deepEqual(by(b).matches.csdl_nganh, { status: 'matched', by: 'studentCode' });
      assert.deepEqual(
        by(b).differences.map((d: { field: string; school: string; sources: object }) => [d.field, d.school, d.sources]),
        [
          ['birthDate', '2010-03-02', { csdl_nganh: '2010-03-02', vneid: '2010-03-20' }],
          ['birthPlace', 'Xã Hậu Lộc, Thanh Hóa', { csdl_nganh: 'Bệnh viện Đa khoa Hậu Lộc' }],
        ],
      );
      assert.deepEqual(by(c).matches, { csdl_nganh: { status: 'none', by: null }, vneid: { status: 'none', by: null } });
      assert.equal(by(c).reconciled, false);
    });

    test('each difference is resolved — from a source, the school, or a typed value with a reason — and audited', async () => {
      const url = `/api/students/${b}/reconcile`;
      assert.equal((await homeroom.request({ method: 'POST', url, payload: { field: 'birthDate', take: 'manual', value: '02/03/2010' } })).statusCode, 400, 'a typed value needs a reason');
      assert.equal((await homeroom.request({ method: 'POST', url, payload: { field: 'birthDate', take: 'school' } })).statusCode, 204, 'the birth certificate confirms the school');
      assert.equal((await homeroom.request({ method: 'POST', url, payload: { field: 'birthPlace', take: 'csdl_nganh' } })).statusCode, 204);
      assert.equal((await homeroom.request({ method: 'POST', url, payload: { field: 'gender', take: 'vneid' } })).statusCode, 404, 'no such difference');
      const teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      assert.equal((await teacher.request({ method: 'POST', url, payload: { field: 'birthPlace', take: 'school' } })).statusCode, 403);
      const v = await view();
      const s = v.students.find((x: { studentId: string }) => x.studentId === b);
      assert.ok(s.differences.filter((d: { field: string }) => d.field === 'birthDate')[0].resolution);
      assert.equal(s.differences.find((d: { field: string }) => d.field === 'birthPlace'), undefined, 'taking the source value removed the difference');
      assert.equal(s.reconciled, true);
      const [row] = await t.database.db.select({ p: students.birthPlace }).from(students).where(eq(students.id, b));
      assert.equal(row!.p, 'Bệnh viện Đa khoa Hậu Lộc');
      const audit = await t.database.query<{ after: { take: string } }>(`select after from audit_log where action = 'student.reconciled' and target_id = $1 order by id`, [b]);
      assert.deepEqual(audit.map((x) => x.after.take), ['school', 'csdl_nganh']);
    });

    test('the board counts reconciled students; a new extract that disagrees again reopens the difference', async () => {
      const principal = await sessionFor(t, t.school.users.principal.id, t.school.schoolId);
      const board = (await principal.request({ method: 'GET', url: '/api/data-quality' })).json();
      const c10a1 = board.classes.find((x: { className: string }) => x.className === '10A1');
      assert.equal(c10a1.reconciled, 2);
      assert.equal(c10a1.percentReconciled, 66.6);
      await load('vneid', [
        ['Số định danh cá nhân', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc'],
        ['038210000001', 'Nguyễn Văn An', '01/03/2010', 'Nam', 'Kinh'],
        ['038310000002', 'Lê Thị Bình', '21/03/2010', 'Nữ', 'Kinh'],
      ]);
      const s = (await view()).students.find((x: { studentId: string }) => x.studentId === b);
      assert.equal(s.differences.find((d: { field: string }) => d.field === 'birthDate').resolution, null);
      assert.equal(s.reconciled, false);
    });
  });
}
