/**
 * Fetches revocation evidence the way a relying party does: the OCSP responder named in the
 * certificate's AIA first, the CRL distribution point as fallback. Answers are cached per
 * issuer key + serial (CRLs per URL) until the earlier of their nextUpdate and the cache TTL.
 * Only evidence whose signature checks out is returned; when none can be obtained the
 * provider throws revocation_unavailable and check() answers "unknown" — never "good".
 */
import { createHash } from 'node:crypto';
import { readBodyCapped } from '../http/bounded-body.ts';
import { x509 } from '../pki/cert-builder.ts';
import { toArrayBuffer, toHex } from '../pki/der.ts';
import { SigningError, type RevocationEvidence, type RevocationProvider } from '../signer.ts';
import { checkRevocation, type RevocationResult } from './check-revocation.ts';
import { readCrl } from './crl.ts';
import { buildOcspRequest, cert, readOcspResponse } from './ocsp.ts';

export interface RevocationClientOptions {
  /** Per HTTP request; default 10 s. */
  timeoutMs?: number;
  /** Upper bound on how long an answer is reused; default 5 minutes (0 = no cache). */
  cacheTtlMs?: number;
  maxResponseBytes?: number;
  fetch?: typeof fetch;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface RevocationClient extends RevocationProvider {
  /** Fetches (or reuses) evidence and decides the status at `atTime` (default now). */
  check(certificate: Uint8Array, issuer: Uint8Array, atTime?: Date): Promise<RevocationResult>;
  clearCache(): void;
}

interface Cached<T> {
  value: T;
  expiresAt: number;
}

/** http(s) URLs of the OCSP responders and CRL distribution points a certificate names. */
export function revocationUrls(certificate: Uint8Array): { ocsp: string[]; crl: string[] } {
  const c = new x509.X509Certificate(toArrayBuffer(certificate));
  const aia = c.getExtension(x509.AuthorityInfoAccessExtension);
  const cdp = c.getExtension(x509.CRLDistributionPointsExtension);
  const http = (u: string) => /^https?:\/\//i.test(u);
  const ocsp = Array.from(aia?.ocsp ?? []).filter((g) => g.type === 'url').map((g) => g.value).filter(http);
  const crl = Array.from(cdp?.distributionPoints ?? []).flatMap((dp) => dp.distributionPoint?.fullName ?? []).map((n) => n.uniformResourceIdentifier).filter((u): u is string => !!u && http(u));
  return { ocsp, crl };
}

/** A RevocationProvider over HTTP with caching; see the module comment. */
export function revocationClient(opts: RevocationClientOptions = {}): RevocationClient {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const ttl = opts.cacheTtlMs ?? 300_000;
  const maxBytes = opts.maxResponseBytes ?? 10 * 1024 * 1024;
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? (() => new Date());
  const evidenceCache = new Map<string, Cached<RevocationEvidence>>();
  const crlCache = new Map<string, Cached<Uint8Array>>();

  const expiry = (nextUpdate: Date | undefined) => Math.min(now().getTime() + ttl, nextUpdate?.getTime() ?? Infinity);

  async function get(url: string, init: RequestInit = {}): Promise<Uint8Array> {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      throw new Error(e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `unreachable (${e.cause?.code ?? e.message})`);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${res.status}`);
    }
    try {
      return await readBodyCapped(res, maxBytes);
    } catch (err) {
      const e = err as Error;
      throw new Error(e.name === 'TimeoutError' ? `no complete answer within ${timeoutMs} ms` : e.message);
    }
  }

  async function provider(certificate: Uint8Array, issuer: Uint8Array): Promise<RevocationEvidence> {
    // Evidence is about (issuer, serial): first make sure this issuer really issued this
    // certificate, so a twin with the same serial from another CA never gets its evidence.
    const child = new x509.X509Certificate(toArrayBuffer(certificate));
    const parent = new x509.X509Certificate(toArrayBuffer(issuer));
    if (child.issuer !== parent.subject || !(await child.verify({ publicKey: parent.publicKey, signatureOnly: true }).catch(() => false))) {
      throw new SigningError('revocation_unavailable', `certificate "${child.subject}" (serial ${child.serialNumber}) was not issued by "${parent.subject}": no revocation evidence is looked up for this pair`);
    }
    const key = `${createHash('sha256').update(issuer).digest('hex')}:${toHex(cert(certificate).serialNumber.valueBlock.valueHexView)}`;
    const hit = evidenceCache.get(key);
    if (hit && hit.expiresAt > now().getTime()) return hit.value;

    const urls = revocationUrls(certificate);
    const subject = new x509.X509Certificate(toArrayBuffer(certificate)).subject;
    if (urls.ocsp.length === 0 && urls.crl.length === 0) {
      throw new SigningError('revocation_unavailable', `certificate "${subject}" names no OCSP responder nor CRL distribution point`);
    }
    const problems: string[] = [];
    for (const url of urls.ocsp) {
      try {
        const { der, nonce } = buildOcspRequest(certificate, issuer);
        const body = await get(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' }, body: Buffer.from(der) });
        const answer = readOcspResponse(body, certificate, issuer, { nonce });
        if (typeof answer === 'string') throw new Error(answer);
        if (answer.status === 'unknown') throw new Error('the responder does not know this certificate');
        const evidence = { ocspResponses: [body], crls: [] };
        if (ttl > 0) evidenceCache.set(key, { value: evidence, expiresAt: expiry(answer.nextUpdate) });
        return evidence;
      } catch (err) {
        problems.push(`OCSP ${url}: ${(err as Error).message}`);
      }
    }
    for (const url of urls.crl) {
      try {
        const cached = crlCache.get(url);
        const der = cached && cached.expiresAt > now().getTime() ? cached.value : await get(url);
        const answer = readCrl(der, certificate, issuer);
        if (typeof answer === 'string') throw new Error(answer);
        if (ttl > 0) {
          crlCache.set(url, { value: der, expiresAt: expiry(answer.nextUpdate) });
          evidenceCache.set(key, { value: { ocspResponses: [], crls: [der] }, expiresAt: expiry(answer.nextUpdate) });
        }
        return { ocspResponses: [], crls: [der] };
      } catch (err) {
        problems.push(`CRL ${url}: ${(err as Error).message}`);
      }
    }
    throw new SigningError('revocation_unavailable', `no revocation evidence for "${subject}": ${problems.join('; ')}`);
  }

  return Object.assign(provider, {
    async check(certificate: Uint8Array, issuer: Uint8Array, atTime: Date = now()): Promise<RevocationResult> {
      let evidence: RevocationEvidence;
      try {
        evidence = await provider(certificate, issuer);
      } catch (err) {
        if (err instanceof SigningError) return { status: 'unknown' as const, source: 'none' as const, reason: err.message };
        throw err;
      }
      return checkRevocation(certificate, issuer, evidence, atTime, { now: now() });
    },
    clearCache() {
      evidenceCache.clear();
      crlCache.clear();
    },
  });
}
