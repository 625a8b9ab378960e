/**
 * The validation report (DESIGN.md "Verification"): separate checks, each `passed`,
 * `failed` or `indeterminate` (could not check — e.g. OCSP unreachable) with a reason. The
 * public verification page, the CLI, transfer imports and the tests all read this shape.
 */

export type CheckStatus = 'passed' | 'failed' | 'indeterminate';

export interface Check {
  status: CheckStatus;
  /** Plain-English reason naming what was checked and what was found. */
  reason: string;
  /** Added: a stable code when the whole document is refused (e.g. 'document_invalid'). */
  code?: string;
}

export type SignatureCheckName =
  | 'format' // container well-formed, algorithms allowed (no SHA-1, RSA ≥ 2048)
  | 'integrity' // references / message digest and the signature value
  | 'signingCertificate' // the signed signing-certificate attribute matches the certificate used
  | 'chain' // path to a configured trust anchor, valid at signing time
  | 'keyUsage' // the certificate may make signatures (digitalSignature / nonRepudiation)
  | 'revocation' // not revoked at signing time (OCSP, CRL or embedded LT data)
  | 'timestamp' // signature timestamp present when required, valid, over this signature
  | 'scope'; // covers what it must (XML: the expected element Ids; PDF: the whole revision)

export interface SignerInfo {
  /** Subject DN in display form (Vietnamese names as written). */
  subject: string;
  commonName: string;
  issuer: string;
  serialNumber: string;
  /** SHA-256 of the DER certificate, hex. */
  fingerprint: string;
  notBefore: string;
  notAfter: string;
}

export interface SignatureReport {
  /** XML: the ds:Signature Id; PDF: the signature field name. */
  id: string;
  kind: 'xades' | 'pades';
  signer: SignerInfo | null;
  claimedRole: string | null;
  /** Claimed signing time (ISO 8601) — XAdES SigningTime or PDF /M. */
  signingTime: string | null;
  /** Trusted time from the signature timestamp, when there is one. */
  timestampTime: string | null;
  /** XML: Ids of the elements and earlier signatures this signature covers. PDF: the revision's byte range. */
  covers: string[];
  /** Added: subjects of the certificate path as built, signer first, trust anchor last when reached. */
  chain: string[];
  /** Added: PDF only — the 1-based revision the signature ends (null for XML or when it ends elsewhere). */
  revision: number | null;
  checks: Partial<Record<SignatureCheckName, Check>>;
  status: CheckStatus;
}

export interface ValidationReport {
  /** 'unknown' when the bytes are neither XML nor PDF (the report is then failed, code document_invalid). */
  documentType: 'xml' | 'pdf' | 'unknown';
  /** Checks about the document as a whole (well-formed, size, embedded XML …). */
  documentChecks: Record<string, Check>;
  signatures: SignatureReport[];
  /** failed if any check failed; indeterminate if any could not be made; passed otherwise. A document without signatures is indeterminate. */
  status: CheckStatus;
  validatedAt: string;
}

/** Combines statuses: any failed → failed; else any indeterminate → indeterminate; else passed. */
export function combine(statuses: Iterable<CheckStatus>): CheckStatus {
  let out: CheckStatus = 'passed';
  for (const s of statuses) {
    if (s === 'failed') return 'failed';
    if (s === 'indeterminate') out = 'indeterminate';
  }
  return out;
}

export const passed = (reason: string): Check => ({ status: 'passed', reason });
export const failed = (reason: string): Check => ({ status: 'failed', reason });
export const indeterminate = (reason: string): Check => ({ status: 'indeterminate', reason });
