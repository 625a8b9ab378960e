/**
 * The demo out of the box: a TEST PKI under <data dir>/pki (the same layout `hocba pki demo`
 * writes) whose certificates name `<PUBLIC_URL>/pki` for OCSP and CRL, so the hocba server
 * itself answers them (server/routes/pki-routes.ts); then a certificate for every demo staff
 * member who signs (principal, vice principals, homeroom and subject teachers) and one for
 * the school seal, registered with keyRef {kind:'file'} pointing at the key file (0600).
 *
 * Demo staff and seal keys are ECDSA P-256: XAdES, PAdES and pdfsig accept them and ~90 keys
 * are generated in well under a second, where RSA-2048 took ~30 s. The CA keys stay RSA.
 * Idempotent: people who already have an active certificate are skipped, so it is safe on
 * every start.
 */
import { join, resolve } from 'node:path';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { roleGrants, schools, signingCertificates, staff, users } from '../../db/schema.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { Role } from '../../domain/policies/roles.ts';
import { emptyIndex, isSafeEntryName, pkiExists, readIndex, writeEntry, writeIndex, type PkiIndex } from '../../signing/pki/pki-directory.ts';
import { createTestPki, loadTestPki, type TestPki } from '../../signing/pki/test-pki.ts';
import type { Actor } from '../audit/append-audit.ts';
import { registerCertificate, type TrustContext } from './signing-certificates.ts';
import { demoPkiDir } from './trust-context.ts';

/** Roles whose holders sign records personally (the seal is separate). */
export const SIGNING_ROLES: readonly Role[] = ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'];

const SYSTEM_SCOPE: ActorScope = {
  userId: '00000000-0000-0000-0000-000000000000',
  schoolId: null,
  roles: new Set<Role>(['system_admin']),
  homeroomClassIds: new Set(),
  classSubjectIds: new Set(),
  taughtClassIds: new Set(),
  studentIds: new Set(),
};

/** Opens the demo PKI in `dir`, creating it (with `baseUrl`) when absent. */
export async function openOrCreateDemoPki(dir: string, baseUrl: string, log: (m: string) => void = () => undefined): Promise<{ pki: TestPki; index: PkiIndex; created: boolean }> {
  if (pkiExists(dir)) {
    const pki = await loadTestPki(dir);
    if (pki.baseUrl && pki.baseUrl !== baseUrl) log(`PKI THỬ NGHIỆM / test PKI in ${dir} names ${pki.baseUrl} for OCSP/CRL, not ${baseUrl}: certificates keep the old address (delete ${dir} to start over)`);
    let index: PkiIndex;
    try {
      index = await readIndex(dir);
    } catch {
      index = emptyIndex(pki.root);
    }
    return { pki, index, created: false };
  }
  const pki = await createTestPki({ baseUrl });
  await pki.save(dir);
  const index = emptyIndex(pki.root);
  await writeIndex(dir, index);
  return { pki, index, created: true };
}

/** A trust context over the demo PKI itself (no HTTP): used while the server is not listening yet. */
export function inProcessTrust(pki: TestPki): TrustContext {
  // One CRL for the whole run: nothing is revoked while certificates are being issued.
  let crl: Promise<Uint8Array> | null = null;
  return {
    trustAnchors: [pki.root.certificate],
    intermediates: [pki.issuing.certificate],
    revocation: async () => ({ ocspResponses: [], crls: [await (crl ??= pki.crl())] }),
  };
}

export interface DemoPkiResult {
  dir: string;
  created: boolean;
  issued: number;
  skipped: string[];
  ms: number;
}

/**
 * Ensures the demo PKI exists and every signer of every demo school (schools.is_demo) plus
 * its seal has an active certificate. `baseUrl` is `<PUBLIC_URL>/pki`.
 */
