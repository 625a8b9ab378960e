/**
 * Validation of the PAdES signatures of a PDF: each CMS checked against the bytes it covers
 * (src/signing/cms verifyCmsSignature), its revision and what changed after it
 * (pdf-changes.ts), the timestamp's TSA, the certificate path, key usage and revocation at
 * the signing time, with the /DSS (PAdES B-LT) as embedded validation data.
 */
import type { RevocationProvider } from '../signer.ts';
import { verifyCmsSignature, type CmsCheckName, type CmsVerification } from '../cms/verify-cms.ts';
import { readDss } from '../pades/dss.ts';
import { openPdf, type PdfDocument } from '../pades/pdf-document.ts';
import { readPdfSignatures, type PdfSignatureInfo } from '../pades/read-signatures.ts';
import { keyDescription, keyStrengthProblem, signerInfoOf, subjectOf, issuerCandidates } from './certificates.ts';
import { changesAfter } from './pdf-changes.ts';
import { combine, failed, indeterminate, passed, type Check, type SignatureReport, type ValidationReport } from './report.ts';
import { revocationContext, type ProofOfExistence } from './revocation.ts';
import { mergeChecks, trustChecks, type ValidationContext } from './signature-trust.ts';
import { timestampTrust } from './timestamp.ts';

export interface PdfValidationOptions {
  trustAnchors: Uint8Array[];
  intermediates: Uint8Array[];
  provider: RevocationProvider | null;
  now: Date;
  requireTimestamp: (id: string) => boolean;
}

type Parts = Pick<ValidationReport, 'documentChecks' | 'signatures'>;

const PADES_SUBFILTERS = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached']);
const MAX_LISTED_CHANGES = 8;

const fromCms = (v: CmsVerification, names: CmsCheckName[]): Check[] => v.checks.filter((c) => names.includes(c.check)).map((c) => ({ status: c.status, reason: c.reason }));

interface Step1 {
  sig: PdfSignatureInfo;
  cms: CmsVerification;
  integrityPassed: boolean;
  coversRevision: boolean;
  claimedTime: Date | null;
  trustedTime: Date | null;
  report: SignatureReport;
}

