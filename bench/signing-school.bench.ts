/**
 * Signing the whole demo school (issue 7, "must show"): the demo school with its finished
 * year (loadDemoSchool year:true, ≈1,500 students) on an embedded PGlite database, every class
 * frozen, a demo certificate (software ECDSA P-256 key, as `ensureDemoCertificates` issues for
 * the demo) for every signer and the seal, then every record through the four steps with the
 * real services, server-held keys (signBatchWithServerKey, the account password as PIN):
 *   1. subject — one batch per teacher and class (their subject rows);
 *   2. homeroom — one batch per class;
 *   3. principal — one batch per grade;
 *   4. seal — one batch for the school (XAdES-T, sealed PDF/A-3 PAdES B-LT, both validated).
 * OCSP, CRL and the TSA are the test PKI's services over HTTP on 127.0.0.1, as in the demo.
 * Prints the time per step, total seconds, records/s, signatures/s, the raw ECDSA P-256
 * signature rate of the same software signer in the same run (the floor no batch can beat),
 * and the peak RSS. HOCBA_BENCH_CLASSES=N limits the run to the first N classes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.ts';
import { inSystem } from '../src/db/scope.ts';
import { classes, classSubjects, homeroomAssignments, recordSignatures, recordVersions, roleGrants, staff } from '../src/db/schema.ts';
import type { SigningStep } from '../src/domain/record/signing-order.ts';
import { verifyAudit } from '../src/services/audit/verify-audit.ts';
import { loadActor } from '../src/services/auth/load-actor.ts';
import { ensureDemoCertificates } from '../src/services/certificates/demo-pki.ts';
import { demoPkiDir } from '../src/services/certificates/trust-context.ts';
import { loadDemoSchool } from '../src/services/demo/load-demo-school.ts';
import { freezeClass } from '../src/services/records/freeze-class.ts';
import { prepareSigningBatch, type SigningTarget } from '../src/services/signing/prepare-batch.ts';
import { signBatchWithServerKey } from '../src/services/signing/server-key.ts';
import type { SigningEnv } from '../src/services/signing/signing-env.ts';
import { listenPkiServices } from '../src/signing/pki/pki-services.ts';
import { loadTestPki } from '../src/signing/pki/test-pki.ts';
import { revocationClient } from '../src/signing/revocation/revocation-client.ts';
import { softwareSigner } from '../src/signing/signers/software-signer.ts';
import { tsaClient } from '../src/signing/tsa/tsa-client.ts';
import { fullScale, type Figure } from './results.ts';

const RAW_SIGNATURES = 3_000;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const s = (ms: number) => (ms / 1000).toFixed(1);
const per = (n: number, ms: number) => (n / (ms / 1000)).toFixed(n / (ms / 1000) >= 100 ? 0 : 1);

export async function run(): Promise<Figure[]> {
  // Quick scale: 3 classes of the demo's 36 (HOCBA_BENCH_CLASSES overrides; --full signs all).
  const limit = Number.parseInt(process.env.HOCBA_BENCH_CLASSES ?? (fullScale() ? '' : '3'), 10);
  const figures: Figure[] = [];
  let scale = '';
  const dataDir = await mkdtemp(join(tmpdir(), 'hocba-bench-signing-'));
  const services = await listenPkiServices({ unref: true });
  const database = await openDatabase({ memory: true });
  try {
    const { db } = database;
    const t0 = performance.now();
    const loaded = await loadDemoSchool({ db, year: true });
    const { schoolId, password } = loaded;
    // The demo certificates, named for this run's PKI services (OCSP, CRL) on 127.0.0.1.
    const certs = await ensureDemoCertificates({ db, dataDir, baseUrl: services.url });
    const pki = await loadTestPki(demoPkiDir(dataDir));
    services.attach(pki);
    const env: SigningEnv = {
      trust: { trustAnchors: [pki.root.certificate], intermediates: [pki.issuing.certificate], revocation: revocationClient() },
      timestamp: tsaClient(`${services.url}/tsa`),
      publicUrl: 'https://hocba.example.vn',
      dataDir,
    };
    let classRows = (await db.select().from(classes).where(eq(classes.schoolId, schoolId))).sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, 'vi'));
    if (Number.isFinite(limit) && limit > 0) classRows = classRows.slice(0, limit);
    const actors = new Map<string, Awaited<ReturnType<typeof loadActor>>>();
    const actorOf = async (userId: string) => {
      let a = actors.get(userId);
      if (!a) actors.set(userId, (a = await loadActor(db, userId, schoolId)));
      return a;
    };
    const setupMs = performance.now() - t0;
    scale = `${classRows.length < loaded.demo.classes.length ? `quick: ${classRows.length} of ${loaded.demo.classes.length} classes` : `full: all ${classRows.length} classes`} of the demo school, PGlite in memory, ECDSA P-256 software keys`;
    console.log(`setup: demo school with its year (${loaded.year?.students ?? '?'} students, ${loaded.demo.classes.length} classes), ${certs.issued} demo certificates (software ECDSA P-256 keys): ${s(setupMs)} s${classRows.length < loaded.demo.classes.length ? ` — HOCBA_BENCH_CLASSES: ${classRows.length} classes` : ''}`);

    // Freeze every class, as its homeroom teacher does.
    const tf = performance.now();
    const homeroomOf = new Map<string, string>();
    let blocked = 0;
    for (const c of classRows) {
      const [hr] = await db.select({ userId: staff.userId }).from(homeroomAssignments).innerJoin(staff, eq(staff.id, homeroomAssignments.staffId)).where(eq(homeroomAssignments.classId, c.id));
      homeroomOf.set(c.id, hr!.userId!);
      const r = await freezeClass({ db, actor: await actorOf(hr!.userId!), who: { userId: hr!.userId!, label: 'bench homeroom' }, schoolId, classId: c.id });
      blocked += r.blocked.length;
    }
    const records = (await db.select({ id: recordVersions.id }).from(recordVersions).where(eq(recordVersions.schoolId, schoolId))).length;
    console.log(`freeze: ${records} records (${blocked} blocked by the demo's deliberate problems) in ${s(performance.now() - tf)} s`);

    const [principalId, clerkId] = await inSystem(db, async (tx) => {
      const grants = await tx.select({ userId: roleGrants.userId, role: roleGrants.role }).from(roleGrants).where(and(eq(roleGrants.schoolId, schoolId), inArray(roleGrants.role, ['principal', 'clerk'])));
      return [grants.find((g) => g.role === 'principal')!.userId, grants.find((g) => g.role === 'clerk')!.userId];
    });

    // Batches per step: who signs which target.
    const plan: Record<SigningStep, Array<{ userId: string; target: SigningTarget }>> = { subject: [], homeroom: [], principal: [], seal: [] };
    for (const c of classRows) {
      const teachers = await db.selectDistinct({ userId: staff.userId }).from(classSubjects).innerJoin(staff, eq(staff.id, classSubjects.teacherStaffId)).where(eq(classSubjects.classId, c.id));
      for (const t of teachers) plan.subject.push({ userId: t.userId!, target: { classId: c.id } });
      plan.homeroom.push({ userId: homeroomOf.get(c.id)!, target: { classId: c.id } });
    }
    for (const grade of [...new Set(classRows.map((c) => c.grade))]) plan.principal.push({ userId: principalId, target: { grade } });
    plan.seal.push({ userId: clerkId, target: { school: true } });

    const totals = { ms: 0, signatures: 0 };
    let algorithm = '';
    for (const step of ['subject', 'homeroom', 'principal', 'seal'] as const) {
      const ts = performance.now();
      let signed = 0;
      let failed = 0;
      let refused = 0;
      let firstError = '';
      for (const b of plan[step]) {
        const actor = await actorOf(b.userId);
        const who = { userId: b.userId, label: `bench ${step}` };
        const prepared = await prepareSigningBatch({ db, actor, who, schoolId, step, target: b.target, env });
        algorithm ||= prepared.algorithm;
        refused += prepared.refused.length;
        if (prepared.items.length === 0) continue;
        const r = await signBatchWithServerKey({ db, actor, who, schoolId, batchId: prepared.batchId, password, env });
        signed += r.progress.signed;
        failed += r.progress.failed;
        firstError ||= r.results.find((x) => x.error)?.error?.message ?? '';
      }
      const ms = performance.now() - ts;
      totals.ms += ms;
      totals.signatures += signed;
      figures.push({ name: `${step} step signatures`, value: signed / (ms / 1000), unit: 'signatures/s', scale });
      console.log(
        `${step.padEnd(9)} ${String(plan[step].length).padStart(4)} batches ${String(signed).padStart(6)} signatures ${s(ms).padStart(7)} s ${per(signed, ms).padStart(6)} signatures/s${failed || refused ? `  (failed ${failed}, refused ${refused}${firstError ? `: ${firstError}` : ''})` : ''}`,
      );
    }
    const sealed = (await db.select({ id: recordVersions.id }).from(recordVersions).where(and(eq(recordVersions.schoolId, schoolId), eq(recordVersions.state, 'sealed')))).length;
    const stored = (await db.select({ id: recordSignatures.id }).from(recordSignatures).where(eq(recordSignatures.schoolId, schoolId))).length;
    console.log(`total: ${sealed}/${records} records sealed, ${stored} signatures stored (${(stored / Math.max(sealed, 1)).toFixed(1)} per record) in ${s(totals.ms)} s: ${per(sealed, totals.ms)} records/s, ${per(totals.signatures, totals.ms)} signatures/s (${algorithm})`);
    figures.push({ name: 'records sealed (freeze excluded)', value: sealed / (totals.ms / 1000), unit: 'records/s', scale, notes: `${sealed} of ${records} records` });
    const audit = await verifyAudit({ database });
    console.log(`audit chain: ${audit.ok ? 'verifies' : `BROKEN at ${JSON.stringify(audit.firstBroken)}`} (${audit.checked} entries)`);

    // The floor: raw signatures of the same key type with the same software signer.
    const id = await pki.issue({ commonName: 'Raw floor BENCH', keyType: 'ec-p256' });
    const raw = softwareSigner({ privateKey: id.privateKeyPem, chain: id.chain });
    const digests = Array.from({ length: RAW_SIGNATURES }, () => ({ digest: new Uint8Array(randomBytes(32)) }));
    const tr = performance.now();
    for (let i = 0; i < digests.length; i += 200) await raw.signDigests({ algorithm: 'ECDSA-SHA256', items: digests.slice(i, i + 200) });
    const rawMs = performance.now() - tr;
    figures.push({ name: 'raw ECDSA P-256 signatures (floor)', value: RAW_SIGNATURES / (rawMs / 1000), unit: 'signatures/s', scale: `${RAW_SIGNATURES} digests` });
    console.log(`raw floor: ${RAW_SIGNATURES} ECDSA P-256 signatures (softwareSigner.signDigests) in ${s(rawMs)} s: ${per(RAW_SIGNATURES, rawMs)} signatures/s`);
  } finally {
    await database.close();
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB (process.resourceUsage().maxRSS)`);
  return figures;
}
