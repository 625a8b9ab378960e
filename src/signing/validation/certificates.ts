/**
 * Certificate facts and checks shared by the XML and PDF validators: who signed (for the
 * report), whether the key is strong enough, whether the certificate may sign, and the
 * certificate path to a trust anchor at the signing time.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { displayName, x509 } from '../pki/cert-builder.ts';
import { validateChain, type ChainResult, type RequiredUsage } from '../pki/chain.ts';
import { MIN_RSA_BITS } from '../pki/algorithms.ts';
import { toArrayBuffer } from '../pki/der.ts';
import { failed, indeterminate, passed, type Check, type SignerInfo } from './report.ts';

const OID_CN = '2.5.4.3';
const ALLOWED_CURVES = new Set(['P-256', 'P-384', 'P-521']);

/** Parsed certificates by content: the same few CA and signer certificates recur in every signature. */
const parsed = new Map<string, x509.X509Certificate | null>();
const MAX_CACHED = 2000;

/** Parses a DER certificate, or null when it is not one. */
export function parseCertificate(der: Uint8Array): x509.X509Certificate | null {
  const key = Buffer.from(der).toString('base64');
  if (parsed.has(key)) return parsed.get(key)!;
  let cert: x509.X509Certificate | null;
  try {
    cert = new x509.X509Certificate(toArrayBuffer(der));
  } catch {
    cert = null;
  }
  if (parsed.size >= MAX_CACHED) parsed.clear();
  parsed.set(key, cert);
  return cert;
}

/**
 * The CA certificates among `certs`, without duplicates: the candidates for intermediates
 * (path building tries every candidate, and end-entity certificates can never be issuers).
 */
export function issuerCandidates(certs: Uint8Array[]): Uint8Array[] {
  const unique = [...new Map(certs.map((c) => [Buffer.from(c).toString('base64'), c])).values()];
  return unique.filter((c) => parseCertificate(c)?.getExtension(x509.BasicConstraintsExtension)?.ca === true);
}

/** The subject of a certificate in display form, for messages ("(unreadable certificate)" when it is not one). */
export function subjectOf(der: Uint8Array): string {
  const c = parseCertificate(der);
  return c ? displayName(c.subjectName) : '(unreadable certificate)';
}

/** The report's view of the signer certificate (names as written, Vietnamese intact). */
export function signerInfoOf(der: Uint8Array): SignerInfo | null {
  const c = parseCertificate(der);
  if (!c) return null;
  return {
    subject: displayName(c.subjectName),
    commonName: c.subjectName.getField(OID_CN)[0] ?? '',
    issuer: displayName(c.issuerName),
    serialNumber: c.serialNumber.toLowerCase(),
    fingerprint: createHash('sha256').update(der).digest('hex'),
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
  };
}

