/**
 * The correction path end to end on the demo school (issue 7.6, issue 8.5), over HTTP where
 * a person acts (freeze, return, change request, decision, marks, history, PDFs); the
 * signing itself goes through the services with the demo TEST keys (as demo-signable does:
 * the server-key route is rate limited per minute).
 *
 * Record A is sealed, its maths teacher asks to correct a mark, the principal approves, the
 * sheet reopens, the mark changes, the GVCN re-freezes: v2 carries forward the untouched
 * subject signatures (they verify over v2 with xmlsec1), only the changed row is signed
 * again, then GVCN, principal and seal; at the seal v1 becomes 'superseded' with v2 pointing
 * at it, and v1's sealed PDF still validates. Record B is returned by the principal with a
 * reason (the teachers see it), re-frozen, and goes the same way. Refusals: a change request
 * on a version neither returned nor sealed, by a teacher of another subject, approving twice,
 * signing the old version once a new one exists.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { inSchool } from '../../src/db/scope.ts';
import { classes, classSubjects, recordSignatures, recordVersions, subjects, users } from '../../src/db/schema.ts';
import type { SigningStep } from '../../src/domain/record/signing-order.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { ensureDemoCertificates } from '../../src/services/certificates/demo-pki.ts';
import { demoPkiFor } from '../../src/services/certificates/trust-context.ts';
import { predecessorOf, successorOf } from '../../src/services/corrections/versions.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/generate-demo-school.ts';
import { loadDemoSchool, type DemoLoaded } from '../../src/services/demo/load-demo-school.ts';
import { prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { signBatchWithServerKey } from '../../src/services/signing/server-key.ts';
import { signingEnvFor, type SigningEnv } from '../../src/services/signing/signing-env.ts';
import { validateDocument } from '../../src/signing/validation/index.ts';
import { readXadesSignatures } from '../../src/signing/xades/index.ts';
import { xmlsec1Verifier } from '../../src/signing/xades/testing.ts';
import { loginAs, type Client } from '../helpers/app.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { toolSkip } from '../helpers/test-pki.ts';

const skipTools = toolSkip('xmlsec1');
const HBS = 'urn:hocba:hbs:1';

for (const kind of BACKENDS) {
  describe(`corrections after signing (${kind})`, { concurrency: 1 }, () => {
    let database: Database;
    let app: FastifyInstance;
    let dataDir: string;
    let loaded: DemoLoaded;
    let env: SigningEnv;
    let classId: string;
    let gvcn: Client;
    let principal: Client;
    const v1 = { a: '', b: '', c: '' };
    const v2 = { a: '', b: '' };
    let subject = { code: '', username: '', classSubjectId: '' };
    let otherTeacher = '';
    let correctionId = '';

    const usernameOfKey = (key: string) => loaded.demo.staff.find((s) => s.key === key)!.username;
    const login = async (username: string) => {
      const { c, res } = await loginAs(app, username, DEMO_PASSWORD);
      assert.equal(res.statusCode, 200, res.body);
      return c;
    };
    const sign = async (username: string, step: SigningStep, versionIds: string[]) => {
      const db = database.db;
      const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
      const actor = await loadActor(db, u!.id, loaded.schoolId);
      const who = { userId: u!.id, label: username };
      const batch = await prepareSigningBatch({ db, actor, who, schoolId: loaded.schoolId, step, target: { versionIds }, env });
      if (batch.items.length === 0) return { signed: 0, refused: batch.refused };
      const done = await signBatchWithServerKey({ db, actor, who, schoolId: loaded.schoolId, batchId: batch.batchId, password: DEMO_PASSWORD, env });
      assert.equal(done.progress.signed, batch.items.length, `${username} ${step}: ${JSON.stringify(done.results.filter((x) => x.error))}`);
      return { signed: batch.items.length, refused: batch.refused };
    };
    const subjectTeachers = () => [...new Set(loaded.demo.classes[0]!.subjects.map((s) => usernameOfKey(s.teacherStaffKey)))];
    const stateOf = async (id: string) => (await database.db.select({ state: recordVersions.state }).from(recordVersions).where(eq(recordVersions.id, id)))[0]!.state;
    const versionOf = async (studentId: string, version: number) =>
      (await database.db.select({ id: recordVersions.id }).from(recordVersions).where(and(eq(recordVersions.studentId, studentId), eq(recordVersions.version, version))))[0]?.id;

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'hocba-corrections-'));
      database = await freshDatabase(kind);
      loaded = await loadDemoSchool({ db: database.db, students: 84, year: true });
      app = await buildApp({ database, dataDir, rateLimit: { global: 100_000, login: 100_000 } });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      await ensureDemoCertificates({ db: database.db, dataDir, baseUrl: `${url}/pki`, log: () => undefined });
      env = await signingEnvFor({ dataDir, publicUrl: url });
      const [cls] = await database.db.select({ id: classes.id }).from(classes).where(and(eq(classes.schoolId, loaded.schoolId), eq(classes.name, '10A1')));
      classId = cls!.id;
      const first = loaded.demo.classes[0]!;
      gvcn = await login(usernameOfKey(first.homeroomStaffKey));
      principal = await login('hieutruong');
      // A score subject whose semester II sheet is complete, taught by someone who teaches nothing else here.
      const problemStudents = new Set(loaded.year!.problems.map((p) => p.studentId));
      assert.ok(problemStudents.size > 0);
      for (const s of first.subjects) {
        const username = usernameOfKey(s.teacherStaffKey);
        const [cs] = await database.db
          .select({ id: classSubjects.id })
          .from(classSubjects)
          .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
          .where(and(eq(classSubjects.classId, classId), eq(subjects.code, s.code)));
        const t = await login(username);
        const sheet = (await t.request({ method: 'GET', url: `/api/grade-sheets/${cs!.id}/2` })).json();
        if (sheet.subject.assessment === 'score' && sheet.complete && first.subjects.filter((x) => x.teacherStaffKey === s.teacherStaffKey).length === 1) {
          subject = { code: s.code, username, classSubjectId: cs!.id };
          break;
        }
      }
      assert.ok(subject.code, 'a complete score subject');
      otherTeacher = subjectTeachers().find((u) => u !== subject.username)!;
    });
    after(async () => {
      await app?.close();
      await database?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    test('A is sealed, B returned with a reason the teachers see, C only frozen', async () => {
      const r = await gvcn.request({ method: 'POST', url: `/api/classes/${classId}/freeze`, payload: {} });
      assert.equal(r.statusCode, 200, r.body);
      const frozen = (r.json() as { frozen: Array<{ studentId: string }> }).frozen.map((f) => f.studentId);
      const ids = await database.db.select({ id: recordVersions.id, studentId: recordVersions.studentId }).from(recordVersions).where(inArray(recordVersions.studentId, frozen.slice(0, 3)));
      [v1.a, v1.b, v1.c] = frozen.slice(0, 3).map((s) => ids.find((x) => x.studentId === s)!.id) as [string, string, string];
      for (const t of subjectTeachers()) await sign(t, 'subject', [v1.a, v1.b]);
      await sign(usernameOfKey(loaded.demo.classes[0]!.homeroomStaffKey), 'homeroom', [v1.a, v1.b]);
      await sign('hieutruong', 'principal', [v1.a]);
      await sign('vanthu', 'seal', [v1.a]);
      assert.equal(await stateOf(v1.a), 'sealed');

      const reason = 'Sai tên cha trong sơ yếu lý lịch';
      const ret = await principal.request({ method: 'POST', url: `/api/signing/versions/${v1.b}/return`, payload: { reason } });
      assert.equal(ret.statusCode, 200, ret.body);
      assert.equal(await stateOf(v1.b), 'returned');
      for (const c of [gvcn, await login(subject.username)]) {
        const list = (await c.request({ method: 'GET', url: '/api/corrections/returns' })).json().returns as Array<{ versionId: string; reason: string; returnedBy: string; returnedAt: string; fromState: string }>;
        const mine = list.find((x) => x.versionId === v1.b);
        assert.ok(mine, 'the returned record is listed for the teachers concerned');
        assert.equal(mine.reason, reason);
        assert.match(mine.returnedBy, /hieutruong/);
        assert.equal(mine.fromState, 'homeroom_signed');
        assert.ok(!Number.isNaN(Date.parse(mine.returnedAt)));
      }
      const hist = (await gvcn.request({ method: 'GET', url: `/api/corrections/versions/${v1.b}` })).json();
      assert.equal(hist.versions[0].returned.reason, reason);
    });

    test('refusals: not returned/sealed, another subject, approving twice', async () => {
      const onFrozen = await gvcn.request({ method: 'POST', url: '/api/corrections', payload: { versionId: v1.c, scope: 'identity', reason: 'Sửa ngày sinh' } });
      assert.equal(onFrozen.statusCode, 409, onFrozen.body);
      assert.equal(onFrozen.json().error.code, 'correction.wrong_state');
      const other = await login(otherTeacher);
      const wrongRow = await other.request({ method: 'POST', url: '/api/corrections', payload: { versionId: v1.a, scope: 'subject_rows', subjects: [subject.code], reason: 'Nhập sai điểm cuối kỳ' } });
      assert.equal(wrongRow.statusCode, 403, wrongRow.body);
      // The teacher first locks their semester II sheet (submitted), then asks to correct the sealed record.
      const teacher = await login(subject.username);
      const sheet = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${subject.classSubjectId}/2` })).json();
      if (sheet.status !== 'submitted') assert.equal((await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheet.id}/submit`, payload: {} })).statusCode, 200);
      const req = await teacher.request({ method: 'POST', url: '/api/corrections', payload: { versionId: v1.a, scope: 'subject_rows', subjects: [subject.code], reason: 'Nhập sai điểm cuối kỳ II' } });
      assert.equal(req.statusCode, 200, req.body);
      correctionId = req.json().id;
      assert.equal(req.json().status, 'pending');
      const dup = await teacher.request({ method: 'POST', url: '/api/corrections', payload: { versionId: v1.a, scope: 'subject_rows', subjects: [subject.code], reason: 'Nhập sai điểm lần nữa' } });
      assert.equal(dup.json().error.code, 'correction.open_exists');
      const ok = await principal.request({ method: 'POST', url: `/api/corrections/${correctionId}/decision`, payload: { approve: true, note: 'Đồng ý' } });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().status, 'approved');
      assert.ok(ok.json().reopenedSheets >= 1);
      const twice = await principal.request({ method: 'POST', url: `/api/corrections/${correctionId}/decision`, payload: { approve: true } });
      assert.equal(twice.statusCode, 409);
      assert.equal(twice.json().error.code, 'correction.decided');
    });

    test('re-freeze waits for the resubmitted sheet; v2 carries forward the unchanged rows; B likewise', async () => {
      const blocked = (await gvcn.request({ method: 'POST', url: `/api/classes/${classId}/freeze`, payload: {} })).json();
      const [a] = await database.db.select({ studentId: recordVersions.studentId }).from(recordVersions).where(eq(recordVersions.id, v1.a));
      assert.match(JSON.stringify(blocked.blocked.find((b: { studentId: string }) => b.studentId === a!.studentId)?.reasons ?? []), /chưa được nộp lại/);
      // B (returned) was re-frozen by that same call, without a change request: nothing changed, so every subject signature carried.
      v2.b = (await versionOf((await database.db.select({ s: recordVersions.studentId }).from(recordVersions).where(eq(recordVersions.id, v1.b)))[0]!.s, 2))!;
      assert.ok(v2.b, 'B v2');
      assert.equal(await stateOf(v2.b), 'subjects_signed');
      assert.equal(await stateOf(v1.b), 'returned', 'B v1 stays returned until v2 is sealed');

      const teacher = await login(subject.username);
      const sheet = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${subject.classSubjectId}/2` })).json();
      assert.equal(sheet.status, 'open');
      const row = sheet.rows.find((r: { studentId: string }) => r.studentId === a!.studentId);
      const value = row.final === '10' ? '9' : '10';
      const saved = await teacher.request({ method: 'PUT', url: `/api/grade-sheets/${sheet.id}/cells`, payload: { cells: [{ studentId: a!.studentId, field: 'final', value, expected: row.final }] } });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal((await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheet.id}/submit`, payload: {} })).statusCode, 200);

      const refrozen = (await gvcn.request({ method: 'POST', url: `/api/classes/${classId}/freeze`, payload: {} })).json();
      assert.deepEqual(refrozen.frozen.map((f: { studentId: string; version: number }) => [f.studentId, f.version]), [[a!.studentId, 2]]);
      v2.a = (await versionOf(a!.studentId, 2))!;
      const [row2] = await database.db.select().from(recordVersions).where(eq(recordVersions.id, v2.a));
      assert.equal(row2!.supersedesId, v1.a);
      assert.equal(row2!.state, 'frozen');
      assert.equal(await stateOf(v1.a), 'sealed', 'v1 stays sealed (and valid) until v2 is sealed');
      const carried = await database.db.select({ subjects: recordSignatures.subjects }).from(recordSignatures).where(eq(recordSignatures.versionId, v2.a)).orderBy(asc(recordSignatures.seq));
      const all = loaded.demo.classes[0]!.subjects.map((s) => s.code);
      assert.deepEqual(carried.flatMap((c) => c.subjects).sort(), all.filter((c) => c !== subject.code).sort(), 'every row but the corrected one carried');
      const corr = (await gvcn.request({ method: 'GET', url: `/api/corrections/versions/${v1.a}` })).json();
      assert.equal(corr.corrections[0].status, 'refrozen');
      assert.equal(corr.corrections[0].newVersionId, v2.a);
    });

    test('signing the old versions is refused; only the corrected row is signed again; sealing v2 supersedes v1', async () => {
      const old = await sign(subject.username, 'subject', [v1.a]);
      assert.equal(old.signed, 0);
      assert.match(JSON.stringify(old.refused), /signing\.wrong_state/);
      const oldB = await sign(usernameOfKey(loaded.demo.classes[0]!.homeroomStaffKey), 'homeroom', [v1.b]);
      assert.equal(oldB.signed, 0);
      // Only the corrected row's teacher has anything to sign on A v2.
      for (const t of subjectTeachers()) {
        const r = await sign(t, 'subject', [v2.a]);
        assert.equal(r.signed, t === subject.username ? 1 : 0, t);
      }
      assert.equal(await stateOf(v2.a), 'subjects_signed');
      await sign(usernameOfKey(loaded.demo.classes[0]!.homeroomStaffKey), 'homeroom', [v2.a, v2.b]);
      await sign('hieutruong', 'principal', [v2.a, v2.b]);
      await sign('vanthu', 'seal', [v2.a, v2.b]);
      assert.deepEqual([await stateOf(v2.a), await stateOf(v1.a), await stateOf(v2.b), await stateOf(v1.b)], ['sealed', 'superseded', 'sealed', 'superseded']);
      await inSchool(database.db, loaded.schoolId, async (tx) => {
        assert.equal((await successorOf(tx, v1.a))?.id, v2.a);
        assert.equal((await predecessorOf(tx, v2.a))?.id, v1.a);
        assert.equal(await successorOf(tx, v2.a), null);
      });
      const hist = (await gvcn.request({ method: 'GET', url: `/api/corrections/versions/${v2.a}` })).json();
      assert.deepEqual(hist.versions.map((v: { version: number; state: string; successorId: string | null }) => [v.version, v.state, v.successorId]), [[1, 'superseded', v2.a], [2, 'sealed', null]]);
      // A superseded version takes no new correction.
      const late = await gvcn.request({ method: 'POST', url: '/api/corrections', payload: { versionId: v1.a, scope: 'identity', reason: 'Sửa thêm lần nữa' } });
      assert.equal(late.json().error.code, 'correction.wrong_state');
    });

    test("v1's sealed PDF still validates and its state says superseded by v2; xmlsec1 accepts every signature of v2", { skip: skipTools }, async () => {
      const pdf = await gvcn.request({ method: 'GET', url: `/api/signing/versions/${v1.a}/sealed.pdf?reason=${encodeURIComponent('Kiểm tra bản đã được thay thế')}` });
      assert.equal(pdf.statusCode, 200);
      const report = await validateDocument(pdf.rawPayload, { trustAnchors: env.trust.trustAnchors, ...(env.trust.intermediates ? { intermediates: env.trust.intermediates } : {}), revocation: env.trust.revocation });
      assert.equal(report.status, 'passed', JSON.stringify(report.signatures.map((s) => s.status)));
      const hist = (await gvcn.request({ method: 'GET', url: `/api/corrections/versions/${v1.a}` })).json();
      const first = hist.versions.find((v: { versionId: string }) => v.versionId === v1.a);
      assert.equal(first.state, 'superseded');
      assert.equal(first.successorId, v2.a);
      // The public verification of v1's PDF (what a university does with the copy it holds): valid signatures, "superseded by v2".
      const verified = await app.inject({ method: 'POST', url: '/api/public/verify', headers: { 'content-type': 'application/pdf' }, payload: pdf.rawPayload });
      assert.equal(verified.statusCode, 200, verified.body);
      const view = verified.json() as { verdict: string; status: { state: string; supersededBy: { version: number } | null } };
      assert.equal(view.verdict, 'superseded', verified.body.slice(0, 2000));
      assert.equal(view.status.supersededBy?.version, 2);

      const pki = (await demoPkiFor(dataDir)())!;
      const xmlsec = await xmlsec1Verifier({ rootPem: pki.root.certificatePem, intermediatePems: [pki.issuing.certificatePem], idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS}:${e}`) });
      try {
        for (const id of [v2.a, v2.b]) {
          const xml = (await gvcn.request({ method: 'GET', url: `/api/signing/versions/${id}/signed.xml?reason=${encodeURIComponent('Kiểm tra chữ ký bản sửa')}` })).body;
          const sigs = readXadesSignatures(xml).map((s) => s.id);
          assert.equal(sigs.length, loaded.demo.classes[0]!.subjects.length + 3);
          for (const s of sigs) {
            const r = await xmlsec.verify(xml, s);
            assert.ok(r.ok, `${id} ${s}: ${r.output}`);
          }
        }
      } finally {
        await xmlsec.close();
      }
    });
  });
}
