/**
 * Receiving school: import a transfer package (docs/transfer.md). All or nothing: the whole
 * package is verified first (verify-package.ts) and the acknowledgment signed with this
 * school's seal; then one transaction matches the student by personal id number (or creates
 * them), enrols them in the chosen class as "chuyển đến", attaches every record read-only
 * (external_records, with its verification reports), keeps the package and its manifest
 * report (transfers_in) and writes the audit entry. Any refusal stores nothing.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, enrolments, externalRecords, schoolYears, students, transfersIn } from '../../db/schema.ts';
import { DomainError, type Lang } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { ExternalRecordView, TransferInResultView, TransferInView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import type { SigningEnv } from '../signing/signing-env.ts';
import { normaliseProfileInput, studentUniqueConflict } from '../students/student-profile.ts';
import { ACK_DATA_ID, ACK_SIGNATURE_ID, writeAcknowledgment } from './manifest.ts';
import { PackageError } from './package-zip.ts';
import { openSchoolSeal, schoolRef, sealTransferDocument } from './school-seal.ts';
import { verifyTransferPackage, type VerifiedPackage } from './verify-package.ts';

export type TransferInResult = TransferInResultView;

/** A PackageError as the DomainError the API returns (names the file and the check). */
export function refusal(e: PackageError): DomainError {
  return new DomainError('transfer.refused', { file: e.file, check: e.check, detail: e.detail });
}

/** Verifies without storing anything; PackageError becomes transfer.refused. */
export async function verifyForImport(content: Uint8Array, env: SigningEnv, now: Date): Promise<VerifiedPackage> {
  try {
    return await verifyTransferPackage(content, env.trust, now);
  } catch (e) {
    if (e instanceof PackageError) throw refusal(e);
    throw e;
  }
}

