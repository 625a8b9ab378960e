/**
 * The one verification service behind the public page, the public API and `hocba verify`
 * (issue 9): the signatures of an uploaded PDF or XML (validateDocument), for a PDF the XML
 * it embeds (its own signatures, and equality with the signed XML this deployment stored),
 * what the record says (student, school, year, results), and its current status — from this
 * deployment's records, else from the school's signed status list, else "unknown" (checked
 * by trust anchors only). "Could not check" stays indeterminate, never valid or invalid.
 */
import { createHash } from 'node:crypto';
import { hbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import type { RecordStatusView, VerificationReportView, VerificationVerdict } from '../../server/api-types.ts';
import type { RevocationProvider } from '../../signing/signer.ts';
import { combine, detectDocumentType, validateDocument, type Check, type ValidationReport } from '../../signing/validation/index.ts';
import { readXadesSignatures } from '../../signing/xades/index.ts';
import { embeddedRecordXml } from './embedded-xml.ts';
import { readRecord, type ReadRecord } from './record-summary.ts';
import type { ReadStatusListResult } from './status-list.ts';

export interface RecordTrust {
  trustAnchors: Uint8Array[];
  intermediates?: Uint8Array[];
  revocation: RevocationProvider | 'offline';
}

/** What a deployment knows locally about a record (by its canonical digest). */
export type LocalLookup = (record: ReadRecord) => Promise<{ status: RecordStatusView; signedXml: string | null } | null>;
/** Where a record's status list is fetched from (null: none known). */
export type StatusLookup = (record: ReadRecord) => Promise<(ReadStatusListResult & { url: string }) | null>;

export interface VerifyRecordOptions {
  trust: RecordTrust;
  fileName?: string | null;
  now?: Date;
  maxBytes?: number;
  local?: LocalLookup;
  statusList?: StatusLookup;
}

/** XML scopes of HBS v1 (DESIGN.md): subject row; year + earlier; whole record + earlier. */
function expectedScopes(xml: string, rec: ReadRecord | null): { [id: string]: string[] } | undefined {
  if (!rec) return undefined;
  let ids: string[];
  try {
    ids = readXadesSignatures(xml).map((s) => s.id);
  } catch {
    return undefined;
  }
  const out: { [id: string]: string[] } = {};
  const subjects = ids.filter((i) => i.startsWith('sig-subject-'));
  for (const id of subjects) out[id] = [`subject-${id.slice('sig-subject-'.length)}`];
  if (ids.includes('sig-homeroom')) out['sig-homeroom'] = [`year-${rec.snapshot.schoolYear}`, ...subjects];
  const beforePrincipal = [...subjects, ...(ids.includes('sig-homeroom') ? ['sig-homeroom'] : [])];
  if (ids.includes('sig-principal')) out['sig-principal'] = ['data', ...beforePrincipal];
  if (ids.includes('sig-seal')) out['sig-seal'] = ['data', ...beforePrincipal, ...(ids.includes('sig-principal') ? ['sig-principal'] : [])];
  return out;
}

async function validateRecordXml(bytes: Uint8Array, xml: string | null, rec: ReadRecord | null, opts: VerifyRecordOptions, now: Date): Promise<ValidationReport> {
  const expected = xml ? expectedScopes(xml, rec) : undefined;
  return validateDocument(bytes, {
    trustAnchors: opts.trust.trustAnchors,
    intermediates: opts.trust.intermediates ?? [],
    revocation: opts.trust.revocation,
    xmlContainer: hbsV1.signatureContainer,
    ...(expected ? { expected: { xml: expected } } : {}),
    ...(expected && 'sig-seal' in expected ? { requireTimestamp: ['sig-seal'] } : {}),
    ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
    now,
  });
}

/** The PAdES field of a hocba school seal (services/signing/seal-pdf.ts): it must carry a trusted timestamp. */
const PDF_SEAL_FIELD = 'hocba-seal';

const decode = (b: Uint8Array): string | null => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b).replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
};

