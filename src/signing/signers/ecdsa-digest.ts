/**
 * ECDSA over a precomputed digest with a software key. node:crypto only offers ECDSA
 * together with hashing (sign(null, …) still hashes for EC keys), so the signature equation
 * is done here (SEC 1 §4.1.3) while the secret-dependent point multiplication k·G runs inside
 * OpenSSL through ECDH (constant-time there). The remaining modular arithmetic in BigInt is
 * not constant-time, so it is blinded with a fresh random factor per signature. This path
 * is for the demo and tests; a production seal key belongs in an HSM (PKCS#11 signer).
 */
import { createECDH, randomBytes, type KeyObject } from 'node:crypto';

const CURVES = {
  'P-256': {
    ecdh: 'prime256v1',
    size: 32,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  'P-384': {
    ecdh: 'secp384r1',
    size: 48,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
} as const;

export type EcCurve = keyof typeof CURVES;

const toBig = (b: Uint8Array) => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`));
const toBytes = (v: bigint, size: number) => Buffer.from(v.toString(16).padStart(size * 2, '0'), 'hex');

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  base %= m;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % m;
    base = (base * base) % m;
    exp >>= 1n;
  }
  return result;
}

/** Uniform scalar in [1, n-1] (64 extra random bits make the modulo bias negligible). */
function randomScalar(n: bigint, size: number): bigint {
  return (toBig(randomBytes(size + 8)) % (n - 1n)) + 1n;
}

/** Curve of an EC KeyObject, or null if it is not P-256/P-384. */
export function curveOfKey(key: KeyObject): EcCurve | null {
  const c = key.asymmetricKeyDetails?.namedCurve;
  return c === 'prime256v1' ? 'P-256' : c === 'secp384r1' ? 'P-384' : null;
}

/** ECDSA signature of `digest` in IEEE P1363 form (r||s), as the Signer port returns it. */
export function ecdsaSignDigest(key: KeyObject, curve: EcCurve, digest: Uint8Array): Uint8Array {
  const { ecdh: ecdhName, size, n } = CURVES[curve];
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.d) throw new Error('ECDSA: not a private key');
  const d = toBig(Buffer.from(jwk.d, 'base64url'));
  // SEC 1 §4.1.3 step 5: use the leftmost bits of the digest when it is longer than n.
  const e = toBig(digest.length > size ? digest.subarray(0, size) : digest) % n;
  const ecdh = createECDH(ecdhName);
  for (;;) {
    const k = randomScalar(n, size);
    ecdh.setPrivateKey(toBytes(k, size));
    const point = ecdh.getPublicKey(); // 04 || X || Y of k·G
    const r = toBig(point.subarray(1, 1 + size)) % n;
    if (r === 0n) continue;
    const b = randomScalar(n, size); // blinding: s = (k·b)^-1 · (b·e + b·r·d)
    const kbInv = modPow((k * b) % n, n - 2n, n);
    const s = (kbInv * (((b * e) % n + (((b * r) % n) * d) % n) % n)) % n;
    if (s === 0n) continue;
    return new Uint8Array(Buffer.concat([toBytes(r, size), toBytes(s, size)]));
  }
}