/** Imports a package into the class `classId` (current or given year); see the module comment. */
export async function importTransferPackage(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; content: Uint8Array; classId: string; password: string; env: SigningEnv; now?: Date; lang?: Lang }): Promise<TransferInResult> {
  const now = opts.now ?? new Date();
  const lang = opts.lang ?? 'vi';
  const cls = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [c] = await tx.select({ id: classes.id, name: classes.name, schoolYearId: classes.schoolYearId, startsOn: schoolYears.startsOn, endsOn: schoolYears.endsOn }).from(classes).innerJoin(schoolYears, eq(schoolYears.id, classes.schoolYearId)).where(eq(classes.id, opts.classId));
    if (!c) throw new DomainError('not_found', { what: 'lớp / class' });
    return c;
  });
  const verified = await verifyForImport(opts.content, opts.env, now);
  const { manifest } = verified;
  let values: Record<string, string | null>;
  try {
    values = normaliseProfileInput({ ...manifest.student }, lang) as Record<string, string | null>;
  } catch (e) {
    if (e instanceof DomainError) throw new DomainError('transfer.refused', { file: 'manifest.xml', check: 'student data', detail: e.localized(lang) });
    throw e;
  }
  const receiving = await schoolRef(opts.db, opts.schoolId);
  const already = await inSchool(opts.db, opts.schoolId, (tx) => tx.select({ at: transfersIn.importedAt }).from(transfersIn).where(eq(transfersIn.packageSha256, verified.sha256)));
  if (already[0]) throw new DomainError('conflict', { what: `Gói chuyển trường này (nhập ngày ${already[0].at.toISOString().slice(0, 10)}) / This transfer package (imported ${already[0].at.toISOString().slice(0, 10)})` });

  const ackXml = writeAcknowledgment({
    packageId: manifest.packageId,
    packageSha256: verified.sha256,
    receivingSchool: receiving,
    sendingSchool: manifest.sendingSchool,
    student: { personalId: manifest.student.personalId!, fullName: manifest.student.fullName },
    receivedAt: now.toISOString(),
    result: 'accepted',
    recordCount: verified.records.length,
  });
  const { signer } = await openSchoolSeal({ db: opts.db, userId: opts.actor.userId, schoolId: opts.schoolId, password: opts.password, env: opts.env });
  let signedAck: string;
  try {
    signedAck = await sealTransferDocument({ xml: ackXml, dataId: ACK_DATA_ID, signatureId: ACK_SIGNATURE_ID, signer, env: opts.env, now, what: `transfer acknowledgment of ${manifest.student.fullName}` });
  } finally {
    await signer.close?.();
  }

  const on = now.toISOString().slice(0, 10);
  const day = on < cls.startsOn ? cls.startsOn : on > cls.endsOn ? cls.endsOn : on;
  const note = `Chuyển đến từ ${manifest.sendingSchool.name} (${manifest.sendingSchool.code}): ${manifest.reason}`;
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    // Two imports of the same package at once: the unique index lets one win; the other is told so.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`transfer-in:${verified.sha256}`}))`);
    const [dup] = await tx.select({ id: transfersIn.id }).from(transfersIn).where(eq(transfersIn.packageSha256, verified.sha256));
    if (dup) throw new DomainError('conflict', { what: 'Gói chuyển trường này / This transfer package' });
    const [existing] = await tx.select({ id: students.id, fullName: students.fullName }).from(students).where(eq(students.personalId, manifest.student.personalId!));
    let studentId: string;
    let studentName: string;
    if (existing) {
      studentId = existing.id;
      studentName = existing.fullName;
    } else {
      try {
        const [s] = await tx.insert(students).values({ ...(values as Record<string, string>), schoolId: opts.schoolId, fullName: values.fullName!, gender: values.gender!, birthDate: values.birthDate! }).returning({ id: students.id, fullName: students.fullName });
        studentId = s!.id;
        studentName = s!.fullName;
      } catch (err) {
        throw studentUniqueConflict(err, lang);
      }
    }
    const [active] = await tx.select({ id: enrolments.id }).from(enrolments).where(and(eq(enrolments.studentId, studentId), eq(enrolments.schoolYearId, cls.schoolYearId), eq(enrolments.status, 'active')));
    if (!active) await tx.insert(enrolments).values({ schoolId: opts.schoolId, studentId, schoolYearId: cls.schoolYearId, classId: cls.id, enrolledOn: day, joinedAs: 'transfer_in', note });
    const [t] = await tx
      .insert(transfersIn)
      .values({
        schoolId: opts.schoolId,
        studentId,
        packageId: manifest.packageId,
        packageSha256: verified.sha256,
        package: Buffer.from(opts.content),
        sendingSchoolCode: manifest.sendingSchool.code,
        sendingSchoolName: manifest.sendingSchool.name,
        manifestXml: verified.manifestXml,
        manifestReport: verified.manifestReport,
        ackXml: signedAck,
        studentMatch: existing ? 'matched' : 'created',
        importedBy: opts.who.userId!,
        importedByLabel: opts.who.label,
        importedAt: now,
      })
      .returning({ id: transfersIn.id });
    for (const r of verified.records) {
      await tx.insert(externalRecords).values({
        schoolId: opts.schoolId,
        transferId: t!.id,
        studentId,
        schoolYear: r.schoolYear,
        version: r.version,
        sourceSchoolCode: r.snapshot.school.code,
        sourceSchoolName: r.snapshot.school.name,
        pdf: Buffer.from(r.pdf),
        pdfSha256: r.pdfSha256,
        xml: r.xml,
        xmlSha256: r.xmlSha256,
        snapshot: r.snapshot,
        report: r.report,
      });
    }
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: 'transfer.imported',
      targetType: 'student',
      targetId: studentId,
      after: { transferId: t!.id, from: manifest.sendingSchool, packageSha256: verified.sha256, student: existing ? 'matched' : 'created', class: cls.name, enrolled: !active, records: verified.records.map((r) => `${r.schoolYear} v${r.version}`) },
    });
    return {
      transferId: t!.id,
      studentId,
      studentName,
      studentMatch: existing ? 'matched' : 'created',
      enrolled: !active,
      className: cls.name,
      sendingSchool: { code: manifest.sendingSchool.code, name: manifest.sendingSchool.name },
      packageSha256: verified.sha256,
      records: verified.records.map((r) => ({ schoolYear: r.schoolYear, version: r.version, signatures: r.report.xml.signatures.length })),
      ackFileName: ackFileName(manifest.student.studentCode ?? manifest.packageId.slice(0, 8)),
    } satisfies TransferInResult;
  });
}

