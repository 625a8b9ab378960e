/**
 * Batch signing through a remote signing credential (CSC v2, issue 7.5 "approve on phone"):
 * a subject teacher whose certificate lives with the CSC test service signs their rows of a
 * class through POST /api/signing/batches/:id/sign-remote — signing in to the provider, then
 * ONE approval for the whole batch on the "phone" (the test service's hooks; the explicit
 * PIN mode is covered at the signer level in src/signing/csc/csc.test.ts). A
 * declined approval, a timed-out one, a wrong provider password and a certificate that is
 * not remote each leave every item waiting and nothing stored; a retry then signs. The
 * signed XML passes xmlsec1.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { recordSignatures, recordVersions, roleGrants, staff } from '../../src/db/schema.ts';
import type { ActorScope } from '../../src/domain/policies/permissions.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { registerCertificate, type TrustContext } from '../../src/services/certificates/signing-certificates.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';
import { prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { currentRecordXml } from '../../src/services/signing/record-signing.ts';
import { signBatchRemotely, type RemoteSigningOptions } from '../../src/services/signing/remote-signing.ts';
import { signBatchWithServerKey } from '../../src/services/signing/server-key.ts';
import type { SigningEnv } from '../../src/services/signing/signing-env.ts';
import { startCscTestService, type CscTestService } from '../../src/signing/csc/csc-test-service.ts';
import { revocationClient } from '../../src/signing/revocation/revocation-client.ts';
import { tsaClient } from '../../src/signing/tsa/tsa-client.ts';
import { xmlsec1Verifier } from '../../src/signing/xades/testing.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from '../helpers/factories.ts';
import { sharedTestPki, toolSkip } from '../helpers/test-pki.ts';
import { sessionFor, startTestApp, type TestApp } from '../helpers/app.ts';

const skipTools = toolSkip('xmlsec1');
const HBS = 'urn:hocba:hbs:1';
const PROVIDER = { username: 'gv.toan@smartca.test', password: 'mat-khau-nha-cung-cap' };

for (const kind of BACKENDS) {
  describe(`remote (CSC) batch signing (${kind})`, { concurrency: 1 }, () => {
    let database: Database;
    let school: TestSchool;
    let env: SigningEnv;
    let csc: CscTestService;
    let versionIds: string[];
    const teacher = 'Giáo viên Toán';
    const actor = () => loadActor(database.db, school.users.subject_teacher.id, school.schoolId);
    const who = { userId: '', label: 'subject_teacher' };

    before(async () => {
      database = await freshDatabase(kind);
      school = await makeSchool(database, `rs${kind.slice(0, 2)}`);
      who.userId = school.users.subject_teacher.id;
      const { db } = database;
      await inSystem(db, async (tx) => {
        await tx.insert(staff).values({ schoolId: school.schoolId, fullName: 'Trần Thị Văn', userId: school.users.department_head.id });
        await tx.insert(roleGrants).values({ userId: school.users.department_head.id, schoolId: school.schoolId, role: 'subject_teacher' });
      });
      // The maths teacher (makeSchool's "Giáo viên Toán") teaches TOAN; the department head the other subjects.
      const report = await completeAndFreezeClass({ db, schoolId: school.schoolId, classId: school.classId, studentIds: school.studentIds.slice(0, 3), teacherUserId: school.users.department_head.id, homeroomUserId: school.users.homeroom_teacher.id });
      assert.equal(report.frozen.length, 3, JSON.stringify(report.blocked));
      versionIds = (await db.select({ id: recordVersions.id }).from(recordVersions).where(eq(recordVersions.schoolId, school.schoolId))).map((r) => r.id);

      const shared = await sharedTestPki();
      const trust: TrustContext = { trustAnchors: [shared.pki.root.certificate], intermediates: [shared.pki.issuing.certificate], revocation: revocationClient() };
      env = { trust, timestamp: tsaClient(`${shared.url}/tsa`), publicUrl: 'http://127.0.0.1:8080', dataDir: null };
      const id = await shared.signer(teacher);
      csc = await startCscTestService({
        users: [{ id: PROVIDER.username, password: PROVIDER.password, approval: 'never', credentials: [{ id: 'smartca-1', privateKey: id.privateKeyPem, chain: id.chain }] }],
        approvalWindowMs: 60_000,
      });
      const registrar: ActorScope = { ...(await actor()), roles: new Set(['system_admin']) };
      await registerCertificate({ db, actor: registrar, who, schoolId: school.schoolId, userId: school.users.subject_teacher.id, certificate: id.certificate, chain: id.chain.slice(1), source: 'csc', keyRef: { kind: 'csc', baseUrl: csc.url, credentialId: 'smartca-1' }, trust });
    });
    after(async () => {
      await csc?.close();
      await database?.close();
    });

    const prepare = async () => prepareSigningBatch({ db: database.db, actor: await actor(), who, schoolId: school.schoolId, step: 'subject', target: { classId: school.classId }, env });
    const remote = async (batchId: string, extra: Partial<RemoteSigningOptions> = {}) =>
      signBatchRemotely({ db: database.db, actor: await actor(), who, schoolId: school.schoolId, batchId, env, login: PROVIDER, pollIntervalMs: 20, ...extra });
    const stored = async () => (await database.db.select({ id: recordSignatures.id }).from(recordSignatures)).length;
    const refusedWith = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

    test('declined, timed out, wrong provider password: nothing stored, items still waiting', async () => {
      const batch = await prepare();
      assert.equal(batch.items.length, 3, 'one TOAN row per record');
      // Declined on the phone.
      const declined = remote(batch.batchId);
      csc.reject((await csc.nextPending()).handle);
      await assert.rejects(declined, refusedWith('signing.remote_rejected'));
      // Nobody approves within the limit.
      await assert.rejects(remote(batch.batchId, { approvalMs: 300 }), refusedWith('signing.remote_timeout'));
      for (const p of csc.pending()) csc.reject(p.handle);
      // The provider refuses the sign-in.
      await assert.rejects(remote(batch.batchId, { login: { ...PROVIDER, password: 'sai' } }), refusedWith('signing.remote_login_failed'));
      assert.equal(await stored(), 0);
      const states = await database.db.select({ state: recordVersions.state }).from(recordVersions);
      assert.ok(states.every((s) => s.state === 'frozen'));
    });

    test('one approval on the phone signs the whole batch; xmlsec1 accepts the signatures', { skip: skipTools }, async () => {
      const batch = await prepare();
      const before = csc.calls['credentials/authorize'] ?? 0;
      const signing = remote(batch.batchId);
      const pending = await csc.nextPending();
      assert.equal(pending.numSignatures, 3, 'one approval covers the three records');
      csc.approve(pending.handle);
      const result = await signing;
      assert.equal(result.progress.signed, 3);
      assert.equal((csc.calls['credentials/authorize'] ?? 0) - before, 1);
      assert.equal(await stored(), 3);
      const shared = await sharedTestPki();
      const xmlsec = await xmlsec1Verifier({ rootPem: shared.pki.root.certificatePem, intermediatePems: [shared.pki.issuing.certificatePem], idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS}:${e}`) });
      try {
        for (const versionId of versionIds) {
          const { xml } = await currentRecordXml({ db: database.db, actor: await actor(), schoolId: school.schoolId, versionId });
          const r = await xmlsec.verify(xml, 'sig-subject-TOAN');
          assert.ok(r.ok, `${versionId}: ${r.output}`);
        }
      } finally {
        await xmlsec.close();
      }
      // Preparing again: nothing waits, every record is refused as already signed.
      const again = await prepare();
      assert.equal(again.items.length, 0);
      assert.deepEqual([...new Set(again.refused.map((r) => r.code))], ['signing.already_signed']);
    });

    test('a certificate whose key is not remote is refused, nothing stored; the server key signs in limited requests', async () => {
      // The department head signs the other subjects with a server-held (file) key.
      const { db } = database;
      const shared = await sharedTestPki();
      const name = 'Trần Thị Văn';
      const id = await shared.signer(name);
      const dir = await mkdtemp(join(tmpdir(), 'hocba-remote-'));
      const keyPath = join(dir, 'dh.key.pem');
      await writeFile(keyPath, id.privateKeyPem, { mode: 0o600 });
      const dhWho = { userId: school.users.department_head.id, label: 'department_head' };
      const registrar: ActorScope = { ...(await actor()), roles: new Set(['system_admin']) };
      await registerCertificate({ db, actor: registrar, who: dhWho, schoolId: school.schoolId, userId: dhWho.userId, certificate: id.certificate, chain: id.chain.slice(1), source: 'demo', keyRef: { kind: 'file', path: keyPath }, trust: env.trust });
      const dh = await loadActor(db, dhWho.userId, school.schoolId);
      const batch = await prepareSigningBatch({ db, actor: dh, who: dhWho, schoolId: school.schoolId, step: 'subject', target: { classId: school.classId }, env });
      const count = await stored();
      await assert.rejects(signBatchRemotely({ db, actor: dh, who: dhWho, schoolId: school.schoolId, batchId: batch.batchId, env, login: PROVIDER }), refusedWith('signing.no_remote_credential'));
      // Someone else's batch is not found.
      await assert.rejects(remote(batch.batchId), refusedWith('not_found'));
      assert.equal(await stored(), count);

      // The same batch with the server-held key in short requests (as the browser does): at most `max` per call.
      const first = await signBatchWithServerKey({ db, actor: dh, who: dhWho, schoolId: school.schoolId, batchId: batch.batchId, env, password: TEST_PASSWORD, max: 4 });
      assert.equal(first.results.length, 4);
      assert.equal(first.progress.pending, batch.items.length - 4);
      const rest = await signBatchWithServerKey({ db, actor: dh, who: dhWho, schoolId: school.schoolId, batchId: batch.batchId, env, password: TEST_PASSWORD, max: 1000 });
      assert.equal(rest.results.length, batch.items.length - 4);
      assert.equal(rest.progress.pending, 0);
      assert.equal(rest.progress.signed, batch.items.length);
      assert.equal(await stored(), count + batch.items.length);
      await rm(dir, { recursive: true, force: true });
    });
  });

  describe(`remote signing route (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(async () => t?.close());

    test('needs the provider login or a token, and only the batch creator may use a batch', async () => {
      const teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      const id = '00000000-0000-4000-8000-000000000000';
      const url = `/api/signing/batches/${id}/sign-remote`;
      const none = await teacher.request({ method: 'POST', url, payload: { pin: '1' } });
      assert.equal(none.statusCode, 400, none.body);
      const both = await teacher.request({ method: 'POST', url, payload: { accessToken: 'x', username: 'a', password: 'b' } });
      assert.equal(both.statusCode, 400, both.body);
      const unknown = await teacher.request({ method: 'POST', url, payload: { accessToken: 'x' } });
      assert.equal(unknown.statusCode, 404, unknown.body);
    });
  });
}
