/**
 * A reference server of docs/sync.md, for the tests and for manual trials (`hocba
 * sync-reference-server`). It checks what it receives for real (manifest, SHA-256 of every
 * document, the HBS reader on the XML, identity numbers) and keeps one stored outcome per
 * record key. Faults are scriptable: per submission (answer normally, 500 before processing,
 * process then never answer = timeout, process half then 500 or hang), per record (reject with
 * a code, answer pending for N status polls, answer duplicate), and a hook on every submission
 * lets a test kill the client at a chosen point. It counts how often each key arrived.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findRecordFormat } from '../../documents/hbs-xml/index.ts';
import { submissionSchema, type ManifestRecord, type RecordResult } from './protocol.ts';

/** What happens to one submission request. */
export type SubmissionFault = 'ok' | 'error500' | 'timeout' | 'half-then-500' | 'half-then-hang';

/** A per-record scripted outcome (overrides the natural checks). */
export type RecordScript = { kind: 'reject'; code: string; message: string } | { kind: 'pending'; polls: number; then: 'accepted' | { code: string; message: string } };

export interface StoredRecord {
  key: string;
  status: 'accepted' | 'rejected' | 'pending';
  code?: string;
  message?: string;
  receiptId?: string;
  xmlSha256: string;
  pdfSha256: string;
  pollsLeft?: number;
  then?: 'accepted' | { code: string; message: string };
  manifest: ManifestRecord | null;
  /** The signed XML as received (for the tests' schema check). */
  xml?: Buffer;
}

export interface ReferenceServerOptions {
  clientId?: string;
  clientSecret?: string;
  /** Faults for the next submissions, in order (then 'ok'). */
  faults?: SubmissionFault[];
  /** Per-record outcome by key, or by a predicate on the manifest entry. */
  script?: (record: ManifestRecord) => RecordScript | null;
  /** Called when a submission arrives, after `processed` records were stored (0 first, then after each half). */
  onSubmission?: (info: { n: number; keys: string[]; phase: 'received' | 'half' | 'processed' }) => void | Promise<void>;
  maxBodyBytes?: number;
}

export interface ReferenceServer {
  url: string;
  /** Records stored, by key. */
  readonly records: Map<string, StoredRecord>;
  /** How many times each key arrived in a submission that the server processed. */
  readonly received: Map<string, number>;
  readonly counts: { tokens: number; submissions: number; statusQueries: number; refusedTokens: number };
  /** Adds faults for the next submissions. */
  pushFaults(...faults: SubmissionFault[]): void;
  setScript(script: ReferenceServerOptions['script']): void;
  /** Stores a record as if it had arrived earlier by another way (the next submission of it is a duplicate). */
  preload(key: string, xmlSha256: string, pdfSha256: string): void;
  close(): Promise<void>;
}

