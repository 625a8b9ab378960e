/**
 * A minimal DER reader and writer for CMS. Building the SignedData from raw TLVs (rather than
 * re-encoding parsed objects) keeps certificates, names and signed attributes byte-exact: a
 * re-encoded Vietnamese UTF8String name or a re-ordered SET would break signatures that
 * OpenSSL, NSS and our own verifier recompute over those exact bytes.
 */
import { SigningError } from '../signer.ts';

/** One decoded TLV with its byte positions inside the buffer it was read from. */
export interface Tlv {
  /** The first identifier octet (class, constructed bit, low tag number). */
  tag: number;
  constructed: boolean;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the last content octet. */
  end: number;
  bytes: Uint8Array;
}

const MAX_DEPTH = 64;

function fail(where: string, what: string): never {
  throw new SigningError('document_invalid', `${where}: ${what}`);
}

/** Reads the TLV starting at `offset` (DER: definite lengths only, single-octet tags). */
export function readTlv(bytes: Uint8Array, offset: number, where = 'DER'): Tlv {
  if (offset + 2 > bytes.length) fail(where, `truncated TLV at byte ${offset}`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) fail(where, `multi-octet tag at byte ${offset} is not used by CMS`);
  let len = bytes[offset + 1]!;
  let p = offset + 2;
  if (len === 0x80) fail(where, `indefinite length at byte ${offset} (BER, not DER)`);
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) fail(where, `length of ${n} octets at byte ${offset} is too large`);
    if (p + n > bytes.length) fail(where, `truncated length at byte ${offset}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[p + i]!;
    p += n;
  }
  const end = p + len;
  if (end > bytes.length) fail(where, `TLV at byte ${offset} claims ${len} bytes but only ${bytes.length - p} remain`);
  return { tag, constructed: (tag & 0x20) !== 0, start: offset, contentStart: p, end, bytes };
}

/** The children of a constructed TLV, in order. */
export function children(t: Tlv, where = 'DER', depth = 0): Tlv[] {
  if (depth > MAX_DEPTH) fail(where, 'nesting too deep');
  if (!t.constructed) fail(where, `expected a constructed value at byte ${t.start} (tag 0x${t.tag.toString(16)})`);
  const out: Tlv[] = [];
  let p = t.contentStart;
  while (p < t.end) {
    const c = readTlv(t.bytes, p, where);
    if (c.end > t.end) fail(where, `child at byte ${p} overruns its parent`);
    out.push(c);
    p = c.end;
  }
  return out;
}

// Plain Uint8Array views (not Buffers, even over a Buffer) so results compare equal to any Uint8Array.
const view = (b: Uint8Array, from: number, to: number) => new Uint8Array(b.buffer, b.byteOffset + from, to - from);
/** The whole encoding (identifier, length, content) of a TLV. */
export const raw = (t: Tlv): Uint8Array => view(t.bytes, t.start, t.end);
/** The content octets of a TLV. */
export const content = (t: Tlv): Uint8Array => view(t.bytes, t.contentStart, t.end);

/** Parses a whole buffer as exactly one TLV (trailing bytes are an error unless `allowTrailing`). */
export function parseDer(bytes: Uint8Array, where = 'DER', allowTrailing = false): Tlv {
  const t = readTlv(bytes, 0, where);
  if (!allowTrailing && t.end !== bytes.length) fail(where, `${bytes.length - t.end} unexpected bytes after the DER value`);
  return t;
}

export function decodeOid(t: Tlv): string {
  if (t.tag !== 0x06) fail('OID', `expected OBJECT IDENTIFIER, got tag 0x${t.tag.toString(16)} at byte ${t.start}`);
  const c = content(t);
  const parts: number[] = [];
  let v = 0;
  for (const b of c) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) parts.push(v < 40 ? 0 : v < 80 ? 1 : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

// ---- writer ----

function lengthOctets(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | out.length, ...out);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
}

/** Encodes a TLV from a tag and content parts. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = concat(parts);
  return concat([Uint8Array.of(tag), lengthOctets(body.length), body]);
}

export const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
export const octets = (b: Uint8Array) => tlv(0x04, b);
export const derNull = () => Uint8Array.of(0x05, 0x00);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** DER SET OF: elements sorted by their encodings (X.690 §11.6), which OpenSSL relies on when it re-encodes signed attributes. */
export function setOf(elements: Uint8Array[], tag = 0x31): Uint8Array {
  return tlv(tag, ...[...elements].sort(compareBytes));
}

export function oid(dotted: string): Uint8Array {
  const nums = dotted.split('.').map(Number);
  if (nums.length < 2 || nums.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`bad OID ${dotted}`);
  const first = nums[0]! * 40 + nums[1]!;
  const body: number[] = [];
  for (const n of [first, ...nums.slice(2)]) {
    const chunk: number[] = [n & 0x7f];
    let v = Math.floor(n / 128);
    while (v > 0) {
      chunk.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    body.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(body));
}

/** A non-negative INTEGER from unsigned big-endian bytes (adds the 0x00 sign octet, strips redundant zeros). */
export function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let b = bytes.subarray(i);
  if (b.length === 0) b = Uint8Array.of(0);
  return (b[0]! & 0x80) !== 0 ? tlv(0x02, Uint8Array.of(0), b) : tlv(0x02, b);
}

export const smallInteger = (n: number) => unsignedInteger(Uint8Array.of(n));
