/**
 * CMS signed-attribute helpers shared by the TSA responder and token checks: ESS
 * signingCertificateV2 (RFC 5035) and DER ordering of the signed-attribute SET (OpenSSL
 * re-encodes the SET in DER order when verifying, so an unsorted SET breaks the signature).
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual, toArrayBuffer } from './der.ts';

export const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
export const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
export const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
export const OID_SIGNING_CERTIFICATE_V1 = '1.2.840.113549.1.9.16.2.12';
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

/** ESS signingCertificateV2 attribute for a certificate (SHA-256, with issuerSerial). */
export function signingCertificateV2Attribute(certificateDer: Uint8Array): pkijs.Attribute {
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(certificateDer));
  const hash = createHash('sha256').update(certificateDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      new asn1js.Integer({ valueHex: cert.serialNumber.valueBlock.valueHexView.slice().buffer }),
    ],
  });
  // hashAlgorithm is omitted: SHA-256 is the DEFAULT, and DER forbids encoding a default.
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: toArrayBuffer(hash) }), issuerSerial] });
  const value = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
  return new pkijs.Attribute({ type: OID_SIGNING_CERTIFICATE_V2, values: [value] });
}

/** The first certificate hash named by a signingCertificateV2 attribute value, with its hash OID. */
export function readSigningCertificateV2(value: asn1js.AsnType): { hashOid: string; certHash: Uint8Array } | null {
  const certs = (value as asn1js.Sequence).valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  const first = certs?.valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  if (!first) return null;
  const parts = first.valueBlock.value;
  let i = 0;
  let hashOid = OID_SHA256;
  if (parts[0] instanceof asn1js.Sequence) {
    hashOid = (parts[0].valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
    i = 1;
  }
  const hash = parts[i];
  if (!(hash instanceof asn1js.OctetString)) return null;
  return { hashOid, certHash: new Uint8Array(hash.valueBlock.valueHexView) };
}

/** Checks that an ESS certHash names this certificate (SHA-256/384/512 or SHA-1 for v1). */
export function essHashMatches(hashOid: string, certHash: Uint8Array, certificateDer: Uint8Array): boolean {
  const alg = { '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512', '1.3.14.3.2.26': 'sha1' }[hashOid];
  if (!alg) return false;
  return bytesEqual(new Uint8Array(createHash(alg).update(certificateDer).digest()), certHash);
}

function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Orders attributes as DER requires for a SET OF (by their encodings). */
export function derSortedAttributes(attrs: pkijs.Attribute[]): pkijs.Attribute[] {
  return attrs
    .map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER(false)) }))
    .sort((x, y) => compareDer(x.der, y.der))
    .map((x) => x.a);
}
