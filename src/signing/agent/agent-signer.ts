/**
 * A Signer that talks to the local signing agent over its HTTP API (agent-protocol.ts) — the
 * same calls the browser makes. Used by Node tests and tools; it sends the Origin header the
 * agent was configured to trust, exactly as the hocba web page's browser would.
 */
import { SigningError, type SignDigestsRequest, type SignatureAlgorithm, type Signer, type SigningErrorCode } from '../signer.ts';
import type { AgentCertificates, AgentErrorBody, AgentSignResponse } from './agent-protocol.ts';

export interface AgentClientOptions {
  /** e.g. http://127.0.0.1:47801 */
  url: string;
  /** The hocba server origin the agent trusts, e.g. https://hocba.sgd.edu.vn */
  origin: string;
  fetch?: typeof fetch;
}

const SIGNING_CODES: SigningErrorCode[] = ['signer_unavailable', 'signer_rejected', 'signer_expired', 'signer_timeout', 'signer_auth_failed', 'unsupported_algorithm', 'certificate_invalid', 'reference_invalid', 'document_invalid'];

async function agentCall<T>(o: AgentClientOptions, method: 'GET' | 'POST', path: string, body: unknown, token: string | null, signal?: AbortSignal): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { origin: o.origin, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const url = `${o.url.replace(/\/+$/, '')}${path}`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) throw new SigningError('signer_timeout', `signing agent ${o.url}: ${path} was cancelled`, { cause: err });
    throw new SigningError('signer_unavailable', `signing agent not reachable at ${o.url} (is "hocba agent" running?)`, { cause: err });
  }
  const parsed = (await res.json().catch(() => null)) as unknown;
  if (res.ok) return { status: res.status, body: parsed as T };
  const e = (parsed ?? {}) as Partial<AgentErrorBody>;
  const code: SigningErrorCode = SIGNING_CODES.includes(e.error as SigningErrorCode)
    ? (e.error as SigningErrorCode)
    : e.error === 'not_paired' || e.error === 'pairing_failed' || e.error === 'forbidden_origin' || e.error === 'forbidden_host'
      ? 'signer_auth_failed'
      : e.error === 'bad_request'
        ? 'document_invalid'
        : 'signer_unavailable';
  throw new SigningError(code, `signing agent ${o.url}: ${path}: ${e.error ?? `HTTP ${res.status}`}${e.message ? ` — ${e.message}` : ''}`);
}

/** Asks the agent to show a one-time pairing code on the PC (step 1 of pairing). */
export async function requestPairingCode(o: AgentClientOptions): Promise<void> {
  await agentCall(o, 'POST', '/v1/pair', {}, null);
}

/** Exchanges the code the person read on the PC for a pairing token bound to `origin` (step 2). */
export async function completePairing(o: AgentClientOptions & { code: string }): Promise<string> {
  const r = await agentCall<{ pairingToken: string }>(o, 'POST', '/v1/pair', { code: o.code }, null);
  return r.body.pairingToken;
}

/** Signer over a paired local agent. Every signDigests call is confirmed by the person at the PC. */
export function agentSigner(o: AgentClientOptions & { pairingToken: string }): Signer {
  let certs: Promise<AgentCertificates> | null = null;
  const getCerts = () => {
    certs ??= agentCall<AgentCertificates>(o, 'GET', '/v1/certificates', undefined, o.pairingToken).then((r) => r.body);
    return certs.catch((err) => {
      certs = null;
      throw err;
    });
  };
  return {
    description: `signing agent ${o.url}`,
    async certificateChain() {
      return (await getCerts()).certificates.map((c) => new Uint8Array(Buffer.from(c, 'base64')));
    },
    async algorithms(): Promise<SignatureAlgorithm[]> {
      return (await getCerts()).algorithms;
    },
    async signDigests(req: SignDigestsRequest) {
      if (req.signal?.aborted) throw new SigningError('signer_timeout', `signing agent ${o.url}: the request was cancelled`);
      if (req.items.length === 0) return [];
      const body = { algorithm: req.algorithm, items: req.items.map((i) => ({ digest: Buffer.from(i.digest).toString('base64'), ...(i.label !== undefined ? { label: i.label } : {}) })) };
      const r = await agentCall<AgentSignResponse>(o, 'POST', '/v1/sign', body, o.pairingToken, req.signal);
      const sigs = Array.isArray(r.body?.signatures) ? r.body.signatures : [];
      if (sigs.length !== req.items.length) throw new SigningError('signer_unavailable', `signing agent ${o.url}: ${sigs.length} signatures returned for ${req.items.length} digests; nothing is used`);
      return sigs.map((s) => new Uint8Array(Buffer.from(s, 'base64')));
    },
  };
}
