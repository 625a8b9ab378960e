/**
 * The ds:Signature markup we write, as text. Compact (no whitespace between elements) and
 * already in canonical form, so what later signatures digest when they cover this one is
 * exactly these bytes plus the namespace declarations c14n adds.
 *
 * Layout (XAdES-BES/EPES, with XAdES-T added by `unsignedPropertiesMarkup`):
 *   ds:Signature Id=S
 *     ds:SignedInfo: exc-c14n, SignatureMethod, one Reference per covered Id (#Id, exc-c14n,
 *       sha256), then the SignedProperties reference (Type …#SignedProperties)
 *     ds:SignatureValue Id=S-value
 *     ds:KeyInfo/ds:X509Data/ds:X509Certificate × chain (signer first)
 *     ds:Object/xades:QualifyingProperties Target=#S
 *       xades:SignedProperties Id=S-signedprops
 *         SignedSignatureProperties: SigningTime, SigningCertificateV2, [SignaturePolicyIdentifier], [SignerRoleV2]
 *         SignedDataObjectProperties: DataObjectFormat per reference, [CommitmentTypeIndication]
 */
import { escapeXmlAttribute as attr, escapeXmlText as text } from '../xml/escape.ts';
import { type SignatureAlgorithm } from '../signer.ts';
import { DIGEST_METHOD_URI, DS_NS, EXC_C14N, SIGNATURE_METHOD_URI, SIGNED_PROPERTIES_TYPE, XADES_NS } from './constants.ts';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const SHA256_URI = DIGEST_METHOD_URI['SHA-256'];

/** The Ids a signature gives its own parts. */
export const partIds = (signatureId: string) => ({
  signedProperties: `${signatureId}-signedprops`,
  value: `${signatureId}-value`,
  timestamp: `${signatureId}-ts`,
  reference: (i: number) => `${signatureId}-ref-${i}`,
});

/** The empty SignatureValue element a prepared signature carries until the value arrives. */
export const emptySignatureValue = (signatureId: string) => `<ds:SignatureValue Id="${attr(partIds(signatureId).value)}"></ds:SignatureValue>`;

export interface SignedPropertiesInput {
  signatureId: string;
  /** xsd:dateTime as it will be written. */
  signingTime: string;
  signingCertificate: { digest: Uint8Array; issuerSerialV2: Uint8Array };
  referenceCount: number;
  claimedRole?: string;
  commitmentTypeUri?: string;
  policy?: { identifier: string; digest: Uint8Array; description?: string };
}

/** xades:SignedProperties (namespace declarations come from QualifyingProperties and ds:Signature). */
export function signedPropertiesMarkup(p: SignedPropertiesInput): string {
  const ids = partIds(p.signatureId);
  const digest = (d: Uint8Array) => `<ds:DigestMethod Algorithm="${SHA256_URI}"></ds:DigestMethod><ds:DigestValue>${b64(d)}</ds:DigestValue>`;
  const policy = p.policy
    ? `<xades:SignaturePolicyIdentifier><xades:SignaturePolicyId><xades:SigPolicyId><xades:Identifier${p.policy.identifier.startsWith('urn:oid:') ? ' Qualifier="OIDAsURN"' : ''}>${text(p.policy.identifier)}</xades:Identifier>` +
      `${p.policy.description ? `<xades:Description>${text(p.policy.description)}</xades:Description>` : ''}</xades:SigPolicyId><xades:SigPolicyHash>${digest(p.policy.digest)}</xades:SigPolicyHash></xades:SignaturePolicyId></xades:SignaturePolicyIdentifier>`
    : '';
  const role = p.claimedRole ? `<xades:SignerRoleV2><xades:ClaimedRoles><xades:ClaimedRole>${text(p.claimedRole)}</xades:ClaimedRole></xades:ClaimedRoles></xades:SignerRoleV2>` : '';
  const formats = Array.from({ length: p.referenceCount }, (_, i) => `<xades:DataObjectFormat ObjectReference="#${attr(ids.reference(i))}"><xades:MimeType>text/xml</xades:MimeType></xades:DataObjectFormat>`).join('');
  const commitment = p.commitmentTypeUri
    ? `<xades:CommitmentTypeIndication><xades:CommitmentTypeId><xades:Identifier>${text(p.commitmentTypeUri)}</xades:Identifier></xades:CommitmentTypeId><xades:AllSignedDataObjects></xades:AllSignedDataObjects></xades:CommitmentTypeIndication>`
    : '';
  return (
    `<xades:SignedProperties Id="${attr(ids.signedProperties)}"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${text(p.signingTime)}</xades:SigningTime>` +
    `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest>${digest(p.signingCertificate.digest)}</xades:CertDigest><xades:IssuerSerialV2>${b64(p.signingCertificate.issuerSerialV2)}</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2>` +
    `${policy}${role}</xades:SignedSignatureProperties>` +
    `<xades:SignedDataObjectProperties>${formats}${commitment}</xades:SignedDataObjectProperties></xades:SignedProperties>`
  );
}