const IDENTITY_RULES: Array<{ code: string; test: (r: { personalId: string | null; studentCode: string | null }) => string | null }> = [
  { code: 'HBS-E101', test: (r) => (!r.personalId ? 'Thiếu số định danh cá nhân / personal identity number missing' : /^\d{12}$/.test(r.personalId) ? null : `Số định danh "${r.personalId}" không đủ 12 chữ số / not 12 digits`) },
  { code: 'HBS-E102', test: (r) => (!r.studentCode ? 'Thiếu mã học sinh / student code missing' : /^\d{10}$/.test(r.studentCode) ? null : `Mã học sinh "${r.studentCode}" không đủ 10 chữ số / not 10 digits`) },
];

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Starts the reference server on 127.0.0.1 (port 0: any free port). */
export async function startReferenceServer(opts: ReferenceServerOptions = {}, port = 0, host = '127.0.0.1'): Promise<ReferenceServer> {
  const clientId = opts.clientId ?? 'hocba-test';
  const clientSecret = opts.clientSecret ?? 'bi-mat-thu-nghiem';
  const maxBody = opts.maxBodyBytes ?? 64 * 1024 * 1024;
  const faults = [...(opts.faults ?? [])];
  let script = opts.script;
  const tokens = new Set<string>();
  const records = new Map<string, StoredRecord>();
  const received = new Map<string, number>();
  const submissions = new Map<string, unknown>();
  const counts = { tokens: 0, submissions: 0, statusQueries: 0, refusedTokens: 0 };
  const hanging = new Set<ServerResponse>();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const readBody = (req: IncomingMessage): Promise<Buffer | null> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBody) {
          req.destroy();
          resolve(null);
        } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const same = (a: string, b: string) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  };

  const resultOf = (r: StoredRecord, duplicate = false): RecordResult =>
    r.status === 'accepted' ? { key: r.key, status: duplicate ? 'duplicate' : 'accepted', receiptId: r.receiptId } : r.status === 'rejected' ? { key: r.key, status: 'rejected', code: r.code, message: r.message } : { key: r.key, status: 'pending' };

  /** Checks and stores one record (or answers what is stored). */
  function processRecord(rec: ManifestRecord, doc: { xml: string; pdf: string } | undefined): RecordResult {
    received.set(rec.key, (received.get(rec.key) ?? 0) + 1);
    const prior = records.get(rec.key);
    // A rejected record may come again after a correction on the Ministry's side: it is checked afresh.
    if (prior && prior.status !== 'rejected') {
      if (prior.xmlSha256 !== rec.xmlSha256 || prior.pdfSha256 !== rec.pdfSha256) return { key: rec.key, status: 'rejected', code: 'HBS-E409', message: 'Khoá đã dùng cho tài liệu khác / key already used for other bytes' };
      return resultOf(prior, true);
    }
    const store = (s: Omit<StoredRecord, 'key' | 'xmlSha256' | 'pdfSha256' | 'manifest'>): RecordResult => {
      const row: StoredRecord = { key: rec.key, xmlSha256: rec.xmlSha256, pdfSha256: rec.pdfSha256, manifest: rec, ...(doc ? { xml: Buffer.from(doc.xml, 'base64') } : {}), ...s };
      records.set(rec.key, row);
      return resultOf(row);
    };
    if (!doc) return store({ status: 'rejected', code: 'HBS-E401', message: 'Thiếu tài liệu của bản ghi / document missing' });
    const xml = Buffer.from(doc.xml, 'base64');
    const pdf = Buffer.from(doc.pdf, 'base64');
    if (sha256(xml) !== rec.xmlSha256 || sha256(pdf) !== rec.pdfSha256) return store({ status: 'rejected', code: 'HBS-E401', message: 'SHA-256 không khớp manifest / digest does not match the manifest' });
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return store({ status: 'rejected', code: 'HBS-E401', message: 'Tệp PDF không hợp lệ / not a PDF' });
    try {
      findRecordFormat('hbs', '1')!.parse(xml.toString('utf8'));
    } catch (err) {
      return store({ status: 'rejected', code: 'HBS-E401', message: `XML không đúng định dạng / format: ${err instanceof Error ? err.message.slice(0, 300) : ''}` });
    }
    if (!xml.includes('Id="sig-seal"')) return store({ status: 'rejected', code: 'HBS-E301', message: 'Thiếu chữ ký số của nhà trường / school seal signature missing' });
    const scripted = script?.(rec) ?? null;
    if (scripted?.kind === 'reject') return store({ status: 'rejected', code: scripted.code, message: scripted.message });
    for (const rule of IDENTITY_RULES) {
      const why = rule.test(rec);
      if (why) return store({ status: 'rejected', code: rule.code, message: why });
    }
    if (scripted?.kind === 'pending') return store({ status: 'pending', pollsLeft: scripted.polls, then: scripted.then });
    return store({ status: 'accepted', receiptId: `HBS-${randomUUID()}` });
  }

  function poll(key: string): RecordResult {
    const r = records.get(key);
    if (!r) return { key, status: 'unknown' };
    if (r.status === 'pending' && r.pollsLeft !== undefined) {
      if (r.pollsLeft > 0) r.pollsLeft -= 1;
      else if (r.then === 'accepted') Object.assign(r, { status: 'accepted', receiptId: `HBS-${randomUUID()}` });
      else if (r.then) Object.assign(r, { status: 'rejected', code: r.then.code, message: r.then.message });
    }
    return resultOf(r);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/oauth/token') {
      const body = (await readBody(req))?.toString('utf8') ?? '';
      const auth = req.headers.authorization ?? '';
      const [id, secret] = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':') : [];
      if (!/grant_type=client_credentials/.test(body) || !id || !secret || !same(id, clientId) || !same(secret, clientSecret)) {
        counts.refusedTokens++;
        return json(res, 401, { error: 'invalid_client' });
      }
      counts.tokens++;
      const t = randomUUID();
      tokens.add(t);
      return json(res, 200, { access_token: t, token_type: 'Bearer', expires_in: 3600 });
    }
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!tokens.has(bearer)) return json(res, 401, { error: 'invalid_token' });
    if (req.method === 'POST' && path === '/v1/status') {
      counts.statusQueries++;
      const raw = await readBody(req);
      let keys: unknown;
      try {
        keys = (JSON.parse(raw?.toString('utf8') ?? '') as { keys?: unknown }).keys;
      } catch {
        return json(res, 400, { error: 'bad_request', message: 'JSON expected' });
      }
      if (!Array.isArray(keys) || keys.length > 500 || !keys.every((k) => typeof k === 'string')) return json(res, 400, { error: 'bad_request', message: 'keys: up to 500 strings' });
      return json(res, 200, { results: (keys as string[]).map(poll) });
    }
    if (req.method === 'POST' && path === '/v1/submissions') {
      const raw = await readBody(req);
      if (!raw) return json(res, 413, { error: 'too_large' });
      let parsed;
      try {
        parsed = submissionSchema.safeParse(JSON.parse(raw.toString('utf8')));
      } catch {
        return json(res, 400, { error: 'bad_request', message: 'JSON expected' });
      }
      if (!parsed.success) return json(res, 400, { error: 'bad_request', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) });
      const sub = parsed.data;
      if (sub.manifest.count !== sub.manifest.records.length) return json(res, 400, { error: 'bad_request', message: `manifest.count ${sub.manifest.count} ≠ ${sub.manifest.records.length} records` });
      const n = ++counts.submissions;
      const keys = sub.manifest.records.map((r) => r.key);
      const idem = req.headers['idempotency-key'];
      if (typeof idem === 'string' && submissions.has(idem)) {
        // The same batch again: answer from what is stored (nothing is received twice).
        return json(res, 200, { submissionId: idem, results: keys.map((k) => { const r = records.get(k); return r ? resultOf(r, r.status === 'accepted') : { key: k, status: 'unknown' as const }; }) });
      }
      const fault = faults.shift() ?? 'ok';
      await opts.onSubmission?.({ n, keys, phase: 'received' });
      if (fault === 'error500') return json(res, 500, { error: 'internal', message: 'scripted 500 before processing' });
      const docs = new Map(sub.documents.map((d) => [d.key, d]));
      const results: RecordResult[] = [];
      const half = Math.ceil(sub.manifest.records.length / 2);
      for (const [i, rec] of sub.manifest.records.entries()) {
        if (i === half && (fault === 'half-then-500' || fault === 'half-then-hang')) {
          await opts.onSubmission?.({ n, keys, phase: 'half' });
          if (fault === 'half-then-500') return json(res, 500, { error: 'internal', message: 'scripted failure half-way through the batch' });
          hanging.add(res);
          return;
        }
        results.push(processRecord(rec, docs.get(rec.key)));
      }
      const submissionId = typeof idem === 'string' ? idem : randomUUID();
      submissions.set(submissionId, true);
      await opts.onSubmission?.({ n, keys, phase: 'processed' });
      if (fault === 'timeout') {
        hanging.add(res);
        return;
      }
      return json(res, 200, { submissionId, results });
    }
    return json(res, 404, { error: 'not_found' });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: 'internal', message: err instanceof Error ? err.message : String(err) });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    records,
    received,
    counts,
    pushFaults: (...f) => void faults.push(...f),
    setScript: (s) => void (script = s),
    preload(key, xmlSha256, pdfSha256) {
      records.set(key, { key, status: 'accepted', receiptId: `HBS-pre-${randomUUID()}`, xmlSha256, pdfSha256, manifest: null });
    },
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