export async function ensureDemoCertificates(opts: { db: Db; dataDir: string; baseUrl: string; actor?: Actor; log?: (m: string) => void }): Promise<DemoPkiResult> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const who = opts.actor ?? { userId: null, label: 'demo' };
  const dir = resolve(demoPkiDir(opts.dataDir));
  const demoSchools = await inSystem(opts.db, (tx) => tx.select({ id: schools.id, code: schools.code, name: schools.name, practice: schools.practiceOfSchoolId }).from(schools).where(and(eq(schools.isDemo, true), isNull(schools.retiredAt))));
  if (demoSchools.length === 0) return { dir, created: false, issued: 0, skipped: [], ms: 0 };
  const { pki, index, created } = await openOrCreateDemoPki(dir, opts.baseUrl, log);
  if (created) log(`Đã tạo PKI THỬ NGHIỆM / test PKI created in ${dir} — KHÔNG DÙNG THẬT / NOT FOR REAL USE`);
  const trust = inProcessTrust(pki);
  const skipped: string[] = [];
  let issued = 0;
  for (const school of demoSchools) {
    // staff is school-owned, users and role_grants deployment-wide: this is system work anyway.
    const people = await inSystem(opts.db, async (tx) => {
      const signers = await tx
        .selectDistinct({ userId: users.id, username: users.username, fullName: staff.fullName, email: staff.email })
        .from(staff)
        .innerJoin(users, eq(users.id, staff.userId))
        .innerJoin(roleGrants, and(eq(roleGrants.userId, users.id), eq(roleGrants.schoolId, school.id)))
        .where(and(eq(staff.schoolId, school.id), inArray(roleGrants.role, [...SIGNING_ROLES]), isNull(users.disabledAt)));
      const have = await tx.select({ userId: signingCertificates.userId }).from(signingCertificates).where(and(eq(signingCertificates.schoolId, school.id), eq(signingCertificates.status, 'active')));
      const holders = new Set(have.map((h) => h.userId));
      return { todo: signers.filter((s) => !holders.has(s.userId)).sort((a, b) => a.username.localeCompare(b.username)), sealDone: holders.has(null) };
    });
    const total = people.todo.length + (people.sealDone ? 0 : 1);
    if (total === 0) continue;
    log(`Cấp chứng thư THỬ NGHIỆM / issuing TEST certificates for ${school.name}: ${total}…`);
    let lastReport = Date.now();
    for (const p of people.todo) {
      // A practice school's signers are real people who may hold a demo key elsewhere: their
      // key files are named per school so one never overwrites another.
      const entryName = school.practice ? `${school.code}.${p.username}` : p.username;
      if (!isSafeEntryName(entryName)) {
        skipped.push(`${entryName}: unusable as a file name`);
        continue;
      }
      const id = await pki.issue({ commonName: p.fullName, organization: school.name, uid: p.username, keyType: 'ec-p256', ...(p.email ? { email: p.email } : {}) });
      const entry = await writeEntry(dir, index, 'users', entryName, id);
      await registerCertificate({ db: opts.db, actor: SYSTEM_SCOPE, who, schoolId: school.id, userId: p.userId, certificate: id.certificate, chain: id.chain.slice(1), source: 'demo', keyRef: { kind: 'file', path: join(dir, entry.privateKey) }, trust });
      issued++;
      if (Date.now() - lastReport > 2_000) {
        log(`  … ${issued}/${total}`);
        lastReport = Date.now();
      }
    }
    if (!people.sealDone) {
      if (!isSafeEntryName(school.code)) skipped.push(`school ${school.code}: code unusable as a file name`);
      else {
        const id = await pki.issue({ commonName: school.name, organization: school.name, kind: 'seal', serialNumber: school.code, keyType: 'ec-p256' });
        const entry = await writeEntry(dir, index, 'seals', school.code, id);
        await registerCertificate({ db: opts.db, actor: SYSTEM_SCOPE, who, schoolId: school.id, userId: null, certificate: id.certificate, chain: id.chain.slice(1), source: 'demo', keyRef: { kind: 'file', path: join(dir, entry.privateKey) }, trust });
        issued++;
      }
    }
    await writeIndex(dir, index);
  }
  await pki.save(dir);
  const ms = Date.now() - t0;
  if (issued) log(`Đã cấp và đăng ký / issued and registered ${issued} TEST certificates in ${ms} ms`);
  for (const s of skipped) log(`  bỏ qua / skipped: ${s}`);
  return { dir, created, issued, skipped, ms };
}
