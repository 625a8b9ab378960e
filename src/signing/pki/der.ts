/**
 * Small byte helpers shared by the PKI code: PEM armour, ArrayBuffer views (pkijs and
 * WebCrypto want exact ArrayBuffers, not Node Buffers over a shared pool), hex, serials.
 */
import { randomBytes } from 'node:crypto';

/** A fresh ArrayBuffer holding exactly these bytes (a Buffer's .buffer may be a larger pool). */
export function toArrayBuffer(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

export function toBytes(buf: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (buf instanceof ArrayBuffer) return new Uint8Array(buf.slice(0));
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  return Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

/** PEM armour with 64-column lines. Use label 'X509 CRL' for CRLs: OpenSSL 3 cannot read 'CRL'. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** All PEM blocks with the given label (or any label when omitted), as DER. */
export function pemBlocks(text: string, label?: string): Uint8Array[] {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(re)) {
    if (label && m[1] !== label) continue;
    out.push(new Uint8Array(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')));
  }
  return out;
}

/** Accepts DER bytes or PEM text/bytes and returns the first DER block. */
export function derOf(input: Uint8Array | string, label?: string): Uint8Array {
  const text = typeof input === 'string' ? input : input[0] === 0x2d /* '-' */ ? Buffer.from(input).toString('latin1') : null;
  if (text === null) return input as Uint8Array;
  const block = pemBlocks(text, label)[0];
  if (!block) throw new Error(`no PEM block${label ? ` labelled ${label}` : ''} found`);
  return block;
}

/** A random positive 16-byte serial number (RFC 5280: ≤ 20 octets, positive, unpredictable), as hex. */
export function randomSerialHex(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

/** Whole seconds: NSS rejects OCSP times with fractional seconds, and UTCTime cannot carry them. */
export function wholeSeconds(d: Date = new Date()): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