function firstProblem(r: ValidationReport): string {
  for (const [n, c] of Object.entries(r.documentChecks)) if (c.status !== 'passed') return `${n}: ${c.reason}`;
  for (const s of r.signatures) for (const [n, c] of Object.entries(s.checks)) if (c && c.status !== 'passed') return `${s.id} ${n}: ${c.reason}`;
  return r.status;
}

const unknownStatus = (reason: string): RecordStatusView => ({ state: 'unknown', source: 'none', reason, version: null, supersededBy: null, revocation: null, statusList: null });

/** The status of a record from its school's status list, when the list is trustworthy and from the same seal. */
function fromStatusList(rec: ReadRecord, fetched: ReadStatusListResult & { url: string }, sealSubject: string | null): RecordStatusView {
  const base = { source: 'status_list' as const, version: null, supersededBy: null, revocation: null };
  const info = fetched.list ? { url: fetched.url, issuedAt: fetched.list.issuedAt, nextUpdate: fetched.list.nextUpdate, signer: fetched.signer?.subject ?? '' } : null;
  if (fetched.check.status !== 'passed' || !fetched.list) return { ...base, state: 'indeterminate', reason: fetched.check.reason, statusList: info };
  if (fetched.list.school.code !== rec.snapshot.school.code) return { ...base, state: 'indeterminate', reason: `the status list at ${fetched.url} is for school ${fetched.list.school.code}, not ${rec.snapshot.school.code}`, statusList: info };
  if (sealSubject && fetched.signer && fetched.signer.subject !== sealSubject) return { ...base, state: 'indeterminate', reason: `the status list is signed by "${fetched.signer.subject}", not by the seal that sealed this record ("${sealSubject}")`, statusList: info };
  const e = fetched.list.entries.find((x) => x.digest === rec.digest);
  if (!e) return { ...base, state: 'unknown', reason: `the status list of ${fetched.list.school.name} (issued ${fetched.list.issuedAt}) does not list this record`, statusList: info };
  const common = { ...base, version: e.version, statusList: info };
  if (e.status === 'revoked') return { ...common, state: 'revoked', reason: `revoked on ${e.revokedAt ?? '?'}: ${e.reason ?? ''}`, revocation: { reason: e.reason ?? '', revokedAt: e.revokedAt ?? '' } };
  if (e.status === 'superseded') {
    const by = e.supersededBy ? { version: e.supersededBy.version, code: e.supersededBy.code, url: '' } : null;
    return { ...common, state: 'superseded', reason: by ? `replaced by version ${by.version} (code ${by.code})` : 'replaced by a newer version', supersededBy: by };
  }
  return { ...common, state: 'valid', reason: `the school's status list (issued ${fetched.list.issuedAt}) lists version ${e.version} as valid` };
}

/** The overall verdict: signatures first, then the record's current status. */
export function verdictOf(content: Check['status'], status: RecordStatusView): VerificationVerdict {
  if (content === 'failed') return 'invalid';
  if (status.state === 'practice') return 'practice';
  if (status.state === 'revoked') return 'revoked';
  if (status.state === 'superseded') return 'superseded';
  if (content === 'indeterminate' || status.state === 'indeterminate') return 'indeterminate';
  return 'valid';
}

