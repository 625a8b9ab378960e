/**
 * Browser client for the local signing agent (`hocba agent`, docs/signing-adapters.md): the
 * page asks for a pairing code, the person types what the agent shows, and the pairing token
 * then opens GET /v1/certificates. Mirrors src/signing/agent/agent-protocol.ts (version 1),
 * which the web layer may not import.
 */

/** Where the agent listens unless started with another --port (AGENT_DEFAULT_PORT). */
export const AGENT_DEFAULT_PORT = 47_801;

/** The agent's address on this PC: always loopback (the agent refuses any other Host). */
export const agentUrl = (port: number = AGENT_DEFAULT_PORT) => `http://127.0.0.1:${port}`;

// The pairing lives as long as the agent process (in memory there); keeping it for the tab
// spares a second code when the person registers and later signs in the same session.
const tokenKey = (baseUrl: string) => `hocba.agentPairing:${baseUrl}`;
const PORT_KEY = 'hocba.agentPort';

/** The port this browser last used for the agent (someone who runs it with --port types it once). */
export function storedAgentPort(): number {
  try {
    const port = Number(globalThis.localStorage?.getItem(PORT_KEY));
    return Number.isInteger(port) && port > 0 && port < 65_536 ? port : AGENT_DEFAULT_PORT;
  } catch {
    return AGENT_DEFAULT_PORT;
  }
}

export function storeAgentPort(port: number): void {
  try {
    if (port === AGENT_DEFAULT_PORT) globalThis.localStorage?.removeItem(PORT_KEY);
    else globalThis.localStorage?.setItem(PORT_KEY, String(port));
  } catch {
    // Storage disabled: the default port next time.
  }
}

/** An agent answer that is not a success: `unreachable` when nothing listens (or CORS refused). */
export class AgentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

export interface AgentInfo {
  name: string;
  version: string;
  protocol: number;
  paired: boolean;
  signer: string;
}

const memoryTokens = new Map<string, string>();

function storedToken(baseUrl: string): string | null {
  const held = memoryTokens.get(baseUrl);
  if (held) return held;
  try {
    return globalThis.sessionStorage?.getItem(tokenKey(baseUrl)) ?? null;
  } catch {
    return null;
  }
}

function storeToken(baseUrl: string, token: string | null): void {
  if (token) memoryTokens.set(baseUrl, token);
  else memoryTokens.delete(baseUrl);
  try {
    if (token) globalThis.sessionStorage?.setItem(tokenKey(baseUrl), token);
    else globalThis.sessionStorage?.removeItem(tokenKey(baseUrl));
  } catch {
    // Storage disabled: the pairing lasts for this page only.
  }
}

async function call<T>(baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; data: T }> {
  const token = storedToken(baseUrl);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    // No credentials: the agent trusts the Origin header and the pairing token only.
    response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
  } catch {
    throw new AgentError('unreachable', `no answer from ${baseUrl}`);
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const err = data as { error?: string; message?: string } | undefined;
    if (err?.error === 'not_paired') storeToken(baseUrl, null);
    throw new AgentError(err?.error ?? `http.${response.status}`, err?.message ?? `HTTP ${response.status} from ${baseUrl}${path}`);
  }
  return { status: response.status, data: data as T };
}

/** Who the agent is and whether this tab's pairing is still good. */
export async function agentInfo(baseUrl: string): Promise<AgentInfo> {
  return (await call<AgentInfo>(baseUrl, 'GET', '/v1/info')).data;
}

/** Step 1: ask the agent to show a one-time code on the PC. */
export async function requestAgentCode(baseUrl: string): Promise<void> {
  await call(baseUrl, 'POST', '/v1/pair', {});
}

/** Step 2: trade the code the person typed for a pairing token (kept for this tab). */
export async function completeAgentPairing(baseUrl: string, code: string): Promise<void> {
  const { data } = await call<{ pairingToken: string }>(baseUrl, 'POST', '/v1/pair', { code: code.trim().toUpperCase() });
  storeToken(baseUrl, data.pairingToken);
}

/** The token's certificates (base64 DER, signer first), as the server's /agent route takes them. */
export async function agentCertificates(baseUrl: string): Promise<string[]> {
  return (await call<{ certificates: string[] }>(baseUrl, 'GET', '/v1/certificates')).data.certificates;
}
