/**
 * The sealed record PDF: once the clerk's seal (XAdES-T) is on the XML, the PDF/A-3 is
 * rendered with that signed XML embedded and every signer's block (name, role, time,
 * certificate, handwritten signature / seal image), sealed with the school's organisation
 * key as PAdES B-T, and given the revocation evidence (DSS, B-LT). Both documents must
 * validate against the trust context before anything is stored.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/scope.ts';
import { recordSignatures, schools, signingCertificates } from '../../db/schema.ts';
import { hbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { renderRecordDocument, type SignatureBlock } from '../../documents/pdf/render-record.ts';
import { DomainError } from '../../domain/errors.ts';
import { signPdf } from '../../signing/pades/index.ts';
import { revocationClient } from '../../signing/revocation/revocation-client.ts';
import type { Signer } from '../../signing/signer.ts';
import { validateDocument, type ValidationReport } from '../../signing/validation/index.ts';
import { putSealedPdf } from '../records/document-store.ts';
import { verificationOf } from '../records/render-version.ts';
import { imagesForSigning } from '../staff/signature-images.ts';
import type { LoadedRecord } from './record-facts.ts';
import type { SigningEnv } from './signing-env.ts';

/** The PAdES field of the school seal. */
export const SEAL_FIELD_NAME = 'hocba-seal';

function failures(r: ValidationReport): string {
  const out: string[] = [];
  for (const [name, c] of Object.entries(r.documentChecks)) if (c.status !== 'passed') out.push(`${name}: ${c.reason}`);
  for (const s of r.signatures) for (const [name, c] of Object.entries(s.checks)) if (c && c.status !== 'passed') out.push(`${s.id} ${name}: ${c.reason}`);
  return out.slice(0, 5).join('; ') || `status ${r.status}`;
}

/** The signature blocks of a version from its record_signatures rows (call after the seal row is inserted). */
export async function signatureBlocks(tx: Tx, rec: LoadedRecord): Promise<SignatureBlock[]> {
  const rows = await tx
    .select({ step: recordSignatures.step, signerUserId: recordSignatures.signerUserId, subjects: recordSignatures.subjects, delegationId: recordSignatures.delegationId, signedAt: recordSignatures.signedAt, commonName: signingCertificates.commonName, subject: signingCertificates.subject, issuer: signingCertificates.issuer, serial: signingCertificates.serialNumber })
    .from(recordSignatures)
    .innerJoin(signingCertificates, eq(signingCertificates.id, recordSignatures.certificateId))
    .where(eq(recordSignatures.versionId, rec.versionId))
    .orderBy(recordSignatures.seq);
  const images = await imagesForSigning(tx, rows.map((r) => r.signerUserId).filter((u): u is string => u !== null));
  return rows.map((r) => {
    const signedAt = new Date(Math.floor(r.signedAt.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const certificate = { subject: r.subject, issuer: r.issuer, serial: r.serial };
    if (r.step === 'seal') return { role: 'school_seal', fullName: rec.snapshot.school.name, signedAt, certificate, ...(images.seal ? { sealImage: images.seal } : {}) };
    const signatureImage = r.signerUserId ? images.signatures.get(r.signerUserId) : undefined;
    const role = r.step === 'subject' ? 'subject_teacher' : r.step === 'homeroom' ? 'homeroom_teacher' : r.delegationId ? 'vice_principal' : 'principal';
    return { role, fullName: r.commonName, signedAt, certificate, ...(r.step === 'subject' ? { subjectCodes: r.subjects } : {}), ...(signatureImage ? { signatureImage } : {}) };
  });
}

/**
 * Renders, seals (B-T), adds the DSS (B-LT), validates XML and PDF, and stores the PDF of a
 * version in the caller's transaction. Throws signing.seal_failed naming the failed checks;
 * the caller's transaction then rolls back the seal signature too.
 */
export async function produceSealedPdf(tx: Tx, opts: { schoolId: string; rec: LoadedRecord; signedXml: string; env: SigningEnv; signer: Signer; now: Date }): Promise<{ sha256: string; bytes: number }> {
  const { rec, env } = opts;
  const where = `record ${rec.snapshot.identity.fullName} (${rec.snapshot.identity.className}, v${rec.version})`;
  if (!env.timestamp) throw new DomainError('signing.seal_failed', { detail: `${where}: no timestamp authority is configured (HOCBA_TSA_URL)` });
  const validation = {
    trustAnchors: env.trust.trustAnchors,
    intermediates: env.trust.intermediates ?? [],
    revocation: env.trust.revocation,
    now: env.trust.now?.() ?? opts.now,
  };
  const xmlReport = await validateDocument(Buffer.from(opts.signedXml, 'utf8'), { ...validation, xmlContainer: hbsV1.signatureContainer, requireTimestamp: ['sig-seal'] });
  if (xmlReport.status !== 'passed') throw new DomainError('signing.seal_failed', { detail: `${where}: the signed XML does not validate: ${failures(xmlReport)}` });
  let pdf: Uint8Array;
  try {
    const blocks = await signatureBlocks(tx, rec);
    const [school] = await tx.select({ practiceOf: schools.practiceOfSchoolId }).from(schools).where(eq(schools.id, opts.schoolId));
    const rendered = await renderRecordDocument(rec.snapshot, { xml: opts.signedXml, verification: verificationOf(rec.frozenDigest, env.publicUrl), signatures: blocks, practice: school?.practiceOf != null });
    pdf = await signPdf({
      pdf: rendered.pdf,
      signer: opts.signer,
      fieldName: SEAL_FIELD_NAME,
      signingTime: opts.now,
      reason: 'Đóng dấu học bạ số',
      name: rec.snapshot.school.name,
      timestamp: env.timestamp,
      revocation: typeof env.trust.revocation === 'function' ? env.trust.revocation : revocationClient(),
      certificates: env.trust.trustAnchors,
    });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'signing.seal_failed') throw e;
    throw new DomainError('signing.seal_failed', { detail: `${where}: ${(e as Error).message}` });
  }
  const pdfReport = await validateDocument(pdf, { ...validation, requireTimestamp: true });
  if (pdfReport.status !== 'passed') throw new DomainError('signing.seal_failed', { detail: `${where}: the sealed PDF does not validate: ${failures(pdfReport)}` });
  const sha256 = await putSealedPdf(tx, { schoolId: opts.schoolId, versionId: rec.versionId, pdf, now: opts.now });
  return { sha256, bytes: pdf.length };
}
