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

// ---- verification over a digest (public data only: no blinding or constant time needed) ----

/** Field primes of the curves (a = −3 for both), for verification. The generator comes from OpenSSL. */
const FIELD: Record<EcCurve, bigint> = {
  'P-256': 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  'P-384': 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
};

type Jacobian = [bigint, bigint, bigint] | null; // null = point at infinity

function jDouble(P: Jacobian, p: bigint): Jacobian {
  if (!P || P[1] === 0n) return null;
  const [X, Y, Z] = P;
  const delta = (Z * Z) % p;
  const gamma = (Y * Y) % p;
  const beta = (X * gamma) % p;
  const alpha = (3n * (((X - delta) % p) * ((X + delta) % p))) % p;
  const X3 = (((alpha * alpha - 8n * beta) % p) + p) % p;
  const Z3 = ((((Y + Z) * (Y + Z) - gamma - delta) % p) + p) % p;
  const Y3 = (((alpha * (4n * beta - X3) - 8n * ((gamma * gamma) % p)) % p) + p) % p;
  return [X3, Y3, Z3];
}

function jAdd(P: Jacobian, Q: Jacobian, p: bigint): Jacobian {
  if (!P) return Q;
  if (!Q) return P;
  const [X1, Y1, Z1] = P;
  const [X2, Y2, Z2] = Q;
  const Z1Z1 = (Z1 * Z1) % p;
  const Z2Z2 = (Z2 * Z2) % p;
  const U1 = (X1 * Z2Z2) % p;
  const U2 = (X2 * Z1Z1) % p;
  const S1 = (((Y1 * Z2) % p) * Z2Z2) % p;
  const S2 = (((Y2 * Z1) % p) * Z1Z1) % p;
  if (U1 === U2) return S1 === S2 ? jDouble(P, p) : null;
  const H = (((U2 - U1) % p) + p) % p;
  const R = (((S2 - S1) % p) + p) % p;
  const HH = (H * H) % p;
  const HHH = (H * HH) % p;
  const X3 = (((R * R - HHH - 2n * U1 * HH) % p) + p) % p;
  const Y3 = (((R * (U1 * HH - X3) - S1 * HHH) % p) + p) % p;
  const Z3 = (((H * Z1) % p) * Z2) % p;
  return [X3, Y3, Z3];
}

/**
 * Verifies an ECDSA signature (P1363 r||s) over a precomputed digest (SEC 1 §4.1.4), e.g. to
 * check what a remote signing service returned before it is embedded anywhere.
 */
export function ecdsaVerifyDigest(key: KeyObject, curve: EcCurve, digest: Uint8Array, signature: Uint8Array): boolean {
  const { ecdh: ecdhName, size, n } = CURVES[curve];
  const p = FIELD[curve];
  if (signature.length !== 2 * size) return false;
  const r = toBig(signature.subarray(0, size));
  const s = toBig(signature.subarray(size));
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) return false;
  const Q: Jacobian = [toBig(Buffer.from(jwk.x, 'base64url')), toBig(Buffer.from(jwk.y, 'base64url')), 1n];
  const g = createECDH(ecdhName);
  g.setPrivateKey(toBytes(1n, size));
  const gPoint = g.getPublicKey(); // 04 || Gx || Gy
  const G: Jacobian = [toBig(gPoint.subarray(1, 1 + size)), toBig(gPoint.subarray(1 + size)), 1n];
  const e = toBig(digest.length > size ? digest.subarray(0, size) : digest) % n;
  const w = modPow(s, n - 2n, n);
  const u1 = (e * w) % n;
  const u2 = (r * w) % n;
  // Shamir's trick: u1·G + u2·Q in one pass over the bits.
  const GQ = jAdd(G, Q, p);
  let X: Jacobian = null;
  for (let i = BigInt(Math.max(u1.toString(2).length, u2.toString(2).length) - 1); i >= 0n; i--) {
    X = jDouble(X, p);
    const b1 = (u1 >> i) & 1n;
    const b2 = (u2 >> i) & 1n;
    if (b1 && b2) X = jAdd(X, GQ, p);
    else if (b1) X = jAdd(X, G, p);
    else if (b2) X = jAdd(X, Q, p);
  }
  if (!X) return false;
  const zInv = modPow(X[2], p - 2n, p);
  const x = (X[0] * ((zInv * zInv) % p)) % p;
  return x % n === r;
}
