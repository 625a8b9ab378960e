/**
 * The short verification code printed on a record (and encoded in its QR code): the first
 * 50 bits of the record XML's sha256 in Crockford base32 (no I, L, O, U: easy to read out and
 * type), grouped 4-4-2. Pure.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function verificationCode(digestHex: string): string {
  if (!/^[0-9a-f]{64}$/.test(digestHex)) throw new RangeError('a sha256 digest in lower-case hex is expected');
  let bits = BigInt(`0x${digestHex.slice(0, 13)}`) >> 2n; // 52 bits → 50
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

/** Normalises a typed code ("abcd efgh jk", lower case, O for 0, I/L for 1) for lookup. */
export function normaliseVerificationCode(typed: string): string | null {
  const c = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(c)) return null;
  return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`;
}
