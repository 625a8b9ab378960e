/**
 * Remote hash signing through the Cloud Signature Consortium API v2 (2.0.0.2): the key stays
 * with a trust service and the person approves — with a PIN/OTP passed here ("explicit"),
 * or on their phone while we poll ("async": credentials/authorize answers 202 + handle,
 * then credentials/authorizeCheck until a SAD, a rejection or expiry).
 *
 * One authorisation covers the whole batch (numSignatures = N, the N hashes bound to the
 * SAD), then one signatures/signHash call signs them. Nothing is returned unless every
 * signature arrived and verified with the credential certificate's key; timeouts, rejections,
 * expiry and aborts surface as SigningError.
 *
 * The service is not trusted with more than its answers: bodies are capped, the per-request
 * timeout covers the whole body (not just the headers), redirects are never followed (a 307
 * would replay the bearer token, PIN and SAD to whatever host it names), and anything that is
 * not a JSON object is refused.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { BodyTooLargeError, readBodyCapped } from '../http/bounded-body.ts';
import { SigningError, digestOf, type SignDigestsRequest, type SignatureAlgorithm, type Signer } from '../signer.ts';
import { algorithmsFor, checkRequest, ecdsaDerToP1363, ecFieldBytes, hashOid, keyInfoOfCertificate, OID, signAlgoOid, verifyDigestSignature, type KeyInfo } from '../signers/algorithms.ts';
import {
  b64,
  CSC_ERROR_EXPIRED,
  CSC_ERROR_REJECTED,
  CSC_PREFIX,
  fromB64,
  type CscAuthorizeRequest,
  type CscAuthorizeResponse,
  type CscCredentialInfoResponse,
  type CscCredentialsListResponse,
  type CscErrorBody,
  type CscInfoResponse,
  type CscSignHashResponse,
  type CscTokenResponse,
} from './csc-protocol.ts';

export interface CscSignerOptions {
  /** Service root, e.g. https://rssp.example.vn (CSC methods at `${baseUrl}/csc/v2/...`; a baseUrl already ending in /csc/v2 is accepted). */
  baseUrl: string;
  /** A bearer token, or OAuth 2.0 client credentials exchanged at `${oauth2}/oauth2/token`. */
  auth?: { accessToken: string } | { clientId: string; clientSecret: string };
  /** Default: the only credential credentials/list returns. */
  credentialId?: string;
  /** 'explicit': PIN/OTP sent as authData. 'async': the person approves elsewhere (phone); we poll. */
  authorize: { mode: 'explicit'; pin?: string; otp?: string } | { mode: 'async' };
  /** Poll period for credentials/authorizeCheck; default 2000 ms. */
  pollIntervalMs?: number;
  /** Whole-batch limit including the wait for approval; default 120 000 ms. */
  timeoutMs?: number;
  /** Per-HTTP-request limit; default 30 000 ms. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  description?: string;
}

/** Largest answer read from the service (5000 RSA-4096 signatures in base64 fit easily). */
export const MAX_CSC_RESPONSE_BYTES = 8 * 1024 * 1024;

interface Credential {
  id: string;
  chain: Uint8Array[];
  key: KeyInfo;
  publicKey: KeyObject;
  algos: string[];
  multisign: number;
}

