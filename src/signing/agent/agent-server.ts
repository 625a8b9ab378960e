/**
 * The local signing agent: a small HTTP service the teacher runs on their own PC, next to
 * their USB token. The hocba web page (and only it) sends digests; the agent asks the person
 * to confirm, signs with the wrapped Signer (a PKCS#11 token in practice) and returns the
 * signature values. The private key and the PIN never leave the PC.
 *
 * Defences, in order, on every request:
 *  1. listens on 127.0.0.1 only;
 *  2. the Host header must be 127.0.0.1:<port> or localhost:<port> — a page on a DNS name
 *     rebound to 127.0.0.1 still sends its own name, so it is refused (DNS rebinding);
 *  3. the Origin header must be one of the configured hocba server origins — no Origin or
 *     another Origin is refused, and CORS is answered for exactly that origin (with Private
 *     Network Access preflights allowed for it);
 *  4. certificates and signing need a pairing token obtained by typing the one-time code the
 *     agent shows on the PC into the web page; the token is bound to that Origin;
 *  5. every signing request is shown to the person, who confirms it (y/N) at the PC.
 * Pairing is rate-limited: one live code at a time, a few tries per code, few codes a minute.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SigningError, type SignatureAlgorithm, type Signer, type SigningErrorCode } from '../signer.ts';
import { MAX_ITEMS_PER_REQUEST, MAX_LABEL_LENGTH } from '../signers/algorithms.ts';
import { AGENT_PROTOCOL_VERSION, type AgentCertificates, type AgentErrorBody, type AgentErrorCode, type AgentInfo } from './agent-protocol.ts';

export interface ConfirmRequest {
  origin: string;
  algorithm: SignatureAlgorithm;
  count: number;
  labels: string[];
  signal: AbortSignal;
}

export interface AgentServerOptions {
  signer: Signer;
  /** The hocba server origins allowed to use this agent, e.g. ['https://hocba.sgd.edu.vn']. */
  allowedOrigins: string[];
  /** Default 0 (any free port; the CLI passes AGENT_DEFAULT_PORT). */
  port?: number;
  /** Asks the person at the PC; resolves true to sign. */
  confirm(req: ConfirmRequest): Promise<boolean>;
  /** Shows the one-time pairing code on the PC (terminal, tray notification…). */
  showPairingCode(code: string, origin: string): void;
  /** How long the person has to answer; default 120 s. */
  confirmTimeoutMs?: number;
  /** Lifetime of a pairing code; default 5 minutes. */
  pairingCodeTtlMs?: number;
  version?: string;
}

export interface AgentServer {
  url: string;
  port: number;
  /** Drops every pairing (e.g. when the person asks the agent to forget the browsers). */
  unpairAll(): void;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I
const MAX_TRIES_PER_CODE = 5;
const MAX_CODES_PER_MINUTE = 5;
const MAX_FAILURES_PER_HOUR = 20;

class AgentHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: SigningErrorCode | AgentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const STATUS: Partial<Record<SigningErrorCode, number>> = {
  document_invalid: 400,
  unsupported_algorithm: 400,
  signer_rejected: 409,
  signer_auth_failed: 502,
  signer_unavailable: 503,
  signer_timeout: 504,
  signer_expired: 504,
};

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** Labels end up in a terminal: no control characters (ANSI escapes could fake the prompt), no bidi overrides. */
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
const normaliseCode = (s: string) => s.toUpperCase().replace(/[\s-]/g, '');

/** Starts the agent on 127.0.0.1. */
export async function startAgentServer(opts: AgentServerOptions): Promise<AgentServer> {
  const origins = new Set(
    opts.allowedOrigins.map((o) => {
      const u = new URL(o);
      if (u.origin === 'null' || !/^https?:$/.test(u.protocol)) throw new Error(`agent: ${o} is not an http(s) origin`);
      return u.origin;
    }),
  );
  if (origins.size === 0) throw new Error('agent: at least one allowed origin is required');
  const confirmTimeoutMs = opts.confirmTimeoutMs ?? 120_000;
  const codeTtlMs = opts.pairingCodeTtlMs ?? 5 * 60_000;
  const version = opts.version ?? '0.1.0';

  const pairings = new Map<string, { origin: string; createdAt: number }>(); // sha256(token) → origin
  let code: { value: string; origin: string; expiresAt: number; tries: number } | null = null;
  const codeStarts: number[] = [];
  const failures: number[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  let port = 0;

  const recent = (list: number[], windowMs: number) => {
    const now = Date.now();
    while (list.length && list[0]! < now - windowMs) list.shift();
    return list.length;
  };

  const pairedOrigin = (req: IncomingMessage): string | null => {
    const m = /^Bearer ([A-Za-z0-9_-]{20,})$/.exec(req.headers.authorization ?? '');
    return m ? (pairings.get(sha(m[1]!))?.origin ?? null) : null;
  };
  const requirePairing = (req: IncomingMessage, origin: string) => {
    if (pairedOrigin(req) !== origin) throw new AgentHttpError(401, 'not_paired', 'this browser is not paired with the agent (pair first: POST /v1/pair)');
  };

  async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    // application/json makes every POST a CORS preflighted request, so the Origin check above always applies.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new AgentHttpError(400, 'bad_request', 'Content-Type must be application/json');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new AgentHttpError(413, 'bad_request', `request body exceeds ${MAX_BODY} bytes`);
      chunks.push(chunk as Buffer);
    }
    try {
      const v = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      return v as Record<string, unknown>;
    } catch {
      throw new AgentHttpError(400, 'bad_request', 'the request body is not a JSON object');
    }
  }

