/**
 * Namespaces and algorithm URIs of XML-DSig / XAdES (ETSI EN 319 132-1) as this engine
 * writes and accepts them. Anything not listed — SHA-1 above all — is refused with
 * SigningError('unsupported_algorithm').
 */
import { SigningError, type DigestAlgorithm, type SignatureAlgorithm } from '../signer.ts';

export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
/** XAdES 1.3.2; EN 319 132-1 defines SigningCertificateV2 and SignerRoleV2 in this namespace too. */
export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';

export const SIGNATURE_METHOD_URI: Record<SignatureAlgorithm, string> = {
  'RSASSA-PKCS1-v1_5-SHA256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'RSASSA-PKCS1-v1_5-SHA384': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'RSASSA-PKCS1-v1_5-SHA512': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'ECDSA-SHA256': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  'ECDSA-SHA384': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
};

export const DIGEST_METHOD_URI: Record<DigestAlgorithm, string> = {
  'SHA-256': 'http://www.w3.org/2001/04/xmlenc#sha256',
  'SHA-384': 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'SHA-512': 'http://www.w3.org/2001/04/xmlenc#sha512',
};

/** Known commitment types (ETSI TS 119 172-1 / XAdES 1.2.2 URIs). */
export const COMMITMENT_TYPES = {
  ProofOfOrigin: 'http://uri.etsi.org/01903/v1.2.2#ProofOfOrigin',
  ProofOfReceipt: 'http://uri.etsi.org/01903/v1.2.2#ProofOfReceipt',
  ProofOfDelivery: 'http://uri.etsi.org/01903/v1.2.2#ProofOfDelivery',
  ProofOfSender: 'http://uri.etsi.org/01903/v1.2.2#ProofOfSender',
  ProofOfApproval: 'http://uri.etsi.org/01903/v1.2.2#ProofOfApproval',
  ProofOfCreation: 'http://uri.etsi.org/01903/v1.2.2#ProofOfCreation',
} as const;
export type CommitmentTypeName = keyof typeof COMMITMENT_TYPES;

const SHA1_HINT = /sha1\b|#dsa-|rsa-md5|md5/i;

/** The SignatureAlgorithm for a SignatureMethod URI; throws unsupported_algorithm for SHA-1 or unknown URIs. */
export function signatureAlgorithmOf(uri: string, where: string): SignatureAlgorithm {
  for (const [alg, u] of Object.entries(SIGNATURE_METHOD_URI)) if (u === uri) return alg as SignatureAlgorithm;
  throw new SigningError('unsupported_algorithm', `${where}: signature method ${uri || '(missing)'} is ${SHA1_HINT.test(uri) ? 'refused (SHA-1/MD5/DSA are not allowed)' : 'not supported'}`);
}

/** The DigestAlgorithm for a DigestMethod URI; throws unsupported_algorithm for SHA-1 or unknown URIs. */
export function digestAlgorithmOf(uri: string, where: string): DigestAlgorithm {
  for (const [alg, u] of Object.entries(DIGEST_METHOD_URI)) if (u === uri) return alg as DigestAlgorithm;
  throw new SigningError('unsupported_algorithm', `${where}: digest method ${uri || '(missing)'} is ${SHA1_HINT.test(uri) ? 'refused (SHA-1 is not allowed)' : 'not supported'}`);
}

/** Checks a SignatureAlgorithm given at run time (callers may bypass the type). */
export function assertSignatureAlgorithm(alg: string): asserts alg is SignatureAlgorithm {
  if (!Object.hasOwn(SIGNATURE_METHOD_URI, alg)) {
    throw new SigningError('unsupported_algorithm', `signature algorithm ${alg} is ${/SHA-?1\b|MD5/i.test(alg) ? 'refused (SHA-1/MD5 are not allowed)' : 'not supported'}`);
  }
}

/** An XML NCName as used for Id values (ASCII subset: what our writers produce and xmlsec1 resolves). */
export const ID_RE = /^[A-Za-z_][A-Za-z0-9._-]*$/;
