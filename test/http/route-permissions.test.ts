/**
 * Walks every API route with every role (and with no session) and checks allow / deny
 * against the table below — written out by hand, independent of the policy code, so a
 * change to either shows up here. A new route fails this test until it is added.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../src/domain/policies/roles.ts';
import { BACKENDS } from '../helpers/db.ts';
import { sessionFor, client, startTestApp, type TestApp } from '../helpers/app.ts';
import { TEST_PASSWORD } from '../helpers/factories.ts';
import { createUser } from '../../src/services/users/create-user.ts';

const STAFF: Role[] = ['school_admin', 'principal', 'vice_principal', 'department_head', 'homeroom_teacher', 'subject_teacher', 'clerk'];
type Allowed = 'public' | 'anyone_signed_in' | Role[];

const EXPECTED: Record<string, Allowed> = {
  'POST /api/auth/login': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/health': 'public',
  'POST /api/public/verify': 'public',
  'GET /api/public/verify/:code': 'public',
  'GET /api/public/status/:school': 'public',
  'GET /api/guide/:page': 'public',
  'GET /api/guide/images/:file': 'public',
  'GET /api/me/help': 'anyone_signed_in',
  'PUT /api/me/help': 'anyone_signed_in',
  'POST /api/records/versions/:versionId/revoke': ['principal'],
  'POST /api/auth/logout': 'anyone_signed_in',
  'GET /api/session': 'anyone_signed_in',
  'POST /api/session/school': 'anyone_signed_in',
  'POST /api/auth/password': 'anyone_signed_in',
  'PUT /api/me/locale': 'anyone_signed_in',
  'POST /api/auth/totp/setup': 'anyone_signed_in',
  'POST /api/auth/totp/enable': 'anyone_signed_in',
  'POST /api/auth/totp/disable': 'anyone_signed_in',
  'GET /api/home': 'anyone_signed_in',
  'GET /api/province/board': ['province_officer'],
  'GET /api/province/board.xlsx': ['province_officer'],
  'GET /api/province/schools/:schoolId/board': ['province_officer'],
  'GET /api/province/schools': ['province_officer'],
  'GET /api/province/communes': ['province_officer'],
  'POST /api/province/schools': ['province_officer'],
  'POST /api/province/schools/:schoolId/admins': ['province_officer'],
  'POST /api/province/admins/:userId/disable': ['province_officer'],
  'GET /api/school/settings': ['school_admin', 'principal'],
  'GET /api/school/year': [...STAFF, 'student', 'parent'],
  'PUT /api/school/year': ['school_admin', 'principal'],
  'PUT /api/school/settings': ['school_admin', 'principal'],
  'GET /api/classes': STAFF,
  'GET /api/classes/:classId/students': STAFF, // scoped further below
  'GET /api/classes/:classId/subjects': STAFF,
  'PUT /api/classes/:classId/subjects/:subjectId': ['school_admin'],
  'DELETE /api/class-subjects/:id': ['school_admin'],
  'GET /api/staff': ['school_admin', 'principal', 'vice_principal', 'department_head', 'clerk'],
  'GET /api/audit': ['school_admin', 'principal', 'vice_principal'],
  'GET /api/audit/verify': ['school_admin', 'principal', 'vice_principal'],
  'POST /api/users': ['school_admin'],
  'POST /api/users/:userId/reset-password': ['school_admin'],
  'POST /api/users/:userId/disable': ['school_admin'],
  'GET /api/my/class-subjects': ['subject_teacher'],
  'GET /api/grade-sheets/:classSubjectId/:semester': STAFF, // scoped further below
  'PUT /api/grade-sheets/:sheetId/cells': ['subject_teacher'],
  'POST /api/grade-sheets/:sheetId/submit': ['subject_teacher'],
  'GET /api/grade-sheets/:sheetId/history': STAFF,
  'GET /api/grade-sheets/:sheetId/export.xlsx': STAFF,
  'POST /api/grade-sheets/:sheetId/import': ['subject_teacher'],
  'POST /api/grade-sheets/:sheetId/change-requests': ['subject_teacher'],
  'GET /api/change-requests': STAFF,
  'POST /api/change-requests/:id/decision': ['principal'],
  'POST /api/uploads': STAFF,
  'GET /api/files/:id': STAFF,
  'GET /api/classes/:classId/homeroom': STAFF,
  'PUT /api/classes/:classId/homeroom/students/:studentId': ['homeroom_teacher'],
  'GET /api/classes/:classId/attendance': STAFF,
  'PUT /api/classes/:classId/attendance': ['homeroom_teacher'],
  'GET /api/classes/:classId/exemptions': STAFF,
  'POST /api/exemptions': ['principal', 'vice_principal'],
  'DELETE /api/exemptions/:id': ['principal', 'vice_principal'],
  'GET /api/cross-checks': STAFF,
  'POST /api/cross-checks/assign': ['principal', 'vice_principal'],
  'POST /api/cross-checks/:id/review': ['department_head'],
  'POST /api/cross-checks/:id/answer': ['subject_teacher'],
  'GET /api/subjects': [...STAFF, 'student', 'parent'],
  'PUT /api/subjects/:id': ['school_admin'],
  'GET /api/students/:id': [...STAFF, 'student', 'parent'], // scoped: see grade-book / students tests
  'PUT /api/students/:id': ['school_admin', 'homeroom_teacher'],
  'POST /api/students': ['school_admin', 'principal', 'vice_principal'],
  'POST /api/students/:id/move': ['school_admin', 'principal', 'vice_principal'],
  'POST /api/students/:id/leave': ['school_admin', 'principal', 'vice_principal'],
  'POST /api/classes/:classId/student-imports': ['school_admin', 'homeroom_teacher'],
  'GET /api/student-imports/:id': ['school_admin', 'homeroom_teacher'],
  'PUT /api/student-imports/:id/mapping': ['school_admin', 'homeroom_teacher'],
  'POST /api/student-imports/:id/commit': ['school_admin', 'homeroom_teacher'],
  'GET /api/student-imports/:id/errors.xlsx': ['school_admin', 'homeroom_teacher'],
  'POST /api/reference-extracts': ['school_admin', 'homeroom_teacher'],
  'GET /api/classes/:classId/reconciliation': STAFF,
  'POST /api/students/:id/reconcile': ['school_admin', 'homeroom_teacher'],
  'POST /api/classes/:classId/freeze': ['homeroom_teacher'],
  'GET /api/students/:id/records': [...STAFF, 'student', 'parent'],
  'GET /api/record-versions/:id/xml': [...STAFF, 'student', 'parent'],
  'GET /api/record-versions/:id/pdf': [...STAFF, 'student', 'parent'],
  'GET /api/record-versions/:id/preview': [...STAFF, 'student', 'parent'],
  'GET /api/records/classes': STAFF,
  'GET /api/classes/:classId/records': STAFF, // scoped: see records-export.test.ts
  'POST /api/record-exports': STAFF, // scoped: the GVCN's own class, leadership any (records-export.test.ts)
  'GET /api/record-exports': STAFF,
  'GET /api/record-exports/:id': STAFF, // the requester or the principal; others 404
  'GET /api/record-exports/:id/download': STAFF,
  'GET /api/sync': ['school_admin', 'principal'],
  'PUT /api/sync/settings/:target': ['school_admin'],
  'POST /api/sync/runs': ['school_admin'],
  'GET /api/practice': STAFF,
  'POST /api/practice': ['school_admin', 'principal'],
  'GET /api/sync/runs/:runId': ['school_admin', 'principal'],
  'POST /api/sync/runs/:runId/retry': ['school_admin'],
  'POST /api/sync/resubmit': ['school_admin'],
  'GET /api/sync/items': ['school_admin', 'principal'],
  'GET /api/jobs': ['school_admin', 'principal'],
  'GET /api/data-quality': STAFF,
  'GET /api/data-quality.xlsx': STAFF,
  'GET /api/school/student-fields': [...STAFF, 'student', 'parent'],
  'PUT /api/school/student-fields': ['school_admin', 'principal'],
  'GET /api/me/signature-image': ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'],
  'POST /api/signing/batches': ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'clerk'],
  'GET /api/signing/batches': ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'clerk'],
  'GET /api/signing/batches/:batchId': ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'clerk'],
  'POST /api/signing/batches/:batchId/complete': ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'clerk'],
  'POST /api/signing/batches/:batchId/sign-with-server-key': ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'clerk'],
  'POST /api/signing/batches/:batchId/sign-remote': ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'clerk'],
  'GET /api/signing/to-sign': ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'clerk'],
  'GET /api/signing/versions/:versionId/signatures': STAFF,
  'GET /api/signing/versions/:versionId/signed.xml': STAFF,
  'GET /api/signing/versions/:versionId/sealed.pdf': STAFF,
  'POST /api/signing/versions/:versionId/return': ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'clerk'],
  'GET /api/corrections/returns': STAFF,
  'GET /api/corrections': STAFF,
  'POST /api/corrections': ['subject_teacher', 'homeroom_teacher'],
  'POST /api/corrections/:id/decision': ['principal'],
  'GET /api/corrections/versions/:versionId': STAFF,
  'GET /api/delegations': ['principal', 'vice_principal'],
  'POST /api/delegations': ['principal'],
  'POST /api/delegations/:id/revoke': ['principal'],
  'PUT /api/me/signature-image': ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'],
  'DELETE /api/me/signature-image': ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'],
  'GET /api/school/seal-image': ['school_admin', 'clerk'],
  'PUT /api/school/seal-image': ['school_admin', 'clerk'],
  'DELETE /api/school/seal-image': ['school_admin', 'clerk'],
  'GET /api/me/certificate': ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'],
  'POST /api/me/certificate': ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'],
  'POST /api/me/certificate/agent': ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'],
  'POST /api/me/certificate/csc': ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'],
  'GET /api/school/seal-certificate': ['school_admin', 'clerk'],
  'POST /api/school/seal-certificate': ['school_admin', 'clerk'],
  'POST /api/school/seal-certificate/pkcs12': ['school_admin', 'clerk'],
  'GET /api/certificates/board': ['school_admin', 'principal', 'vice_principal'],
  'POST /api/transfers/out': ['principal', 'clerk'],
  'GET /api/transfers/out': ['principal', 'clerk'],
  'GET /api/transfers/out/:id/package': ['principal', 'clerk'],
  'POST /api/transfers/out/acknowledgment': ['principal', 'clerk'],
  'POST /api/transfers/in': ['school_admin', 'principal', 'clerk'],
  'GET /api/transfers/in': ['school_admin', 'principal', 'clerk'],
  'GET /api/transfers/in/:id/acknowledgment': ['school_admin', 'principal', 'clerk'],
  'GET /api/students/:studentId/external-records': ['school_admin', 'principal', 'vice_principal', 'department_head', 'clerk'],
  'GET /api/external-records/:id/:kind': ['school_admin', 'principal', 'vice_principal', 'department_head', 'clerk'],
  'GET /api/admin/schools': ['system_admin'],
  'GET /api/plan': STAFF,
  'PUT /api/plan': ['principal'],
  'GET /api/my-work': STAFF,
  'GET /api/plan/board': ['school_admin', 'principal', 'vice_principal'],
  'GET /api/plan/board.xlsx': ['school_admin', 'principal', 'vice_principal'],
  'GET /api/plan/board.pdf': ['school_admin', 'principal', 'vice_principal'],
  'GET /api/plan/settings': ['school_admin', 'principal'],
  'PUT /api/plan/settings': ['school_admin', 'principal'],
  'GET /api/notifications': STAFF,
  'POST /api/notifications/:id/read': STAFF,
  'GET /api/my/records': ['student', 'parent'],
  'GET /api/my/record-versions/:versionId/:format': ['student', 'parent'],
  'GET /api/record-versions/:versionId/share-links': [...STAFF, 'student', 'parent'], // scoped in the service
  'POST /api/record-versions/:versionId/share-links': [...STAFF, 'student', 'parent'], // scoped in the service
  'POST /api/share-links/:id/revoke': [...STAFF, 'student', 'parent'], // scoped in the service
  'GET /api/share/:token': 'public',
  'GET /api/share/:token/:format': 'public',
  'GET /api/record-versions/:versionId/print.pdf': ['school_admin', 'principal', 'vice_principal', 'homeroom_teacher', 'clerk'],
  'GET /api/issued-copies': ['school_admin', 'principal', 'vice_principal'],
  'GET /api/issued-copies/export': ['school_admin', 'principal', 'vice_principal'],
  'GET /api/classes/:classId/family-accounts': ['school_admin', 'homeroom_teacher'],
  'POST /api/classes/:classId/family-accounts': ['school_admin', 'homeroom_teacher'],
  'POST /api/family-accounts/link-parent': ['school_admin', 'homeroom_teacher'],
  'POST /api/admin/schools': ['system_admin'],
  'GET /api/backup/status': ['system_admin', 'school_admin'],
};

const ALL_ROLES: Role[] = ['system_admin', 'province_officer', ...STAFF, 'student', 'parent'];

for (const kind of BACKENDS) {
  describe(`route × role permissions (${kind})`, () => {
    let t: TestApp;
    let spareUserId: string; // target of the account-management routes
    let provinceOfficerId: string; // cán bộ Sở of Thanh Hóa (38), the test schools' province
    before(async () => {
      t = await startTestApp(kind);
      ({ id: spareUserId } = await createUser({ db: t.database.db, actor: { userId: null, label: 'test' }, username: 'spare-clerk', displayName: 'Dự phòng', password: TEST_PASSWORD, roles: ['clerk'], schoolId: t.school.schoolId }));
      ({ id: provinceOfficerId } = await createUser({ db: t.database.db, actor: { userId: null, label: 'test' }, username: 'so.thanhhoa', displayName: 'Cán bộ Sở', password: TEST_PASSWORD, roles: ['province_officer'], schoolId: null, provinceCode: '38' }));
    });
    after(() => t.close());

    const NO_SUCH = '00000000-0000-4000-8000-000000000000';
    const url = (pattern: string) =>
      pattern.replace(/:(\w+)/g, (_, name: string) =>
        ({ schoolId: t.school.schoolId, classId: t.school.classId, userId: spareUserId, classSubjectId: t.school.classSubjectId, semester: '1', studentId: t.school.studentIds[0]!, sheetId: NO_SUCH, subjectId: NO_SUCH, id: pattern.startsWith('/api/students/') ? t.school.studentIds[0]! : NO_SUCH })[name] ?? `:${name}`,
      );

    test('every API route is in the expected table, and every table entry is a route', () => {
      const actual = t.app.apiRoutes.map((r) => `${r.method} ${r.url}`).sort();
      assert.deepEqual(actual, Object.keys(EXPECTED).sort());
    });

    test('every API route is documented in the OpenAPI output', async () => {
      const doc = (await client(t.app).request({ method: 'GET', url: '/api/openapi.json' })).json();
      for (const key of Object.keys(EXPECTED)) {
        const [method, pattern] = key.split(' ') as [string, string];
        if (pattern === '/api/openapi.json' || pattern === '/api/health') continue;
        const path = pattern.replace(/:(\w+)/g, '{$1}');
        assert.ok(doc.paths[path]?.[method.toLowerCase()], `${key} missing from /api/openapi.json`);
      }
    });

    test('no session: only public routes answer other than 401', async () => {
      const anon = client(t.app);
      for (const [key, allowed] of Object.entries(EXPECTED)) {
        const [method, pattern] = key.split(' ') as [string, string];
        if (key === 'POST /api/auth/login') continue; // exercised in auth.test.ts
        const res = await anon.request({ method: method as 'GET', url: url(pattern), payload: method === 'GET' ? undefined : {} });
        if (allowed === 'public') assert.notEqual(res.statusCode, 401, key);
        else {
          assert.equal(res.statusCode, 401, `${key} without a session`);
          assert.equal(res.json().error.code, 'auth.required');
        }
      }
    });

    for (const role of ALL_ROLES) {
      test(`role ${role}: allowed routes pass authorisation, the others answer 403`, async () => {
        for (const [key, allowed] of Object.entries(EXPECTED)) {
          if (allowed === 'public') continue;
          const [method, pattern] = key.split(' ') as [string, string];
          // A fresh session per route: some routes (sign-out, password) end it.
          const schoolless = role === 'system_admin' || role === 'province_officer';
          const user = role === 'system_admin' ? t.systemAdmin : role === 'province_officer' ? { id: provinceOfficerId } : t.school.users[role];
          const c = await sessionFor(t, user.id, schoolless ? null : t.school.schoolId);
          const res = await c.request({ method: method as 'GET', url: url(pattern) + (pattern.endsWith('/attendance') && method === 'GET' ? '?date=2025-10-01' : ''), payload: ['GET', 'DELETE'].includes(method) ? undefined : {} });
          const ok = allowed === 'anyone_signed_in' || allowed.includes(role);
          if (ok) {
            assert.ok(![401, 403].includes(res.statusCode), `${role} ${key} should pass, got ${res.statusCode} ${res.body}`);
          } else {
            assert.equal(res.statusCode, 403, `${role} ${key} should be forbidden, got ${res.statusCode} ${res.body}`);
            assert.equal(res.json().error.code, 'forbidden');
          }
        }
      });
    }

    test('scope: teachers see their own class, not another one; the principal sees both', async () => {
      const cases: Array<[Role, string, number]> = [
        ['homeroom_teacher', t.school.classId, 200],
        ['homeroom_teacher', t.school.otherClassId, 403],
        ['subject_teacher', t.school.classId, 200],
        ['subject_teacher', t.school.otherClassId, 403],
        ['principal', t.school.otherClassId, 200],
        ['principal', t.other.classId, 404], // another school's class does not exist here
      ];
      for (const [role, classId, status] of cases) {
        const c = await sessionFor(t, t.school.users[role].id, t.school.schoolId);
        const res = await c.request({ method: 'GET', url: `/api/classes/${classId}/students` });
        assert.equal(res.statusCode, status, `${role} → ${classId === t.school.classId ? '10A1' : 'other'}: ${res.body}`);
      }
      const teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      const list = (await teacher.request({ method: 'GET', url: '/api/classes' })).json();
      assert.deepEqual(list.classes.map((c: { name: string }) => c.name), ['10A1']);
    });

    test('a school administrator cannot act on accounts of another school', async () => {
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      const res = await admin.request({ method: 'POST', url: `/api/users/${t.other.users.clerk.id}/reset-password`, payload: {} });
      assert.equal(res.statusCode, 404);
      const sys = await admin.request({ method: 'POST', url: `/api/users/${t.systemAdmin.id}/disable`, payload: { disabled: true } });
      assert.equal(sys.statusCode, 404);
    });

    test('switching to a school where one holds no role is refused', async () => {
      const c = await sessionFor(t, t.school.users.principal.id, t.school.schoolId);
      const res = await c.request({ method: 'POST', url: '/api/session/school', payload: { schoolId: t.other.schoolId } });
      assert.equal(res.statusCode, 403);
    });
  });
}
