/**
 * Sending school: export a leaving student's transfer package (docs/transfer.md) — every
 * sealed record version (the sealed PDF and the signed XML as stored), the identity data the
 * receiving school needs to enrol, and a manifest listing each file with its SHA-256, signed
 * with the school seal. The ZIP is stored (transfers_out) so it can be downloaded again
 * until the receiving school's acknowledgment comes back; the export is audited.
 */
import { assertRealSchool } from '../practice/practice-school.ts';
import { randomUUID, createHash } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { recordPdfs, recordVersions, schoolYears, students, transfersOut } from '../../db/schema.ts';
import { currentSignedXml, sealedPdfsOf } from '../records/document-store.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { TransferOutView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import type { SigningEnv } from '../signing/signing-env.ts';
import { MANIFEST_DATA_ID, MANIFEST_SIGNATURE_ID, TRANSFER_STUDENT_FIELDS, writeManifest, type ManifestFile, type TransferStudent } from './manifest.ts';
import { MANIFEST_PATH, writePackage } from './package-zip.ts';
import { openSchoolSeal, schoolRef, sealTransferDocument } from './school-seal.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export type TransferOutSummary = TransferOutView;

/** An ASCII file name for the package: hocba-chuyen-truong-<student code or id>-<date>.zip. */
function fileNameFor(student: { studentCode: string | null; id: string }, now: Date): string {
  return `hocba-chuyen-truong-${student.studentCode ?? student.id.slice(0, 8)}-${now.toISOString().slice(0, 10)}.zip`;
}

function cleanText(v: string, field: string, max: number): string {
  const s = v.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (s.length < 2 || s.length > max) throw new DomainError('validation', { summary: field }, [{ path: field, message: `2–${max} characters` }]);
  return s;
}

/** The sealed versions of a student with their PDF and signed XML, oldest year first. */
async function sealedRecordsOf(tx: Tx, studentId: string) {
  const rows = await tx
    .select({ id: recordVersions.id, version: recordVersions.version, year: schoolYears.name, xml: recordVersions.xml })
    .from(recordVersions)
    .innerJoin(schoolYears, eq(schoolYears.id, recordVersions.schoolYearId))
    .innerJoin(recordPdfs, eq(recordPdfs.versionId, recordVersions.id))
    .where(and(eq(recordVersions.studentId, studentId), eq(recordVersions.state, 'sealed')))
    .orderBy(asc(schoolYears.startsOn), asc(recordVersions.version));
  const out: Array<{ year: string; version: number; pdf: Buffer; xml: string }> = [];
  const ids = rows.map((r) => r.id);
  const signed = await currentSignedXml(tx, ids);
  const pdfs = await sealedPdfsOf(tx, ids);
  for (const r of rows) out.push({ year: r.year, version: r.version, pdf: pdfs.get(r.id)!.pdf, xml: signed.get(r.id)?.xml ?? r.xml });
  return out;
}

/**
 * Builds, seals and stores the package; `password` unlocks the seal key. not_found when the
 * student has no sealed record; validation when the student has no personal id number
 * (the receiving school matches students by it).
 */
