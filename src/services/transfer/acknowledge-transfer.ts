/**
 * Sending school: record the receiving school's signed acknowledgment (docs/transfer.md).
 * The acknowledgment must be a well-formed transfer acknowledgment, its XAdES signature valid
 * against this deployment's trust anchors and made by the seal of the receiving school it
 * names, address this school, and name the SHA-256 and id of a package this school exported
 * for that student. Then, in one audited transaction, the package is marked acknowledged and
 * the student's active enrolment ends as transferred out (chuyển đi).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { enrolments, schoolYears, students, transfersOut } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { validateDocument } from '../../signing/validation/index.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { sameName } from '../certificates/signing-certificates.ts';
import type { SigningEnv } from '../signing/signing-env.ts';
import { ACK_DATA_ID, ACK_SIGNATURE_ID, MAX_MANIFEST_BYTES, readAcknowledgment, TRANSFER_SIGNATURE_CONTAINER, TransferFormatError, type TransferAcknowledgment } from './manifest.ts';
import { listTransfersOut, type TransferOutSummary } from './export-transfer.ts';
import { schoolRef } from './school-seal.ts';
import { firstProblem } from './verify-package.ts';

const refused = (check: string, detail: string) => new DomainError('transfer.ack_refused', { check, detail });

/** Verifies and records an acknowledgment; returns the updated package summary. */
export async function acknowledgeTransfer(opts: { db: Db; who: Actor; schoolId: string; content: Uint8Array; env: SigningEnv; now?: Date }): Promise<TransferOutSummary & { studentTransferredOut: boolean }> {
  const now = opts.now ?? new Date();
  if (opts.content.length > MAX_MANIFEST_BYTES) throw refused('size', `${opts.content.length} bytes, above ${MAX_MANIFEST_BYTES}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(opts.content);
  } catch {
    throw refused('format', 'not valid UTF-8 text');
  }
  let ack: TransferAcknowledgment;
  try {
    ack = readAcknowledgment(text);
  } catch (e) {
    if (e instanceof TransferFormatError) throw refused('format', e.message);
    throw e;
  }
  const trust = opts.env.trust;
  const report = await validateDocument(opts.content, { trustAnchors: trust.trustAnchors, intermediates: trust.intermediates ?? [], revocation: trust.revocation, now: trust.now?.() ?? now, xmlContainer: TRANSFER_SIGNATURE_CONTAINER, expected: { xml: { [ACK_SIGNATURE_ID]: [ACK_DATA_ID] } }, maxBytes: MAX_MANIFEST_BYTES });
  if (report.status !== 'passed') throw refused('signature', firstProblem(report));
  const signer = report.signatures[0]?.signer;
  if (report.signatures.length !== 1 || !signer || !sameName(signer.commonName, ack.receivingSchool.name)) throw refused('signer', `signed by "${signer?.commonName ?? '?'}", not by the seal of the receiving school "${ack.receivingSchool.name}"`);
  const me = await schoolRef(opts.db, opts.schoolId);
  if (ack.sendingSchool.code !== me.code) throw refused('sending school', `addressed to school ${ack.sendingSchool.code} (${ack.sendingSchool.name}), not to this school ${me.code}`);

  const result = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [t] = await tx.select({ id: transfersOut.id, studentId: transfersOut.studentId, status: transfersOut.status, personalId: students.personalId }).from(transfersOut).innerJoin(students, eq(students.id, transfersOut.studentId)).where(eq(transfersOut.sha256, ack.packageSha256)).for('update', { of: transfersOut });
    if (!t || t.id !== ack.packageId) throw refused('package', `no package with id ${ack.packageId} and SHA-256 ${ack.packageSha256} was exported by this school`);
    if (t.personalId !== ack.student.personalId) throw refused('student', `names personal id ${ack.student.personalId}, the package was for ${t.personalId ?? '(none)'}`);
    if (t.status === 'acknowledged') throw new DomainError('conflict', { what: 'Giấy xác nhận của gói này / The acknowledgment of this package' });
    await tx.update(transfersOut).set({ status: 'acknowledged', ackXml: text, ackReport: report, ackReceivingSchool: `${ack.receivingSchool.name} (${ack.receivingSchool.code})`, acknowledgedAt: now }).where(eq(transfersOut.id, t.id));
    // The student leaves: the active enrolment of the current year ends as transferred_out (when there is one).
    const [active] = await tx
      .select({ id: enrolments.id, enrolledOn: enrolments.enrolledOn })
      .from(enrolments)
      .innerJoin(schoolYears, and(eq(schoolYears.id, enrolments.schoolYearId), eq(schoolYears.isCurrent, true)))
      .where(and(eq(enrolments.studentId, t.studentId), eq(enrolments.status, 'active')));
    const on = ack.receivedAt.slice(0, 10);
    if (active) await tx.update(enrolments).set({ status: 'transferred_out', leftOn: active.enrolledOn && on < active.enrolledOn ? active.enrolledOn : on, note: `Chuyển đến ${ack.receivingSchool.name} (${ack.receivingSchool.code}), đã xác nhận tiếp nhận` }).where(eq(enrolments.id, active.id));
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'transfer.acknowledged', targetType: 'student', targetId: t.studentId, before: { status: 'exported' }, after: { transferId: t.id, receivingSchool: ack.receivingSchool, receivedAt: ack.receivedAt, packageSha256: ack.packageSha256, studentTransferredOut: Boolean(active) } });
    return { id: t.id, transferredOut: Boolean(active) };
  });
  const [summary] = await listTransfersOut({ db: opts.db, schoolId: opts.schoolId, id: result.id });
  return { ...summary!, studentTransferredOut: result.transferredOut };
}