/** Self-issued and self-signed: a root, trusted or not. */
export async function isSelfSigned(der: Uint8Array): Promise<boolean> {
  const c = parseCertificate(der);
  if (!c || c.subject !== c.issuer) return false;
  try {
    return await c.verify({ publicKey: c.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/** Why the certificate's key is refused (RSA below 2048 bits, an unknown curve), or null when it is acceptable. */
export function keyStrengthProblem(der: Uint8Array): string | null {
  const c = parseCertificate(der);
  if (!c) return 'the signing certificate is not a readable X.509 certificate';
  const key = createPublicKey({ key: Buffer.from(c.publicKey.rawData), format: 'der', type: 'spki' });
  const who = `"${displayName(c.subjectName)}"`;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits < MIN_RSA_BITS ? `the RSA key of ${who} has ${bits} bits, below the ${MIN_RSA_BITS}-bit minimum` : null;
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const name = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : curve;
    return name && ALLOWED_CURVES.has(name) ? null : `the EC key of ${who} uses the curve ${curve ?? '(unknown)'}, which is not accepted`;
  }
  return `the key of ${who} is of type ${key.asymmetricKeyType ?? 'unknown'}, which is not accepted (RSA or ECDSA only)`;
}

/** A one-line description of the key, for the format check's reason (e.g. "RSA 2048"). */
export function keyDescription(der: Uint8Array): string {
  const c = parseCertificate(der);
  if (!c) return 'unreadable key';
  const key = createPublicKey({ key: Buffer.from(c.publicKey.rawData), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType === 'rsa') return `RSA ${key.asymmetricKeyDetails?.modulusLength ?? '?'} bits`;
  return `${key.asymmetricKeyType?.toUpperCase() ?? 'unknown'} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim();
}

/**
 * keyUsage of a signing certificate: digitalSignature or nonRepudiation. A certificate without
 * the extension is not restricted (RFC 5280 §4.2.1.3), which the reason says.
 */
export function keyUsageCheck(der: Uint8Array): Check {
  const c = parseCertificate(der);
  if (!c) return failed('the signing certificate is not a readable X.509 certificate');
  const who = `"${displayName(c.subjectName)}"`;
  const ku = c.getExtension(x509.KeyUsagesExtension);
  if (!ku) return passed(`certificate ${who} has no keyUsage extension, so its use is not restricted`);
  const names = [
    ku.usages & x509.KeyUsageFlags.digitalSignature ? 'digitalSignature' : null,
    ku.usages & x509.KeyUsageFlags.nonRepudiation ? 'nonRepudiation' : null,
  ].filter(Boolean);
  if (names.length === 0) return failed(`certificate ${who} may not sign documents: its keyUsage has neither digitalSignature nor nonRepudiation`);
  return passed(`certificate ${who} may sign: keyUsage ${names.join(' + ')}`);
}

export interface ChainCheck {
  check: Check;
  /** DER path as built, end certificate first (the trust anchor last when reached). */
  path: Uint8Array[];
  /** The path reaches a trust anchor (whatever else failed). */
  anchored: boolean;
}

/** Path checks made in one document, per certificate and required usage: the first time checked and its result. */
export type ChainCache = Map<string, { at: number; result: Promise<ChainResult> }>;

/**
 * validateChain, reusing an earlier check of the same certificate in the document: everything
 * a path check decides except the validity periods is independent of the time, so for another
 * time only the periods are checked again (a teacher's twelve signatures cost one path check).
 */
async function pathAt(opts: ChainOptions): Promise<ChainResult> {
  const run = () => validateChain({ certificate: opts.certificate, intermediates: opts.pool, trustAnchors: opts.trustAnchors, atTime: opts.atTime, requireKeyUsage: opts.usage ?? 'none' });
  if (!opts.cache) return run();
  const key = `${Buffer.from(opts.certificate).toString('base64')}|${opts.usage ?? 'none'}`;
  const at = opts.atTime.getTime();
  const first = opts.cache.get(key);
  if (!first) {
    const result = run();
    opts.cache.set(key, { at, result });
    return result;
  }
  const r = await first.result;
  if (first.at === at) return r;
  if (r.status !== 'passed') return r.code === 'expired' || r.code === 'not_yet_valid' ? run() : r;
  for (const der of r.chain) {
    const c = parseCertificate(der)!;
    const who = `"${displayName(c.subjectName)}"`;
    if (opts.atTime < c.notBefore) return { status: 'failed', code: 'not_yet_valid', reason: `certificate ${who} is not valid before ${c.notBefore.toISOString()} (checked at ${opts.atTime.toISOString()})`, chain: r.chain };
    if (opts.atTime > c.notAfter) return { status: 'failed', code: 'expired', reason: `certificate ${who} expired on ${c.notAfter.toISOString()} (checked at ${opts.atTime.toISOString()})`, chain: r.chain };
  }
  return { ...r, reason: `path of ${r.chain.length} certificates to trusted root "${subjectOf(r.chain[r.chain.length - 1]!)}" is valid at ${opts.atTime.toISOString()}` };
}

interface ChainOptions {
  certificate: Uint8Array;
  pool: Uint8Array[];
  trustAnchors: Uint8Array[];
  atTime: Date;
  timeLabel: string;
  usage?: RequiredUsage;
  cache?: ChainCache;
}

/**
 * The path from `certificate` to a trust anchor at `atTime` (validity, CA constraints,
 * algorithms, RSA size: src/signing/pki/chain.ts). A path that ends at a self-signed root
 * that is not trusted is "failed" (someone's own CA); one that breaks off because an issuer is
 * unknown is "indeterminate" (an intermediate may just be missing), and so is any path when
 * no trust anchor is configured at all.
 */
export async function checkChain(opts: ChainOptions): Promise<ChainCheck> {
  const r = await pathAt(opts);
  // Without any trust anchor nothing can be trusted or distrusted: a configuration problem, not a verdict.
  if (opts.trustAnchors.length === 0) return { check: indeterminate(`no trust anchors are configured, so the path of "${subjectOf(opts.certificate)}" cannot be trusted`), path: r.chain, anchored: false };
  const anchored = r.code !== 'no_chain' && r.code !== 'malformed';
  const suffix = ` (time used: ${opts.timeLabel})`;
  if (r.status === 'passed') return { check: passed(r.reason + suffix), path: r.chain, anchored: true };
  if (r.code === 'no_chain') {
    const top = r.chain[r.chain.length - 1];
    if (top && (await isSelfSigned(top))) {
      return { check: failed(`the certificate path ends at the self-signed root "${subjectOf(top)}", which is not a trusted root`), path: r.chain, anchored: false };
    }
    return { check: indeterminate(r.reason), path: r.chain, anchored: false };
  }
  return { check: { status: r.status, reason: r.reason + (r.status === 'failed' ? suffix : '') }, path: r.chain, anchored };
}
