/**
 * Revocation of every certificate of a path (except the trust anchor) at the signing time,
 * from embedded evidence (PDF DSS, XAdES RevocationValues) first and then from the provider
 * (OCSP/CRL over the network) unless the validation is offline. Evidence that cannot be had is
 * "indeterminate", never "passed". A certificate revoked after the claimed signing time passes
 * only when a trusted time (a timestamp) proves the signature existed before the revocation.
 */
import * as pkijs from 'pkijs';
import { SigningError, type RevocationEvidence, type RevocationProvider } from '../signer.ts';
import { checkRevocation, type RevocationResult } from '../revocation/check-revocation.ts';
import { toArrayBuffer, toHex } from '../pki/der.ts';
import { subjectOf } from './certificates.ts';
import { combine, type Check, type CheckStatus } from './report.ts';

export interface RevocationContext {
  embedded: RevocationEvidence;
  /** null: offline, only embedded evidence counts. */
  provider: RevocationProvider | null;
  now: Date;
  /** Evidence fetched per certificate, shared by every signature of the document. */
  fetched: Map<string, Promise<RevocationEvidence | string>>;
  /** Decisions per certificate, issuer and time (the same CA is checked for several signatures). */
  decided: Map<string, Promise<RevocationResult>>;
  /** Embedded evidence indexed by certificate serial (OCSP) and issuer name (CRL), built once. */
  index: EvidenceIndex | null;
}

interface EvidenceIndex {
  /** Serial (hex, no leading zeros) → the OCSP responses that answer for it. */
  ocspBySerial: Map<string, Uint8Array[]>;
  /** Issuer Name DER (hex) → the CRLs it issued. */
  crlsByIssuer: Map<string, Uint8Array[]>;
}

export function revocationContext(embedded: RevocationEvidence, provider: RevocationProvider | null, now: Date): RevocationContext {
  return { embedded, provider, now, fetched: new Map(), decided: new Map(), index: null };
}

/** A trusted time at which the signature is known to have existed, and what proves it. */
export interface ProofOfExistence {
  time: Date;
  source: string;
}

const MAX_EMBEDDED_ITEMS = 10_000;
const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
const serialHex = (bytes: ArrayBuffer | Uint8Array) => toHex(bytes).replace(/^(00)+(?=.)/, '');
const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);

/**
 * One parse of every embedded OCSP response and CRL, so each certificate is then checked
 * against the few items about it (checkRevocation verifies each item it is given). Items
 * that cannot be parsed are kept under every key: checkRevocation will say what is wrong.
 */
function evidenceIndex(ctx: RevocationContext): EvidenceIndex {
  if (ctx.index) return ctx.index;
  const index: EvidenceIndex = { ocspBySerial: new Map(), crlsByIssuer: new Map() };
  for (const der of ctx.embedded.ocspResponses.slice(0, MAX_EMBEDDED_ITEMS)) {
    try {
      const resp = pkijs.OCSPResponse.fromBER(toArrayBuffer(der));
      const bytes = resp.responseBytes?.response.valueBlock.valueHexView;
      if (!bytes) continue; // not successful: says nothing about any certificate
      const basic = pkijs.BasicOCSPResponse.fromBER(bytes.slice().buffer);
      for (const serial of new Set(basic.tbsResponseData.responses.map((r) => serialHex(r.certID.serialNumber.valueBlock.valueHexView)))) push(index.ocspBySerial, serial, der);
    } catch {
      push(index.ocspBySerial, '*', der);
    }
  }
  for (const der of ctx.embedded.crls.slice(0, MAX_EMBEDDED_ITEMS)) {
    try {
      const crl = pkijs.CertificateRevocationList.fromBER(toArrayBuffer(der));
      push(index.crlsByIssuer, toHex(crl.issuer.toSchema().toBER(false)), der);
    } catch {
      push(index.crlsByIssuer, '*', der);
    }
  }
  ctx.index = index;
  return index;
}

/** Only the embedded evidence about this certificate: the rest would only add noise (and work). */
function relevant(ctx: RevocationContext, cert: Uint8Array): RevocationEvidence {
  if (ctx.embedded.ocspResponses.length === 0 && ctx.embedded.crls.length === 0) return { ocspResponses: [], crls: [] };
  const index = evidenceIndex(ctx);
  let serial = '';
  let issuer = '';
  try {
    const c = pkijs.Certificate.fromBER(toArrayBuffer(cert));
    serial = serialHex(c.serialNumber.valueBlock.valueHexView);
    issuer = toHex(c.issuer.toSchema().toBER(false));
  } catch {
    // An unreadable certificate: only unparsed evidence could be about it.
  }
  return {
    ocspResponses: [...(index.ocspBySerial.get(serial) ?? []), ...(index.ocspBySerial.get('*') ?? [])],
    crls: [...(index.crlsByIssuer.get(issuer) ?? []), ...(index.crlsByIssuer.get('*') ?? [])],
  };
}

async function fetchEvidence(ctx: RevocationContext, cert: Uint8Array, issuer: Uint8Array): Promise<RevocationEvidence | string> {
  const provider = ctx.provider!;
  const k = `${b64(cert)}|${b64(issuer)}`;
  let p = ctx.fetched.get(k);
  if (!p) {
    p = provider(cert, issuer).catch((e: unknown) => (e instanceof SigningError ? e.message : `revocation data could not be obtained: ${(e as Error).message}`));
    ctx.fetched.set(k, p);
  }
  return p;
}

