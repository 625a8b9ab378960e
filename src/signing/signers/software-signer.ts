/**
 * Software key adapter: a private key held in memory (PKCS#8 DER/PEM or a PKCS#12 file
 * decrypted by the caller). For the demo, for tests, and for a school seal kept on the
 * server. RSA PKCS#1 v1.5 signs a precomputed digest by wrapping it in DigestInfo.
 */
import { createPrivateKey, privateEncrypt, constants, type KeyObject } from 'node:crypto';
import { SigningError, digestOf, type SignDigestsRequest, type SignatureAlgorithm, type Signer } from '../signer.ts';

/** DER prefixes of DigestInfo for each hash (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Record<string, Buffer> = {
  'SHA-256': Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  'SHA-384': Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  'SHA-512': Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};
const DIGEST_LENGTH: Record<string, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

export interface SoftwareSignerOptions {
  /** PKCS#8 (or PKCS#1/SEC1) private key as PEM text or DER bytes. */
  privateKey: string | Uint8Array | KeyObject;
  /** DER certificates, signer first. */
  chain: Uint8Array[];
  description?: string;
}

export function softwareSigner(opts: SoftwareSignerOptions): Signer {
  const key =
    typeof opts.privateKey === 'string'
      ? createPrivateKey(opts.privateKey)
      : opts.privateKey instanceof Uint8Array
        ? createPrivateKey({ key: Buffer.from(opts.privateKey), format: 'der', type: 'pkcs8' })
        : opts.privateKey;
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SigningError('unsupported_algorithm', `software signer: only RSA keys are supported here (got ${key.asymmetricKeyType})`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new SigningError('unsupported_algorithm', `software signer: RSA key of ${bits} bits is below the 2048-bit minimum`);
  return {
    description: opts.description ?? 'software key',
    async certificateChain() {
      return opts.chain;
    },
    async algorithms(): Promise<SignatureAlgorithm[]> {
      return ['RSASSA-PKCS1-v1_5-SHA256', 'RSASSA-PKCS1-v1_5-SHA384', 'RSASSA-PKCS1-v1_5-SHA512'];
    },
    async signDigests(req: SignDigestsRequest) {
      if (!req.algorithm.startsWith('RSASSA-PKCS1-v1_5')) {
        throw new SigningError('unsupported_algorithm', `software signer: ${req.algorithm} is not available for an RSA key`);
      }
      const digestAlg = digestOf(req.algorithm);
      return req.items.map((item, i) => {
        if (item.digest.length !== DIGEST_LENGTH[digestAlg]) {
          throw new SigningError('document_invalid', `software signer: item ${i} is ${item.digest.length} bytes, expected a ${digestAlg} digest`);
        }
        const digestInfo = Buffer.concat([DIGEST_INFO_PREFIX[digestAlg]!, Buffer.from(item.digest)]);
        return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo));
      });
    },
  };
}
