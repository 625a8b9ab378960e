/**
 * Software key adapter: a private key held in memory (PKCS#8 DER/PEM, or a PKCS#12 file via
 * softwareSignerFromPkcs12). For the demo, for tests, and for a school seal kept on the
 * server. RSA PKCS#1 v1.5 signs a precomputed digest by wrapping it in DigestInfo; ECDSA
 * (P-256, P-384) signs the digest directly (see ecdsa-digest.ts).
 */
import { createPrivateKey, createPublicKey, privateEncrypt, constants, X509Certificate, type KeyObject } from 'node:crypto';
import { SigningError, type SignDigestsRequest, type SignatureAlgorithm, type Signer } from '../signer.ts';
import { algorithmsFor, checkRequest, digestInfo, type KeyInfo } from './algorithms.ts';
import { curveOfKey, ecdsaSignDigest } from './ecdsa-digest.ts';
import { readPkcs12 } from './pkcs12.ts';

export interface SoftwareSignerOptions {
  /** PKCS#8 (or PKCS#1/SEC1) private key as PEM text or DER bytes (DER must be PKCS#8). */
  privateKey: string | Uint8Array | KeyObject;
  /** DER certificates, signer first. */
  chain: Uint8Array[];
  description?: string;
}

function keyInfoOf(key: KeyObject): KeyInfo {
  if (key.asymmetricKeyType === 'rsa') return { type: 'rsa', bits: key.asymmetricKeyDetails?.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const curve = curveOfKey(key);
    if (curve) return { type: 'ec', curve };
    throw new SigningError('unsupported_algorithm', `software signer: EC curve ${key.asymmetricKeyDetails?.namedCurve ?? '?'} is not supported (P-256 or P-384)`);
  }
  throw new SigningError('unsupported_algorithm', `software signer: only RSA and ECDSA keys are supported (got ${key.asymmetricKeyType})`);
}

function certificateMatchesKey(der: Uint8Array, key: KeyObject): boolean {
  try {
    const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
    return spki(new X509Certificate(Buffer.from(der)).publicKey).equals(spki(createPublicKey(key)));
  } catch {
    return false;
  }
}

function subjectOf(der: Uint8Array): string {
  try {
    return new X509Certificate(Buffer.from(der)).subject.replace(/\n/g, ', ');
  } catch {
    return 'unparseable certificate';
  }
}

/** A signer over an in-memory private key. Refuses RSA < 2048 and keys that do not match chain[0]. */
export function softwareSigner(opts: SoftwareSignerOptions): Signer {
  const where = opts.description ?? 'software key';
  let key: KeyObject;
  try {
    key =
      typeof opts.privateKey === 'string'
        ? createPrivateKey(opts.privateKey)
        : opts.privateKey instanceof Uint8Array
          ? createPrivateKey({ key: Buffer.from(opts.privateKey), format: 'der', type: 'pkcs8' })
          : opts.privateKey;
  } catch (err) {
    // The key material itself must not end up in the message.
    throw new SigningError('document_invalid', `${where}: the private key cannot be read (expected PKCS#8 DER or PEM)`, { cause: err });
  }
  if (key.type !== 'private') throw new SigningError('document_invalid', `${where}: a private key is required`);
  const info = keyInfoOf(key);
  const algorithms = algorithmsFor(info, where);
  if (opts.chain[0] && !certificateMatchesKey(opts.chain[0], key)) {
    throw new SigningError('certificate_invalid', `${where}: the first certificate of the chain (${subjectOf(opts.chain[0])}) does not belong to the private key`);
  }
  return {
    description: where,
    async certificateChain() {
      return opts.chain;
    },
    async algorithms(): Promise<SignatureAlgorithm[]> {
      return algorithms;
    },
    async signDigests(req: SignDigestsRequest) {
      const digestAlg = checkRequest(req, info, where);
      if (req.items.length === 0) return [];
      return req.items.map((item) =>
        info.type === 'rsa'
          ? new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(digestAlg, item.digest)))
          : ecdsaSignDigest(key, info.curve, item.digest),
      );
    },
  };
}

/**
 * A software signer from a PKCS#12 (.p12/.pfx) file and its password: the key and the
 * certificate chain found in the file. Wrong password → SigningError('signer_auth_failed').
 */
export async function softwareSignerFromPkcs12(bytes: Uint8Array, password: string, opts: { description?: string } = {}): Promise<Signer> {
  const { privateKey, chain } = await readPkcs12(bytes, password);
  return softwareSigner({ privateKey, chain, description: opts.description ?? 'software key (PKCS#12)' });
}