/** Verifies an uploaded record (PDF or HBS XML); never throws for a bad document. */
export async function verifyRecord(bytes: Uint8Array, opts: VerifyRecordOptions): Promise<VerificationReportView> {
  const now = opts.now ?? new Date();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const type = detectDocumentType(bytes);
  let rec: ReadRecord | null = null;
  let validation: ValidationReport;
  let embedded: VerificationReportView['embeddedXml'] = null;
  let embeddedXmlText: string | null = null;

  if (type === 'xml') {
    const xml = bytes.length <= (opts.maxBytes ?? 5 * 1024 * 1024) ? decode(bytes) : null;
    rec = xml ? readRecord(xml) : null;
    validation = await validateRecordXml(bytes, xml, rec, opts, now);
  } else {
    validation = await validateDocument(bytes, { trustAnchors: opts.trust.trustAnchors, intermediates: opts.trust.intermediates ?? [], revocation: opts.trust.revocation, requireTimestamp: [PDF_SEAL_FIELD], ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}), now });
    if (type === 'pdf' && validation.documentChecks.format?.code !== 'document_invalid') {
      let raw: Uint8Array | null = null;
      let problem: string | null = null;
      try {
        raw = embeddedRecordXml(bytes);
      } catch (e) {
        problem = `the embedded XML could not be read: ${(e as Error).message}`;
      }
      embeddedXmlText = raw ? decode(raw) : null;
      rec = embeddedXmlText ? readRecord(embeddedXmlText) : null;
      if (!raw) embedded = { check: { status: 'failed', reason: problem ?? 'the PDF embeds no hocba.xml: it is not a hocba record' }, validation: null };
      else {
        const v = await validateRecordXml(raw, embeddedXmlText, rec, opts, now);
        const n = v.signatures.length;
        embedded = {
          validation: v,
          check: !rec
            ? { status: 'failed', reason: 'the embedded hocba.xml is not a readable HBS v1 record' }
            : v.status === 'passed'
              ? { status: 'passed', reason: `the embedded hocba.xml is a signed record; ${n === 1 ? 'its signature validates' : `its ${n} signatures validate`}` }
              : { status: v.status, reason: `the embedded hocba.xml's signatures ${v.status === 'failed' ? 'do not validate' : 'could not be checked'}: ${firstProblem(v)}` },
        };
      }
    }
  }

  // The current status: this deployment's records first, then the school's status list.
  let status: RecordStatusView;
  const local = rec && opts.local ? await opts.local(rec) : null;
  if (local) {
    status = local.status;
    if (embedded && embeddedXmlText !== null && local.signedXml !== null && embedded.check.status !== 'failed') {
      const same = embeddedXmlText === local.signedXml;
      embedded = {
        ...embedded,
        check: same
          ? { status: embedded.check.status, reason: `${embedded.check.reason}; it equals the signed XML the school stored for version ${local.status.version}` }
          : { status: 'failed', reason: `the embedded hocba.xml differs from the signed XML the school stored for version ${local.status.version}` },
      };
    }
  } else if (rec && opts.statusList) {
    const fetched = await opts.statusList(rec);
    const seal = (embedded?.validation ?? validation).signatures.find((s) => s.id === 'sig-seal' || s.id === PDF_SEAL_FIELD);
    const pdfSeal = validation.signatures.find((s) => s.id === PDF_SEAL_FIELD);
    status = fetched ? fromStatusList(rec, fetched, (pdfSeal ?? seal)?.signer?.subject ?? null) : unknownStatus('no status list is known for this school: checked by trust anchors only');
  } else if (rec) {
    status = unknownStatus(`this record was not sealed on this platform (school ${rec.snapshot.school.code} – ${rec.snapshot.school.name}): checked by trust anchors only`);
  } else {
    status = unknownStatus('the document is not a readable hocba record, so its status cannot be looked up');
  }

  // The PDF's own signatures (the seal, B-LT: checkable offline) carry the verdict; the embedded
  // XML can only break it (altered, or unlike the stored one). Its own "could not check" (e.g.
  // no revocation data for the teachers offline) is shown on its check, not in the verdict.
  const content = combine([validation.status, ...(embedded?.check.status === 'failed' ? ['failed' as const] : [])]);
  return {
    verdict: verdictOf(content, status),
    fileName: opts.fileName ?? null,
    documentType: validation.documentType,
    sha256,
    code: rec?.code ?? null,
    validation,
    embeddedXml: embedded,
    record: rec?.summary ?? null,
    status,
  };
}
