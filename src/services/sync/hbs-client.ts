/**
 * The HTTP client of docs/sync.md for the national HBS database: client credentials → bearer
 * token (cached, renewed once on a 401), submissions with an Idempotency-Key, status queries.
 * Timeouts, connection errors, 429 and 5xx throw TransientSyncError (the engine retries with
 * backoff after asking the status); other refusals throw PermanentSyncError. The secret is
 * only ever put in the Authorization header: never in an error message or a log line.
 */
import { PermanentSyncError, statusAnswerSchema, submissionAnswerSchema, TransientSyncError, type OutgoingBatch, type RecordResult, type SyncTransport } from './protocol.ts';

export interface HbsClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Largest answer read (default 8 MiB). */
  maxAnswerBytes?: number;
}

/** A client for one school's HBS credentials. */
export function hbsClient(opts: HbsClientOptions): SyncTransport {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxAnswerBytes ?? 8 * 1024 * 1024;
  let token: { value: string; expiresAt: number } | null = null;

  async function call(path: string, init: RequestInit, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { ...init, signal: combined, redirect: 'error' });
    } catch (err) {
      if (signal?.aborted) throw new TransientSyncError(`${path}: stopped`);
      if (timeout.aborted) throw new TransientSyncError(`${path}: no answer within ${timeoutMs} ms`);
      throw new TransientSyncError(`${path}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    }
    let text: string;
    try {
      const buf = Buffer.from(await res.arrayBuffer());
      if (buf.length > maxBytes) throw new PermanentSyncError(`${path}: answer of ${buf.length} bytes is larger than ${maxBytes}`);
      text = buf.toString('utf8');
    } catch (err) {
      if (err instanceof PermanentSyncError) throw err;
      throw new TransientSyncError(`${path}: the answer was cut off (${err instanceof Error ? err.message : String(err)})`);
    }
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.status === 429 || res.status >= 500) throw new TransientSyncError(`${path}: HTTP ${res.status}`);
    return { status: res.status, body };
  }

  async function getToken(signal?: AbortSignal): Promise<string> {
    if (token && token.expiresAt > Date.now() + 30_000) return token.value;
    const basic = Buffer.from(`${opts.clientId}:${opts.clientSecret}`, 'utf8').toString('base64');
    const r = await call('/oauth/token', { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }, signal);
    if (r.status === 401 || r.status === 400) throw new PermanentSyncError(`/oauth/token: the HBS database refused the client credentials of client id "${opts.clientId}" (HTTP ${r.status})`);
    const b = r.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (r.status !== 200 || typeof b?.access_token !== 'string') throw new PermanentSyncError(`/oauth/token: unexpected answer HTTP ${r.status}`);
    token = { value: b.access_token, expiresAt: Date.now() + (typeof b.expires_in === 'number' ? b.expires_in : 300) * 1000 };
    return token.value;
  }

  async function authed(path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal) {
    for (let attempt = 0; ; attempt++) {
      const t = await getToken(signal);
      const r = await call(path, { method: 'POST', headers: { ...headers, authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }, signal);
      if (r.status === 401 && attempt === 0) {
        token = null;
        continue;
      }
      if (r.status === 401) throw new PermanentSyncError(`${path}: the HBS database refused the access token twice`);
      if (r.status !== 200) {
        const e = r.body as { error?: unknown; message?: unknown } | null;
        const why = typeof e?.message === 'string' ? e.message.slice(0, 300) : typeof e?.error === 'string' ? e.error.slice(0, 100) : '';
        throw new PermanentSyncError(`${path}: HTTP ${r.status}${why ? ` (${why})` : ''}`);
      }
      return r.body;
    }
  }

  return {
    target: 'hbs',
    async submit(batch: OutgoingBatch, signal?: AbortSignal): Promise<RecordResult[]> {
      const payload = {
        manifest: batch.manifest,
        documents: batch.documents.map((d) => ({ key: d.key, xml: d.xml.toString('base64'), pdf: d.pdf.toString('base64') })),
      };
      const body = await authed('/v1/submissions', payload, { 'idempotency-key': batch.batchKey }, signal);
      const parsed = submissionAnswerSchema.safeParse(body);
      if (!parsed.success) throw new TransientSyncError(`/v1/submissions: the answer does not follow docs/sync.md (${parsed.error.issues[0]?.message ?? ''})`);
      return parsed.data.results;
    },
    async status(keys: string[], signal?: AbortSignal): Promise<RecordResult[]> {
      const out: RecordResult[] = [];
      for (let i = 0; i < keys.length; i += 500) {
        const body = await authed('/v1/status', { keys: keys.slice(i, i + 500) }, {}, signal);
        const parsed = statusAnswerSchema.safeParse(body);
        if (!parsed.success) throw new TransientSyncError(`/v1/status: the answer does not follow docs/sync.md`);
        out.push(...parsed.data.results);
      }
      return out;
    },
  };
}
