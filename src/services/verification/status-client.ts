/**
 * Fetching a school's status list for a verifier (the CLI, or any service verifying records
 * of another deployment): bounded size and time, the signature checked by readStatusList,
 * and the result cached until the list's next-update time, so many documents of one school
 * cost one request.
 */
import type { RevocationProvider } from '../../signing/signer.ts';
import { MAX_STATUS_LIST_BYTES, readStatusList, type ReadStatusListResult } from './status-list.ts';

export interface StatusListClient {
  (url: string): Promise<ReadStatusListResult & { url: string }>;
}

/** A caching status-list client over fetch. */
export function statusListClient(opts: { trustAnchors: Uint8Array[]; intermediates?: Uint8Array[]; revocation?: RevocationProvider | 'offline'; timeoutMs?: number; now?: () => Date; fetch?: typeof fetch }): StatusListClient {
  const cache = new Map<string, { until: number; result: ReadStatusListResult & { url: string } }>();
  const doFetch = opts.fetch ?? fetch;
  return async (url: string) => {
    const now = opts.now?.() ?? new Date();
    const hit = cache.get(url);
    if (hit && hit.until > now.getTime()) return hit.result;
    let bytes: Uint8Array;
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000), redirect: 'follow' });
      if (!res.ok) return { url, list: null, signer: null, check: { status: 'indeterminate', reason: `the status list at ${url} answered HTTP ${res.status}` } };
      const declared = Number(res.headers.get('content-length') ?? 0);
      if (declared > MAX_STATUS_LIST_BYTES) return { url, list: null, signer: null, check: { status: 'indeterminate', reason: `the status list at ${url} is ${declared} bytes, above the limit` } };
      bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length > MAX_STATUS_LIST_BYTES) return { url, list: null, signer: null, check: { status: 'indeterminate', reason: `the status list at ${url} is above the ${MAX_STATUS_LIST_BYTES}-byte limit` } };
    } catch (e) {
      return { url, list: null, signer: null, check: { status: 'indeterminate', reason: `the status list at ${url} could not be fetched: ${(e as Error).message}` } };
    }
    const result = { url, ...(await readStatusList(bytes, { trustAnchors: opts.trustAnchors, intermediates: opts.intermediates ?? [], revocation: opts.revocation ?? 'offline', now })) };
    if (result.list && result.check.status === 'passed') cache.set(url, { until: Date.parse(result.list.nextUpdate), result });
    return result;
  };
}