/** Validates every signed signature field of `pdf`. Throws SigningError('document_invalid') for a PDF that cannot be read. */
export async function validatePdf(pdf: Uint8Array, opts: PdfValidationOptions): Promise<Parts> {
  const current = openPdf(pdf);
  const sigs = readPdfSignatures(pdf);
  const dss = readDss(pdf);
  const revisions = current.revisionEnds.length;
  const verifications = sigs.map((s) => verifyCmsSignature(s.cms, s.contentDigest));
  const pool = issuerCandidates([...opts.intermediates, ...dss.certificates, ...verifications.flatMap((v) => v.signature?.certificates ?? [])]);
  const ctx: ValidationContext = {
    trustAnchors: opts.trustAnchors,
    pool,
    revocation: revocationContext({ ocspResponses: dss.ocspResponses, crls: dss.crls }, opts.provider, opts.now),
    now: opts.now,
    requireTimestamp: opts.requireTimestamp,
    chains: new Map(),
  };

  const documentChecks: Record<string, Check> = {
    format: passed(`readable PDF (${pdf.length} bytes, ${revisions} revision${revisions > 1 ? 's' : ''}, not encrypted)`),
    signatures: sigs.length ? passed(`${sigs.length} signature${sigs.length > 1 ? 's' : ''} in signature fields`) : indeterminate('no signatures: the PDF has no signed signature field'),
  };
  if (dss.present) documentChecks.validationData = passed(`/DSS with ${dss.certificates.length} certificates, ${dss.ocspResponses.length} OCSP responses and ${dss.crls.length} CRLs (PAdES B-LT)`);

  const steps: Step1[] = [];
  for (const [i, sig] of sigs.entries()) {
    const cms = verifications[i]!;
    const where = `signature field "${sig.fieldName}"`;
    const cert = cms.signer?.certificate ?? cms.signature?.signerCertificate ?? null;

    const formatParts = fromCms(cms, ['structure', 'algorithm']).map((c) => ({ ...c, reason: `${where}: ${c.reason.replace(/\b(1\.3\.14\.3\.2\.26|1\.2\.840\.113549\.1\.1\.5)\b/g, '$1 (SHA-1)')}` }));
    if (!sig.subFilter || !PADES_SUBFILTERS.has(sig.subFilter)) {
      formatParts.push(sig.subFilter === 'ETSI.RFC3161' ? indeterminate(`${where}: a document timestamp (ETSI.RFC3161), which this validator does not assess`) : failed(`${where}: sub-filter ${sig.subFilter ? `/${sig.subFilter}` : '(missing)'} is not accepted (ETSI.CAdES.detached or adbe.pkcs7.detached only)`));
    }
    const strength = cert ? keyStrengthProblem(cert) : null;
    if (strength) formatParts.push(failed(`${where}: ${strength}`));
    const alg = cms.signature?.signatureAlgorithm ?? cms.signature?.signatureAlgorithmOid ?? '?';
    const format = mergeChecks(formatParts, `${where}: /${sig.subFilter}, ${alg}${cert ? `, ${keyDescription(cert)}` : ''}`);

    const integrityParts = fromCms(cms, ['content_type', 'message_digest', 'signature_value']).map((c) => ({ ...c, reason: `${where}: ${c.reason}` }));
    if (!sig.contentDigest && cms.signature) integrityParts.push(failed(`${where}: the signed bytes could not be hashed (${sig.byteRangeProblems.join('; ') || 'byte range out of bounds'})`));
    // Checks skipped because the CMS is unreadable or its algorithm refused are "not checked": format says why.
    const integrity = integrityParts.length ? mergeChecks(integrityParts) : indeterminate(`${where}: not checked (see format)`);
    const sc = fromCms(cms, ['signing_certificate'])[0];
    const signingCertificate = sc ? { ...sc, reason: `${where}: ${sc.reason}` } : indeterminate(`${where}: not checked (see format)`);

    const claimedTime = sig.signingTime ?? cms.signature?.signingTime ?? null;
    let trustedTime: Date | null = null;
    let timestamp: Check;
    const token = cms.signature?.timestampToken ?? null;
    if (token && cms.signature) {
      const internal = fromCms(cms, ['timestamp']);
      if (internal.some((c) => c.status !== 'passed')) timestamp = mergeChecks(internal.map((c) => ({ ...c, reason: `${where}: ${c.reason}` })));
      else {
        const r = await timestampTrust({ token, stamped: cms.signature.signatureValue, trustAnchors: ctx.trustAnchors, pool, certificates: dss.certificates, revocation: ctx.revocation, claimedSigningTime: claimedTime, label: `${where}, signature timestamp` });
        timestamp = r.check;
        trustedTime = r.time;
      }
    } else timestamp = ctx.requireTimestamp(sig.fieldName) ? failed(`${where}: no signature timestamp, but one is required`) : passed(`${where}: no signature timestamp (none required); the signing time is as the signer claims (/M)`);

    const scope = scopeCheck(sig, pdf, current, revisions, where);
    const br = sig.byteRange;
    steps.push({
      sig,
      cms,
      integrityPassed: integrity.status === 'passed',
      coversRevision: sig.coversRevision,
      claimedTime,
      trustedTime,
      report: {
        id: sig.fieldName,
        kind: 'pades',
        signer: cert ? signerInfoOf(cert) : null,
        claimedRole: sig.reason,
        signingTime: claimedTime?.toISOString() ?? null,
        timestampTime: trustedTime?.toISOString() ?? null,
        covers: [
          sig.revision ? `revision ${sig.revision} of ${revisions}` : `bytes up to ${sig.signedEnd}, not a revision end`,
          br.length === 4 ? `bytes ${br[0]}–${br[0]! + br[1]!} and ${br[2]}–${br[2]! + br[3]!} (all but /Contents)` : `/ByteRange [${br.join(' ')}]`,
        ],
        chain: [],
        revision: sig.revision,
        checks: { format, integrity, signingCertificate, timestamp, scope },
        status: 'indeterminate',
      },
    });
  }

  for (const s of steps) {
    const t = await trustChecks({ certificate: s.cms.signer?.certificate ?? null, claimedTime: s.claimedTime, trustedTime: s.trustedTime, poe: proofOfExistence(s, steps) }, ctx);
    s.report.checks = { ...s.report.checks, chain: t.chain, keyUsage: t.keyUsage, revocation: t.revocation };
    s.report.chain = t.path.map(subjectOf);
    s.report.status = combine(Object.values(s.report.checks).map((c) => c.status));
  }
  return { documentChecks, signatures: steps.map((s) => s.report) };
}

/** Own timestamp, or the timestamp of a later intact signature whose revision includes this one. */
function proofOfExistence(s: Step1, steps: Step1[]): ProofOfExistence | null {
  let best: ProofOfExistence | null = s.trustedTime ? { time: s.trustedTime, source: 'its own timestamp' } : null;
  for (const t of steps) {
    if (t === s || !t.trustedTime || !t.integrityPassed || !t.coversRevision || !s.coversRevision || t.sig.signedEnd <= s.sig.signedEnd) continue;
    if (!best || t.trustedTime < best.time) best = { time: t.trustedTime, source: `timestamp of signature "${t.sig.fieldName}", whose revision includes it` };
  }
  return best;
}

/** The signature covers its revision exactly, and later revisions change only what later signatures and the DSS may. */
function scopeCheck(sig: PdfSignatureInfo, pdf: Uint8Array, current: PdfDocument, revisions: number, where: string): Check {
  if (!sig.coversRevision) return failed(sig.byteRangeProblems.join('; ') || `${where}: the signed bytes do not cover a whole revision`);
  const rev = `revision ${sig.revision} of ${revisions}`;
  if (sig.coversWholeFile) return passed(`${where}: covers the whole file (${rev})`);
  let report;
  try {
    report = changesAfter(openPdf(pdf.subarray(0, sig.signedEnd)), current);
  } catch (e) {
    return indeterminate(`${where}: covers ${rev}, but the changes made after it could not be analysed (${(e as Error).message})`);
  }
  if (report.disallowed.length) {
    const more = report.disallowed.length > MAX_LISTED_CHANGES ? `; and ${report.disallowed.length - MAX_LISTED_CHANGES} more` : '';
    return failed(`${where}: the document was changed after this signature (${rev}): ${report.disallowed.slice(0, MAX_LISTED_CHANGES).join('; ')}${more}`);
  }
  return passed(`${where}: covers ${rev}; the later revisions only add signatures and validation data (${report.allowed.join('; ') || 'no changes to earlier objects'})`);
}
