/**
 * RFC 3161 client: builds a TimeStampReq (random nonce, certReq, optional policy), POSTs it
 * to the TSA over HTTP, and accepts the answer only when it is granted, echoes our nonce,
 * covers exactly our imprint (and policy) and its token is intact. Anything else is a
 * SigningError('timestamp_failed') naming the TSA URL: a signature is never silently left
 * without the timestamp it asked for.
 */
import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { BodyTooLargeError, readBodyCapped } from '../http/bounded-body.ts';
import { DIGEST_LENGTH, DIGEST_OID } from '../pki/algorithms.ts';
import { bytesEqual, toArrayBuffer, toHex } from '../pki/der.ts';
import { SigningError, type DigestAlgorithm, type TimestampProvider } from '../signer.ts';
import { checkTokenIntegrity, hexInteger, MAX_TOKEN_BYTES, type TimestampTokenInfo } from './timestamp-token.ts';

export interface TsaClientOptions {
  /** Whole request deadline; default 15 s. */
  timeoutMs?: number;
  /** Policy OID to request; the token must carry it. */
  policy?: string;
  /** For tests and proxies. */
  fetch?: typeof fetch;
  /** How far genTime may be from our clock, on top of the token's stated accuracy; default 5 min. */
  maxClockSkewMs?: number;
}

const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

const PKI_STATUS = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];
const FAILURE_BITS: Record<number, string> = { 0: 'badAlg', 2: 'badRequest', 5: 'badDataFormat', 14: 'timeNotAvailable', 15: 'unacceptedPolicy', 16: 'unacceptedExtension', 17: 'addInfoNotAvailable', 25: 'systemFailure' };

/** A DER TimeStampReq for a digest, with a fresh 64-bit nonce (returned as hex for checking). */
export function buildTimestampRequest(imprint: { digest: Uint8Array; algorithm: DigestAlgorithm }, opts: { policy?: string; certReq?: boolean } = {}): { der: Uint8Array; nonce: string } {
  if (!DIGEST_OID[imprint.algorithm]) throw new SigningError('unsupported_algorithm', `timestamp: digest algorithm ${imprint.algorithm} is not accepted`);
  if (imprint.digest.length !== DIGEST_LENGTH[imprint.algorithm]) {
    throw new SigningError('document_invalid', `timestamp: imprint is ${imprint.digest.length} bytes, expected a ${imprint.algorithm} digest`);
  }
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0]! & 0x7f) | 0x01; // positive and without a leading zero octet
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID[imprint.algorithm], algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprint.digest) }),
    }),
    ...(opts.policy ? { reqPolicy: opts.policy } : {}),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: opts.certReq ?? true,
  });
  return { der: new Uint8Array(req.toSchema().toBER(false)), nonce: toHex(nonce) };
}

function failureNames(bits: asn1js.BitString | undefined): string {
  if (!bits) return '';
  const bytes = bits.valueBlock.valueHexView;
  const names: string[] = [];
  for (let i = 0; i < bytes.length * 8; i++) if (bytes[i >> 3]! & (0x80 >> (i & 7))) names.push(FAILURE_BITS[i] ?? `bit ${i}`);
  return names.length ? ` (${names.join(', ')})` : '';
}

/**
 * Checks a DER TimeStampResp against the request it answers and returns the token (DER
 * ContentInfo) and what it says. Exported so the checks can be tested without a network.
 */
export function acceptTimestampResponse(
  response: Uint8Array,
  expected: { digest: Uint8Array; algorithm: DigestAlgorithm; nonce: string; policy?: string; now?: Date; maxClockSkewMs?: number },
  where: string,
): { token: Uint8Array; info: TimestampTokenInfo } {
  const fail = (msg: string): never => {
    throw new SigningError('timestamp_failed', `TSA ${where}: ${msg}`);
  };
  if (response.length > MAX_TOKEN_BYTES) fail(`response of ${response.length} bytes exceeds ${MAX_TOKEN_BYTES}`);
  let resp: pkijs.TimeStampResp;
  try {
    resp = pkijs.TimeStampResp.fromBER(toArrayBuffer(response));
  } catch (err) {
    return fail(`malformed TimeStampResp (${(err as Error).message})`);
  }
  const status = resp.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const text = resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    fail(`request refused: status ${PKI_STATUS[status] ?? status}${failureNames(resp.status.failInfo)}${text ? `: ${text}` : ''}`);
  }
  if (!resp.timeStampToken) fail('status granted but no timeStampToken in the response');
  const token = new Uint8Array(resp.timeStampToken!.toSchema().toBER(false));
  let info: TimestampTokenInfo;
  try {
    info = checkTokenIntegrity(token);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (info.nonce !== hexInteger(Buffer.from(expected.nonce, 'hex'))) fail(`nonce mismatch: sent ${expected.nonce}, token carries ${info.nonce ?? 'none'} (replayed or misrouted response)`);
  if (info.imprint.algorithm !== expected.algorithm) fail(`imprint algorithm ${info.imprint.algorithm ?? info.imprint.algorithmOid} differs from the requested ${expected.algorithm}`);
  if (!bytesEqual(info.imprint.digest, expected.digest)) fail(`the token covers imprint ${toHex(info.imprint.digest)}, not the requested ${toHex(expected.digest)}`);
  if (expected.policy && info.policy !== expected.policy) fail(`token policy ${info.policy} differs from the requested ${expected.policy}`);
  // A fresh token says "now": a genTime far from our clock (beyond skew + the TSA's own stated
  // accuracy) is a TSA with a wrong clock or a token made earlier, and would misdate the signature.
  const now = expected.now ?? new Date();
  const allowed = (expected.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS) + (info.accuracySeconds ?? 0) * 1000;
  const off = info.genTime.getTime() - now.getTime();
  if (Math.abs(off) > allowed) fail(`token genTime ${info.genTime.toISOString()} differs from the local clock ${now.toISOString()} by ${Math.round(Math.abs(off) / 1000)} s (allowed ${Math.round(allowed / 1000)} s)`);
  return { token, info };
}

/** A TimestampProvider that asks the RFC 3161 TSA at `url`. */
export function tsaClient(url: string, opts: TsaClientOptions = {}): TimestampProvider {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return async (imprint) => {
    const { der, nonce } = buildTimestampRequest(imprint, { ...(opts.policy ? { policy: opts.policy } : {}), certReq: true });
    let body: Uint8Array;
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
        body: Buffer.from(der),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new SigningError('timestamp_failed', `TSA ${url}: HTTP ${res.status} ${res.statusText}`);
      }
      body = await readBodyCapped(res, MAX_TOKEN_BYTES);
    } catch (err) {
      if (err instanceof SigningError) throw err;
      if (err instanceof BodyTooLargeError) throw new SigningError('timestamp_failed', `TSA ${url}: response larger than ${err.limit} bytes`);
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
      throw new SigningError('timestamp_failed', `TSA ${url} unreachable: ${why}`, { cause: err });
    }
    return acceptTimestampResponse(body, { ...imprint, nonce, ...(opts.policy ? { policy: opts.policy } : {}), ...(opts.maxClockSkewMs !== undefined ? { maxClockSkewMs: opts.maxClockSkewMs } : {}) }, url).token;
  };
}