  async function pair(req: IncomingMessage, origin: string): Promise<[number, unknown]> {
    const body = await readJson(req);
    if (recent(failures, 3600_000) >= MAX_FAILURES_PER_HOUR) throw new AgentHttpError(429, 'too_many_attempts', 'too many wrong pairing codes in the last hour; try again later');
    if (body.code === undefined) {
      if (recent(codeStarts, 60_000) >= MAX_CODES_PER_MINUTE) throw new AgentHttpError(429, 'too_many_attempts', 'too many pairing requests; wait a minute');
      codeStarts.push(Date.now());
      const raw = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      code = { value: raw, origin, expiresAt: Date.now() + codeTtlMs, tries: 0 };
      opts.showPairingCode(`${raw.slice(0, 4)}-${raw.slice(4)}`, origin);
      return [202, { status: 'code_shown', expiresIn: Math.floor(codeTtlMs / 1000) }];
    }
    if (typeof body.code !== 'string' || body.code.length > 20) throw new AgentHttpError(400, 'bad_request', 'code must be a string');
    const live = code;
    if (!live || live.expiresAt < Date.now() || live.origin !== origin) {
      failures.push(Date.now());
      throw new AgentHttpError(401, 'pairing_failed', 'no pairing code is waiting for this page (request a new one)');
    }
    // Compare digests so the time taken does not depend on how much of the code was right.
    if (sha(normaliseCode(body.code)) !== sha(live.value)) {
      failures.push(Date.now());
      if (++live.tries >= MAX_TRIES_PER_CODE) code = null;
      throw new AgentHttpError(401, 'pairing_failed', `wrong pairing code${code ? '' : ' (code discarded after too many tries: request a new one)'}`);
    }
    code = null;
    const token = randomBytes(32).toString('base64url');
    pairings.set(sha(token), { origin, createdAt: Date.now() });
    return [200, { pairingToken: token }];
  }