const referenceMarkup = (attrs: string, digest: Uint8Array) =>
  `<ds:Reference ${attrs}><ds:Transforms><ds:Transform Algorithm="${EXC_C14N}"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="${SHA256_URI}"></ds:DigestMethod><ds:DigestValue>${b64(digest)}</ds:DigestValue></ds:Reference>`;

export interface SignatureInput {
  signatureId: string;
  algorithm: SignatureAlgorithm;
  /** Covered elements in order: Id and SHA-256 of their exclusive c14n. */
  references: { id: string; digest: Uint8Array }[];
  /** SHA-256 of the c14n'd SignedProperties (zeros while it is being computed). */
  signedPropertiesDigest: Uint8Array;
  chain: Uint8Array[];
  signedProperties: string;
}

/** ds:SignedInfo markup. */
export function signedInfoMarkup(s: SignatureInput): string {
  const ids = partIds(s.signatureId);
  const refs = s.references.map((r, i) => referenceMarkup(`Id="${attr(ids.reference(i))}" URI="#${attr(r.id)}"`, r.digest)).join('');
  const props = referenceMarkup(`Type="${SIGNED_PROPERTIES_TYPE}" URI="#${attr(ids.signedProperties)}"`, s.signedPropertiesDigest);
  return `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC_C14N}"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="${SIGNATURE_METHOD_URI[s.algorithm]}"></ds:SignatureMethod>${refs}${props}</ds:SignedInfo>`;
}

/** The whole ds:Signature, with an empty SignatureValue. */
export function signatureMarkup(s: SignatureInput): string {
  const certs = s.chain.map((c) => `<ds:X509Certificate>${b64(c)}</ds:X509Certificate>`).join('');
  return (
    `<ds:Signature xmlns:ds="${DS_NS}" Id="${attr(s.signatureId)}">${signedInfoMarkup(s)}${emptySignatureValue(s.signatureId)}` +
    `<ds:KeyInfo><ds:X509Data>${certs}</ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><xades:QualifyingProperties xmlns:xades="${XADES_NS}" Target="#${attr(s.signatureId)}">${s.signedProperties}</xades:QualifyingProperties></ds:Object></ds:Signature>`
  );
}

/** xades:UnsignedProperties holding one SignatureTimeStamp (XAdES-T) over the exc-c14n'd SignatureValue. */
export function unsignedPropertiesMarkup(signatureId: string, token: Uint8Array): string {
  return (
    `<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:SignatureTimeStamp Id="${attr(partIds(signatureId).timestamp)}">` +
    `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}"></ds:CanonicalizationMethod><xades:EncapsulatedTimeStamp>${b64(token)}</xades:EncapsulatedTimeStamp>` +
    `</xades:SignatureTimeStamp></xades:UnsignedSignatureProperties></xades:UnsignedProperties>`
  );
}