export async function exportTransferPackage(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; studentId: string; destination: string; reason: string; password: string; env: SigningEnv; now?: Date }): Promise<TransferOutSummary> {
  await assertRealSchool(opts.db, opts.schoolId, { vi: 'lập hồ sơ chuyển trường', en: 'make a transfer package' });
  const destination = cleanText(opts.destination, 'destination', 300);
  const reason = cleanText(opts.reason, 'reason', 1000);
  const now = opts.now ?? new Date();
  const school = await schoolRef(opts.db, opts.schoolId);
  const { student, records } = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [student] = await tx.select().from(students).where(eq(students.id, opts.studentId));
    if (!student) throw new DomainError('not_found', { what: 'học sinh / student' });
    return { student, records: await sealedRecordsOf(tx, student.id) };
  });
  if (!student.personalId) throw new DomainError('validation', { summary: 'personalId' }, [{ path: 'personalId', message: 'Học sinh chưa có số định danh cá nhân / the student has no personal id number' }]);
  if (records.length === 0) throw new DomainError('not_found', { what: `học bạ đã đóng dấu của ${student.fullName} / sealed record of ${student.fullName}` });

  const identity: Record<string, string> = {};
  for (const f of TRANSFER_STUDENT_FIELDS) {
    const v = (student as Record<string, unknown>)[f];
    if (typeof v === 'string' && v !== '') identity[f] = v;
  }
  const files: Array<{ path: string; bytes: Uint8Array }> = [];
  const listed: ManifestFile[] = [];
  for (const r of records) {
    for (const [kind, bytes] of [['pdf', new Uint8Array(r.pdf)], ['xml', new Uint8Array(Buffer.from(r.xml, 'utf8'))]] as const) {
      const path = `records/${r.year}-v${r.version}.${kind}`;
      files.push({ path, bytes });
      listed.push({ path, kind, schoolYear: r.year, version: r.version, size: bytes.length, sha256: sha256(bytes) });
    }
  }
  const packageId = randomUUID();
  const unsigned = writeManifest({ packageId, createdAt: now.toISOString(), sendingSchool: school, destination, reason, student: identity as TransferStudent, files: listed });
  const { signer } = await openSchoolSeal({ db: opts.db, userId: opts.actor.userId, schoolId: opts.schoolId, password: opts.password, env: opts.env });
  let manifest: string;
  try {
    manifest = await sealTransferDocument({ xml: unsigned, dataId: MANIFEST_DATA_ID, signatureId: MANIFEST_SIGNATURE_ID, signer, env: opts.env, now, what: `transfer manifest of ${student.fullName}` });
  } finally {
    await signer.close?.();
  }
  const zip = writePackage([{ path: MANIFEST_PATH, bytes: new Uint8Array(Buffer.from(manifest, 'utf8')) }, ...files], now);
  const digest = sha256(zip);
  const fileName = fileNameFor(student, now);
  const id = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [row] = await tx
      .insert(transfersOut)
      .values({ id: packageId, schoolId: opts.schoolId, studentId: student.id, destination, reason, fileName, package: Buffer.from(zip), sha256: digest, sizeBytes: zip.length, recordCount: records.length, createdBy: opts.who.userId!, createdByLabel: opts.who.label, createdAt: now })
      .returning({ id: transfersOut.id });
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'transfer.exported', targetType: 'student', targetId: student.id, after: { transferId: row!.id, destination, reason, records: records.map((r) => `${r.year} v${r.version}`), sha256: digest, bytes: zip.length } });
    return row!.id;
  });
  return (await listTransfersOut({ db: opts.db, schoolId: opts.schoolId, id }))[0]!;
}

/** The school's exported packages, newest first (or one of them). */
export async function listTransfersOut(opts: { db: Db; schoolId: string; id?: string; studentId?: string }): Promise<TransferOutSummary[]> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const conds = [opts.id ? eq(transfersOut.id, opts.id) : undefined, opts.studentId ? eq(transfersOut.studentId, opts.studentId) : undefined].filter((c) => c !== undefined);
    const rows = await tx
      .select({ t: { id: transfersOut.id, studentId: transfersOut.studentId, destination: transfersOut.destination, reason: transfersOut.reason, fileName: transfersOut.fileName, sha256: transfersOut.sha256, sizeBytes: transfersOut.sizeBytes, recordCount: transfersOut.recordCount, status: transfersOut.status, createdAt: transfersOut.createdAt, createdByLabel: transfersOut.createdByLabel, acknowledgedAt: transfersOut.acknowledgedAt, ackReceivingSchool: transfersOut.ackReceivingSchool }, studentName: students.fullName })
      .from(transfersOut)
      .innerJoin(students, eq(students.id, transfersOut.studentId))
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(transfersOut.createdAt))
      .limit(200);
    return rows.map(({ t, studentName }) => ({
      id: t.id,
      studentId: t.studentId,
      studentName,
      destination: t.destination,
      reason: t.reason,
      fileName: t.fileName,
      sha256: t.sha256,
      sizeBytes: t.sizeBytes,
      recordCount: t.recordCount,
      status: t.status as TransferOutSummary['status'],
      createdAt: t.createdAt.toISOString(),
      createdBy: t.createdByLabel,
      acknowledgedAt: t.acknowledgedAt?.toISOString() ?? null,
      receivingSchool: t.ackReceivingSchool,
    }));
  });
}

/** The stored ZIP of an exported package. */
export async function transferPackageBytes(opts: { db: Db; schoolId: string; id: string }): Promise<{ fileName: string; bytes: Buffer; sha256: string }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [row] = await tx.select({ fileName: transfersOut.fileName, bytes: transfersOut.package, sha256: transfersOut.sha256 }).from(transfersOut).where(eq(transfersOut.id, opts.id));
    if (!row) throw new DomainError('not_found', { what: 'gói chuyển trường / transfer package' });
    return row;
  });
}
