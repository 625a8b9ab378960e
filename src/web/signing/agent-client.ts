/**
 * The browser side of the local signing agent (`hocba agent`, docs/signing-adapters.md):
 * pairing (the agent shows a code, the person types it here), the token's certificates,
 * and signing digests — then handing the values to the server batch by batch. Pure fetch,
 * so the same code runs in the page and in a Node test against a real agent.
 */
import { COMPLETE_CHUNK, chunks, itemLabelText, type BatchItemView, type ItemResult } from './signing-api.ts';

/** Where the agent listens unless the person changes it. */
export const DEFAULT_AGENT_URL = 'http://127.0.0.1:47801';
/** Digests per /v1/sign call: the agent takes 5,000, but smaller calls let the bar move. */
export const AGENT_CHUNK = 200;

export type AgentProblemCode =
  | 'agent_unreachable'
  | 'not_paired'
  | 'pairing_failed'
  | 'too_many_attempts'
  | 'forbidden_origin'
  | 'signer_rejected'
  | 'signer_timeout'
  | 'signer_auth_failed'
  | 'signer_unavailable'
  | 'busy'
  | 'agent_error';

/** A failure talking to the agent; `code` picks the message the page shows. */
export class AgentProblem extends Error {
  readonly code: AgentProblemCode;
  constructor(code: AgentProblemCode, message: string) {
    super(message);
    this.name = 'AgentProblem';
    this.code = code;
  }
}

export interface AgentStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KNOWN: readonly string[] = ['not_paired', 'pairing_failed', 'too_many_attempts', 'forbidden_origin', 'signer_rejected', 'signer_timeout', 'signer_auth_failed', 'signer_unavailable', 'busy'];

/** The key the pairing token is kept under: one per agent address and per hocba origin. */
export function pairingStorageKey(agentUrl: string, origin: string): string {
  return `hocba.agent.pairing:${agentUrl.replace(/\/+$/, '')}:${origin}`;
}

export interface AgentClientOptions {
  agentUrl: string;
  /** The page's origin, only to key the stored token (the browser sends Origin itself). */
  origin: string;
  storage: AgentStorage | null;
  fetch?: typeof fetch;
  /** Extra headers (a Node test sets Origin, which browsers set on their own). */
  headers?: Record<string, string>;
}

/** Client for one agent; keeps the pairing token in storage so a reload does not pair again. */
export function agentClient(o: AgentClientOptions) {
  const base = o.agentUrl.replace(/\/+$/, '');
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  const key = pairingStorageKey(base, o.origin);
  const token = () => o.storage?.getItem(key) ?? null;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const t = token();
    if (auth && t) headers.authorization = `Bearer ${t}`;
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new AgentProblem('agent_unreachable', `no answer from the signing agent at ${base}`);
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (res.ok) return data as T;
    const err = (data ?? {}) as { error?: string; message?: string };
    const code = (err.error && KNOWN.includes(err.error) ? err.error : 'agent_error') as AgentProblemCode;
    // A stale token (the agent restarted) must not be retried forever.
    if (code === 'not_paired') o.storage?.removeItem(key);
    throw new AgentProblem(code, `${path}: ${err.message ?? `HTTP ${res.status}`}`);
  }

  return {
    /** Whether the agent answers and knows this page's token. */
    async info(): Promise<{ paired: boolean; signer: string; version: string }> {
      return call('GET', '/v1/info');
    },
    paired: () => token() !== null,
    /** Step 1: the agent shows a one-time code on the PC. */
    async requestCode(): Promise<void> {
      await call('POST', '/v1/pair', {}, false);
    },
    /** Step 2: the typed code is exchanged for a pairing token, kept for this origin. */
    async pair(code: string): Promise<void> {
      const r = await call<{ pairingToken: string }>('POST', '/v1/pair', { code: code.trim().toUpperCase() }, false);
      o.storage?.setItem(key, r.pairingToken);
    },
    forget(): void {
      o.storage?.removeItem(key);
    },
    async certificates(): Promise<{ certificates: string[]; algorithms: string[] }> {
      return call('GET', '/v1/certificates');
    },
    /** Signs digests (base64) in request order; the person confirms at the PC. */
    async sign(algorithm: string, items: { digest: string; label: string }[]): Promise<string[]> {
      const r = await call<{ signatures: string[] }>('POST', '/v1/sign', { algorithm, items });
      if (!Array.isArray(r.signatures) || r.signatures.length !== items.length) throw new AgentProblem('agent_error', `/v1/sign: ${r.signatures?.length ?? 0} values for ${items.length} digests`);
      return r.signatures;
    },
  };
}

export type AgentClient = ReturnType<typeof agentClient>;

export interface AgentRunProgress {
  done: number;
  total: number;
  results: ItemResult[];
}

/**
 * Signs the batch's waiting items (pending or failed, with a digest) through the agent and
 * completes them on the server, chunk by chunk: each agent chunk is completed before the
 * next is signed, so a stop midway leaves only whole, stored signatures behind.
 */
export async function signItemsWithAgent(opts: {
  agent: AgentClient;
  algorithm: string;
  items: readonly BatchItemView[];
  complete: (values: { itemId: string; signatureValue: string }[]) => Promise<{ results: ItemResult[] }>;
  onProgress?: (p: AgentRunProgress) => void;
  chunkSize?: number;
}): Promise<ItemResult[]> {
  const todo = opts.items.filter((i) => (i.status === 'pending' || i.status === 'failed') && i.digest);
  const results: ItemResult[] = [];
  let done = 0;
  opts.onProgress?.({ done, total: todo.length, results });
  for (const part of chunks(todo, Math.min(opts.chunkSize ?? AGENT_CHUNK, COMPLETE_CHUNK))) {
    const values = await opts.agent.sign(
      opts.algorithm,
      part.map((i) => ({ digest: i.digest!, label: itemLabelText(i.label).slice(0, 500) })),
    );
    const r = await opts.complete(part.map((i, k) => ({ itemId: i.itemId, signatureValue: values[k]! })));
    results.push(...r.results);
    done += part.length;
    opts.onProgress?.({ done, total: todo.length, results });
  }
  return results;
}
