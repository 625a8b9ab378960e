/**
 * The Signer port: the one place a private key is used. Everything else in src/signing
 * (XAdES, PAdES/CMS, timestamps) prepares digests and completes containers around it, so
 * the key may live anywhere — a software key on the server, a PKCS#11 token, a local
 * signing agent on the teacher's PC, or a remote hash-signing service (CSC API v2).
 *
 * Generic: nothing here knows about schools (test/architecture.test.ts enforces it).
 */

/** Signature algorithms the engine produces and accepts. No SHA-1, no RSA < 2048. */
export type SignatureAlgorithm =
  | 'RSASSA-PKCS1-v1_5-SHA256'
  | 'RSASSA-PKCS1-v1_5-SHA384'
  | 'RSASSA-PKCS1-v1_5-SHA512'
  | 'ECDSA-SHA256'
  | 'ECDSA-SHA384';

export type DigestAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** One digest to be signed. `digest` is the raw hash of the to-be-signed bytes (not DigestInfo). */
export interface SignRequestItem {
  digest: Uint8Array;
  /** Human-readable label shown to the person approving (e.g. document title). */
  label?: string;
}

export interface SignDigestsRequest {
  algorithm: SignatureAlgorithm;
  items: SignRequestItem[];
  /** Optional abort signal: a cancelled or timed-out request must not leave anything half-signed. */
  signal?: AbortSignal;
}

/**
 * A signer. `certificateChain()` returns DER certificates, signer first, then issuing CA(s)
 * (the root may be omitted). `signDigests()` returns one signature value per item, in order:
 * PKCS#1 v1.5 signature bytes for RSA, and for ECDSA the IEEE P1363 form (r||s) — callers
 * convert to DER where a container needs it.
 */
export interface Signer {
  /** Short description for logs and errors (never secrets). */
  readonly description: string;
  certificateChain(): Promise<Uint8Array[]>;
  /** Algorithms this key can produce, best first. */
  algorithms(): Promise<SignatureAlgorithm[]>;
  signDigests(req: SignDigestsRequest): Promise<Uint8Array[]>;
  /** Release handles (tokens, sessions). Safe to call twice. */
  close?(): Promise<void>;
}

export type SigningErrorCode =
  | 'signer_unavailable' // token absent, agent not running, service unreachable
  | 'signer_rejected' // the person declined (phone app, agent prompt)
  | 'signer_expired' // approval window or credential authorisation expired
  | 'signer_timeout' // no answer within the configured time
  | 'signer_auth_failed' // wrong PIN / credentials
  | 'unsupported_algorithm' // SHA-1, RSA < 2048, unknown URI or OID
  | 'certificate_invalid' // expired, not yet valid, revoked, wrong key usage
  | 'reference_invalid' // signature wrapping, missing or duplicate Id
  | 'document_invalid' // malformed XML/PDF, DTD, external entity, too large
  | 'timestamp_failed' // TSA unreachable or bad response
  | 'revocation_unavailable'; // OCSP/CRL could not be obtained

/** Every failure in src/signing is a SigningError with a stable code and a message naming what and where. */
export class SigningError extends Error {
  readonly code: SigningErrorCode;
  constructor(code: SigningErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigningError';
    this.code = code;
  }
}

/** Hash helper shared by the containers. */
export function nodeDigestName(alg: DigestAlgorithm): 'sha256' | 'sha384' | 'sha512' {
  return alg === 'SHA-256' ? 'sha256' : alg === 'SHA-384' ? 'sha384' : 'sha512';
}

export function digestOf(alg: SignatureAlgorithm): DigestAlgorithm {
  if (alg.endsWith('SHA384')) return 'SHA-384';
  if (alg.endsWith('SHA512')) return 'SHA-512';
  return 'SHA-256';
}

/**
 * Obtains an RFC 3161 timestamp token over a digest: returns the DER TimeStampToken
 * (a CMS ContentInfo of SignedData). XAdES-T and PAdES B-T take one of these, so the
 * containers do not depend on how the TSA is reached (src/signing/tsa provides one).
 */
export type TimestampProvider = (imprint: { digest: Uint8Array; algorithm: DigestAlgorithm }) => Promise<Uint8Array>;

/** Revocation evidence for one certificate, as DER: a BasicOCSPResponse-bearing OCSPResponse and/or a CRL. */
export interface RevocationEvidence {
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

/**
 * Gathers revocation evidence for a certificate given its issuer (both DER). Used for
 * PAdES B-LT (DSS dictionary) and by validation; src/signing/revocation provides one.
 */
export type RevocationProvider = (certificate: Uint8Array, issuer: Uint8Array) => Promise<RevocationEvidence>;