const ackFileName = (who: string) => `hocba-xac-nhan-tiep-nhan-${who.replace(/[^A-Za-z0-9_-]/g, '')}.xml`;

/** The signed acknowledgment of an imported package, for download. */
export async function transferAckXml(opts: { db: Db; schoolId: string; transferId: string }): Promise<{ fileName: string; xml: string }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [row] = await tx.select({ xml: transfersIn.ackXml, packageId: transfersIn.packageId, code: students.studentCode }).from(transfersIn).innerJoin(students, eq(students.id, transfersIn.studentId)).where(eq(transfersIn.id, opts.transferId));
    if (!row) throw new DomainError('not_found', { what: 'gói đã nhập / imported transfer' });
    return { fileName: ackFileName(row.code ?? row.packageId.slice(0, 8)), xml: row.xml };
  });
}

export type TransferInSummary = TransferInView;

/** The packages this school imported, newest first. */
export async function listTransfersIn(opts: { db: Db; schoolId: string }): Promise<TransferInSummary[]> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rows = await tx
      .select({ id: transfersIn.id, studentId: transfersIn.studentId, studentName: students.fullName, sendingSchool: transfersIn.sendingSchoolName, packageSha256: transfersIn.packageSha256, studentMatch: transfersIn.studentMatch, importedAt: transfersIn.importedAt, importedBy: transfersIn.importedByLabel })
      .from(transfersIn)
      .innerJoin(students, eq(students.id, transfersIn.studentId))
      .orderBy(asc(transfersIn.importedAt))
      .limit(200);
    const counts = await tx.select({ transferId: externalRecords.transferId }).from(externalRecords);
    return rows.reverse().map((r) => ({ ...r, importedAt: r.importedAt.toISOString(), recordCount: counts.filter((c) => c.transferId === r.id).length }));
  });
}

export type ExternalRecordSummary = ExternalRecordView;

/** The records from other schools attached to a student (read-only), oldest year first. */
export async function externalRecordsOf(opts: { db: Db; schoolId: string; studentId: string }): Promise<ExternalRecordSummary[]> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rows = await tx
      .select({ id: externalRecords.id, schoolYear: externalRecords.schoolYear, version: externalRecords.version, sourceSchool: externalRecords.sourceSchoolName, pdfSha256: externalRecords.pdfSha256, snapshot: externalRecords.snapshot, report: externalRecords.report })
      .from(externalRecords)
      .where(eq(externalRecords.studentId, opts.studentId))
      .orderBy(asc(externalRecords.schoolYear), asc(externalRecords.version));
    return rows.map((r) => {
      const report = r.report as VerifiedPackage['records'][number]['report'];
      return {
        id: r.id,
        schoolYear: r.schoolYear,
        version: r.version,
        sourceSchool: r.sourceSchool,
        className: (r.snapshot as { identity: { className: string } }).identity.className,
        pdfSha256: r.pdfSha256,
        signatures: report.xml.signatures.map((s) => ({ id: s.id, signer: s.signer?.commonName ?? null, role: s.claimedRole, time: s.timestampTime ?? s.signingTime })),
        verifiedAt: report.xml.validatedAt,
        status: report.xml.status === 'passed' && report.pdf.status === 'passed' ? 'passed' : 'failed',
      };
    });
  });
}

/** One external record's PDF or XML, as received. */
export async function externalRecordFile(opts: { db: Db; schoolId: string; id: string; kind: 'pdf' | 'xml' }): Promise<{ fileName: string; bytes: Buffer; contentType: string }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [r] = await tx.select({ pdf: externalRecords.pdf, xml: externalRecords.xml, year: externalRecords.schoolYear, version: externalRecords.version, code: externalRecords.sourceSchoolCode }).from(externalRecords).where(eq(externalRecords.id, opts.id));
    if (!r) throw new DomainError('not_found', { what: 'học bạ từ trường khác / external record' });
    const base = `hocba-${r.code.replace(/[^A-Za-z0-9_-]/g, '')}-${r.year}-v${r.version}`;
    return opts.kind === 'pdf' ? { fileName: `${base}.pdf`, bytes: r.pdf, contentType: 'application/pdf' } : { fileName: `${base}.xml`, bytes: Buffer.from(r.xml, 'utf8'), contentType: 'application/xml' };
  });
}
