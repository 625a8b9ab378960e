/**
 * Certificate path validation (RFC 5280 §6, the parts signatures depend on): builds the path
 * from the signer to a trust anchor through the given intermediates and checks, for every
 * certificate, the signature, validity at the given time, CA constraints and key usage, and
 * refuses RSA < 2048 and SHA-1/MD5 signatures. Revocation is checked separately
 * (src/signing/revocation). No path to a trusted root is "indeterminate", not "failed": the
 * signature may be fine, we just cannot vouch for it.
 */
import { createPublicKey } from 'node:crypto';
import * as pkijs from 'pkijs';
import { displayName, x509 } from './cert-builder.ts';
import { MIN_RSA_BITS, SIGNATURE_HASH, WEAK_SIGNATURE_OIDS } from './algorithms.ts';
import { toArrayBuffer } from './der.ts';
import { digestKey, memo } from './memo.ts';

export type ChainStatus = 'passed' | 'failed' | 'indeterminate';
export type ChainFailure =
  | 'malformed' | 'no_chain' | 'expired' | 'not_yet_valid' | 'bad_signature' | 'weak_algorithm'
  | 'weak_key' | 'not_a_ca' | 'path_length' | 'key_usage' | 'unknown_critical_extension';

/** What the end certificate must be allowed to do. */
export type RequiredUsage = 'signing' | 'timeStamping' | 'ocspSigning' | 'none';

export interface ChainResult {
  status: ChainStatus;
  /** Human-readable, names the certificate at fault (its subject). */
  reason: string;
  code?: ChainFailure;
  /** DER, end certificate first, trust anchor last (as far as it could be built). */
  chain: Uint8Array[];
}

export interface ValidateChainOptions {
  certificate: Uint8Array;
  intermediates?: Uint8Array[];
  trustAnchors: Uint8Array[];
  atTime?: Date;
  /** Default 'signing': keyUsage digitalSignature or nonRepudiation. */
  requireKeyUsage?: RequiredUsage;
}

const MAX_DEPTH = 8;
const EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const EKU_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
/** Critical extensions this validator understands; any other critical one fails the path. */
const KNOWN_CRITICAL = new Set(['2.5.29.15', '2.5.29.19', '2.5.29.37', '2.5.29.17', '2.5.29.32', '2.5.29.14', '2.5.29.35', '1.3.6.1.5.5.7.48.1.5']);
/** Name constraints are not enforced here, so a CA carrying them is refused whatever its criticality. */
const NAME_CONSTRAINTS = '2.5.29.30';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
/** EC curves by size; anything else (or below 256 bits) is refused. */
const EC_CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, brainpoolP256r1: 256, brainpoolP384r1: 384, brainpoolP512r1: 512 };
const MIN_EC_BITS = 256;

// Parsed certificates and signature checks are pure functions of the DER bytes: memoised so
// that validating fifteen signatures by the same few certificates parses and verifies once.
const parsed = memo<x509.X509Certificate | null>(2048);
const verdicts = memo<Promise<boolean>>(4096);
const keyVerdicts = memo<string | null>(2048);
const algorithmVerdicts = memo<string | null>(2048);
const derKey = (c: x509.X509Certificate) => digestKey(new Uint8Array(c.rawData));

function parse(der: Uint8Array): x509.X509Certificate | null {
  return parsed.get(digestKey(der), () => {
    try {
      return new x509.X509Certificate(toArrayBuffer(der));
    } catch {
      return null;
    }
  });
}

function signedBy(cert: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  if (cert.issuer !== issuer.subject) return Promise.resolve(false);
  return verdicts.get(`${derKey(cert)}|${derKey(issuer)}`, async () => {
    try {
      return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
    } catch {
      return false;
    }
  });
}

function fail(code: ChainFailure, reason: string, chain: x509.X509Certificate[]): ChainResult {
  return { status: 'failed', code, reason, chain: chain.map((c) => new Uint8Array(c.rawData)) };
}