  async function sign(req: IncomingMessage, origin: string, signal: AbortSignal): Promise<[number, unknown]> {
    requirePairing(req, origin);
    const body = await readJson(req);
    const algorithms = await opts.signer.algorithms();
    const algorithm = body.algorithm as SignatureAlgorithm;
    if (!algorithms.includes(algorithm)) throw new AgentHttpError(400, 'unsupported_algorithm', `algorithm ${String(body.algorithm)} is not available (${algorithms.join(', ')})`);
    if (!Array.isArray(body.items) || body.items.length === 0 || body.items.length > MAX_ITEMS_PER_REQUEST) {
      throw new AgentHttpError(400, 'bad_request', `items must be a list of 1 to ${MAX_ITEMS_PER_REQUEST} digests`);
    }
    const items = body.items.map((raw: unknown, i) => {
      const it = raw as { digest?: unknown; label?: unknown };
      if (typeof it?.digest !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(it.digest)) throw new AgentHttpError(400, 'bad_request', `items[${i}].digest must be base64`);
      if (it.label !== undefined && (typeof it.label !== 'string' || it.label.length > MAX_LABEL_LENGTH)) throw new AgentHttpError(400, 'bad_request', `items[${i}].label must be a string of at most ${MAX_LABEL_LENGTH} characters`);
      return { digest: new Uint8Array(Buffer.from(it.digest, 'base64')), ...(it.label !== undefined ? { label: it.label as string } : {}) };
    });
    // One request at a time: the person confirms one batch, the token signs one batch.
    const run = queue.then(async () => {
      const timeout = AbortSignal.timeout(confirmTimeoutMs);
      const confirmSignal = AbortSignal.any([signal, timeout]);
      let ok: boolean;
      try {
        ok = await Promise.race([
          opts.confirm({ origin, algorithm, count: items.length, labels: items.map((it, i) => (it.label !== undefined ? printable(it.label) : `#${i + 1}`)), signal: confirmSignal }),
          new Promise<never>((_, reject) => confirmSignal.addEventListener('abort', () => reject(confirmSignal.reason), { once: true })),
        ]);
      } catch (err) {
        if (timeout.aborted) throw new SigningError('signer_timeout', `agent: nobody confirmed within ${Math.round(confirmTimeoutMs / 1000)} s`);
        throw err;
      }
      if (!ok) throw new SigningError('signer_rejected', `agent: the person declined to sign ${items.length} item(s)`);
      const sigs = await opts.signer.signDigests({ algorithm, items, signal });
      return { signatures: sigs.map((s) => Buffer.from(s).toString('base64')) };
    });
    queue = run.catch(() => undefined);
    return [200, await run];
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : '';
    const corsHeaders: Record<string, string> = {};
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', vary: 'Origin', ...corsHeaders, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const fail = (err: unknown) => {
      if (err instanceof AgentHttpError) return send(err.status, { error: err.code, message: err.message } satisfies AgentErrorBody);
      if (err instanceof SigningError) return send(STATUS[err.code] ?? 500, { error: err.code, message: err.message } satisfies AgentErrorBody);
      send(500, { error: 'signer_unavailable', message: 'agent: internal error' } satisfies AgentErrorBody);
    };
    try {
      const host = (req.headers.host ?? '').toLowerCase();
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) throw new AgentHttpError(403, 'forbidden_host', `Host "${host.slice(0, 100)}" is not this agent's address`);
      if (!origins.has(origin)) throw new AgentHttpError(403, 'forbidden_origin', origin ? `Origin ${origin.slice(0, 200)} is not allowed to use this agent` : 'the Origin header is required');
      corsHeaders['access-control-allow-origin'] = origin;
      if (req.method === 'OPTIONS') {
        corsHeaders['access-control-allow-methods'] = 'GET, POST';
        corsHeaders['access-control-allow-headers'] = 'authorization, content-type';
        corsHeaders['access-control-max-age'] = '600';
        // Chrome's Private Network Access: a public page may reach 127.0.0.1 only if we say so.
        if (req.headers['access-control-request-private-network'] === 'true') corsHeaders['access-control-allow-private-network'] = 'true';
        res.writeHead(204, { vary: 'Origin', ...corsHeaders });
        return res.end();
      }
      const path = (req.url ?? '/').split('?')[0];
      const ac = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) ac.abort(new SigningError('signer_timeout', 'agent: the browser went away'));
      });
      let work: Promise<[number, unknown]>;
      if (req.method === 'GET' && path === '/v1/info') {
        work = (async () => {
          const info: AgentInfo = { name: 'hocba-agent', version, protocol: AGENT_PROTOCOL_VERSION, paired: pairedOrigin(req) === origin, signer: opts.signer.description };
          return [200, info];
        })();
      } else if (req.method === 'POST' && path === '/v1/pair') {
        work = pair(req, origin);
      } else if (req.method === 'GET' && path === '/v1/certificates') {
        work = (async () => {
          requirePairing(req, origin);
          const body: AgentCertificates = { certificates: (await opts.signer.certificateChain()).map((c) => Buffer.from(c).toString('base64')), algorithms: await opts.signer.algorithms() };
          return [200, body];
        })();
      } else if (req.method === 'POST' && path === '/v1/sign') {
        work = sign(req, origin, ac.signal);
      } else {
        throw new AgentHttpError(404, 'not_found', `no such endpoint: ${req.method} ${path}`);
      }
      work.then(([status, body]) => send(status, body), fail);
    } catch (err) {
      fail(err);
    }
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = confirmTimeoutMs + 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    unpairAll: () => pairings.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
