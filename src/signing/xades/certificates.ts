/**
 * What XAdES needs from an X.509 certificate: its public key (to check a signature value),
 * a display name for messages, and the IssuerSerialV2 value of SigningCertificateV2 (the
 * DER of RFC 5035 IssuerSerial, built from the certificate's own issuer and serial bytes so
 * no re-encoding can change them).
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { SigningError, type SignatureAlgorithm } from '../signer.ts';

export interface CertificateFacts {
  der: Uint8Array;
  publicKey: KeyObject;
  /** "CN=…, O=…" for messages. */
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/** Parses a DER certificate; `where` names it in errors (e.g. "signature sig-1, certificate 1"). */
export function certificateFacts(der: Uint8Array, where: string): CertificateFacts {
  let x: X509Certificate;
  try {
    x = new X509Certificate(Buffer.from(der));
  } catch {
    throw new SigningError('certificate_invalid', `${where}: not a DER X.509 certificate`);
  }
  return {
    der,
    publicKey: x.publicKey,
    subject: x.subject.split('\n').reverse().join(', '),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
  };
}

/** Checks that a public key can make signatures of `alg` (type and, for RSA, at least 2048 bits). */
export function assertKeyFitsAlgorithm(key: KeyObject, alg: SignatureAlgorithm, where: string): void {
  const type = key.asymmetricKeyType;
  const wants = alg.startsWith('RSASSA') ? 'rsa' : 'ec';
  if (type !== wants) throw new SigningError('unsupported_algorithm', `${where}: a ${type ?? 'unknown'} key cannot make ${alg} signatures`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (type === 'rsa' && bits < 2048) throw new SigningError('unsupported_algorithm', `${where}: RSA key of ${bits} bits is below the 2048-bit minimum`);
}

// ---- a minimal DER reader: enough to cut the issuer and serial TLVs out of a certificate

interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(b: Uint8Array, start: number, limit: number): Tlv {
  if (start + 2 > limit) throw new Error('truncated');
  const tag = b[start]!;
  let len = b[start + 1]!;
  let p = start + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) throw new Error('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  if (p + len > limit) throw new Error('truncated');
  return { tag, start, contentStart: p, end: p + len };
}

function children(b: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.contentStart; p < parent.end; ) {
    const t = readTlv(b, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

const der = (tag: number, ...parts: Uint8Array[]): Uint8Array => {
  const body = Buffer.concat(parts);
  return new Uint8Array(Buffer.concat([Buffer.from([tag, ...derLength(body.length)]), body]));
};

/** The issuer Name and serialNumber INTEGER of a certificate, as their original DER TLVs. */
export function issuerAndSerial(cert: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  try {
    const top = readTlv(cert, 0, cert.length);
    const tbs = children(cert, top)[0]!;
    const fields = children(cert, tbs);
    const i = fields[0]!.tag === 0xa0 ? 1 : 0; // [0] version is optional
    const serial = fields[i]!;
    const issuer = fields[i + 2]!;
    if (serial.tag !== 0x02 || issuer.tag !== 0x30) throw new Error('unexpected fields');
    return { issuer: cert.slice(issuer.start, issuer.end), serial: cert.slice(serial.start, serial.end) };
  } catch (e) {
    throw new SigningError('certificate_invalid', `certificate: cannot read issuer and serial number (${(e as Error).message})`);
  }
}

/** DER IssuerSerial { issuer GeneralNames { [4] directoryName }, serialNumber } for xades:IssuerSerialV2. */
export function issuerSerialV2(cert: Uint8Array): Uint8Array {
  const { issuer, serial } = issuerAndSerial(cert);
  return der(0x30, der(0x30, der(0xa4, issuer)), serial);
}
