/**
 * The few certificate fields CMS needs, taken byte-exact from the DER (issuer Name, serial
 * INTEGER, subject key identifier), plus the node:crypto view for keys and display names.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { SigningError } from '../signer.ts';
import { children, content, decodeOid, parseDer, raw, type Tlv } from './der.ts';

export interface CertificateParts {
  der: Uint8Array;
  /** DER of the issuer Name (SEQUENCE). */
  issuer: Uint8Array;
  /** DER of the serialNumber INTEGER (whole TLV). */
  serial: Uint8Array;
  /** Content of the subjectKeyIdentifier extension, when present. */
  subjectKeyIdentifier: Uint8Array | null;
  x509: X509Certificate;
  publicKey: KeyObject;
  /** Display form of the subject, e.g. "CN=Nguyễn Văn A, O=...". */
  subject: string;
}

/** Splits a DER certificate; `where` names it in errors (e.g. "certificate 2 of the chain"). */
export function certificateParts(der: Uint8Array, where = 'certificate'): CertificateParts {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(Buffer.from(der));
  } catch (e) {
    throw new SigningError('certificate_invalid', `${where} is not a readable X.509 certificate: ${(e as Error).message}`);
  }
  const cert = parseDer(der, where);
  const tbs = children(cert, where)[0];
  if (!tbs) throw new SigningError('certificate_invalid', `${where}: missing tbsCertificate`);
  const f = children(tbs, where);
  const i = f[0]?.tag === 0xa0 ? 1 : 0; // optional [0] version
  const serial = f[i];
  const issuer = f[i + 2];
  if (!serial || serial.tag !== 0x02 || !issuer || issuer.tag !== 0x30) throw new SigningError('certificate_invalid', `${where}: malformed tbsCertificate`);
  return {
    der,
    issuer: raw(issuer),
    serial: raw(serial),
    subjectKeyIdentifier: findSki(f, where),
    x509,
    publicKey: x509.publicKey,
    subject: displayName(x509.subject),
  };
}

function findSki(fields: Tlv[], where: string): Uint8Array | null {
  const ext = fields.find((t) => t.tag === 0xa3);
  if (!ext) return null;
  const list = children(ext, where)[0];
  if (!list) return null;
  for (const e of children(list, where)) {
    const parts = children(e, where);
    if (parts[0] && decodeOid(parts[0]) === '2.5.29.14') {
      const value = parts[parts.length - 1]!; // extnValue OCTET STRING wrapping KeyIdentifier OCTET STRING
      const inner = parseDer(content(value), `${where} subjectKeyIdentifier`);
      return content(inner);
    }
  }
  return null;
}

/** Node prints one RDN per line (most significant first); join them as "CN=…, O=…". */
export function displayName(multiline: string): string {
  return multiline
    .split('\n')
    .filter(Boolean)
    .reverse()
    .join(', ');
}

/** Size in bytes of one ECDSA integer for the key's curve, or null for non-EC keys. */
export function ecCoordinateSize(key: KeyObject): number | null {
  if (key.asymmetricKeyType !== 'ec') return null;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === 'prime256v1' ? 32 : curve === 'secp384r1' ? 48 : curve === 'secp521r1' ? 66 : null;
}