/**
 * The status of one certificate at `atTime`: embedded evidence first, then the provider.
 * `freshAt` (a trusted time after an untrusted `atTime`) is when the evidence must still be current.
 */
export function revocationStatus(ctx: RevocationContext, cert: Uint8Array, issuer: Uint8Array, atTime: Date, freshAt?: Date): Promise<RevocationResult> {
  const k = `${b64(cert)}|${b64(issuer)}|${atTime.getTime()}|${freshAt?.getTime() ?? ''}`;
  let p = ctx.decided.get(k);
  if (!p) {
    p = decide(ctx, cert, issuer, atTime, freshAt);
    ctx.decided.set(k, p);
  }
  return p;
}

async function decide(ctx: RevocationContext, cert: Uint8Array, issuer: Uint8Array, atTime: Date, freshAt?: Date): Promise<RevocationResult> {
  const embedded = relevant(ctx, cert);
  let result: RevocationResult | null = null;
  const reasons: string[] = [];
  if (embedded.ocspResponses.length || embedded.crls.length) {
    result = await checkRevocation(cert, issuer, embedded, atTime, { now: ctx.now, ...(freshAt ? { freshAt } : {}) });
    if (result.status !== 'unknown') return { ...result, reason: `embedded ${result.reason}` };
    reasons.push(`embedded evidence: ${result.reason}`);
  } else reasons.push('no embedded OCSP response or CRL');
  if (!ctx.provider) return { status: 'unknown', source: 'none', reason: `${reasons.join('; ')}; offline validation, so nothing was fetched` };
  const fetched = await fetchEvidence(ctx, cert, issuer);
  if (typeof fetched === 'string') return { status: 'unknown', source: 'none', reason: `${reasons.join('; ')}; ${fetched}` };
  result = await checkRevocation(cert, issuer, fetched, atTime, { now: ctx.now, ...(freshAt ? { freshAt } : {}) });
  return result.status === 'unknown' ? { ...result, reason: `${reasons.join('; ')}; fetched: ${result.reason}` } : result;
}

/**
 * Revocation of each certificate of `path` (end first, anchor last) at `atTime`. `trustedTime`
 * says whether `atTime` itself is a trusted time (the signature's own timestamp); `poe` is
 * the earliest trusted proof that the signature existed (its own or a later covering
 * timestamp).
 */
export async function revocationCheck(opts: { ctx: RevocationContext; path: Uint8Array[]; anchored: boolean; atTime: Date; trustedTime: boolean; poe: ProofOfExistence | null }): Promise<Check> {
  const { ctx, path, atTime, poe } = opts;
  if (path.length < 2) return { status: 'indeterminate', reason: `the issuer of "${path[0] ? subjectOf(path[0]) : 'the signing certificate'}" is unknown, so its revocation status cannot be checked` };
  const results: { status: CheckStatus; reason: string }[] = [];
  // A claimed time is the signer's word: backdated, it would let an old "good" answer stand for
  // a key revoked since. Without a timestamp, evidence must be current at the earliest trusted
  // proof of existence, else at the validation time.
  const freshAt = opts.trustedTime ? undefined : poe && poe.time > atTime ? poe.time : poe ? undefined : ctx.now;
  // Every certificate that has its issuer in the path; the anchor is trusted by configuration.
  for (let i = 0; i + 1 < path.length; i++) {
    const cert = path[i]!;
    const who = `"${subjectOf(cert)}"`;
    const r = await revocationStatus(ctx, cert, path[i + 1]!, atTime, freshAt);
    if (r.status === 'revoked') {
      results.push({ status: 'failed', reason: `${who} was revoked on ${r.revokedAt?.toISOString()}, before the signing time ${atTime.toISOString()} (${r.reason})` });
    } else if (r.status === 'unknown') {
      results.push({ status: 'indeterminate', reason: `${who}: revocation status unknown (${r.reason})` });
    } else if (r.revokedAt) {
      // Good at the signing time, revoked since: only a trusted time can rule out backdating.
      if (opts.trustedTime) results.push({ status: 'passed', reason: `${who}: not revoked at the timestamped signing time ${atTime.toISOString()}; revoked later, on ${r.revokedAt.toISOString()} (${r.source})` });
      else if (poe && poe.time < r.revokedAt) results.push({ status: 'passed', reason: `${who}: revoked on ${r.revokedAt.toISOString()}, but the signature provably existed at ${poe.time.toISOString()} (${poe.source})` });
      else results.push({ status: 'indeterminate', reason: `${who} was revoked on ${r.revokedAt.toISOString()}, after the claimed signing time ${atTime.toISOString()}, but no timestamp proves the signature existed before the revocation` });
    } else {
      results.push({ status: 'passed', reason: `${who}: not revoked at ${atTime.toISOString()} (${r.reason})` });
    }
  }
  if (!opts.anchored) results.push({ status: 'indeterminate', reason: 'the path does not reach a trust anchor, so the revocation of its upper certificates was not checked' });
  const status = combine(results.map((r) => r.status));
  const shown = status === 'passed' ? results : results.filter((r) => r.status === status);
  return { status, reason: shown.map((r) => r.reason).join('; ') };
}
