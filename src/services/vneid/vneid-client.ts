/**
 * VNeID sharing (docs/sync.md "VNeID sharing"): announces a record version the HBS database
 * accepted, so the citizen sees it in the VNeID app. One idempotent PUT per record key with a
 * bearer API key; GET tells whether a key is already shared. Same engine, same table
 * (sync_items, target 'vneid'), same exactly-once rules as the HBS sync.
 */
import { PermanentSyncError, TransientSyncError, type OutgoingBatch, type RecordResult, type SyncTransport } from '../sync/protocol.ts';

export interface VneidClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}

/** A VNeID sharing client for one school's API key. */
export function vneidClient(opts: VneidClientOptions): SyncTransport {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function call(method: 'GET' | 'PUT', key: string, body: unknown, signal?: AbortSignal): Promise<{ status: number; body: Record<string, unknown> | null }> {
    const path = `/v1/shares/${encodeURIComponent(key)}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${opts.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        redirect: 'error',
      });
    } catch (err) {
      throw new TransientSyncError(`VNeID ${method} ${path}: ${timeout.aborted ? `no answer within ${timeoutMs} ms` : err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text().catch(() => '');
    if (res.status === 429 || res.status >= 500) throw new TransientSyncError(`VNeID ${method} ${path}: HTTP ${res.status}`);
    if (res.status === 401 || res.status === 403) throw new PermanentSyncError(`VNeID: the API key was refused (HTTP ${res.status})`);
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = text ? (JSON.parse(text.slice(0, 1_000_000)) as Record<string, unknown>) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed };
  }

  return {
    target: 'vneid',
    async submit(batch: OutgoingBatch, signal?: AbortSignal): Promise<RecordResult[]> {
      const out: RecordResult[] = [];
      const docs = new Map(batch.documents.map((d) => [d.key, d]));
      for (const rec of batch.manifest.records) {
        const d = docs.get(rec.key);
        const r = await call('PUT', rec.key, { personalId: rec.personalId, studentName: d?.studentName ?? '', schoolCode: batch.manifest.schoolCode, schoolYear: batch.manifest.schoolYear, version: rec.version, pdfSha256: rec.pdfSha256, verifyUrl: d?.verifyUrl ?? '' }, signal);
        if (r.status === 201 || r.status === 200) out.push({ key: rec.key, status: r.status === 200 ? 'duplicate' : 'accepted', receiptId: typeof r.body?.shareId === 'string' ? r.body.shareId : undefined });
        else if (r.status === 422) out.push({ key: rec.key, status: 'rejected', code: String(r.body?.code ?? 'VNEID-E000').slice(0, 40), message: String(r.body?.message ?? '').slice(0, 2000) });
        else throw new PermanentSyncError(`VNeID PUT ${rec.key}: HTTP ${r.status}`);
      }
      return out;
    },
    async status(keys: string[], signal?: AbortSignal): Promise<RecordResult[]> {
      const out: RecordResult[] = [];
      for (const key of keys) {
        const r = await call('GET', key, null, signal);
        out.push(r.status === 200 ? { key, status: 'accepted', receiptId: typeof r.body?.shareId === 'string' ? r.body.shareId : undefined } : { key, status: 'unknown' });
      }
      return out;
    },
  };
}
