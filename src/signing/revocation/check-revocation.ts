/**
 * Decides a certificate's revocation status at a given time from collected evidence (OCSP
 * responses first, then CRLs). Only evidence whose signature checks out and which is not
 * stale for that time counts; with none, the answer is "unknown" with the reasons — never
 * "good" by default.
 */
import type { RevocationEvidence } from '../signer.ts';
import { readCrl } from './crl.ts';
import { readOcspResponse } from './ocsp.ts';

export interface RevocationResult {
  status: 'good' | 'revoked' | 'unknown';
  /** Set when the evidence says revoked (even when that was after the time checked). */
  revokedAt?: Date;
  /** RFC 5280 CRLReason code, when given. */
  reasonCode?: number;
  /** Which evidence decided; 'none' when nothing usable was found. */
  source: 'ocsp' | 'crl' | 'none';
  reason: string;
  /** thisUpdate / nextUpdate of the deciding evidence. */
  thisUpdate?: Date;
  nextUpdate?: Date;
}

export interface CheckRevocationOptions {
  /** The current time (tests); default now. */
  now?: Date;
  /** Clock skew tolerated for thisUpdate in the future; default 5 minutes. */
  maxSkewMs?: number;
  /**
   * The time evidence must still speak for (default `atTime`). When `atTime` is only the
   * signer's claim, pass a trusted later time (the validation time): an old "good" that was
   * fresh at a backdated claim says nothing about a revocation since.
   */
  freshAt?: Date;
}

const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', '(unused)', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];

/** Checks `certificate` (DER, issued by `issuer`) against the evidence as of `atTime`. */
export async function checkRevocation(certificate: Uint8Array, issuer: Uint8Array, evidence: RevocationEvidence, atTime: Date = new Date(), opts: CheckRevocationOptions = {}): Promise<RevocationResult> {
  const now = opts.now ?? new Date();
  const skew = opts.maxSkewMs ?? 300_000;
  const freshAt = opts.freshAt && opts.freshAt > atTime ? opts.freshAt : atTime;
  const problems: string[] = [];
  const usable = (what: string, a: { thisUpdate: Date; nextUpdate?: Date }): boolean => {
    if (a.thisUpdate.getTime() > now.getTime() + skew) return problems.push(`${what} claims to be issued in the future (${a.thisUpdate.toISOString()})`), false;
    // Stale: the evidence stopped speaking before the time we ask about. Evidence without
    // nextUpdate gets the clock skew when judged against a separate freshness time (now).
    const until = a.nextUpdate ?? a.thisUpdate;
    const slack = opts.freshAt && !a.nextUpdate ? skew : 0;
    if (until.getTime() + slack < freshAt.getTime()) return problems.push(`${what} is stale for ${freshAt.toISOString()} (valid until ${until.toISOString()})`), false;
    return true;
  };
  const decide = (source: 'ocsp' | 'crl', a: { status: 'good' | 'revoked'; revokedAt?: Date; reasonCode?: number; thisUpdate: Date; nextUpdate?: Date }, who: string): RevocationResult => {
    const dates = { thisUpdate: a.thisUpdate, ...(a.nextUpdate ? { nextUpdate: a.nextUpdate } : {}) };
    const reasonName = a.reasonCode !== undefined ? ` (${REASONS[a.reasonCode] ?? a.reasonCode})` : '';
    if (a.status === 'revoked' && a.revokedAt) {
      const common = { revokedAt: a.revokedAt, source, ...(a.reasonCode !== undefined ? { reasonCode: a.reasonCode } : {}), ...dates };
      if (a.revokedAt <= atTime) return { status: 'revoked', ...common, reason: `${who}: revoked on ${a.revokedAt.toISOString()}${reasonName}` };
      return { status: 'good', ...common, reason: `${who}: good at ${atTime.toISOString()}; revoked later, on ${a.revokedAt.toISOString()}${reasonName}` };
    }
    return { status: 'good', source, ...dates, reason: `${who}: good (as of ${a.thisUpdate.toISOString()})` };
  };

  for (const [i, der] of evidence.ocspResponses.entries()) {
    const a = readOcspResponse(der, certificate, issuer);
    const what = `OCSP response #${i + 1}`;
    if (typeof a === 'string') problems.push(`${what}: ${a}`);
    // producedAt is when the responder signed: not in the future, and not before the status it reports.
    else if (a.producedAt.getTime() > now.getTime() + skew) problems.push(`${what}: producedAt ${a.producedAt.toISOString()} is in the future`);
    else if (a.thisUpdate.getTime() > a.producedAt.getTime() + skew) problems.push(`${what}: thisUpdate ${a.thisUpdate.toISOString()} is after the response was produced (producedAt ${a.producedAt.toISOString()})`);
    else if (a.status === 'unknown') problems.push(`${what}: the responder does not know this certificate`);
    else if (usable(what, a)) return decide('ocsp', { ...a, status: a.status }, `OCSP (${a.responder})`);
  }
  for (const [i, der] of evidence.crls.entries()) {
    const a = readCrl(der, certificate, issuer);
    const what = `CRL #${i + 1}`;
    if (typeof a === 'string') problems.push(`${what}: ${a}`);
    else if (usable(what, a)) return decide('crl', a, 'CRL');
  }
  return { status: 'unknown', source: 'none', reason: problems.length ? problems.join('; ') : 'no OCSP response or CRL available' };
}