/** Delay that ends early (rejecting) when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A Signer backed by a CSC v2 remote signing service. */
export function cscSigner(opts: CscSignerOptions): Signer {
  const root = opts.baseUrl.replace(/\/+$/, '').replace(/\/csc\/v2$/, '');
  const doFetch = opts.fetch ?? fetch;
  const pollMs = opts.pollIntervalMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  const where = opts.description ?? `CSC service ${root}`;
  let token: { value: string; expiresAt: number } | null = opts.auth && 'accessToken' in opts.auth ? { value: opts.auth.accessToken, expiresAt: Infinity } : null;
  let info: Promise<CscInfoResponse> | null = null;
  let credential: Promise<Credential> | null = null;

  /** Reason carried by our own deadline, so it can be told apart from the caller's abort. */
  class Deadline extends Error {}

  async function call<T>(url: string, body: unknown, signal: AbortSignal | undefined, auth: boolean, method: string): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (auth) headers.authorization = `Bearer ${(await accessToken(signal)).value}`;
    const { res, text } = await exchange(url, { method: 'POST', headers, body: JSON.stringify(body ?? {}) }, signal, method);
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new SigningError('signer_unavailable', `${where}: ${method} answered HTTP ${res.status} with a body that is not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SigningError('signer_unavailable', `${where}: ${method} answered HTTP ${res.status} with a body that is not a JSON object`);
    }
    if (res.status === 200 || res.status === 202) return { status: res.status, body: parsed as T };
    const e = (parsed ?? {}) as Partial<CscErrorBody>;
    const detail = `${e.error ?? `HTTP ${res.status}`}${e.error_description ? `: ${e.error_description}` : ''}`;
    const text2 = `${e.error ?? ''} ${e.error_description ?? ''}`.toLowerCase();
    if (e.error === CSC_ERROR_REJECTED) throw new SigningError('signer_rejected', `${where}: ${method}: the person declined (${detail})`);
    if (e.error === CSC_ERROR_EXPIRED) throw new SigningError('signer_expired', `${where}: ${method}: ${detail}`);
    if (res.status === 401 || e.error === 'invalid_authentication_data' || e.error === 'invalid_client' || e.error === 'invalid_token') {
      throw new SigningError('signer_auth_failed', `${where}: ${method}: ${detail}`);
    }
    // Services differ in codes for the async outcome; fall back on the wording.
    if (/reject|declin|denied/.test(text2)) throw new SigningError('signer_rejected', `${where}: ${method}: the person declined (${detail})`);
    if (/expir/.test(text2)) throw new SigningError('signer_expired', `${where}: ${method}: ${detail}`);
    throw new SigningError('signer_unavailable', `${where}: ${method} failed (${detail})`);
  }

  /**
   * One HTTP exchange: no redirects, the per-request timeout over headers and body, the body
   * capped. Errors never include request headers or bodies (token, PIN, SAD).
   */
  async function exchange(url: string, init: RequestInit, signal: AbortSignal | undefined, method: string): Promise<{ res: Response; text: string }> {
    const perRequest = AbortSignal.timeout(requestTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, perRequest]) : perRequest;
    const failed = (err: unknown): never => {
      if (signal?.aborted) throw signal.reason;
      if (perRequest.aborted) throw new SigningError('signer_timeout', `${where}: ${method} did not answer within ${requestTimeoutMs} ms`, { cause: err });
      if (err instanceof BodyTooLargeError) throw new SigningError('signer_unavailable', `${where}: ${method} answered with a body larger than ${err.limit} bytes`);
      throw new SigningError('signer_unavailable', `${where}: ${method} unreachable (${(err as Error).message})`, { cause: err });
    };
    let res: Response;
    try {
      res = await doFetch(url, { ...init, redirect: 'manual', signal: combined });
    } catch (err) {
      return failed(err);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      throw new SigningError('signer_unavailable', `${where}: ${method} answered with a redirect (HTTP ${res.status}); redirects are not followed, so credentials stay with ${root}`);
    }
    try {
      return { res, text: new TextDecoder().decode(await readBodyCapped(res, MAX_CSC_RESPONSE_BYTES)) };
    } catch (err) {
      return failed(err);
    }
  }

  async function serviceInfo(signal?: AbortSignal): Promise<CscInfoResponse> {
    info ??= call<CscInfoResponse>(`${root}${CSC_PREFIX}/info`, { lang: 'vi-VN' }, signal, false, 'info').then((r) => r.body);
    return info.catch((err) => {
      info = null;
      throw err;
    });
  }

  async function accessToken(signal?: AbortSignal): Promise<{ value: string; expiresAt: number }> {
    if (token && token.expiresAt > Date.now() + 30_000) return token;
    if (!opts.auth || !('clientId' in opts.auth)) throw new SigningError('signer_auth_failed', `${where}: no access token configured`);
    const base = ((await serviceInfo(signal)).oauth2 ?? root).replace(/\/+$/, '');
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: opts.auth.clientId, client_secret: opts.auth.clientSecret });
    const { res, text } = await exchange(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, signal, 'oauth2/token');
    let body: Partial<CscTokenResponse & CscErrorBody> = {};
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed;
    } catch {
      // not JSON: reported below as a refusal
    }
    if (res.status !== 200 || !body.access_token) throw new SigningError('signer_auth_failed', `${where}: oauth2/token refused the client credentials (${body.error ?? `HTTP ${res.status}`})`);
    token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return token;
  }

  async function loadCredential(signal?: AbortSignal): Promise<Credential> {
    let id = opts.credentialId;
    if (!id) {
      const list = (await call<CscCredentialsListResponse>(`${root}${CSC_PREFIX}/credentials/list`, {}, signal, true, 'credentials/list')).body;
      const ids = Array.isArray(list.credentialIDs) ? list.credentialIDs : [];
      if (ids.length !== 1) throw new SigningError('signer_unavailable', `${where}: ${ids.length} credentials available (${ids.join(', ') || 'none'}); set credentialId`);
      id = ids[0]!;
    }
    const r = (await call<CscCredentialInfoResponse>(`${root}${CSC_PREFIX}/credentials/info`, { credentialID: id, certificates: 'chain', certInfo: true, authInfo: true }, signal, true, `credentials/info (credential ${id})`)).body;
    const certs = (r.cert?.certificates ?? []).map((c, i) => {
      const der = fromB64(c);
      if (!der) throw new SigningError('certificate_invalid', `${where}: credential ${id}: certificate ${i} is not base64`);
      return der;
    });
    if (certs.length === 0) throw new SigningError('certificate_invalid', `${where}: credential ${id} has no certificate`);
    if (r.key?.status !== 'enabled') throw new SigningError('signer_unavailable', `${where}: credential ${id}: the key is ${r.key?.status ?? 'not described'}`);
    // Leave a self-signed root out: trust anchors come from the verifier's store.
    const chain = certs.filter((c, i) => i === 0 || !new X509Certificate(Buffer.from(c)).checkIssued(new X509Certificate(Buffer.from(c))));
    return { id, chain, key: keyInfoOfCertificate(certs[0]!, `${where} credential ${id}`), publicKey: new X509Certificate(Buffer.from(certs[0]!)).publicKey, algos: Array.isArray(r.key.algo) ? r.key.algo : [], multisign: Math.max(1, Math.min(Number(r.multisign) || 1, 5000)) };
  }

  function getCredential(signal?: AbortSignal): Promise<Credential> {
    credential ??= loadCredential(signal).catch((err) => {
      credential = null;
      throw err;
    });
    return credential;
  }

  /** The SAD for these hashes: one authorisation, polled when the service answers 202. */
  async function authorize(cred: Credential, hashes: string[], alg: SignatureAlgorithm, labels: string[], signal: AbortSignal): Promise<string> {
    const description = labels.length ? `${hashes.length} chữ ký: ${labels.join('; ')}`.slice(0, 500) : `${hashes.length} chữ ký / signatures`;
    const body: CscAuthorizeRequest = { credentialID: cred.id, numSignatures: hashes.length, hashes, hashAlgorithmOID: hashOid(digestOf(alg)), description };
    if (opts.authorize.mode === 'explicit') {
      const authData = [
        ...(opts.authorize.pin !== undefined ? [{ id: 'PIN', value: opts.authorize.pin }] : []),
        ...(opts.authorize.otp !== undefined ? [{ id: 'OTP', value: opts.authorize.otp }] : []),
      ];
      if (authData.length) body.authData = authData;
    }
    let r = await call<CscAuthorizeResponse>(`${root}${CSC_PREFIX}/credentials/authorize`, body, signal, true, `credentials/authorize (credential ${cred.id}, ${hashes.length} hashes)`);
    while (r.status === 202 || !('SAD' in r.body)) {
      if (!('handle' in r.body) || typeof r.body.handle !== 'string') throw new SigningError('signer_unavailable', `${where}: credentials/authorize answered ${r.status} without SAD or handle`);
      // (Some services still ask for a phone confirmation after a PIN: the same polling covers it.)
      await sleep(pollMs, signal);
      r = await call<CscAuthorizeResponse>(`${root}${CSC_PREFIX}/credentials/authorizeCheck`, { handle: r.body.handle }, signal, true, `credentials/authorizeCheck (credential ${cred.id})`);
    }
    if (typeof r.body.SAD !== 'string' || !r.body.SAD) throw new SigningError('signer_unavailable', `${where}: credentials/authorize returned an empty SAD`);
    return r.body.SAD;
  }

  async function signChunk(cred: Credential, req: SignDigestsRequest, items: SignDigestsRequest['items'], signal: AbortSignal): Promise<Uint8Array[]> {
    const hashes = items.map((i) => b64(i.digest));
    const sad = await authorize(cred, hashes, req.algorithm, items.flatMap((i) => (i.label ? [i.label] : [])), signal);
    const specific = signAlgoOid(req.algorithm);
    // Prefer the OID that names the hash when the key lists it; else rsaEncryption + hashAlgorithmOID.
    const useGeneric = cred.key.type === 'rsa' && !cred.algos.includes(specific) && cred.algos.includes(OID.rsaEncryption);
    const body = {
      credentialID: cred.id,
      SAD: sad,
      hashes,
      signAlgo: useGeneric ? OID.rsaEncryption : specific,
      ...(useGeneric ? { hashAlgorithmOID: hashOid(digestOf(req.algorithm)) } : {}),
    };
    const r = await call<CscSignHashResponse>(`${root}${CSC_PREFIX}/signatures/signHash`, body, signal, true, `signatures/signHash (credential ${cred.id})`);
    const sigs = Array.isArray(r.body.signatures) ? r.body.signatures : [];
    if (sigs.length !== items.length) throw new SigningError('signer_unavailable', `${where}: signatures/signHash returned ${sigs.length} signatures for ${items.length} hashes; nothing is used`);
    return sigs.map((s, i) => {
      const bytes = fromB64(s);
      if (!bytes || bytes.length === 0) throw new SigningError('signer_unavailable', `${where}: signature ${i} from signatures/signHash is not base64`);
      let value = bytes;
      if (cred.key.type === 'ec') {
        const size = ecFieldBytes(cred.key.curve);
        try {
          value = bytes.length === size * 2 && bytes[0] !== 0x30 ? bytes : ecdsaDerToP1363(bytes, size);
        } catch {
          throw new SigningError('signer_unavailable', `${where}: signature ${i} from signatures/signHash is not an ECDSA value for ${cred.key.curve}`);
        }
      }
      // The service could answer with anything (another credential's value, a stale one, noise):
      // only a value that verifies with this credential's certificate over our digest is used.
      if (!verifyDigestSignature(cred.publicKey, cred.key, req.algorithm, items[i]!.digest, value)) {
        throw new SigningError('signer_unavailable', `${where}: signature ${i} from signatures/signHash does not verify with the certificate of credential ${cred.id}; nothing is used`);
      }
      return value;
    });
  }

  return {
    description: where,
    async certificateChain() {
      return (await getCredential()).chain;
    },
    async algorithms() {
      const cred = await getCredential();
      return algorithmsFor(cred.key, where).filter((a) => cred.algos.includes(signAlgoOid(a)) || (cred.key.type === 'rsa' && cred.algos.includes(OID.rsaEncryption)));
    },
    async signDigests(req: SignDigestsRequest) {
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(new Deadline()), timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
      try {
        const cred = await getCredential(signal);
        checkRequest(req, cred.key, where);
        if (req.items.length === 0) return [];
        if (opts.authorize.mode === 'async') {
          const methods = (await serviceInfo(signal)).methods ?? [];
          if (!methods.includes('credentials/authorizeCheck')) throw new SigningError('signer_unavailable', `${where}: the service does not offer credentials/authorizeCheck, needed for phone approval`);
        }
        const out: Uint8Array[] = [];
        // A credential may cap signatures per authorisation (multisign): then one approval per chunk.
        for (let i = 0; i < req.items.length; i += cred.multisign) out.push(...(await signChunk(cred, req, req.items.slice(i, i + cred.multisign), signal)));
        return out;
      } catch (err) {
        if (deadline.signal.aborted && !(err instanceof SigningError && err.code !== 'signer_timeout')) {
          throw new SigningError('signer_timeout', `${where}: no result within ${timeoutMs} ms (approval still pending?); nothing was signed`, { cause: err });
        }
        if (req.signal?.aborted && !(err instanceof SigningError)) throw new SigningError('signer_timeout', `${where}: the request was cancelled; nothing is returned`, { cause: err });
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
