/**
 * The signing workflow end to end through the services, on each back end: a frozen class is
 * signed in the legal order with demo-style certificates (server-held key files) — two
 * subject teachers in parallel (rebase), homeroom, vice principal under delegation, clerk
 * seal with the sealed PDF — and every refusal the issue lists: out of order, wrong person,
 * no/expired/out-of-scope delegation, revoked certificate, record changed (returned) since
 * prepare, concurrent completions of one step, a batch failing midway and resumed.
 * The final XML passes xmlsec1 for every signature; the sealed PDF passes pdfsig.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { recordPdfs, recordSignatures, recordVersions, roleGrants, staff } from '../../src/db/schema.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { registerCertificate, type TrustContext } from '../../src/services/certificates/signing-certificates.ts';
import { createDelegation } from '../../src/services/delegations/delegations.ts';
import { freezeClass } from '../../src/services/records/freeze-class.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';
import { completeSigningItems, getSigningBatch } from '../../src/services/signing/complete-batch.ts';
import { prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { currentRecordXml, listRecordSignatures, myToSign, returnRecord, sealedRecordPdf } from '../../src/services/signing/record-signing.ts';
import { signBatchWithServerKey } from '../../src/services/signing/server-key.ts';
import type { SigningEnv } from '../../src/services/signing/signing-env.ts';
import { revocationClient } from '../../src/signing/revocation/revocation-client.ts';
import { tsaClient } from '../../src/signing/tsa/tsa-client.ts';
import { pdfsigRunner } from '../../src/signing/validation/testing.ts';
import { xmlsec1Verifier } from '../../src/signing/xades/testing.ts';
import { readXadesSignatures } from '../../src/signing/xades/index.ts';
import type { ActorScope } from '../../src/domain/policies/permissions.ts';
import type { SigningStep } from '../../src/domain/record/signing-order.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from '../helpers/factories.ts';
import { sharedTestPki, toolSkip } from '../helpers/test-pki.ts';

const skipTools = toolSkip('xmlsec1', 'pdfsig', 'certutil');
const HBS = 'urn:hocba:hbs:1';

for (const kind of BACKENDS) {
  describe(`signing workflow (${kind})`, { concurrency: 1 }, () => {
    let database: Database;
    let school: TestSchool;
    let dir: string;
    let env: SigningEnv;
    let trust: TrustContext;
    let versionIds: string[];
    const names = { teacherB: 'Trần Thị Văn', principal: 'Nguyễn Văn Hiệu', vice: 'Lê Thị Phó', clerk: 'Phạm Văn Thư' };
    const actorOf = (role: keyof TestSchool['users']) => loadActor(database.db, school.users[role].id, school.schoolId);
    const who = (role: keyof TestSchool['users']) => ({ userId: school.users[role].id, label: role });

    before(async () => {
      database = await freshDatabase(kind);
      school = await makeSchool(database, `sw${kind.slice(0, 2)}`);
      dir = await mkdtemp(join(tmpdir(), 'hocba-signing-wf-'));
      const { db } = database;
      await inSystem(db, async (tx) => {
        await tx.insert(staff).values([
          { schoolId: school.schoolId, fullName: names.teacherB, userId: school.users.department_head.id },
          { schoolId: school.schoolId, fullName: names.principal, userId: school.users.principal.id },
          { schoolId: school.schoolId, fullName: names.vice, userId: school.users.vice_principal.id },
          { schoolId: school.schoolId, fullName: names.clerk, userId: school.users.clerk.id },
        ]);
        // The department head also teaches (the other six subjects of 10A1).
        await tx.insert(roleGrants).values({ userId: school.users.department_head.id, schoolId: school.schoolId, role: 'subject_teacher' });
      });
      const report = await completeAndFreezeClass({ db, schoolId: school.schoolId, classId: school.classId, studentIds: school.studentIds.slice(0, 3), teacherUserId: school.users.department_head.id, homeroomUserId: school.users.homeroom_teacher.id });
      assert.equal(report.frozen.length, 3, JSON.stringify(report.blocked));
      const rows = await db.select({ id: recordVersions.id, studentId: recordVersions.studentId }).from(recordVersions).where(eq(recordVersions.schoolId, school.schoolId));
      versionIds = school.studentIds.slice(0, 3).map((s) => rows.find((r) => r.studentId === s)!.id);

      const shared = await sharedTestPki();
      trust = { trustAnchors: [shared.pki.root.certificate], intermediates: [shared.pki.issuing.certificate], revocation: revocationClient() };
      env = { trust, timestamp: tsaClient(`${shared.url}/tsa`), publicUrl: 'http://127.0.0.1:8080', dataDir: null };
      const people: Array<[keyof TestSchool['users'], string]> = [
        ['subject_teacher', 'Giáo viên Toán'],
        ['department_head', names.teacherB],
        ['homeroom_teacher', 'Giáo viên chủ nhiệm'],
        ['vice_principal', names.vice],
        ['clerk', names.clerk],
      ];
      const registrar: ActorScope = { ...(await actorOf('school_admin')), roles: new Set(['system_admin']) };
      for (const [role, name] of people) {
        const id = await shared.signer(name);
        const path = join(dir, `${role}.key.pem`);
        await writeFile(path, id.privateKeyPem, { mode: 0o600 });
        // Registered as the demo loader does (system scope): the department head has no own-certificate permission.
        await registerCertificate({ db, actor: registrar, who: who(role), schoolId: school.schoolId, userId: school.users[role].id, certificate: id.certificate, chain: id.chain.slice(1), source: 'demo', keyRef: { kind: 'file', path }, trust });
      }
      const seal = await shared.seal(`Trường THPT sw${kind.slice(0, 2)}`);
      const sealPath = join(dir, 'seal.key.pem');
      await writeFile(sealPath, seal.privateKeyPem, { mode: 0o600 });
      await registerCertificate({ db, actor: await actorOf('clerk'), who: who('clerk'), schoolId: school.schoolId, userId: null, certificate: seal.certificate, chain: seal.chain.slice(1), source: 'server_key', keyRef: { kind: 'file', path: sealPath }, trust });
    });
    after(async () => {
      await database?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const prepare = async (role: keyof TestSchool['users'], step: SigningStep, target: Parameters<typeof prepareSigningBatch>[0]['target'] = { classId: school.classId }, e: SigningEnv = env) =>
      prepareSigningBatch({ db: database.db, actor: await actorOf(role), who: who(role), schoolId: school.schoolId, step, target, env: e });
    const signAll = async (role: keyof TestSchool['users'], batchId: string, password = TEST_PASSWORD) =>
      signBatchWithServerKey({ db: database.db, actor: await actorOf(role), who: who(role), schoolId: school.schoolId, batchId, password, env });
    const states = async () => {
      const rows = await database.db.select({ id: recordVersions.id, state: recordVersions.state }).from(recordVersions);
      return versionIds.map((id) => rows.find((r) => r.id === id)!.state);
    };
    const sigCount = async (versionId: string) => (await database.db.select({ id: recordSignatures.id }).from(recordSignatures).where(eq(recordSignatures.versionId, versionId))).length;

    test('the full chain, refusals on the way, xmlsec1 and pdfsig on the result', { skip: skipTools }, async () => {
      // Both subject teachers prepare on the frozen documents at the same time.
      const a = await prepare('subject_teacher', 'subject');
      const b = await prepare('department_head', 'subject');
      assert.equal(a.items.length, 3, 'one TOAN row per record');
      assert.equal(b.items.length, 15, 'the five other subject rows per record');
      assert.ok(a.items.every((i) => i.signatureId === 'sig-subject-TOAN'));
      // Out of order: the homeroom teacher cannot sign before the subject rows.
      const early = await prepare('homeroom_teacher', 'homeroom');
      assert.equal(early.items.length, 0);
      assert.deepEqual(early.refused.map((r) => r.code), ['signing.wrong_state', 'signing.wrong_state', 'signing.wrong_state']);
      // Wrong person: the subject teacher is not the homeroom teacher.
      assert.ok((await prepare('subject_teacher', 'homeroom')).refused.every((r) => r.code === 'signing.wrong_state' || r.code === 'signing.not_assigned'));
      // A wrong password signs nothing.
      await assert.rejects(signAll('subject_teacher', a.batchId, 'wrong password'), (e: unknown) => e instanceof DomainError && e.code === 'auth.invalid_credentials');
      assert.equal(await sigCount(versionIds[0]!), 0);
      // Someone else cannot complete or read another's batch.
      await assert.rejects(signAll('department_head', a.batchId), (e: unknown) => e instanceof DomainError && e.code === 'not_found');
      await assert.rejects(getSigningBatch({ db: database.db, actor: await actorOf('homeroom_teacher'), schoolId: school.schoolId, batchId: a.batchId }), (e: unknown) => e instanceof DomainError && e.code === 'not_found');

      const ra = await signAll('subject_teacher', a.batchId);
      assert.deepEqual(ra.progress, { total: 3, pending: 0, signed: 3, failed: 0, refused: 0 });
      assert.deepEqual(await states(), ['frozen', 'frozen', 'frozen']);
      // B prepared before A's signatures landed: completion rebases onto the current document.
      const rb = await signAll('department_head', b.batchId);
      assert.equal(rb.progress.signed, 15, JSON.stringify(rb.results.filter((r) => r.error)));
      assert.deepEqual(await states(), ['subjects_signed', 'subjects_signed', 'subjects_signed']);
      // Resume is idempotent: signed items are skipped.
      const again = await signAll('department_head', b.batchId);
      assert.equal(again.results.length, 0);
      assert.equal(again.progress.signed, 15);

      // Homeroom: two batches over the same records completed at once → exactly one signature per record.
      const h1 = await prepare('homeroom_teacher', 'homeroom');
      const h2 = await prepare('homeroom_teacher', 'homeroom');
      assert.equal(h1.items.length, 3);
      const [r1, r2] = await Promise.all([signAll('homeroom_teacher', h1.batchId), signAll('homeroom_teacher', h2.batchId)]);
      for (const [i, v] of versionIds.entries()) {
        const outcomes = [r1, r2].map((r) => r.results.find((x) => x.versionId === v)!);
        assert.equal(outcomes.filter((o) => o.status === 'signed').length, 1, `record ${i}: ${JSON.stringify(outcomes)}`);
        const loser = outcomes.find((o) => o.status === 'failed')!;
        assert.ok(['signing.already_signed', 'signing.wrong_state'].includes(loser.error!.code), loser.error!.message);
        assert.equal(await sigCount(v), 7);
      }
      assert.deepEqual(await states(), ['homeroom_signed', 'homeroom_signed', 'homeroom_signed']);

      // Vice principal: no delegation, then out of scope (grade 11), then expired → refused.
      const principal = await actorOf('principal');
      assert.ok((await prepare('vice_principal', 'principal')).refused.every((r) => r.code === 'signing.no_delegation'));
      await createDelegation({ db: database.db, actor: principal, who: who('principal'), schoolId: school.schoolId, input: { delegateUserId: school.users.vice_principal.id, decisionNumber: '12/QĐ-THPT', grades: [11], validFrom: '2020-01-01', validTo: '2099-12-31' } });
      const scoped = await prepare('vice_principal', 'principal');
      assert.ok(scoped.refused.every((r) => r.code === 'signing.no_delegation' && r.message.includes('out_of_scope')), JSON.stringify(scoped.refused));
      const expired = await createDelegation({ db: database.db, actor: principal, who: who('principal'), schoolId: school.schoolId, input: { delegateUserId: school.users.vice_principal.id, decisionNumber: '13/QĐ-THPT', grades: [10], validFrom: '2020-01-01', validTo: '2020-12-31' } });
      assert.equal(expired.grades[0], 10);
      assert.equal((await prepare('vice_principal', 'principal')).items.length, 0);
      await createDelegation({ db: database.db, actor: principal, who: who('principal'), schoolId: school.schoolId, input: { delegateUserId: school.users.vice_principal.id, decisionNumber: '45/QĐ-THPT', grades: [10], validFrom: '2020-01-01', validTo: '2099-12-31' } });
      const vp = await prepare('vice_principal', 'principal');
      assert.equal(vp.items.length, 3, JSON.stringify(vp.refused));
      // Record changed since prepare: the principal returns the third record before the VP completes.
      await returnRecord({ db: database.db, actor: principal, who: who('principal'), schoolId: school.schoolId, versionId: versionIds[2]!, reason: 'Sai điểm môn Toán học kỳ II' });
      const rvp = await signAll('vice_principal', vp.batchId);
      assert.equal(rvp.progress.signed, 2);
      const refusedReturned = rvp.results.find((r) => r.versionId === versionIds[2])!;
      assert.equal(refusedReturned.status, 'failed');
      assert.equal(refusedReturned.error!.code, 'signing.wrong_state');
      assert.equal(await sigCount(versionIds[2]!), 7, 'nothing stored on the returned record');
      assert.deepEqual(await states(), ['approved', 'approved', 'returned']);

      // Clerk: the seal batch fails midway (a bad value for the second record), then resumes.
      const seal = await prepare('clerk', 'seal');
      assert.equal(seal.items.length, 2);
      const clerk = await actorOf('clerk');
      const bad = await completeSigningItems({ db: database.db, actor: clerk, who: who('clerk'), schoolId: school.schoolId, batchId: seal.batchId, values: [{ itemId: seal.items[1]!.itemId, signatureValue: Buffer.alloc(256, 7).toString('base64') }], env });
      assert.equal(bad.results[0]!.status, 'failed');
      assert.equal(bad.results[0]!.error!.code, 'signing.signature_invalid');
      assert.equal(await sigCount(seal.items[1]!.versionId), 8, 'untouched by the failed seal');
      const resumed = await signAll('clerk', seal.batchId);
      assert.deepEqual(resumed.progress, { total: 3, pending: 0, signed: 2, failed: 0, refused: 1 }, JSON.stringify(resumed.results));
      assert.deepEqual(await states(), ['sealed', 'sealed', 'returned']);

      // The result: every signature passes xmlsec1, the sealed PDF passes pdfsig.
      const shared = await sharedTestPki();
      const xmlsec = await xmlsec1Verifier({ rootPem: shared.pki.root.certificatePem, intermediatePems: [shared.pki.issuing.certificatePem], idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS}:${e}`) });
      const pdfsig = await pdfsigRunner(shared.pki.root.certificatePem);
      try {
        const { xml } = await currentRecordXml({ db: database.db, actor: principal, schoolId: school.schoolId, versionId: versionIds[0]! });
        const ids = readXadesSignatures(xml).map((s) => s.id);
        assert.equal(ids.length, 9);
        assert.deepEqual(ids.slice(-3), ['sig-homeroom', 'sig-principal', 'sig-seal']);
        for (const id of ids) {
          const r = await xmlsec.verify(xml, id);
          assert.ok(r.ok, `${id}: ${r.output}`);
        }
        const sigs = await listRecordSignatures({ db: database.db, actor: principal, schoolId: school.schoolId, versionId: versionIds[0]! });
        assert.equal(sigs.signatures.find((s) => s.step === 'principal')!.claimedRole, 'KT. Hiệu trưởng – Phó Hiệu trưởng');
        assert.ok(sigs.signatures.find((s) => s.step === 'principal')!.delegationId);
        const { pdf } = await sealedRecordPdf({ db: database.db, actor: principal, schoolId: school.schoolId, versionId: versionIds[0]! });
        const checked = await pdfsig.check(pdf);
        assert.equal(checked.signatures.length, 1, checked.output);
        // Valid and trusted; not "total document" because the DSS (B-LT) is an update after the signature.
        assert.ok(checked.signatures[0]!.valid && checked.signatures[0]!.trusted, checked.output);
        assert.ok(pdf.includes(Buffer.from(xml.slice(-200), 'utf8')) || pdf.length > 10_000);
      } finally {
        await xmlsec.close();
        await pdfsig.close();
      }
      // The returned record is re-frozen as a new version that replaces it once sealed
      // (docs/corrections.md); its subject rows did not change, so their signatures carry
      // forward and signing restarts at the homeroom step.
      const rf = await freezeClass({ db: database.db, actor: await actorOf('homeroom_teacher'), who: who('homeroom_teacher'), schoolId: school.schoolId, classId: school.classId });
      assert.equal(rf.frozen.length, 1);
      assert.equal(rf.frozen[0]!.version, 2);
      assert.deepEqual(await states(), ['sealed', 'sealed', 'returned']);
      const restart = await prepare('homeroom_teacher', 'homeroom');
      assert.equal(restart.items.length, 1);
      assert.notEqual(restart.items[0]!.versionId, versionIds[2]);
      const todo = await myToSign({ db: database.db, actor: await actorOf('subject_teacher'), schoolId: school.schoolId });
      assert.deepEqual(todo.map((t) => [t.className, t.step, t.ready]), []);
      // Append-only: the app role cannot change a signature or a sealed PDF.
      assert.equal((await database.db.select({ id: recordPdfs.id }).from(recordPdfs)).length, 2);
    });

    test('a revoked certificate is refused at prepare', async () => {
      const shared = await sharedTestPki();
      const id = await shared.pki.issue({ commonName: names.principal, organization: 'TEST' });
      await registerCertificate({ db: database.db, actor: await actorOf('principal'), who: who('principal'), schoolId: school.schoolId, userId: school.users.principal.id, certificate: id.certificate, chain: id.chain.slice(1), source: 'upload', trust });
      shared.pki.revoke(id.certificate);
      // A fresh revocation client: the shared one may have cached "good".
      const fresh: SigningEnv = { ...env, trust: { ...trust, revocation: revocationClient() } };
      await assert.rejects(prepare('principal', 'principal', { classId: school.classId }, fresh), (e: unknown) => e instanceof DomainError && e.code === 'signing.certificate_invalid' && /revoked/.test(e.message));
    });

    test('the app role cannot rewrite a signature', async () => {
      const { inSchool } = await import('../../src/db/scope.ts');
      await assert.rejects(inSchool(database.db, school.schoolId, (tx) => tx.update(recordSignatures).set({ delta: 'x' }).where(and(eq(recordSignatures.schoolId, school.schoolId)))));
    });
  });
}
