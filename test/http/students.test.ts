import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_MANDATORY_FIELDS } from '../../src/domain/identity/student-record.ts';
import { BACKENDS } from '../helpers/db.ts';
import { sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';

for (const kind of BACKENDS) {
  describe(`student identity data and the data-quality board (${kind})`, () => {
    let t: TestApp;
    let homeroom: Client;
    before(async () => {
      t = await startTestApp(kind);
      homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
    });
    after(() => t.close());

    test('a new school requires the default identity fields (the list is data)', async () => {
      const res = (await homeroom.request({ method: 'GET', url: '/api/school/student-fields' })).json();
      assert.deepEqual(res.mandatory, [...DEFAULT_MANDATORY_FIELDS]);
    });

    test('who may read a profile: the class’s teachers, leadership, the student and their parent — nobody else', async () => {
      const [a] = t.school.studentIds;
      const d = t.school.studentIds[3]; // in 10A2
      const cases: Array<[keyof typeof t.school.users, string, number]> = [
        ['homeroom_teacher', a!, 200],
        ['homeroom_teacher', d!, 403],
        ['subject_teacher', a!, 200],
        ['parent', a!, 200],
        ['parent', d!, 403],
        ['student', d!, 403],
        ['principal', d!, 200],
      ];
      for (const [role, id, status] of cases) {
        const c = await sessionFor(t, t.school.users[role].id, t.school.schoolId);
        assert.equal((await c.request({ method: 'GET', url: `/api/students/${id}` })).statusCode, status, `${role}`);
      }
      assert.equal((await homeroom.request({ method: 'GET', url: `/api/students/${t.other.studentIds[0]}` })).statusCode, 404, 'another school’s student does not exist here');
    });

    test('the homeroom teacher fixes values as people write them; they are normalised, checked and audited', async () => {
      const id = t.school.studentIds[0]!;
      const res = await homeroom.request({
        method: 'PUT',
        url: `/api/students/${id}`,
        payload: {
          values: { fullName: 'nguyễn   văn  an', birthDate: '05/03/2010', ethnicityCode: 'Mường', birthPlace: 'Xã Hậu Lộc, Thanh Hóa', nationality: 'Việt Nam', address: 'Thôn 3, Xã Hậu Lộc', fatherName: 'NGUYỄN VĂN BÌNH', personalId: '038 210 123 456' },
          reason: 'Đối chiếu giấy khai sinh',
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      const p = res.json();
      assert.equal(p.fields.fullName, 'Nguyễn Văn An');
      assert.equal(p.fields.birthDate, '2010-03-05');
      assert.equal(p.fields.ethnicityCode, '06');
      assert.equal(p.fields.fatherName, 'Nguyễn Văn Bình');
      assert.equal(p.fields.personalId, '038210123456');
      assert.deepEqual(p.problems.filter((x: { severity: string }) => x.severity === 'blocking').map((x: { field: string }) => x.field), ['studentCode'], 'the factory’s student code is not 10 digits');
      const audit = await t.database.query<{ before: Record<string, string>; after: Record<string, string> }>(`select before, after from audit_log where action = 'student.updated' and target_id = $1`, [id]);
      assert.equal(audit.length, 1);
      assert.equal('fullName' in audit[0]!.before, false, 'the name was already clean: not a change');
      assert.equal(audit[0]!.before.fatherName, null);
      assert.equal(audit[0]!.after.fatherName, 'Nguyễn Văn Bình');
      assert.equal(audit[0]!.after.reason, 'Đối chiếu giấy khai sinh');
    });

    test('bad values are refused whole, naming each field; nothing changes', async () => {
      const id = t.school.studentIds[1]!;
      const res = await homeroom.request({ method: 'PUT', url: `/api/students/${id}`, payload: { values: { birthDate: '31/02/2010', ethnicityCode: 'Martian', gender: 'x', shoeSize: '40', birthPlace: 'Hà Nội' } } });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json().error.details.map((d: { path: string }) => d.path).sort(), ['birthDate', 'ethnicityCode', 'gender', 'shoeSize']);
      const p = (await homeroom.request({ method: 'GET', url: `/api/students/${id}` })).json();
      assert.equal(p.fields.birthPlace, null);
    });

    test('a personal ID already used by another student is a clear conflict', async () => {
      const res = await homeroom.request({ method: 'PUT', url: `/api/students/${t.school.studentIds[1]}`, payload: { values: { personalId: '038210123456' } } });
      assert.equal(res.statusCode, 409);
    });

    test('only the class’s homeroom teacher or the IT officer edits', async () => {
      const teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      assert.equal((await teacher.request({ method: 'PUT', url: `/api/students/${t.school.studentIds[0]}`, payload: { values: { phone: '0912345678' } } })).statusCode, 403);
      assert.equal((await homeroom.request({ method: 'PUT', url: `/api/students/${t.school.studentIds[3]}`, payload: { values: { phone: '0912345678' } } })).statusCode, 403, 'not their class');
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      assert.equal((await admin.request({ method: 'PUT', url: `/api/students/${t.school.studentIds[3]}`, payload: { values: { phone: '0912345678' } } })).statusCode, 200);
    });

    test('the board counts clean students per class and lists each problem with who is responsible', async () => {
      const principal = await sessionFor(t, t.school.users.principal.id, t.school.schoolId);
      const before = (await principal.request({ method: 'GET', url: '/api/data-quality' })).json();
      assert.equal(before.totals.students, 4);
      assert.equal(before.totals.clean, 0);
      const c10a1 = before.classes.find((c: { className: string }) => c.className === '10A1');
      assert.equal(c10a1.homeroomTeacher, 'Giáo viên chủ nhiệm');
      assert.ok(before.problems.every((p: { responsible: string | null; className: string }) => p.className !== '10A1' || p.responsible === 'Giáo viên chủ nhiệm'));

      await homeroom.request({ method: 'PUT', url: `/api/students/${t.school.studentIds[0]}`, payload: { values: { studentCode: '3812345678' } } });
      const after = (await principal.request({ method: 'GET', url: '/api/data-quality' })).json();
      assert.equal(after.totals.clean, 1);
      assert.equal(after.classes.find((c: { className: string }) => c.className === '10A1').percentClean, 33.3);

      const mine = (await homeroom.request({ method: 'GET', url: '/api/data-quality' })).json();
      assert.deepEqual(mine.classes.map((c: { className: string }) => c.className), ['10A1'], 'a homeroom teacher sees their class');
      const xlsx = await principal.request({ method: 'GET', url: '/api/data-quality.xlsx' });
      assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    });

    test('with the official commune list loaded, a current address with an unknown commune is flagged', async () => {
      const { loadAdminUnits } = await import('../../src/services/reference/admin-units.ts');
      await loadAdminUnits({ db: t.database.db, actor: { userId: null, label: 'test' }, fileName: 'xa.csv', content: Buffer.from('Tên tỉnh,Tên xã\nThanh Hóa,Xã Hậu Lộc\n') });
      const id = t.school.studentIds[0]!;
      await homeroom.request({ method: 'PUT', url: `/api/students/${id}`, payload: { values: { address: 'Thôn 3, Xã Hậu Lọc, Tỉnh Thanh Hóa' } } });
      let p = (await homeroom.request({ method: 'GET', url: `/api/students/${id}` })).json();
      assert.ok(p.problems.some((x: { code: string }) => x.code === 'record.unknown_commune'));
      await homeroom.request({ method: 'PUT', url: `/api/students/${id}`, payload: { values: { address: 'Thôn 3, Xã Hậu Lộc, Tỉnh Thanh Hóa' } } });
      p = (await homeroom.request({ method: 'GET', url: `/api/students/${id}` })).json();
      assert.equal(p.problems.some((x: { code: string }) => x.code.startsWith('record.unknown_commune')), false);
    });

    test('the school chooses its mandatory fields; unknown names are refused', async () => {
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      assert.equal((await admin.request({ method: 'PUT', url: '/api/school/student-fields', payload: { mandatory: ['hometown', 'nope'] } })).statusCode, 400);
      const ok = await admin.request({ method: 'PUT', url: '/api/school/student-fields', payload: { mandatory: ['personalId', 'hometown'] } });
      assert.deepEqual(ok.json().mandatory, ['fullName', 'gender', 'birthDate', 'personalId', 'hometown']);
      const p = (await homeroom.request({ method: 'GET', url: `/api/students/${t.school.studentIds[0]}` })).json();
      assert.deepEqual(p.problems.filter((x: { severity: string }) => x.severity === 'blocking').map((x: { field: string }) => x.field), ['hometown']);
    });
  });
}

for (const kind of BACKENDS) {
  describe(`student lifecycle (${kind})`, () => {
    let t: TestApp;
    let admin: Client;
    before(async () => {
      t = await startTestApp(kind);
      admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
    });
    after(() => t.close());

    test('enrol a transferred-in student, move them to another class, then transfer them out — dated, audited, history kept', async () => {
      const enrol = await admin.request({
        method: 'POST',
        url: '/api/students',
        payload: { classId: t.school.classId, on: '15/10/2025', joinedAs: 'transfer_in', note: 'Từ Trường THPT Hậu Lộc II', values: { fullName: 'hoàng thị  mai', gender: 'Nữ', birthDate: '02/02/2010', studentCode: '3800000099' } },
      });
      assert.equal(enrol.statusCode, 201, enrol.body);
      const id = enrol.json().id;
      assert.equal(enrol.json().fields.fullName, 'Hoàng Thị Mai');
      assert.equal(enrol.json().className, '10A1');

      const sameClass = await admin.request({ method: 'POST', url: `/api/students/${id}/move`, payload: { toClassId: t.school.classId, on: '01/11/2025', reason: 'Thử' } });
      assert.equal(sameClass.statusCode, 400);
      const moved = await admin.request({ method: 'POST', url: `/api/students/${id}/move`, payload: { toClassId: t.school.otherClassId, on: '01/11/2025', reason: 'Theo nguyện vọng tổ hợp môn' } });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().className, '10A2');
      const roster = (await admin.request({ method: 'GET', url: `/api/classes/${t.school.classId}/students` })).json().students.map((s: { id: string }) => s.id);
      assert.equal(roster.includes(id), false, 'no longer in 10A1');

      const graduate = await admin.request({ method: 'POST', url: `/api/students/${id}/leave`, payload: { kind: 'graduated', on: '01/12/2025', reason: 'x'.repeat(5) } });
      assert.equal(graduate.statusCode, 400, 'a grade-10 student does not graduate');
      const out = await admin.request({ method: 'POST', url: `/api/students/${id}/leave`, payload: { kind: 'transferred_out', on: '01/12/2025', reason: 'Chuyển đến Trường THPT Chuyên Lam Sơn' } });
      assert.equal(out.statusCode, 200, out.body);
      assert.equal(out.json().className, null);
      assert.deepEqual(
        out.json().history.map((h: { className: string; status: string; enrolledOn: string; leftOn: string | null }) => [h.className, h.status, h.enrolledOn, h.leftOn]),
        [['10A1', 'moved', '2025-10-15', '2025-11-01'], ['10A2', 'transferred_out', '2025-11-01', '2025-12-01']],
      );
      const again = await admin.request({ method: 'POST', url: `/api/students/${id}/leave`, payload: { kind: 'dropped_out', on: '02/12/2025', reason: 'Thử lại' } });
      assert.equal(again.statusCode, 404, 'no active enrolment left');
      const actions = (await t.database.query<{ action: string }>(`select action from audit_log where target_id = $1 order by id`, [id])).map((r) => r.action);
      assert.deepEqual(actions, ['student.transferred_in', 'student.moved', 'student.transferred_out']);
      const n = await t.database.query<{ n: number }>('select count(*)::int as n from students where id = $1', [id]);
      assert.equal(n[0]!.n, 1, 'never deleted');
    });

    test('enrolling needs name, gender and birth date, a date inside the school year, and a free student code', async () => {
      const missing = await admin.request({ method: 'POST', url: '/api/students', payload: { classId: t.school.classId, on: '15/10/2025', joinedAs: 'new', values: { fullName: 'A' } } });
      assert.equal(missing.statusCode, 400);
      const outside = await admin.request({ method: 'POST', url: '/api/students', payload: { classId: t.school.classId, on: '15/10/2024', joinedAs: 'new', values: { fullName: 'Lê Văn Tám', gender: 'Nam', birthDate: '01/01/2010' } } });
      assert.equal(outside.statusCode, 400);
      const dup = await admin.request({ method: 'POST', url: '/api/students', payload: { classId: t.school.classId, on: '15/10/2025', joinedAs: 'new', values: { fullName: 'Lê Văn Tám', gender: 'Nam', birthDate: '01/01/2010', studentCode: '3800000099' } } });
      assert.equal(dup.statusCode, 409);
      const teacher = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
      assert.equal((await teacher.request({ method: 'POST', url: '/api/students', payload: { classId: t.school.classId, on: '15/10/2025', joinedAs: 'new', values: {} } })).statusCode, 403);
    });
  });
}
