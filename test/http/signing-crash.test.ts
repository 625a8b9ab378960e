/**
 * The crash test of issue 7: a child process opens the same database (a PGlite data dir, and
 * PostgreSQL when DATABASE_URL is set), prepares the clerk's seal batch for a class of 20
 * records and completes it item by item; after N items it pauses on stdin, is released into
 * the next item and SIGKILLed while that item runs. The test then reopens the database and
 * checks that every record is either fully sealed (signature row, sealed PDF, state) or
 * untouched, that the audit chain still verifies, and that resuming the same batch finishes
 * it; finally xmlsec1 verifies every signature of every record and pdfsig the sealed PDF.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { enrolments, recordPdfs, recordSignatures, recordVersions, signingBatchItems, staff, students } from '../../src/db/schema.ts';
import type { SigningStep } from '../../src/domain/record/signing-order.ts';
import { verifyAudit } from '../../src/services/audit/verify-audit.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { registerCertificate } from '../../src/services/certificates/signing-certificates.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';
import { prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { currentRecordXml, sealedRecordPdf } from '../../src/services/signing/record-signing.ts';
import { signBatchWithServerKey } from '../../src/services/signing/server-key.ts';
import type { SigningEnv } from '../../src/services/signing/signing-env.ts';
import { readXadesSignatures } from '../../src/signing/xades/index.ts';
import { xmlsec1Verifier } from '../../src/signing/xades/testing.ts';
import { pdfsigRunner } from '../../src/signing/validation/testing.ts';
import { revocationClient } from '../../src/signing/revocation/revocation-client.ts';
import { tsaClient } from '../../src/signing/tsa/tsa-client.ts';
import type { CrashChildConfig } from '../helpers/signing-crash-child.ts';
import { BACKENDS, createPgDatabase } from '../helpers/db.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from '../helpers/factories.ts';
import { sharedTestPki, toolSkip } from '../helpers/test-pki.ts';

const skipTools = toolSkip('xmlsec1', 'pdfsig', 'certutil');
const HBS = 'urn:hocba:hbs:1';
const CHILD = new URL('../helpers/signing-crash-child.ts', import.meta.url).pathname;
const RECORDS = 20;
/** The child is released into item KILL_AT + 1 and killed while it runs. */
const KILL_AT = 6;

