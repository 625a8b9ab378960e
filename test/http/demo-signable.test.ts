/**
 * The demo school works out of the box: loaded with its finished year (as `npm start` does),
 * the engine finds every mark valid and every year complete except the deliberately
 * problematic students; the demo GVCN signs in with the published demo password and freezes
 * the class over HTTP; then records go through the whole signing chain with the demo
 * TEST certificates (server-held keys) — subject teachers, GVCN, principal, clerk's seal —
 * and the sealed PDF passes pdfsig (valid and trusted by the demo root).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { inSchool } from '../../src/db/scope.ts';
import { auditLog, classes, recordVersions, schoolYears, users } from '../../src/db/schema.ts';
import type { SigningStep } from '../../src/domain/record/signing-order.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { ensureDemoCertificates } from '../../src/services/certificates/demo-pki.ts';
import { demoLoadedLines, loadDemoSchool, type DemoLoaded } from '../../src/services/demo/load-demo-school.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/generate-demo-school.ts';
import { buildClassYear } from '../../src/services/homeroom/build-student-years.ts';
import { sealedRecordPdf } from '../../src/services/signing/record-signing.ts';
import { prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { signBatchWithServerKey } from '../../src/services/signing/server-key.ts';
import { signingEnvFor, type SigningEnv } from '../../src/services/signing/signing-env.ts';
import { pdfsigRunner } from '../../src/signing/validation/testing.ts';
import { loginAs } from '../helpers/app.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { toolSkip } from '../helpers/test-pki.ts';

const skipTools = toolSkip('pdfsig', 'certutil');
// 84 students: three classes (10A1, 11A1, 12A1) of 28 — the same generator and loader as the full school.
const STUDENTS = 84;

for (const kind of BACKENDS) {
  describe(`the demo school is signable out of the box (${kind})`, { concurrency: 1 }, () => {
    let database: Database;
    let app: FastifyInstance;
    let dataDir: string;
    let loaded: DemoLoaded;
    let env: SigningEnv;
    let classId: string;
    let frozenIds: string[] = [];

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'hocba-demo-signable-'));
      database = await freshDatabase(kind);
      loaded = await loadDemoSchool({ db: database.db, students: STUDENTS, year: true });
      app = await buildApp({ database, dataDir, rateLimit: { global: 100_000, login: 100_000 } });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      await ensureDemoCertificates({ db: database.db, dataDir, baseUrl: `${url}/pki`, log: () => undefined });
      // The routes build the same environment; the TSA and OCSP are this server's /pki.
      env = await signingEnvFor({ dataDir, publicUrl: url });
      const [cls] = await database.db.select({ id: classes.id }).from(classes).where(and(eq(classes.schoolId, loaded.schoolId), eq(classes.name, '10A1')));
      classId = cls!.id;
    });
    after(async () => {
      await app?.close();
      await database?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    test('the year is loaded in bulk: one audit entry per class, and the engine finds no invalid mark', async () => {
      const year = loaded.year!;
      assert.equal(year.classes, 3);
      assert.equal(year.students, STUDENTS);
      const db = database.db;
      const audits = await db.select({ targetId: auditLog.targetId }).from(auditLog).where(eq(auditLog.action, 'demo.year_loaded'));
      assert.equal(audits.length, 3, 'one entry per class, not per cell');
      const [{ n }] = (await database.query<{ n: number }>('select count(*)::int as n from grade_entries')) as [{ n: number }];
      assert.equal(n, year.cells);
      assert.ok(n > STUDENTS * 12 * 2 * 5, `every cell of every subject and semester (${n})`);
      const problemIds = new Set(year.problems.map((p) => p.studentId));
      assert.deepEqual(year.problems.map((p) => [p.className, p.kind]).sort(), [['10A1', 'identity'], ['10A1', 'missing_mark']]);
      const [sy] = await db.select().from(schoolYears).where(eq(schoolYears.schoolId, loaded.schoolId));
      let complete = 0;
      for (const c of await db.select().from(classes).where(eq(classes.schoolId, loaded.schoolId))) {
        const cy = await inSchool(db, loaded.schoolId, (tx) => buildClassYear(tx, c.id, sy!.id));
        assert.ok(cy.sheets.length >= 10, `${c.name}: ${cy.sheets.length} subjects`);
        for (const s of cy.students) {
          assert.deepEqual(s.result.problems, [], `${c.name} ${s.fullName}: no invalid mark`);
          assert.ok(s.semesters[1].conduct && s.semesters[2].conduct && s.comment, `${c.name} ${s.fullName}: conduct and homeroom comment`);
          if (problemIds.has(s.studentId)) continue;
          assert.ok(s.result.complete, `${c.name} ${s.fullName}: ${JSON.stringify(s.result.missing)}`);
          assert.equal(s.result.promotion.status === 'complete' && s.result.promotion.outcome.kind, 'promoted');
          complete++;
        }
      }
      assert.equal(complete, STUDENTS - 2);
      // What start-up prints names who to sign in as for every step, with the demo password.
      const lines = demoLoadedLines(loaded).join('\n');
      assert.match(lines, new RegExp(`mật khẩu / password: ${DEMO_PASSWORD.replace(/[$^*]/g, '\\$&')}`));
      for (const step of ['Chốt học bạ lớp 10A1', 'Giáo viên bộ môn ký', 'GVCN ký', 'Hiệu trưởng phê duyệt', 'Văn thư đóng dấu']) assert.match(lines, new RegExp(step));
      const first = loaded.demo.classes[0]!;
      const usernameOf = new Map(loaded.demo.staff.map((s) => [s.key, s.username]));
      const stepLine = (n: number) => lines.split('\n').find((l) => l.startsWith(`  ${n}. `))!;
      assert.ok(stepLine(1).endsWith(`: ${usernameOf.get(first.homeroomStaffKey)}`), stepLine(1));
      for (const s of first.subjects) assert.ok(stepLine(2).includes(`${usernameOf.get(s.teacherStaffKey)} (`), `${s.code} teacher listed: ${stepLine(2)}`);
      assert.match(stepLine(4), /hieutruong/);
      assert.match(stepLine(5), /vanthu/);
    });

    test('the demo GVCN signs in with the demo password and freezes 10A1: all but the two deliberate problems', async () => {
      const homeroom = loaded.demo.demoLogins.find((l) => l.role === 'homeroom_teacher')!;
      assert.equal(homeroom.description, 'GVCN lớp 10A1');
      const { c, res } = await loginAs(app, homeroom.username, DEMO_PASSWORD);
      assert.equal(res.statusCode, 200, res.body);
      const r = await c.request({ method: 'POST', url: `/api/classes/${classId}/freeze`, payload: {} });
      assert.equal(r.statusCode, 200, r.body);
      const report = r.json() as { frozen: Array<{ studentId: string }>; blocked: Array<{ studentId: string; reasons: Array<{ vi: string; en: string }> }> };
      assert.equal(report.frozen.length, 26);
      const byKind = new Map(loaded.year!.problems.map((p) => [p.kind, p.studentId]));
      const reasonsOf = (id: string) => report.blocked.find((b) => b.studentId === id)!.reasons.map((x) => x.en).join(' | ');
      assert.equal(report.blocked.length, 2);
      assert.match(reasonsOf(byKind.get('identity')!), /Identity data has blocking problems \(personalId\)/);
      assert.match(reasonsOf(byKind.get('missing_mark')!), /^Missing: \S+ HKII\.$/);
      frozenIds = report.frozen.map((f) => f.studentId);
    });

    test('three records go through the whole chain with the demo TEST keys; the sealed PDF passes pdfsig', { skip: skipTools }, async () => {
      assert.ok(frozenIds.length > 0, 'the class was frozen');
      const db = database.db;
      const versions = await db.select({ id: recordVersions.id }).from(recordVersions).where(inArray(recordVersions.studentId, frozenIds.slice(0, 3)));
      const versionIds = versions.map((v) => v.id);
      const demo = loaded.demo;
      const first = demo.classes[0]!;
      const usernameOf = new Map(demo.staff.map((s) => [s.key, s.username]));
      const sign = async (username: string, step: SigningStep) => {
        const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
        const actor = await loadActor(db, u!.id, loaded.schoolId);
        const who = { userId: u!.id, label: username };
        const batch = await prepareSigningBatch({ db, actor, who, schoolId: loaded.schoolId, step, target: { versionIds }, env });
        assert.deepEqual(batch.refused, [], `${username} ${step}`);
        const done = await signBatchWithServerKey({ db, actor, who, schoolId: loaded.schoolId, batchId: batch.batchId, password: DEMO_PASSWORD, env });
        assert.equal(done.progress.signed, batch.items.length, `${username} ${step}: ${JSON.stringify(done.results.filter((x) => x.error))}`);
        return batch.items.length;
      };
      let rows = 0;
      for (const username of new Set(first.subjects.map((s) => usernameOf.get(s.teacherStaffKey)!))) rows += await sign(username, 'subject');
      assert.equal(rows, first.subjects.length * 3, 'one signature per subject row per record');
      await sign(usernameOf.get(first.homeroomStaffKey)!, 'homeroom');
      await sign('hieutruong', 'principal');
      await sign('vanthu', 'seal');
      const states = await db.select({ state: recordVersions.state }).from(recordVersions).where(inArray(recordVersions.id, versionIds));
      assert.deepEqual(states.map((s) => s.state), ['sealed', 'sealed', 'sealed']);

      const [clerk] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'vanthu'));
      const { pdf } = await sealedRecordPdf({ db, actor: await loadActor(db, clerk!.id, loaded.schoolId), schoolId: loaded.schoolId, versionId: versionIds[0]! });
      const pdfsig = await pdfsigRunner(await readFile(join(dataDir, 'pki', 'root.crt.pem'), 'utf8'));
      try {
        const checked = await pdfsig.check(pdf);
        assert.equal(checked.signatures.length, 1, checked.output);
        assert.ok(checked.signatures[0]!.valid && checked.signatures[0]!.trusted, checked.output);
      } finally {
        await pdfsig.close();
      }
      // Grade entries stayed as loaded: signing changed no mark.
      const [{ n }] = (await database.query<{ n: number }>('select count(*)::int as n from grade_entries')) as [{ n: number }];
      assert.equal(n, loaded.year!.cells);
    });
  });
}
