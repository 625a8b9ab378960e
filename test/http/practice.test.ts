/**
 * Practice mode (issue 13.3): the principal creates the practice school of the demo school
 * (as `npm start` has it); the real staff find their own roles there — a subject teacher
 * teaches their subject, a GVCN has a class — and rehearse the whole chain with test keys:
 * freeze, subject teachers, GVCN, principal, clerk's seal. The sealed PDF says "BẢN THỰC
 * HÀNH", the public verification answers "practice", sync, transfers and share links refuse,
 * a reset starts afresh, and the real school's data is byte-for-byte what it was.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { classSubjects, classes, homeroomAssignments, recordVersions, roleGrants, schools, staff, users, SCHOOL_OWNED_TABLES } from '../../src/db/schema.ts';
import type { SigningStep } from '../../src/domain/record/signing-order.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { ensureDemoCertificates } from '../../src/services/certificates/demo-pki.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/generate-demo-school.ts';
import { loadDemoSchool, type DemoLoaded } from '../../src/services/demo/load-demo-school.ts';
import { assignTeachingPosts, practiceClassCount } from '../../src/services/practice/practice-school.ts';
import { sealedRecordPdf } from '../../src/services/signing/record-signing.ts';
import { prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { signBatchWithServerKey } from '../../src/services/signing/server-key.ts';
import { signingEnvFor, type SigningEnv } from '../../src/services/signing/signing-env.ts';
import { loginAs } from '../helpers/app.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { toolSkip } from '../helpers/test-pki.ts';

const run = promisify(execFile);
const skipTools = toolSkip('pdftotext');

describe('practice school: who teaches what (rules)', () => {
  const people = [
    { userId: 'toan1', roles: ['subject_teacher' as const], subjects: ['TOAN'] },
    { userId: 'toan2', roles: ['subject_teacher' as const], subjects: ['TOAN'] },
    { userId: 'van', roles: ['subject_teacher' as const], subjects: ['NGU_VAN'] },
    { userId: 'hieutruong', roles: ['principal' as const], subjects: [] },
  ];
  const post = (key: string, code: string) => ({ key, subjectCodes: [code] });
  const cases: Array<[string, Array<{ key: string; subjectCodes: string[] }>, Record<string, string>]> = [
    ['posts of a subject go round the real teachers of that subject', [post('a', 'TOAN'), post('b', 'TOAN'), post('c', 'TOAN')], { a: 'toan1', b: 'toan2', c: 'toan1' }],
    ['a subject nobody teaches goes round all subject teachers', [post('a', 'HOA'), post('b', 'HOA'), post('c', 'HOA'), post('d', 'HOA')], { a: 'toan1', b: 'toan2', c: 'van', d: 'toan1' }],
    ['mixed', [post('a', 'NGU_VAN'), post('b', 'TOAN'), post('c', 'NGU_VAN')], { a: 'van', b: 'toan1', c: 'van' }],
  ];
  for (const [name, posts, expected] of cases) {
    test(name, () => {
      assert.deepEqual(Object.fromEntries(assignTeachingPosts({ staff: posts as never }, people)), expected);
    });
  }
  test('one class per homeroom teacher, between 3 and 36', () => {
    assert.deepEqual([0, 1, 3, 12, 36, 80].map(practiceClassCount), [3, 3, 3, 12, 36, 36]);
  });
});

for (const kind of BACKENDS) {
  describe(`practice school (${kind})`, { concurrency: 1 }, () => {
    let database: Database;
    let app: FastifyInstance;
    let dataDir: string;
    let url: string;
    let real: DemoLoaded;
    let env: SigningEnv;
    let practiceId: string;
    let before1: Map<string, string>;
    let keysBefore: Map<string, string>;

    /** The demo PKI's key files of the real school's people: practice certificates must not overwrite them. */
    async function realKeys(): Promise<Map<string, string>> {
      const dir = join(dataDir, 'pki', 'users');
      const names = (await readdir(dir)).filter((f) => f.endsWith('.key.pem') && !f.includes('-TH.'));
      return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), 'utf8')] as [string, string])));
    }

    /** count + md5 of the rows of every school-owned table of a school (the audit log is not one). */
    async function fingerprint(schoolId: string): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (const table of SCHOOL_OWNED_TABLES) {
        const rows = await database.query<{ n: number; h: string | null }>(`select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h from ${table} t where school_id = $1`, [schoolId]);
        out.set(table, `${rows[0]!.n}:${rows[0]!.h ?? ''}`);
      }
      return out;
    }

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'hocba-practice-'));
      database = await freshDatabase(kind);
      real = await loadDemoSchool({ db: database.db, students: 84, year: true });
      app = await buildApp({ database, dataDir, rateLimit: { global: 100_000, login: 100_000 } });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      await ensureDemoCertificates({ db: database.db, dataDir, baseUrl: `${url}/pki`, log: () => undefined });
      env = await signingEnvFor({ dataDir, publicUrl: url });
      before1 = await fingerprint(real.schoolId);
      keysBefore = await realKeys();
    });
    after(async () => {
      await app?.close();
      await database?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    test('only the IT officer or the principal may create it; a teacher sees that none exists yet', async () => {
      const { c } = await loginAs(app, 'dat.hovan', DEMO_PASSWORD);
      const state = await c.request({ method: 'GET', url: '/api/practice' });
      assert.equal(state.statusCode, 200, state.body);
      assert.equal(state.json().practice, null);
      const denied = await c.request({ method: 'POST', url: '/api/practice', payload: { reset: false } });
      assert.equal(denied.statusCode, 403);
    });

    test('the principal creates it: the real staff hold their roles there, teaching their own subjects', async () => {
      const { c } = await loginAs(app, 'hieutruong', DEMO_PASSWORD);
      const res = await c.request({ method: 'POST', url: '/api/practice', payload: { reset: false } });
      assert.equal(res.statusCode, 201, res.body);
      const p = res.json();
      practiceId = p.schoolId;
      assert.match(p.name, /\(thực hành\)$/);
      assert.ok(p.myRoles.includes('principal'), JSON.stringify(p.myRoles));
      assert.equal(p.classes, 3, 'one class per real homeroom teacher (3), at least 3');
      assert.equal(p.students, 126);
      assert.ok(p.certificatesIssued >= p.staff, `${p.certificatesIssued} test certificates for ${p.staff} staff`);
      const again = await c.request({ method: 'POST', url: '/api/practice', payload: { reset: false } });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'practice.exists');

      const db = database.db;
      const [row] = await db.select().from(schools).where(eq(schools.id, practiceId));
      assert.equal(row!.practiceOfSchoolId, real.schoolId);
      assert.equal(row!.isDemo, true);
      // No new account: the practice school's staff are the real school's people.
      const practiceStaff = await db.select({ userId: staff.userId }).from(staff).where(eq(staff.schoolId, practiceId));
      const realStaff = await db.select({ userId: staff.userId }).from(staff).where(eq(staff.schoolId, real.schoolId));
      assert.deepEqual(practiceStaff.map((s) => s.userId).sort(), realStaff.map((s) => s.userId).sort());
      // The demo's own maths teacher of the real school teaches maths in the practice school.
      const [dat] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'dat.hovan'));
      const taught = await database.query<{ code: string }>(
        `select distinct sj.code from class_subjects cs join staff s on s.id = cs.teacher_staff_id join subjects sj on sj.id = cs.subject_id where cs.school_id = $1 and s.user_id = $2`,
        [practiceId, dat!.id],
      );
      const realTaught = await database.query<{ code: string }>(
        `select distinct sj.code from class_subjects cs join staff s on s.id = cs.teacher_staff_id join subjects sj on sj.id = cs.subject_id where cs.school_id = $1 and s.user_id = $2`,
        [real.schoolId, dat!.id],
      );
      assert.ok(taught.length > 0 && taught.every((t) => realTaught.some((r) => r.code === t.code)), `${JSON.stringify(taught)} ⊆ ${JSON.stringify(realTaught)}`);
      // Every real GVCN has a practice class.
      const realHomeroom = await database.query<{ user_id: string }>('select distinct s.user_id from homeroom_assignments h join staff s on s.id = h.staff_id where h.school_id = $1', [real.schoolId]);
      const practiceHomeroom = await database.query<{ user_id: string }>('select distinct s.user_id from homeroom_assignments h join staff s on s.id = h.staff_id where h.school_id = $1', [practiceId]);
      assert.deepEqual(practiceHomeroom.map((r) => r.user_id).sort(), realHomeroom.map((r) => r.user_id).sort());
    });

    test('a GVCN switches into it and freezes a practice class; the chain runs to the seal with test keys', { skip: skipTools }, async () => {
      const db = database.db;
      const [cls] = await db.select({ id: classes.id, name: classes.name }).from(classes).where(and(eq(classes.schoolId, practiceId), eq(classes.name, '10A1')));
      const [gvcn] = await db
        .select({ username: users.username })
        .from(homeroomAssignments)
        .innerJoin(staff, eq(staff.id, homeroomAssignments.staffId))
        .innerJoin(users, eq(users.id, staff.userId))
        .where(eq(homeroomAssignments.classId, cls!.id));
      const { c } = await loginAs(app, gvcn!.username, DEMO_PASSWORD);
      const state = (await c.request({ method: 'GET', url: '/api/practice' })).json();
      assert.equal(state.practice.schoolId, practiceId);
      assert.ok(state.practice.myRoles.includes('homeroom_teacher'));
      const sw = await c.request({ method: 'POST', url: '/api/session/school', payload: { schoolId: practiceId } });
      assert.equal(sw.statusCode, 200, sw.body);
      // In the practice school, the state names the real school behind it.
      assert.equal((await c.request({ method: 'GET', url: '/api/practice' })).json().realSchoolId, real.schoolId);
      const frozen = await c.request({ method: 'POST', url: `/api/classes/${cls!.id}/freeze`, payload: {} });
      assert.equal(frozen.statusCode, 200, frozen.body);
      const report = frozen.json() as { frozen: Array<{ studentId: string }> };
      assert.ok(report.frozen.length >= 3);
      const versions = await db.select({ id: recordVersions.id }).from(recordVersions).where(inArray(recordVersions.studentId, report.frozen.slice(0, 2).map((f) => f.studentId)));
      const versionIds = versions.map((v) => v.id);

      const sign = async (userId: string, username: string, step: SigningStep) => {
        const actor = await loadActor(db, userId, practiceId);
        const who = { userId, label: username };
        const batch = await prepareSigningBatch({ db, actor, who, schoolId: practiceId, step, target: { versionIds }, env });
        assert.deepEqual(batch.refused, [], `${username} ${step}`);
        const done = await signBatchWithServerKey({ db, actor, who, schoolId: practiceId, batchId: batch.batchId, password: DEMO_PASSWORD, env });
        assert.equal(done.progress.signed, batch.items.length, `${username} ${step}: ${JSON.stringify(done.results.filter((x) => x.error))}`);
      };
      const teachers = await db
        .selectDistinct({ id: users.id, username: users.username })
        .from(classSubjects)
        .innerJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
        .innerJoin(users, eq(users.id, staff.userId))
        .where(eq(classSubjects.classId, cls!.id));
      for (const t of teachers) await sign(t.id, t.username, 'subject');
      const byName = async (username: string) => (await db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
      await sign(await byName(gvcn!.username), gvcn!.username, 'homeroom');
      await sign(await byName('hieutruong'), 'hieutruong', 'principal');
      await sign(await byName('vanthu'), 'vanthu', 'seal');
      const states = await db.select({ state: recordVersions.state }).from(recordVersions).where(inArray(recordVersions.id, versionIds));
      assert.deepEqual(states.map((s) => s.state), ['sealed', 'sealed']);

      // The sealed PDF carries the practice mark on its page.
      const clerk = await byName('vanthu');
      const { pdf } = await sealedRecordPdf({ db, actor: await loadActor(db, clerk, practiceId), schoolId: practiceId, versionId: versionIds[0]! });
      const file = join(dataDir, 'practice.pdf');
      await writeFile(file, pdf);
      const { stdout } = await run('pdftotext', ['-layout', file, '-']);
      assert.match(stdout, /BẢN THỰC HÀNH — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ/);

      // Anyone verifying it is told it is a practice copy, not a valid record.
      const anon = await app.inject({ method: 'POST', url: '/api/public/verify', payload: pdf, headers: { 'content-type': 'application/pdf' } });
      assert.equal(anon.statusCode, 200, anon.body);
      assert.equal(anon.json().verdict, 'practice');
      assert.equal(anon.json().status.state, 'practice');

      // Sync and share links refuse, naming why.
      const { c: admin } = await loginAs(app, 'quantri', DEMO_PASSWORD);
      await admin.request({ method: 'POST', url: '/api/session/school', payload: { schoolId: practiceId } });
      const syncRes = await admin.request({ method: 'POST', url: '/api/sync/runs', payload: { target: 'hbs' } });
      assert.equal(syncRes.statusCode, 409, syncRes.body);
      assert.equal(syncRes.json().error.code, 'practice.not_real');
      assert.match(syncRes.json().error.message, /trường thực hành/);
    });

    test('reset retires the old practice school (nobody keeps a role in it) and creates a new one', async () => {
      const { c, res: login } = await loginAs(app, 'quantri', DEMO_PASSWORD);
      assert.equal(login.json().activeSchoolId, real.schoolId, 'a sign-in lands in the real school, never in the practice one');
      const inPractice = await c.request({ method: 'POST', url: '/api/session/school', payload: { schoolId: practiceId } });
      assert.equal(inPractice.statusCode, 200);
      const refused = await c.request({ method: 'POST', url: '/api/practice', payload: { reset: true } });
      assert.equal(refused.statusCode, 409, 'reset from the real school only');
      assert.equal(refused.json().error.code, 'practice.not_real');
      await c.request({ method: 'POST', url: '/api/session/school', payload: { schoolId: real.schoolId } });
      const res = await c.request({ method: 'POST', url: '/api/practice', payload: { reset: true } });
      assert.equal(res.statusCode, 201, res.body);
      const p = res.json();
      assert.notEqual(p.schoolId, practiceId);
      assert.equal(p.retiredSchoolId, practiceId);
      const db = database.db;
      const grants = await db.select().from(roleGrants).where(eq(roleGrants.schoolId, practiceId));
      assert.equal(grants.length, 0);
      const live = await db.select().from(schools).where(and(eq(schools.practiceOfSchoolId, real.schoolId), isNull(schools.retiredAt)));
      assert.deepEqual(live.map((s) => s.id), [p.schoolId]);
      // No record in the new one: a fresh year to rehearse again.
      const records = await db.select().from(recordVersions).where(eq(recordVersions.schoolId, p.schoolId));
      assert.equal(records.length, 0);
    });

    test("the real school's data is exactly what it was (only its audit log gained the practice entries)", async () => {
      assert.deepEqual(await fingerprint(real.schoolId), before1);
      assert.ok(keysBefore.size > 10);
      assert.deepEqual(await realKeys(), keysBefore, "the real school's test keys are untouched");
      const audit = await database.query<{ action: string }>("select action from audit_log where school_id = $1 and action like 'practice.%' order by seq", [real.schoolId]);
      assert.deepEqual(audit.map((a) => a.action), ['practice.created', 'practice.reset']);
    });
  });
}