/** Runs the child until it has signed KILL_AT items and started the next, then SIGKILLs it. */
function runAndKill(configPath: string): Promise<{ batchId: string; signed: number; started: number; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, configPath], { env: { ...process.env, HOCBA_CRASH_PAUSE: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let batchId = '';
    let signed = 0;
    let started = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [word, n, id] = line.split(' ');
      if (word === 'prepared') batchId = n!;
      if (word === 'start') {
        started = Number(n);
        // Released into the next item: it is now inside its transaction (or just past it).
        if (started === KILL_AT + 1) child.kill('SIGKILL');
      }
      if (word === 'signed') {
        signed = Number(n);
        assert.ok(id);
        // Paused on stdin after every item; release it until KILL_AT, then once more into the kill.
        child.stdin.write('go\n');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child exited by itself (code ${code}) after ${signed} items: ${stderr}`));
      else resolve({ batchId, signed, started, signal, stderr });
    });
  });
}

for (const kind of BACKENDS) {
  describe(`signing crash mid-batch (${kind})`, { concurrency: 1 }, () => {
    const cleanup: Array<() => Promise<void>> = [];
    after(async () => {
      for (const f of cleanup.reverse()) await f();
    });

    test('a SIGKILL in the middle of a seal batch leaves no half-sealed record; the batch resumes', { skip: skipTools }, async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'hocba-signing-crash-'));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      let open: () => Promise<Database>;
      let where: Pick<CrashChildConfig, 'dataDir' | 'url'>;
      if (kind === 'pglite') {
        const dataDir = join(dir, 'data');
        open = () => openDatabase({ dataDir });
        where = { dataDir };
      } else {
        const created = await createPgDatabase();
        cleanup.push(() => created.drop());
        open = () => openDatabase({ url: created.url, poolSize: 4 });
        where = { url: created.url };
      }
      let database = await open();
      let dbOpen = true;
      cleanup.push(async () => {
        if (dbOpen) await database.close();
      });
      const school: TestSchool = await makeSchool(database, `cr${kind.slice(0, 2)}`);
      const actorOf = (role: keyof TestSchool['users']) => loadActor(database.db, school.users[role].id, school.schoolId);
      const who = (role: keyof TestSchool['users']) => ({ userId: school.users[role].id, label: role });

      // 10A1 gets 17 more students: 20 records.
      const extra = await inSystem(database.db, async (tx) => {
        const [e] = await tx.select().from(enrolments).where(eq(enrolments.studentId, school.studentIds[0]!));
        const rows = await tx
          .insert(students)
          .values(Array.from({ length: RECORDS - 3 }, (_, i) => ({ schoolId: school.schoolId, fullName: `Học Sinh Thứ ${i + 4}`, gender: i % 2 ? 'female' : 'male', birthDate: '2010-05-10', studentCode: `77000000${String(i).padStart(2, '0')}`, personalId: `03822000${String(i).padStart(4, '0')}` })))
          .returning();
        await tx.insert(enrolments).values(rows.map((s) => ({ schoolId: school.schoolId, studentId: s.id, schoolYearId: e!.schoolYearId, classId: school.classId })));
        await tx.insert(staff).values([
          { schoolId: school.schoolId, fullName: 'Nguyễn Văn Hiệu', userId: school.users.principal.id },
          { schoolId: school.schoolId, fullName: 'Phạm Văn Thư', userId: school.users.clerk.id },
        ]);
        return rows.map((r) => r.id);
      });
      const classStudents = [...school.studentIds.slice(0, 3), ...extra];
      const frozen = await completeAndFreezeClass({ db: database.db, schoolId: school.schoolId, classId: school.classId, studentIds: classStudents, teacherUserId: school.users.subject_teacher.id, homeroomUserId: school.users.homeroom_teacher.id });
      assert.equal(frozen.frozen.length, RECORDS, JSON.stringify(frozen.blocked));

      const shared = await sharedTestPki();
      const trust = { trustAnchors: [shared.pki.root.certificate], intermediates: [shared.pki.issuing.certificate], revocation: revocationClient() };
      const env: SigningEnv = { trust, timestamp: tsaClient(`${shared.url}/tsa`), publicUrl: 'http://127.0.0.1:8080', dataDir: null };
      const registrar = { ...(await actorOf('school_admin')), roles: new Set(['system_admin'] as const) };
      for (const [role, name] of [['subject_teacher', 'Giáo viên Toán'], ['homeroom_teacher', 'Giáo viên chủ nhiệm'], ['principal', 'Nguyễn Văn Hiệu']] as const) {
        const id = await shared.signer(name);
        const path = join(dir, `${role}.key.pem`);
        await writeFile(path, id.privateKeyPem, { mode: 0o600 });
        await registerCertificate({ db: database.db, actor: registrar, who: who(role), schoolId: school.schoolId, userId: school.users[role].id, certificate: id.certificate, chain: id.chain.slice(1), source: 'demo', keyRef: { kind: 'file', path }, trust });
      }
      const seal = await shared.seal(`Trường THPT cr${kind.slice(0, 2)}`);
      const sealPath = join(dir, 'seal.key.pem');
      await writeFile(sealPath, seal.privateKeyPem, { mode: 0o600 });
      await registerCertificate({ db: database.db, actor: await actorOf('clerk'), who: who('clerk'), schoolId: school.schoolId, userId: null, certificate: seal.certificate, chain: seal.chain.slice(1), source: 'server_key', keyRef: { kind: 'file', path: sealPath }, trust });

      // Subject teacher, homeroom teacher and principal sign in this process.
      for (const [role, step] of [['subject_teacher', 'subject'], ['homeroom_teacher', 'homeroom'], ['principal', 'principal']] as Array<[keyof TestSchool['users'], SigningStep]>) {
        const b = await prepareSigningBatch({ db: database.db, actor: await actorOf(role), who: who(role), schoolId: school.schoolId, step, target: { classId: school.classId }, env });
        const r = await signBatchWithServerKey({ db: database.db, actor: await actorOf(role), who: who(role), schoolId: school.schoolId, batchId: b.batchId, password: TEST_PASSWORD, env });
        assert.equal(r.progress.failed + r.progress.refused, 0, `${step}: ${JSON.stringify(r.results.filter((x) => x.error))}`);
      }
      const versions = await database.db.select({ id: recordVersions.id, state: recordVersions.state }).from(recordVersions).where(eq(recordVersions.schoolId, school.schoolId));
      assert.equal(versions.length, RECORDS);
      assert.ok(versions.every((v) => v.state === 'approved'), JSON.stringify(versions.map((v) => v.state)));
      const auditBefore = await verifyAudit({ database });
      assert.ok(auditBefore.ok);

      // One process at a time on a PGlite data dir: close before the child opens it.
      await database.close();
      dbOpen = false;
      const configPath = join(dir, 'child.json');
      const config: CrashChildConfig = { ...where, schoolId: school.schoolId, userId: school.users.clerk.id, classId: school.classId, step: 'seal', rootDer: Buffer.from(shared.pki.root.certificate).toString('base64'), issuingDer: Buffer.from(shared.pki.issuing.certificate).toString('base64'), tsaUrl: `${shared.url}/tsa` };
      await writeFile(configPath, JSON.stringify(config));
      const crash = await runAndKill(configPath);
      assert.equal(crash.signal, 'SIGKILL');
      assert.equal(crash.signed, KILL_AT, crash.stderr);
      assert.equal(crash.started, KILL_AT + 1);
      assert.ok(crash.batchId);

      // Restart: the dead child's lock is taken over; PostgreSQL rolled back its open transaction.
      database = await open();
      dbOpen = true;
      const sigs = await database.db.select({ versionId: recordSignatures.versionId, step: recordSignatures.step }).from(recordSignatures).where(eq(recordSignatures.schoolId, school.schoolId));
      const pdfs = await database.db.select({ versionId: recordPdfs.versionId }).from(recordPdfs);
      const items = await database.db.select({ versionId: signingBatchItems.versionId, status: signingBatchItems.status }).from(signingBatchItems).where(eq(signingBatchItems.batchId, crash.batchId));
      const after1 = await database.db.select({ id: recordVersions.id, state: recordVersions.state }).from(recordVersions).where(eq(recordVersions.schoolId, school.schoolId));
      assert.equal(items.length, RECORDS);
      let sealed = 0;
      for (const v of after1) {
        const sealRows = sigs.filter((s) => s.versionId === v.id && s.step === 'seal').length;
        const pdfRows = pdfs.filter((p) => p.versionId === v.id).length;
        const item = items.find((i) => i.versionId === v.id)!;
        assert.equal(sigs.filter((s) => s.versionId === v.id).length, 8 + sealRows, `record ${v.id}: earlier signatures intact`);
        if (v.state === 'sealed') {
          sealed += 1;
          assert.deepEqual([sealRows, pdfRows], [1, 1], `record ${v.id} is sealed: one seal signature and one sealed PDF`);
        } else {
          assert.equal(v.state, 'approved', `record ${v.id}`);
          assert.deepEqual([sealRows, pdfRows, item.status], [0, 0, 'pending'], `record ${v.id} is untouched`);
        }
      }
      // The item killed mid-flight committed whole or not at all: its batch item, signature,
      // PDF, state and audit entry are one transaction, so their counts must agree.
      assert.ok(sealed === KILL_AT || sealed === KILL_AT + 1, `sealed ${sealed}, reported ${crash.signed}`);
      t.diagnostic(`killed during item ${crash.started}: ${sealed} records sealed (${sealed === KILL_AT ? 'the in-flight seal rolled back' : 'the in-flight seal had committed'}), ${RECORDS - sealed} untouched`);
      assert.equal(items.filter((i) => i.status === 'signed').length, sealed, 'item status matches the sealed records');
      const audit = await verifyAudit({ database });
      assert.ok(audit.ok, JSON.stringify(audit.firstBroken));
      const sealedAudit = await database.query<{ n: string }>(`select count(*)::text as n from audit_log where action = 'record.sealed' and chain = $1`, [`school:${school.schoolId}`]);
      assert.equal(Number(sealedAudit[0]!.n), sealed, 'one audit entry per sealed record, none for the rolled-back one');

      // Resume the same batch: it completes, and everything verifies.
      const clerk = await actorOf('clerk');
      const resumed = await signBatchWithServerKey({ db: database.db, actor: clerk, who: who('clerk'), schoolId: school.schoolId, batchId: crash.batchId, password: TEST_PASSWORD, env });
      assert.deepEqual(resumed.progress, { total: RECORDS, pending: 0, signed: RECORDS, failed: 0, refused: 0 }, JSON.stringify(resumed.results.filter((r) => r.error)));
      assert.equal(resumed.results.length, RECORDS - sealed, 'signed items are not signed again');
      const final = await database.db.select({ id: recordVersions.id, state: recordVersions.state }).from(recordVersions).where(eq(recordVersions.schoolId, school.schoolId));
      assert.ok(final.every((v) => v.state === 'sealed'));
      assert.equal((await database.db.select({ id: recordPdfs.id }).from(recordPdfs)).length, RECORDS);
      assert.ok((await verifyAudit({ database })).ok);

      const xmlsec = await xmlsec1Verifier({ rootPem: shared.pki.root.certificatePem, intermediatePems: [shared.pki.issuing.certificatePem], idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS}:${e}`) });
      const pdfsig = await pdfsigRunner(shared.pki.root.certificatePem);
      try {
        const principal = await actorOf('principal');
        for (const v of final) {
          const { xml } = await currentRecordXml({ db: database.db, actor: principal, schoolId: school.schoolId, versionId: v.id });
          const ids = readXadesSignatures(xml).map((s) => s.id);
          assert.equal(ids.length, 9, `record ${v.id}: 6 subject rows, homeroom, principal, seal`);
          assert.equal(ids.at(-1), 'sig-seal');
          for (const id of ids) {
            const r = await xmlsec.verify(xml, id);
            assert.ok(r.ok, `record ${v.id}, ${id}: ${r.output}`);
          }
        }
        const { pdf } = await sealedRecordPdf({ db: database.db, actor: principal, schoolId: school.schoolId, versionId: final[0]!.id });
        const checked = await pdfsig.check(pdf);
        assert.ok(checked.signatures.length === 1 && checked.signatures[0]!.valid && checked.signatures[0]!.trusted, checked.output);
      } finally {
        await xmlsec.close();
        await pdfsig.close();
      }
    });
  });
}
