/**
 * Trust in a signature timestamp: the token is intact and over this signature's value (the
 * container verifiers check that first), its TSA certificate chains to a trust anchor at
 * genTime with the timeStamping EKU, and the TSA certificate was not revoked then. A
 * timestamp whose token and TSA path hold gives the trusted signing time, even when the
 * TSA's revocation could not be checked (the check then says so and is indeterminate).
 */
import { createHash } from 'node:crypto';
import { nodeDigestName } from '../signer.ts';
import { parseTimestampToken, verifyTimestampToken } from '../tsa/timestamp-token.ts';
import { isSelfSigned, subjectOf } from './certificates.ts';
import { failed, indeterminate, passed, type Check } from './report.ts';
import { revocationCheck, type RevocationContext } from './revocation.ts';

/** Claimed signing times may run ahead of the TSA clock by this much (clock skew). */
const MAX_CLAIM_AHEAD_MS = 5 * 60_000;

export interface TimestampTrust {
  check: Check;
  /** genTime, when the token and the TSA path are valid (usable as the trusted signing time). */
  time: Date | null;
}

/**
 * Checks `token` as a timestamp over `stamped` (the bytes the imprint must hash: XAdES the
 * canonical SignatureValue element, CMS the signature value octets).
 */
export async function timestampTrust(opts: {
  token: Uint8Array;
  stamped: Uint8Array;
  trustAnchors: Uint8Array[];
  pool: Uint8Array[];
  /** Other certificates that may be the TSA's when the token does not carry it (DSS, XAdES CertificateValues). */
  certificates?: Uint8Array[];
  revocation: RevocationContext;
  claimedSigningTime: Date | null;
  label: string;
  /** TSA policy OIDs accepted; when set, a token under another policy fails. */
  acceptedPolicies?: string[];
}): Promise<TimestampTrust> {
  const { label } = opts;
  let info;
  try {
    info = parseTimestampToken(opts.token);
  } catch (e) {
    return { check: failed(`${label}: ${(e as Error).message}`), time: null };
  }
  if (!info.imprint.algorithm) return { check: failed(`${label}: the imprint uses ${info.imprint.algorithmOid}, which is not accepted (SHA-256/384/512 only)`), time: null };
  const digest = new Uint8Array(createHash(nodeDigestName(info.imprint.algorithm)).update(opts.stamped).digest());
  const v = await verifyTimestampToken(opts.token, { digest, algorithm: info.imprint.algorithm, trustAnchors: opts.trustAnchors, intermediates: opts.pool, certificates: opts.certificates ?? [], ...(opts.acceptedPolicies ? { acceptedPolicies: opts.acceptedPolicies } : {}) });
  const genTime = info.genTime;
  if (v.status !== 'passed') {
    // An untrusted self-signed TSA root is someone's own TSA: failed, like a signer's.
    const top = v.chain[v.chain.length - 1];
    if (v.status === 'indeterminate' && opts.trustAnchors.length > 0 && top && (await isSelfSigned(top))) {
      return { check: failed(`${label}: the TSA certificate path ends at the self-signed root "${subjectOf(top)}", which is not a trusted root`), time: null };
    }
    return { check: { status: v.status, reason: `${label}: ${v.reason}` }, time: null };
  }
  if (opts.claimedSigningTime && opts.claimedSigningTime.getTime() > genTime.getTime() + MAX_CLAIM_AHEAD_MS) {
    return { check: failed(`${label}: the claimed signing time ${opts.claimedSigningTime.toISOString()} is after the timestamp ${genTime.toISOString()}`), time: null };
  }
  const tsa = v.chain[0] ? `"${subjectOf(v.chain[0])}"` : 'the TSA';
  const rev = await revocationCheck({ ctx: opts.revocation, path: v.chain, anchored: true, atTime: genTime, trustedTime: true, poe: null });
  if (rev.status === 'failed') return { check: failed(`${label}: TSA certificate revoked: ${rev.reason}`), time: null };
  if (rev.status === 'indeterminate') return { check: indeterminate(`${label}: valid timestamp of ${genTime.toISOString()} by ${tsa}, but the TSA certificate's revocation is unknown: ${rev.reason}`), time: genTime };
  return { check: passed(`${label}: valid timestamp of ${genTime.toISOString()} over this signature value by ${tsa} (trusted path, timeStamping EKU, not revoked)`), time: genTime };
}
