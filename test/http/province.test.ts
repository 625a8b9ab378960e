/**
 * Province administration: the province officer (cán bộ Sở GD&ĐT) creates schools of their
 * province and their first administrators, sees the province board (aggregates only), can
 * disable a school administrator — and cannot act in another province's school nor read a
 * student's personal data through any route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import readXlsxFile from 'read-excel-file/node';
import { and, eq, sql } from 'drizzle-orm';
import { inSystem } from '../../src/db/scope.ts';
import { adminUnits, auditLog, recordVersions, roleGrants, schoolYears, schools, signingCertificates, students, syncItems, syncRuns } from '../../src/db/schema.ts';
import { initSchool } from '../../src/services/schools/init-school.ts';
import { createUser } from '../../src/services/users/create-user.ts';
import { BACKENDS } from '../helpers/db.ts';
import { loginAs, sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';
import { TEST_PASSWORD } from '../helpers/factories.ts';

const SYSTEM = { userId: null, label: 'test' };

for (const kind of BACKENDS) {
  describe(`province administration (${kind})`, () => {
    let t: TestApp;
    let officer: Client;
    let officerId: string;
    let ngheAnSchoolId: string;
    let ngheAnAdminId: string;

    before(async () => {
      t = await startTestApp(kind);
      const db = t.database.db;
      ({ id: officerId } = await createUser({ db, actor: SYSTEM, username: 'so.thanhhoa', displayName: 'Lê Văn Sở', password: TEST_PASSWORD, roles: ['province_officer'], schoolId: null, provinceCode: '38' }));
      ({ schoolId: ngheAnSchoolId } = await initSchool({ db, actor: SYSTEM, code: 'NA-001', name: 'Trường THPT Vinh', province: 'Nghệ An', schoolYear: { name: '2025-2026', startsOn: '2025-09-05', endsOn: '2026-05-31' } }));
      ({ id: ngheAnAdminId } = await createUser({ db, actor: SYSTEM, username: 'qt.vinh', displayName: 'Quản trị Vinh', password: TEST_PASSWORD, roles: ['school_admin'], schoolId: ngheAnSchoolId }));
      officer = await sessionFor(t, officerId, null);
    });
    after(() => t.close());

    test('the role needs a province and no school; the database refuses anything else', async () => {
      const db = t.database.db;
      const base = { db, actor: SYSTEM, displayName: 'X', password: TEST_PASSWORD, roles: ['province_officer' as const] };
      await assert.rejects(createUser({ ...base, username: 'so.none', schoolId: null }), (e: Error & { details?: Array<{ path: string }> }) => e.details?.[0]?.path === 'province');
      await assert.rejects(createUser({ ...base, username: 'so.school', schoolId: t.school.schoolId, provinceCode: '38' }), (e: Error & { details?: Array<{ path: string }> }) => e.details?.[0]?.path === 'roles');
      await assert.rejects(createUser({ db, actor: SYSTEM, username: 'gv.prov', displayName: 'X', password: TEST_PASSWORD, roles: ['clerk'], schoolId: t.school.schoolId, provinceCode: '38' }), /province/);
      // The CHECK constraints, below the service: a province_officer grant without a province, a clerk grant with one.
      await assert.rejects(inSystem(db, (tx) => tx.insert(roleGrants).values({ userId: officerId, schoolId: null, role: 'province_officer', provinceCode: null, studentId: '00000000-0000-4000-8000-000000000001' })));
      await assert.rejects(inSystem(db, (tx) => tx.insert(roleGrants).values({ userId: officerId, schoolId: t.school.schoolId, role: 'clerk', provinceCode: '38' })));
    });

    test('the officer creates a school of the province with fields checked by name, and its administrator with a one-time password', async () => {
      const db = t.database.db;
      await inSystem(db, (tx) =>
        tx.insert(adminUnits).values([
          { provinceCode: '38', provinceName: 'Thanh Hóa', communeName: 'Xã Hậu Lộc' },
          { provinceCode: '38', provinceName: 'Thanh Hóa', communeName: 'Phường Hạc Thành' },
          { provinceCode: '40', provinceName: 'Nghệ An', communeName: 'Phường Vinh Phú' },
        ]),
      );
      const communes = (await officer.request({ method: 'GET', url: '/api/province/communes' })).json();
      assert.deepEqual(communes.communes, ['Phường Hạc Thành', 'Xã Hậu Lộc']);

      const year = { name: '2025-2026', startsOn: '2025-09-05', endsOn: '2026-05-31' };
      const bad = await officer.request({ method: 'POST', url: '/api/province/schools', payload: { code: 'bad code!', name: 'Trường THPT Hậu Lộc 4', commune: 'Phường Vinh Phú', schoolYear: year } });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.deepEqual(bad.json().error.details.map((d: { path: string }) => d.path).sort(), ['code', 'commune']);

      const ok = await officer.request({ method: 'POST', url: '/api/province/schools', payload: { code: 'th-hl4', name: 'Trường THPT  Hậu Lộc 4', commune: 'Xã Hậu Lộc', schoolYear: year } });
      assert.equal(ok.statusCode, 201, ok.body);
      const { schoolId } = ok.json();
      const [s] = await db.select().from(schools).where(eq(schools.id, schoolId));
      assert.equal(s!.code, 'TH-HL4');
      assert.equal(s!.name, 'Trường THPT Hậu Lộc 4');
      assert.equal(s!.province, 'Thanh Hóa');
      assert.equal(s!.commune, 'Xã Hậu Lộc');

      const adm = await officer.request({ method: 'POST', url: `/api/province/schools/${schoolId}/admins`, payload: { username: 'qt.hl4', displayName: 'Nguyễn Quản Trị' } });
      assert.equal(adm.statusCode, 201, adm.body);
      const { temporaryPassword, userId } = adm.json();
      assert.match(temporaryPassword, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      // The one-time password signs in, but nothing else works until it is changed.
      const { c, res } = await loginAs(t.app, 'qt.hl4', temporaryPassword);
      assert.equal(res.statusCode, 200, res.body);
      const blocked = await c.request({ method: 'GET', url: '/api/staff' });
      assert.equal(blocked.json().error.code, 'auth.password_change_required');
      const grants = await db.select().from(roleGrants).where(eq(roleGrants.userId, userId));
      assert.deepEqual(grants.map((g) => [g.role, g.schoolId]), [['school_admin', schoolId]]);

      const audit = await db.select({ action: auditLog.action, actor: auditLog.actorLabel, schoolId: auditLog.schoolId }).from(auditLog).where(eq(auditLog.schoolId, schoolId));
      assert.ok(audit.some((a) => a.action === 'school.created' && a.actor === 'Lê Văn Sở (so.thanhhoa)'), JSON.stringify(audit));
      assert.ok(audit.some((a) => a.action === 'user.created' && a.actor === 'Lê Văn Sở (so.thanhhoa)'));

      const list = (await officer.request({ method: 'GET', url: '/api/province/schools' })).json();
      assert.equal(list.province.name, 'Thanh Hóa');
      assert.deepEqual(list.schools.map((x: { code: string }) => x.code).sort(), ['OTH', 'SCH', 'TH-HL4']);
      assert.deepEqual(list.schools.find((x: { code: string }) => x.code === 'TH-HL4').admins.map((a: { username: string; mustChangePassword: boolean }) => [a.username, a.mustChangePassword]), [['qt.hl4', true]]);
    });

    test('the officer cannot act in a school of another province, nor disable anyone but a school administrator of theirs', async () => {
      const admins = await officer.request({ method: 'POST', url: `/api/province/schools/${ngheAnSchoolId}/admins`, payload: { username: 'qt.intruder', displayName: 'Kẻ lạ' } });
      assert.equal(admins.statusCode, 403, admins.body);
      const [intruder] = await t.database.db.select().from(roleGrants).innerJoin(schools, eq(schools.id, roleGrants.schoolId)).where(eq(schools.id, ngheAnSchoolId));
      assert.ok(intruder); // only qt.vinh
      const board = await officer.request({ method: 'GET', url: `/api/province/schools/${ngheAnSchoolId}/board` });
      assert.equal(board.statusCode, 403);
      const disable = await officer.request({ method: 'POST', url: `/api/province/admins/${ngheAnAdminId}/disable`, payload: { disabled: true } });
      assert.equal(disable.statusCode, 403);
      const teacher = await officer.request({ method: 'POST', url: `/api/province/admins/${t.school.users.principal.id}/disable`, payload: { disabled: true } });
      assert.equal(teacher.statusCode, 404, 'a principal is not a school administrator');
      const list = (await officer.request({ method: 'GET', url: '/api/province/schools' })).json();
      assert.ok(!list.schools.some((s: { id: string }) => s.id === ngheAnSchoolId));
      const overview = (await officer.request({ method: 'GET', url: '/api/province/board' })).json();
      assert.ok(!overview.schools.some((s: { schoolId: string }) => s.schoolId === ngheAnSchoolId));
    });

    test('disabling a school administrator of the province ends their sessions and is audited', async () => {
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      assert.equal((await admin.request({ method: 'GET', url: '/api/staff' })).statusCode, 200);
      const res = await officer.request({ method: 'POST', url: `/api/province/admins/${t.school.users.school_admin.id}/disable`, payload: { disabled: true } });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal((await admin.request({ method: 'GET', url: '/api/staff' })).statusCode, 401);
      const [a] = await t.database.db.select({ actor: auditLog.actorLabel }).from(auditLog).where(and(eq(auditLog.action, 'user.disabled'), eq(auditLog.targetId, t.school.users.school_admin.id)));
      assert.equal(a?.actor, 'Lê Văn Sở (so.thanhhoa)');
      const back = await officer.request({ method: 'POST', url: `/api/province/admins/${t.school.users.school_admin.id}/disable`, payload: { disabled: false } });
      assert.equal(back.statusCode, 204);
    });

    test('the board counts records by state, judges the plan, sync and certificates — and names no student', async () => {
      const db = t.database.db;
      const sid = t.school.schoolId;
      const [year] = await db.select().from(schoolYears).where(eq(schoolYears.schoolId, sid));
      const [s0, s1, s2] = t.school.studentIds;
      const version = (studentId: string, v: number, state: string) => ({ schoolId: sid, studentId, schoolYearId: year!.id, version: v, state, formatId: 'hbs', formatVersion: '1', snapshot: {}, xml: '<x/>', digest: 'd', frozenAt: new Date(), frozenBy: 'test' });
      const [, v2] = await inSystem(db, (tx) =>
        tx.insert(recordVersions).values([version(s0!, 1, 'superseded'), version(s0!, 2, 'approved'), version(s1!, 1, 'frozen'), version(s2!, 1, 'returned')]).returning({ id: recordVersions.id }),
      );
      const day = 86_400_000;
      await inSystem(db, async (tx) => {
        const [run] = await tx.insert(syncRuns).values({ schoolId: sid, target: 'hbs', trigger: 'manual', requestedBy: 'test', status: 'done', finishedAt: new Date() }).returning();
        await tx.insert(syncItems).values([{ schoolId: sid, target: 'hbs', versionId: v2!.id, idempotencyKey: 'k1', status: 'accepted', runId: run!.id }]);
        const cert = (userId: string, notAfter: Date, status: string) => ({ schoolId: sid, userId, certificate: Buffer.from([1]), fingerprint: userId, subject: 'CN=x', commonName: 'x', issuer: 'CN=ca', serialNumber: '1', notBefore: new Date(Date.now() - 400 * day), notAfter, source: 'upload', status, revocationAtRegistration: 'good', registeredBy: 'test' });
        await tx.insert(signingCertificates).values([
          cert(t.school.users.principal.id, new Date(Date.now() - day), 'active'),
          cert(t.school.users.homeroom_teacher.id, new Date(Date.now() + 10 * day), 'active'),
          cert(t.school.users.subject_teacher.id, new Date(Date.now() + 300 * day), 'revoked'),
          cert(t.school.users.clerk.id, new Date(Date.now() + 300 * day), 'active'),
        ]);
      });

      const res = await officer.request({ method: 'GET', url: '/api/province/board' });
      assert.equal(res.statusCode, 200, res.body);
      const board = res.json();
      const row = board.schools.find((s: { schoolId: string }) => s.schoolId === sid);
      assert.equal(row.students, 4);
      assert.deepEqual(row.states, { frozen: 1, subjects_signed: 0, homeroom_signed: 0, approved: 1, sealed: 0, returned: 1, superseded: 1 });
      const stage = (k: string) => row.stages.find((c: { stage: string }) => c.stage === k);
      assert.deepEqual([stage('freeze').done, stage('freeze').total], [2, 4]); // latest approved + frozen; returned and none are not
      assert.equal(stage('sign_subject').done, 1);
      assert.equal(stage('sign_principal').done, 1);
      assert.equal(stage('seal').done, 0);
      assert.equal(stage('sync').done, 1);
      // The test year is 2025–2026 and the real clock is later: every unfinished stage is late.
      assert.equal(stage('seal').status, 'overdue');
      assert.ok(row.lateStages >= 5);
      assert.deepEqual(row.certificates, { active: 3, expired: 1, expiring: 1, revoked: 1 });
      assert.equal(row.sync.accepted, 1);
      assert.equal(row.sync.lastStatus, 'done');
      assert.equal(board.totals.schools, 3);
      assert.ok(board.totals.lateSchools >= 1);
      assert.equal(board.totals.states.approved, 1);

      const drill = await officer.request({ method: 'GET', url: `/api/province/schools/${sid}/board` });
      assert.equal(drill.statusCode, 200);
      const seal = drill.json().school.stages.find((c: { stage: string }) => c.stage === 'seal');
      assert.deepEqual(seal.grades.map((g: { grade: number; total: number }) => [g.grade, g.total]), [[10, 4]]);

      // Aggregates only: no student's name, id or personal number anywhere in the answers.
      const names = await db.select({ id: students.id, name: students.fullName, pid: students.personalId }).from(students).where(eq(students.schoolId, sid));
      for (const body of [res.body, drill.body]) {
        for (const n of names) {
          assert.ok(!body.includes(n.id) && !body.includes(n.name) && !(n.pid && body.includes(n.pid)), `board leaks ${n.name}`);
        }
      }

      const xlsx = await officer.request({ method: 'GET', url: '/api/province/board.xlsx' });
      assert.equal(xlsx.statusCode, 200);
      const sheet = await readXlsxFile(xlsx.rawPayload);
      const rows = (Array.isArray(sheet[0]) ? sheet : (sheet as unknown as Array<{ data: unknown[][] }>)[0]!.data) as unknown[][];
      const sch = rows.find((r) => r[0] === 'SCH')!;
      assert.equal(sch[3], 4);
      assert.match(String(rows.at(-1)![1]), /Tổng: 3 trường/);
    });

    test('the officer cannot read a student by any route', async () => {
      const sid = t.school.schoolId;
      const [st] = await t.database.db.select().from(students).where(eq(students.id, t.school.studentIds[0]!));
      const fill = (pattern: string) =>
        pattern.replace(/:(\w+)/g, (_, n: string) => ({ classId: t.school.classId, studentId: st!.id, id: st!.id, schoolId: sid, classSubjectId: t.school.classSubjectId, semester: '1' })[n] ?? st!.id);
      let tried = 0;
      for (const r of t.app.apiRoutes) {
        if (r.method !== 'GET' || r.access === 'public') continue;
        const res = await officer.request({ method: 'GET', url: fill(r.url) });
        tried++;
        assert.ok(!res.body.includes(st!.fullName) && !(st!.personalId && res.body.includes(st!.personalId)), `${r.url} showed the student to the officer`);
        if (!String(r.access).startsWith('province.') && r.access !== 'authenticated') assert.equal(res.statusCode, 403, `${r.url}: ${res.statusCode}`);
      }
      assert.ok(tried > 50);
      // Nor by taking a school as the active one.
      const sw = await officer.request({ method: 'POST', url: '/api/session/school', payload: { schoolId: sid } });
      assert.equal(sw.statusCode, 403);
      const n = await t.database.db.execute(sql`select count(*)::int as n from audit_log`);
      assert.ok(Number((n as unknown as { rows: Array<{ n: number }> }).rows[0]!.n) > 0);
    });
  });
}
