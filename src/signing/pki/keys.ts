/**
 * Key pairs for the test PKI, through WebCrypto (what @peculiar/x509 and pkijs sign with).
 * The PKCS#8 bytes are the portable form; CryptoKeys are re-imported from them on demand.
 */
import { createPrivateKey, webcrypto } from 'node:crypto';

export type KeyType = 'rsa-2048' | 'rsa-3072' | 'rsa-1024' | 'ec-p256';
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;

export interface KeyPairDer {
  keyType: KeyType;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  pkcs8: Uint8Array;
}

function algorithmFor(keyType: KeyType, hash: HashName = 'SHA-256'): RsaHashedImportParams | EcKeyImportParams {
  if (keyType === 'ec-p256') return { name: 'ECDSA', namedCurve: 'P-256' };
  return { name: 'RSASSA-PKCS1-v1_5', hash };
}

/** Generates an extractable key pair of the given type (RSA with e = 65537). */
export async function generateKeyPair(keyType: KeyType = 'rsa-2048'): Promise<KeyPairDer> {
  const params =
    keyType === 'ec-p256'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: Number(keyType.slice(4)), publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const pair = (await subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  return { keyType, privateKey: pair.privateKey, publicKey: pair.publicKey, pkcs8 };
}

/** Imports a PKCS#8 private key for signing with the given hash (WebCrypto binds the hash to RSA keys). */
export async function importPrivateKey(pkcs8: Uint8Array, keyType: KeyType, hash: HashName = 'SHA-256'): Promise<CryptoKey> {
  const buf = new Uint8Array(pkcs8).buffer;
  return subtle.importKey('pkcs8', buf, algorithmFor(keyType, hash), true, ['sign']);
}

/** Recognises the key type of a PKCS#8 key (used when reloading a saved PKI). */
export function keyTypeOfPkcs8(pkcs8: Uint8Array): KeyType {
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType === 'ec') return 'ec-p256';
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
  return bits <= 1024 ? 'rsa-1024' : bits >= 3072 ? 'rsa-3072' : 'rsa-2048';
}

/** WebCrypto signing algorithm for a key type and hash. */
export function signingAlgorithm(keyType: KeyType, hash: HashName = 'SHA-256'): RsaHashedImportParams | EcdsaParams {
  return keyType === 'ec-p256' ? { name: 'ECDSA', hash } : { name: 'RSASSA-PKCS1-v1_5', hash };
}

export { subtle };
