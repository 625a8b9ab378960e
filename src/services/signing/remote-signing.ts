/**
 * Signing a batch through the person's remote signing credential (CSC v2, keyRef {kind:'csc'}:
 * the key stays with the trust service). The person signs in to their provider here (user
 * name + password for the provider's auth/login, or an access token they obtained), and then
 * approves ONE request for the whole batch — on their phone (the provider's app; we poll), or
 * by typing the PIN / OTP the provider asks for. Nothing is kept: the provider password,
 * token, PIN and OTP are used for this call only and never logged or stored.
 */
import { DomainError } from '../../domain/errors.ts';
import { cscSigner } from '../../signing/csc/csc-signer.ts';
import { SigningError } from '../../signing/signer.ts';
import type { SigningCertificate } from '../certificates/signing-certificates.ts';
import type { CompleteResult } from './complete-batch.ts';
import { claimLeaseMs, signWaitingItems, type BatchSigningOptions, type WaitingBatch } from './server-key.ts';
import { engineError } from './signing-env.ts';

/** Signatures per approval: CSC services cap numSignatures (multisign); 1,000 covers a grade. */
const PER_APPROVAL = 1000;
/** How long the person has to approve on the phone. */
const DEFAULT_APPROVAL_MS = 180_000;

export type RemoteLogin = { username: string; password: string } | { accessToken: string };

export interface RemoteSigningOptions extends BatchSigningOptions {
  login: RemoteLogin;
  /** PIN / OTP when the provider asks for them here; without both the person approves on the phone. */
  pin?: string;
  otp?: string;
  /** Whole-batch limit including the wait for approval. */
  approvalMs?: number;
  pollIntervalMs?: number;
  fetch?: typeof fetch;
}

const STEP_VI = { subject: 'giáo viên bộ môn', homeroom: 'giáo viên chủ nhiệm', principal: 'hiệu trưởng', seal: 'đóng dấu' } as const;

/** The provider's auth/login (HTTP Basic) → a bearer token. Errors name the provider, never the password. */
async function providerToken(baseUrl: string, login: RemoteLogin, doFetch: typeof fetch): Promise<string> {
  if ('accessToken' in login) return login.accessToken;
  const url = `${baseUrl}/csc/v2/auth/login`;
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${login.username}:${login.password}`, 'utf8').toString('base64')}` },
      body: JSON.stringify({ rememberMe: false }),
      signal: AbortSignal.timeout(15_000),
      redirect: 'error',
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new DomainError('signing.remote_unavailable', { detail: `${url}: ${e.name === 'TimeoutError' ? 'no answer within 15 s' : `unreachable (${e.cause?.code ?? e.message})`}` });
  }
  const text = await res.text();
  let body: { access_token?: unknown } = {};
  try {
    body = text.length <= 64 * 1024 ? (JSON.parse(text) as typeof body) : {};
  } catch {
    /* handled below */
  }
  if (res.status === 401 || res.status === 400 || res.status === 403) throw new DomainError('signing.remote_login_failed');
  if (!res.ok || typeof body.access_token !== 'string' || !body.access_token) throw new DomainError('signing.remote_unavailable', { detail: `${url}: HTTP ${res.status}${res.ok ? ', no access_token in the answer' : ''}` });
  return body.access_token;
}

function describe(e: unknown, cert: SigningCertificate): DomainError {
  if (e instanceof SigningError) {
    if (e.code === 'signer_rejected') return new DomainError('signing.remote_rejected');
    if (e.code === 'signer_expired' || e.code === 'signer_timeout') return new DomainError('signing.remote_timeout');
    if (e.code === 'signer_auth_failed') return new DomainError('signing.remote_login_failed');
    if (e.code === 'signer_unavailable') return new DomainError('signing.remote_unavailable', { detail: e.message });
  }
  return engineError(e, `remote credential of ${cert.subject}`);
}

/**
 * Signs every waiting item of the person's batch through their remote credential, one
 * approval per 1,000 signatures. signing.no_remote_credential when the batch's certificate is
 * not a remote one; signing.remote_rejected / remote_timeout / remote_login_failed /
 * remote_unavailable as the provider answers — in every failure case nothing is stored and
 * the items stay waiting, so the person can try again.
 */
export async function signBatchRemotely(opts: RemoteSigningOptions): Promise<CompleteResult> {
  const doFetch = opts.fetch ?? fetch;
  return signWaitingItems(
    opts,
    async (cert: SigningCertificate, batch: WaitingBatch) => {
      if (!cert.keyRef || cert.keyRef.kind !== 'csc') throw new DomainError('signing.no_remote_credential');
      const accessToken = await providerToken(cert.keyRef.baseUrl, opts.login, doFetch);
      const explicit = opts.pin !== undefined || opts.otp !== undefined;
      return cscSigner({
        baseUrl: cert.keyRef.baseUrl,
        credentialId: cert.keyRef.credentialId,
        auth: { accessToken },
        authorize: explicit ? { mode: 'explicit', ...(opts.pin !== undefined ? { pin: opts.pin } : {}), ...(opts.otp !== undefined ? { otp: opts.otp } : {}) } : { mode: 'async' },
        timeoutMs: opts.approvalMs ?? DEFAULT_APPROVAL_MS,
        ...(opts.pollIntervalMs !== undefined ? { pollIntervalMs: opts.pollIntervalMs } : {}),
        fetch: doFetch,
        description: `Học bạ số: ký ${batch.count} mục (bước ${STEP_VI[batch.step]})`,
      });
    },
    // The claim on the items must outlast the wait for the approval on the phone.
    { chunk: PER_APPROVAL, describe, leaseMs: (opts.approvalMs ?? DEFAULT_APPROVAL_MS) + claimLeaseMs() },
  );
}
