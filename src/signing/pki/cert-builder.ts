/**
 * X.509 certificate issuance for the test PKI with @peculiar/x509. Names are written as
 * UTF8String (Vietnamese diacritics survive every tool), emailAddress as IA5String,
 * C as PrintableString; the issuer name is copied byte for byte from the CA certificate
 * so that every path builder matches it.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { randomSerialHex } from './der.ts';
import { signingAlgorithm, type HashName, type KeyType } from './keys.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type CertProfile = 'root' | 'ca' | 'person' | 'seal' | 'tsa' | 'ocsp';
export type KeyUsageName = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment';

export const OID = {
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  email: '1.2.840.113549.1.9.1',
  uid: '0.9.2342.19200300.100.1.1',
  ekuTimeStamping: '1.3.6.1.5.5.7.3.8',
  ekuOcspSigning: '1.3.6.1.5.5.7.3.9',
  ekuEmailProtection: '1.3.6.1.5.5.7.3.4',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  crlNumber: '2.5.29.20',
} as const;

/** Subject attributes, in the order they are written (most significant first, as OpenSSL prints). */
export interface SubjectFields {
  country?: string;
  organization?: string;
  organizationalUnit?: string;
  commonName: string;
  serialNumber?: string;
  uid?: string;
  email?: string;
}

const SHORT: Record<string, string> = {
  [OID.country]: 'C', [OID.organization]: 'O', [OID.organizationalUnit]: 'OU', [OID.commonName]: 'CN',
  [OID.serialNumber]: 'serialNumber', [OID.uid]: 'UID', [OID.email]: 'E',
};

export function subjectName(f: SubjectFields): x509.JsonNameParams {
  const out: x509.JsonNameParams = [];
  if (f.country) out.push({ [OID.country]: [{ printableString: f.country }] });
  if (f.organization) out.push({ [OID.organization]: [{ utf8String: f.organization }] });
  if (f.organizationalUnit) out.push({ [OID.organizationalUnit]: [{ utf8String: f.organizationalUnit }] });
  out.push({ [OID.commonName]: [{ utf8String: f.commonName }] });
  if (f.serialNumber) out.push({ [OID.serialNumber]: [{ printableString: f.serialNumber }] });
  if (f.uid) out.push({ [OID.uid]: [{ utf8String: f.uid }] });
  if (f.email) out.push({ [OID.email]: [{ ia5String: f.email }] });
  return out;
}

const DISPLAY_ORDER = ['CN', 'serialNumber', 'UID', 'E', 'OU', 'O', 'C'];

/** Display form "CN=…, O=…, C=VN" (CN first, then the rest; diacritics kept, no RFC 4514 hex escapes). */
export function displayName(name: x509.Name): string {
  const parts = name.toJSON().flatMap((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((v) => ({ key: SHORT[type] ?? type, v }))));
  const rank = (k: string) => (DISPLAY_ORDER.includes(k) ? DISPLAY_ORDER.indexOf(k) : DISPLAY_ORDER.length);
  return parts
    .sort((a, b) => rank(a.key) - rank(b.key))
    .map((p) => `${p.key}=${p.v}`)
    .join(', ');
}

export interface IssuerKey {
  /** null for a self-signed root. */
  certificate: x509.X509Certificate | null;
  privateKey: CryptoKey;
  keyType: KeyType;
}

export interface IssueCertParams {
  subject: SubjectFields;
  publicKey: CryptoKey;
  issuer: IssuerKey;
  profile: CertProfile;
  notBefore: Date;
  notAfter: Date;
  keyUsages?: KeyUsageName[];
  email?: string;
  /** Adds AIA OCSP and CDP extensions pointing at these URLs. */
  ocspUrl?: string;
  crlUrl?: string;
  /** Signature hash; SHA-1 only exists for negative tests. */
  hash?: HashName;
  serialHex?: string;
}

const KU: Record<KeyUsageName, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
};

/** Issues one certificate; the issuer key must already be imported with the wanted hash. */
export async function issueCertificate(p: IssueCertParams): Promise<x509.X509Certificate> {
  const isCa = p.profile === 'root' || p.profile === 'ca';
  const exts: x509.Extension[] = [];
  if (isCa) {
    exts.push(new x509.BasicConstraintsExtension(true, p.profile === 'ca' ? 0 : undefined, true));
    exts.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true));
  } else {
    exts.push(new x509.BasicConstraintsExtension(false, undefined, true));
    const usages = p.profile === 'tsa' || p.profile === 'ocsp' ? (['digitalSignature'] as KeyUsageName[]) : (p.keyUsages ?? ['digitalSignature', 'nonRepudiation']);
    exts.push(new x509.KeyUsagesExtension(usages.reduce((acc, u) => acc | KU[u], 0), true));
  }
  if (p.profile === 'tsa') exts.push(new x509.ExtendedKeyUsageExtension([OID.ekuTimeStamping], true));
  if (p.profile === 'ocsp') {
    exts.push(new x509.ExtendedKeyUsageExtension([OID.ekuOcspSigning], false));
    // id-pkix-ocsp-nocheck: the responder's own certificate is not checked for revocation (RFC 6960 §4.2.2.2.1).
    exts.push(new x509.Extension(OID.ocspNoCheck, false, new Uint8Array([0x05, 0x00]).buffer));
  }
  if (p.profile === 'person' && p.email) {
    exts.push(new x509.ExtendedKeyUsageExtension([OID.ekuEmailProtection], false));
    exts.push(new x509.SubjectAlternativeNameExtension([{ type: 'email', value: p.email }], false));
  }
  exts.push(await x509.SubjectKeyIdentifierExtension.create(p.publicKey));
  if (p.issuer.certificate) exts.push(await x509.AuthorityKeyIdentifierExtension.create(p.issuer.certificate.publicKey));
  if (p.profile !== 'root' && p.profile !== 'ocsp') {
    if (p.ocspUrl) exts.push(new x509.AuthorityInfoAccessExtension({ ocsp: [p.ocspUrl] }));
    if (p.crlUrl) exts.push(new x509.CRLDistributionPointsExtension([p.crlUrl]));
  }
  const subject = new x509.Name(subjectName(p.subject));
  return x509.X509CertificateGenerator.create({
    serialNumber: p.serialHex ?? randomSerialHex(),
    subject,
    issuer: p.issuer.certificate ? p.issuer.certificate.subjectName : subject,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    publicKey: p.publicKey,
    signingKey: p.issuer.privateKey,
    signingAlgorithm: signingAlgorithm(p.issuer.keyType, p.hash ?? 'SHA-256'),
    extensions: exts,
  });
}

export { x509 };
