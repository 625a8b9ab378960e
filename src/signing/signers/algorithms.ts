/**
 * Helpers shared by the signer adapters: DigestInfo for RSA PKCS#1 v1.5 over a precomputed
 * digest, request validation, the algorithms a key can produce, ECDSA signature encodings,
 * and the OIDs the CSC API speaks in.
 */
import { constants, publicDecrypt, X509Certificate, type KeyObject } from 'node:crypto';
import { ecdsaVerifyDigest } from './ecdsa-digest.ts';
import { SigningError, digestOf, type DigestAlgorithm, type SignDigestsRequest, type SignatureAlgorithm } from '../signer.ts';

/** DER prefixes of DigestInfo for each hash (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Record<DigestAlgorithm, string> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};
export const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** Largest batch one signDigests call accepts (keeps agent/CSC request bodies bounded). */
export const MAX_ITEMS_PER_REQUEST = 5000;
/** Longest label shown to the person approving. */
export const MAX_LABEL_LENGTH = 500;

/** DigestInfo(digest) — what RSA PKCS#1 v1.5 actually signs when the hash was computed elsewhere. */
export function digestInfo(alg: DigestAlgorithm, digest: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[alg], 'hex'), Buffer.from(digest)]);
}

export type KeyInfo = { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' | 'P-384' };

/** Key type and size of a certificate's public key. */
export function keyInfoOfCertificate(der: Uint8Array, where: string): KeyInfo {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(der));
  } catch (err) {
    throw new SigningError('certificate_invalid', `${where}: the certificate cannot be parsed`, { cause: err });
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType === 'rsa') return { type: 'rsa', bits: key.asymmetricKeyDetails?.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { type: 'ec', curve: 'P-256' };
    if (curve === 'secp384r1') return { type: 'ec', curve: 'P-384' };
    throw new SigningError('unsupported_algorithm', `${where}: EC curve ${curve ?? '?'} is not supported (P-256 or P-384)`);
  }
  throw new SigningError('unsupported_algorithm', `${where}: ${key.asymmetricKeyType ?? 'unknown'} keys are not supported (RSA or ECDSA)`);
}

/** The algorithms a key can produce, best first; refuses keys below policy (RSA < 2048). */
export function algorithmsFor(key: KeyInfo, where: string): SignatureAlgorithm[] {
  if (key.type === 'rsa') {
    if (key.bits < 2048) throw new SigningError('unsupported_algorithm', `${where}: RSA key of ${key.bits} bits is below the 2048-bit minimum`);
    return ['RSASSA-PKCS1-v1_5-SHA256', 'RSASSA-PKCS1-v1_5-SHA384', 'RSASSA-PKCS1-v1_5-SHA512'];
  }
  return key.curve === 'P-256' ? ['ECDSA-SHA256', 'ECDSA-SHA384'] : ['ECDSA-SHA384', 'ECDSA-SHA256'];
}

/** ECDSA field size in bytes (length of r and of s in the P1363 form). */
export function ecFieldBytes(curve: 'P-256' | 'P-384'): number {
  return curve === 'P-256' ? 32 : 48;
}

/**
 * Checks a request against the key before anything is signed: algorithm family, item count,
 * digest lengths, label lengths, abort. Throws a SigningError naming the item.
 */
export function checkRequest(req: SignDigestsRequest, key: KeyInfo, where: string): DigestAlgorithm {
  throwIfAborted(req.signal, where);
  const family = req.algorithm.startsWith('RSASSA-PKCS1-v1_5') ? 'rsa' : req.algorithm.startsWith('ECDSA') ? 'ec' : null;
  if (family !== key.type) {
    throw new SigningError('unsupported_algorithm', `${where}: ${req.algorithm} is not available for ${key.type === 'rsa' ? 'an RSA' : 'an EC'} key`);
  }
  if (!Array.isArray(req.items)) throw new SigningError('document_invalid', `${where}: items must be a list`);
  if (req.items.length > MAX_ITEMS_PER_REQUEST) {
    throw new SigningError('document_invalid', `${where}: ${req.items.length} items exceed the limit of ${MAX_ITEMS_PER_REQUEST} per request`);
  }
  const alg = digestOf(req.algorithm);
  req.items.forEach((item, i) => {
    if (!(item.digest instanceof Uint8Array) || item.digest.length !== DIGEST_LENGTH[alg]) {
      throw new SigningError('document_invalid', `${where}: item ${i}${item.label ? ` ("${item.label.slice(0, 80)}")` : ''} is ${item.digest?.length ?? 0} bytes, expected a ${alg} digest (${DIGEST_LENGTH[alg]} bytes)`);
    }
    if (item.label !== undefined && (typeof item.label !== 'string' || item.label.length > MAX_LABEL_LENGTH)) {
      throw new SigningError('document_invalid', `${where}: item ${i} has a label longer than ${MAX_LABEL_LENGTH} characters`);
    }
  });
  return alg;
}

/** Throws signer_timeout if the signal was aborted (a cancelled batch must not continue). */
export function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted) throw new SigningError('signer_timeout', `${where}: the request was cancelled before it completed`, { cause: signal.reason });
}

/** The conversions between P1363 (r||s, what signers return) and DER (what CMS, X.509 and CSC carry), written once in cms/algorithms.ts. */
export { ecdsaDerToP1363, ecdsaP1363ToDer } from '../cms/algorithms.ts';

/** OIDs used by the CSC API (hashAlgorithmOID, signAlgo, key/algo). */
export const OID = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
} as const;

/** Hash OID for a digest algorithm, and back. */
export function hashOid(alg: DigestAlgorithm): string {
  return OID[alg];
}
export function digestOfHashOid(oid: string): DigestAlgorithm | null {
  return oid === OID['SHA-256'] ? 'SHA-256' : oid === OID['SHA-384'] ? 'SHA-384' : oid === OID['SHA-512'] ? 'SHA-512' : null;
}

/** The CSC signAlgo OID that names a signature algorithm with its hash. */
export function signAlgoOid(alg: SignatureAlgorithm): string {
  switch (alg) {
    case 'RSASSA-PKCS1-v1_5-SHA256':
      return OID.sha256WithRSAEncryption;
    case 'RSASSA-PKCS1-v1_5-SHA384':
      return OID.sha384WithRSAEncryption;
    case 'RSASSA-PKCS1-v1_5-SHA512':
      return OID.sha512WithRSAEncryption;
    case 'ECDSA-SHA256':
      return OID.ecdsaWithSHA256;
    case 'ECDSA-SHA384':
      return OID.ecdsaWithSHA384;
  }
}

/**
 * Checks a signature value as the Signer port returns it (PKCS#1 v1.5 bytes, or ECDSA r||s)
 * over a precomputed digest with the certificate's public key. Adapters whose key lives
 * elsewhere (a remote service) use it so that a wrong or substituted value never reaches a
 * document.
 */
export function verifyDigestSignature(publicKey: KeyObject, key: KeyInfo, alg: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  if (key.type === 'rsa') {
    try {
      // RSA public operation with PKCS#1 type-1 unpadding: what remains must be our DigestInfo exactly.
      return publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature).equals(digestInfo(digestOf(alg), digest));
    } catch {
      return false;
    }
  }
  return ecdsaVerifyDigest(publicKey, key.curve, digest, signature);
}
