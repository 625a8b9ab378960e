/**
 * The local signing agent's HTTP API (version 1), shared by the agent (agent-server.ts), the
 * Node client (agent-signer.ts) and, later, the browser. JSON over http://127.0.0.1:<port>.
 *
 *   GET  /v1/info          → AgentInfo                       (Origin required)
 *   POST /v1/pair  {}      → 202 { status: 'code_shown' }    the agent shows a one-time code
 *   POST /v1/pair  {code}  → 200 { pairingToken }            bound to the request's Origin
 *   GET  /v1/certificates  → AgentCertificates               (Authorization: Bearer <pairingToken>)
 *   POST /v1/sign          → { signatures: base64[] }        after the person confirms at the PC
 * Errors: { error, message } where error is a SigningErrorCode or one of AgentErrorCode.
 */
import type { SignatureAlgorithm, SigningErrorCode } from '../signer.ts';

export const AGENT_PROTOCOL_VERSION = 1;
/** Port the CLI listens on unless told otherwise (the web page needs a fixed address to find it). */
export const AGENT_DEFAULT_PORT = 47_801;

export type AgentErrorCode = 'forbidden_host' | 'forbidden_origin' | 'not_paired' | 'pairing_failed' | 'too_many_attempts' | 'bad_request' | 'not_found' | 'busy';

export interface AgentInfo {
  name: 'hocba-agent';
  version: string;
  protocol: number;
  /** Whether the Authorization header of this request carries a valid pairing for this Origin. */
  paired: boolean;
  /** Which signer the agent wraps (token label, never secrets). */
  signer: string;
}

export interface AgentCertificates {
  /** base64 DER, signer first. */
  certificates: string[];
  algorithms: SignatureAlgorithm[];
}

export interface AgentSignRequest {
  algorithm: SignatureAlgorithm;
  items: { digest: string; label?: string }[];
}

export interface AgentSignResponse {
  signatures: string[];
}

export interface AgentErrorBody {
  error: SigningErrorCode | AgentErrorCode;
  message: string;
}