/** Why the certificate's public key is below policy (RSA < 2048, EC < 256 or an unknown curve, DSA…), or null. */
function weakKey(cert: x509.X509Certificate): string | null {
  return keyVerdicts.get(derKey(cert), () => weakKeyOf(cert));
}

function weakKeyOf(cert: x509.X509Certificate): string | null {
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
  } catch {
    return 'a public key that cannot be read';
  }
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits < MIN_RSA_BITS ? `an RSA key of ${bits} bits (minimum ${MIN_RSA_BITS})` : null;
  }
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unnamed';
    const bits = EC_CURVE_BITS[curve];
    return bits && bits >= MIN_EC_BITS ? null : `an EC key on ${curve} (accepted: ${Object.keys(EC_CURVE_BITS).join(', ')}; minimum ${MIN_EC_BITS} bits)`;
  }
  if (type === 'ed25519' || type === 'ed448') return null;
  return `a ${type ?? 'unknown'} key, which is not accepted`;
}

/**
 * Why the certificate's signature algorithm is refused, or null. An allow-list, not a
 * block-list: SHA-1 can also hide in RSA-PSS parameters (whose hash DEFAULT is SHA-1).
 */
function weakSignatureAlgorithm(cert: x509.X509Certificate): string | null {
  return algorithmVerdicts.get(derKey(cert), () => weakSignatureAlgorithmOf(cert));
}

function weakSignatureAlgorithmOf(cert: x509.X509Certificate): string | null {
  const alg = pkijs.Certificate.fromBER(cert.rawData).signatureAlgorithm;
  const oid = alg.algorithmId;
  if (WEAK_SIGNATURE_OIDS[oid]) return WEAK_SIGNATURE_OIDS[oid]!;
  if (SIGNATURE_HASH[oid]) return null;
  if (oid === RSASSA_PSS) {
    let hash = '1.3.14.3.2.26'; // DEFAULT sha1 (RFC 4055)
    try {
      if (alg.algorithmParams) hash = new pkijs.RSASSAPSSParams({ schema: alg.algorithmParams }).hashAlgorithm.algorithmId;
    } catch {
      return 'RSASSA-PSS with unreadable parameters';
    }
    return ['2.16.840.1.101.3.4.2.1', '2.16.840.1.101.3.4.2.2', '2.16.840.1.101.3.4.2.3'].includes(hash) ? null : `RSASSA-PSS with hash ${hash === '1.3.14.3.2.26' ? 'SHA-1' : hash}`;
  }
  return `signature algorithm ${oid}`;
}

