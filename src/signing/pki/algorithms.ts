/**
 * Algorithm identifiers the PKI code accepts or refuses. SHA-1 and MD5 signatures are
 * refused everywhere (DESIGN: no SHA-1, no RSA < 2048); SHA-1 survives only as the CertID
 * hash of OCSP requests, where it names a certificate and protects nothing.
 */
import type { DigestAlgorithm } from '../signer.ts';

export const DIGEST_OID: Record<DigestAlgorithm, string> = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};

export const DIGEST_BY_OID: Record<string, DigestAlgorithm> = Object.fromEntries(Object.entries(DIGEST_OID).map(([k, v]) => [v, k as DigestAlgorithm]));

export const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** Signature algorithm OIDs refused as weak, with a name for error messages. */
export const WEAK_SIGNATURE_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '1.3.14.3.2.29': 'sha1WithRSASignature',
};

/** Minimum RSA modulus accepted for any certificate in a path. */
export const MIN_RSA_BITS = 2048;

/** Hash (node:crypto name) of each accepted signature algorithm OID; SHA-1/MD5 ones are absent on purpose. */
export const SIGNATURE_HASH: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
