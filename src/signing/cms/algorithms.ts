/**
 * Object identifiers and algorithm identifiers used by the CMS signer, plus the conversion of
 * ECDSA values between the P1363 form signers return (r||s) and the DER form CMS carries.
 */
import { SigningError, type DigestAlgorithm, type SignatureAlgorithm } from '../signer.ts';
import { children, content, derNull, oid, parseDer, seq, unsignedInteger } from './der.ts';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRSA: '1.2.840.113549.1.1.5',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
} as const;

const DIGEST_OID: Record<DigestAlgorithm, string> = { 'SHA-256': OID.sha256, 'SHA-384': OID.sha384, 'SHA-512': OID.sha512 };
const SIGNATURE_OID: Record<SignatureAlgorithm, string> = {
  'RSASSA-PKCS1-v1_5-SHA256': OID.sha256WithRSA,
  'RSASSA-PKCS1-v1_5-SHA384': OID.sha384WithRSA,
  'RSASSA-PKCS1-v1_5-SHA512': OID.sha512WithRSA,
  'ECDSA-SHA256': OID.ecdsaWithSha256,
  'ECDSA-SHA384': OID.ecdsaWithSha384,
};

export const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** AlgorithmIdentifier of a digest; parameters absent (RFC 5754 §2). */
export const digestAlgorithmIdentifier = (alg: DigestAlgorithm) => seq(oid(DIGEST_OID[alg]));

/** AlgorithmIdentifier of a signature: NULL parameters for RSA (RFC 4055), absent for ECDSA (RFC 5758). */
export function signatureAlgorithmIdentifier(alg: SignatureAlgorithm): Uint8Array {
  return alg.startsWith('RSASSA') ? seq(oid(SIGNATURE_OID[alg]), derNull()) : seq(oid(SIGNATURE_OID[alg]));
}

/** The digest algorithm named by an OID, or null (SHA-1 and unknown digests are refused). */
export function digestFromOid(o: string): DigestAlgorithm | null {
  for (const [k, v] of Object.entries(DIGEST_OID)) if (v === o) return k as DigestAlgorithm;
  return null;
}

/**
 * The signature algorithm named by a SignerInfo signatureAlgorithm OID. Plain rsaEncryption is
 * accepted (many signers write it) and takes its hash from the SignerInfo digest algorithm.
 */
export function signatureFromOid(o: string, digest: DigestAlgorithm | null): SignatureAlgorithm | null {
  for (const [k, v] of Object.entries(SIGNATURE_OID)) if (v === o) return k as SignatureAlgorithm;
  if (o === OID.rsaEncryption && digest) return `RSASSA-PKCS1-v1_5-${digest.replace('-', '')}` as SignatureAlgorithm;
  return null;
}

/** Converts an IEEE P1363 ECDSA value (r||s, each `size` bytes) to the DER Ecdsa-Sig-Value CMS carries. */
export function ecdsaP1363ToDer(value: Uint8Array, size: number): Uint8Array {
  if (value.length !== 2 * size) {
    throw new SigningError('document_invalid', `ECDSA signature value is ${value.length} bytes, expected ${2 * size} (r||s for this curve)`);
  }
  return seq(unsignedInteger(value.subarray(0, size)), unsignedInteger(value.subarray(size)));
}

/** Converts a DER Ecdsa-Sig-Value back to P1363 (r||s), e.g. for WebCrypto verification. */
export function ecdsaDerToP1363(der: Uint8Array, size: number): Uint8Array {
  const parts = children(parseDer(der, 'ECDSA signature value'), 'ECDSA signature value');
  if (parts.length !== 2) throw new SigningError('document_invalid', 'ECDSA signature value: expected SEQUENCE of two INTEGERs');
  const out = new Uint8Array(2 * size);
  parts.forEach((p, i) => {
    let b = content(p);
    while (b.length > size && b[0] === 0) b = b.subarray(1);
    if (b.length > size) throw new SigningError('document_invalid', 'ECDSA signature value: integer longer than the curve size');
    out.set(b, (i + 1) * size - b.length);
  });
  return out;
}
