/**
 * The checks that are the same for XAdES and PAdES once the container has been read: the
 * certificate path at the signing time, the key usage, and revocation at the signing time.
 * Which time: the signature's own valid timestamp when there is one, else the claimed
 * signing time, else (no time at all) the validation time — the reason always says which.
 */
import type { RevocationProvider } from '../signer.ts';
import { checkChain, keyUsageCheck, subjectOf, type ChainCache } from './certificates.ts';
import { failed, indeterminate, type Check } from './report.ts';
import { revocationCheck, type ProofOfExistence, type RevocationContext } from './revocation.ts';

/** Claimed signing times this far after the validation time are refused (clock skew allowed). */
const MAX_FUTURE_MS = 5 * 60_000;

export interface ValidationContext {
  trustAnchors: Uint8Array[];
  /** Certificates that may serve as intermediates: given, embedded in signatures, from the DSS. */
  pool: Uint8Array[];
  revocation: RevocationContext;
  now: Date;
  /** Signature ids / field names that must carry a timestamp (true: all). */
  requireTimestamp: (id: string) => boolean;
  /** Path checks already made in this document. */
  chains: ChainCache;
}

export type ProviderOption = RevocationProvider | 'offline' | undefined;

export interface TrustInput {
  certificate: Uint8Array | null;
  claimedTime: Date | null;
  /** genTime of the signature's own valid timestamp. */
  trustedTime: Date | null;
  /** Earliest trusted proof that the signature existed (own or a later covering timestamp). */
  poe: ProofOfExistence | null;
}

export interface TrustChecks {
  chain: Check;
  keyUsage: Check;
  revocation: Check;
  path: Uint8Array[];
}

/** Chain, key usage and revocation of the signing certificate at the signing time. */
export async function trustChecks(input: TrustInput, ctx: ValidationContext): Promise<TrustChecks> {
  if (!input.certificate) {
    const none = failed('there is no signing certificate to check');
    return { chain: none, keyUsage: none, revocation: none, path: [] };
  }
  const cert = input.certificate;
  const atTime = input.trustedTime ?? input.claimedTime ?? ctx.now;
  const timeLabel = input.trustedTime
    ? `the timestamp, ${atTime.toISOString()}`
    : input.claimedTime
      ? `the claimed signing time ${atTime.toISOString()} (no valid timestamp)`
      : `the validation time ${atTime.toISOString()} (the signature states no signing time)`;
  const keyUsage = keyUsageCheck(cert);
  if (!input.trustedTime && input.claimedTime && input.claimedTime.getTime() > ctx.now.getTime() + MAX_FUTURE_MS) {
    const future = failed(`the claimed signing time ${input.claimedTime.toISOString()} is later than the validation time ${ctx.now.toISOString()}`);
    return { chain: future, keyUsage, revocation: indeterminate('not checked: the signing time is in the future'), path: [cert] };
  }
  const chain = await checkChain({ certificate: cert, pool: ctx.pool, trustAnchors: ctx.trustAnchors, atTime, timeLabel, cache: ctx.chains });
  const revocation =
    chain.path.length === 0
      ? indeterminate(`the path of "${subjectOf(cert)}" could not be built, so revocation was not checked`)
      : await revocationCheck({ ctx: ctx.revocation, path: chain.path, anchored: chain.anchored, atTime, trustedTime: input.trustedTime !== null, poe: input.poe });
  return { chain: chain.check, keyUsage, revocation, path: chain.path };
}

/** Merges check outcomes into one check: the worst status, with the reasons of that status. */
export function mergeChecks(parts: Check[], passedReason?: string): Check {
  if (parts.length === 0) return indeterminate('not checked');
  const worst = parts.some((p) => p.status === 'failed') ? 'failed' : parts.some((p) => p.status === 'indeterminate') ? 'indeterminate' : 'passed';
  if (worst === 'passed' && passedReason) return { status: 'passed', reason: passedReason };
  return { status: worst, reason: parts.filter((p) => p.status === worst).map((p) => p.reason).join('; ') };
}