/** Validates the path of a certificate to one of the trust anchors at the given time. */
export async function validateChain(opts: ValidateChainOptions): Promise<ChainResult> {
  const at = opts.atTime ?? new Date();
  const leaf = parse(opts.certificate);
  if (!leaf) return { status: 'failed', code: 'malformed', reason: 'the certificate is not valid DER X.509', chain: [] };
  const anchors = opts.trustAnchors.map(parse).filter((c): c is x509.X509Certificate => c !== null);
  const pool = (opts.intermediates ?? []).map(parse).filter((c): c is x509.X509Certificate => c !== null);

  // Build: leaf → … → anchor, preferring an anchor at each step.
  const path: x509.X509Certificate[] = [leaf];
  let anchored = anchors.some((a) => a.equal(leaf));
  while (!anchored && path.length <= MAX_DEPTH) {
    const current = path[path.length - 1]!;
    let next: x509.X509Certificate | undefined;
    for (const a of anchors) if (await signedBy(current, a)) { next = a; anchored = true; break; }
    if (!next) for (const c of pool) if (!path.some((p) => p.equal(c)) && (await signedBy(current, c))) { next = c; break; }
    if (!next) break;
    path.push(next);
  }
  if (!anchored) {
    const top = path[path.length - 1]!;
    return {
      status: 'indeterminate',
      code: 'no_chain',
      reason: `no path to a trusted root: "${displayName(top.subjectName)}" is issued by "${displayName(top.issuerName)}", which is neither a trust anchor nor among the intermediates`,
      chain: path.map((c) => new Uint8Array(c.rawData)),
    };
  }

  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    const who = `"${displayName(c.subjectName)}"`;
    if (at < c.notBefore) return fail('not_yet_valid', `certificate ${who} is not valid before ${c.notBefore.toISOString()} (checked at ${at.toISOString()})`, path);
    if (at > c.notAfter) return fail('expired', `certificate ${who} expired on ${c.notAfter.toISOString()} (checked at ${at.toISOString()})`, path);
    const weakKeyReason = weakKey(c);
    if (weakKeyReason) return fail('weak_key', `certificate ${who} has ${weakKeyReason}`, path);
    const isAnchor = i === path.length - 1;
    const weak = weakSignatureAlgorithm(c);
    // A trust anchor's self-signature protects nothing: trust comes from configuration.
    if (weak && !isAnchor) return fail('weak_algorithm', `certificate ${who} is signed with ${weak}, which is refused`, path);
    for (const e of c.extensions) {
      if (e.type === NAME_CONSTRAINTS) return fail('unknown_critical_extension', `certificate ${who} carries name constraints, which this validator does not enforce`, path);
      if (e.critical && !KNOWN_CRITICAL.has(e.type)) return fail('unknown_critical_extension', `certificate ${who} has an unsupported critical extension ${e.type}`, path);
    }
    if (i > 0) {
      const bc = c.getExtension(x509.BasicConstraintsExtension);
      if (!bc?.ca) return fail('not_a_ca', `certificate ${who} issued "${displayName(path[i - 1]!.subjectName)}" but is not a CA (basicConstraints)`, path);
      if (bc.pathLength !== undefined && i - 1 > bc.pathLength) return fail('path_length', `CA ${who} allows ${bc.pathLength} intermediate CA(s) below it, the path has ${i - 1}`, path);
      const ku = c.getExtension(x509.KeyUsagesExtension);
      // RFC 5280 §4.2.1.3: a CA certificate MUST carry keyUsage. Only a configured trust anchor is excused.
      if (ku ? !(ku.usages & x509.KeyUsageFlags.keyCertSign) : !isAnchor) return fail('key_usage', `CA ${who} lacks keyUsage keyCertSign${ku ? '' : ' (no keyUsage extension)'}`, path);
    }
  }

  const usage = opts.requireKeyUsage ?? 'signing';
  const ku = leaf.getExtension(x509.KeyUsagesExtension);
  const eku = leaf.getExtension(x509.ExtendedKeyUsageExtension);
  const who = `"${displayName(leaf.subjectName)}"`;
  if (usage === 'signing' && ku && !(ku.usages & (x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation))) {
    return fail('key_usage', `certificate ${who} may not sign documents: keyUsage has neither digitalSignature nor nonRepudiation`, path);
  }
  // RFC 3161 §2.3: the TSA certificate's one critical extendedKeyUsage holds timeStamping only.
  if (usage === 'timeStamping' && !(eku?.critical && eku.usages.length === 1 && eku.usages[0] === EKU_TIME_STAMPING)) {
    return fail('key_usage', `certificate ${who} is not a TSA certificate: it needs a critical extendedKeyUsage with only timeStamping${eku ? ` (has ${eku.critical ? '' : 'non-critical '}${eku.usages.join(', ')})` : ''}`, path);
  }
  if (usage === 'ocspSigning' && !eku?.usages.includes(EKU_OCSP_SIGNING)) {
    return fail('key_usage', `certificate ${who} may not sign OCSP responses: no extendedKeyUsage OCSPSigning`, path);
  }
  return { status: 'passed', reason: `path of ${path.length} certificates to trusted root "${displayName(path[path.length - 1]!.subjectName)}" is valid at ${at.toISOString()}`, chain: path.map((c) => new Uint8Array(c.rawData)) };
}
