/**
 * Reads a CMS SignedData (a PAdES /Contents value, a CAdES file or an RFC 3161 token) into its
 * parts, keeping the exact bytes that signatures cover. Parsing only: verifyCmsSignature
 * judges integrity, and chain trust and revocation belong to src/signing/validation.
 */
import { SigningError, type DigestAlgorithm, type SignatureAlgorithm } from '../signer.ts';
import { OID, digestFromOid, signatureFromOid } from './algorithms.ts';
import { certificateParts } from './certificate.ts';
import { children, content, decodeOid, parseDer, raw, readTlv, type Tlv } from './der.ts';

export interface CmsAttribute {
  type: string;
  /** DER of each value in the attribute's SET. */
  values: Uint8Array[];
}

/** One ESSCertIDv2 (RFC 5035). */
export interface EssCertIdV2 {
  hashAlgorithm: DigestAlgorithm | null;
  hashAlgorithmOid: string;
  certHash: Uint8Array;
  /** DER GeneralNames of the issuer and DER INTEGER of the serial, when present. */
  issuerSerial: { issuer: Uint8Array; serialNumber: Uint8Array } | null;
}

export interface CmsSignatureInfo {
  /** eContentType: id-data for PAdES/CAdES, id-ct-TSTInfo for a timestamp token. */
  contentType: string;
  /** Encapsulated content (timestamp tokens); null when detached. */
  encapsulatedContent: Uint8Array | null;
  /** Every certificate carried, DER, in the order found. */
  certificates: Uint8Array[];
  /** The certificate the SignerInfo identifies, or null when it is not included. */
  signerCertificate: Uint8Array | null;
  signerIdentifier: { issuer: Uint8Array; serialNumber: Uint8Array } | { subjectKeyIdentifier: Uint8Array };
  digestAlgorithmOid: string;
  digestAlgorithm: DigestAlgorithm | null;
  signatureAlgorithmOid: string;
  signatureAlgorithm: SignatureAlgorithm | null;
  /** As carried in the CMS: PKCS#1 bytes for RSA, DER Ecdsa-Sig-Value for ECDSA. */
  signatureValue: Uint8Array;
  /** DER of the signed attributes re-tagged as a SET: the bytes whose digest is signed. */
  signedAttributesDer: Uint8Array | null;
  signedAttributes: CmsAttribute[];
  /** Signed contentType attribute (OID), messageDigest, signingTime (CAdES) and signingCertificateV2. */
  contentTypeAttribute: string | null;
  messageDigest: Uint8Array | null;
  signingTime: Date | null;
  signingCertificateV2: EssCertIdV2[] | null;
  /** True when only the SHA-1 ESS signing-certificate (v1) attribute is present. */
  signingCertificateV1Only: boolean;
  /** SHA-1 certHash of each ESSCertID of the v1 attribute (RFC 2634), when present. */
  signingCertificateV1: Uint8Array[] | null;
  unsignedAttributes: CmsAttribute[];
  /** DER TimeStampToken of the signature-time-stamp attribute, if any. */
  timestampToken: Uint8Array | null;
}

const MAX_CMS_BYTES = 1024 * 1024;

function bad(what: string): never {
  throw new SigningError('document_invalid', `CMS signature: ${what}`);
}

function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) bad(`expected ${what}${t ? ` (found tag 0x${t.tag.toString(16)} at byte ${t.start})` : ' (missing)'}`);
  return t;
}

function attributes(t: Tlv, where: string): CmsAttribute[] {
  return children(t, where).map((a) => {
    const [type, values] = children(expect(a, 0x30, `an Attribute in ${where}`), where);
    return { type: decodeOid(expect(type, 0x06, `an attribute type in ${where}`)), values: children(expect(values, 0x31, `attribute values in ${where}`), where).map(raw) };
  });
}

/** Parses UTCTime / GeneralizedTime (Z form). */
export function parseDerTime(t: Tlv): Date {
  const s = Buffer.from(content(t)).toString('latin1');
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : t.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/.exec(s) : null;
  if (!m) bad(`unreadable time "${s}"`);
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
}

function essCertIds(value: Uint8Array): EssCertIdV2[] {
  const where = 'signingCertificateV2';
  const [certs] = children(parseDer(value, where), where);
  return children(expect(certs, 0x30, 'the certs of signingCertificateV2'), where).map((id) => {
    const f = children(id, where);
    let i = 0;
    let hashAlgorithmOid: string = OID.sha256; // DEFAULT id-sha256
    if (f[0]?.tag === 0x30) hashAlgorithmOid = decodeOid(children(f[i++]!, where)[0]!);
    const certHash = content(expect(f[i++], 0x04, 'certHash in ESSCertIDv2'));
    const is = f[i];
    let issuerSerial = null;
    if (is) {
      const [names, serial] = children(expect(is, 0x30, 'IssuerSerial'), where);
      issuerSerial = { issuer: raw(expect(names, 0x30, 'GeneralNames in IssuerSerial')), serialNumber: raw(expect(serial, 0x02, 'serial in IssuerSerial')) };
    }
    return { hashAlgorithm: digestFromOid(hashAlgorithmOid), hashAlgorithmOid, certHash, issuerSerial };
  });
}

/** ESSCertID (v1): SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial OPTIONAL }. */
function essCertIdsV1(value: Uint8Array): Uint8Array[] {
  const where = 'signingCertificate (v1)';
  const [certs] = children(parseDer(value, where), where);
  return children(expect(certs, 0x30, 'the certs of signingCertificate'), where).map((id) => content(expect(children(id, where)[0], 0x04, 'certHash in ESSCertID')));
}

const single = (attrs: CmsAttribute[], type: string): Uint8Array | null => {
  const found = attrs.filter((a) => a.type === type);
  if (found.length > 1 || (found[0] && found[0].values.length !== 1)) bad(`attribute ${type} must occur once with one value`);
  return found[0]?.values[0] ?? null;
};

/** Parses a DER CMS ContentInfo holding SignedData with exactly one SignerInfo. */
export function readCmsSignature(der: Uint8Array): CmsSignatureInfo {
  if (der.length > MAX_CMS_BYTES) bad(`${der.length} bytes exceeds the ${MAX_CMS_BYTES}-byte limit`);
  const where = 'CMS signature';
  const ci = children(expect(parseDer(der, where), 0x30, 'ContentInfo SEQUENCE'), where);
  if (decodeOid(expect(ci[0], 0x06, 'contentType')) !== OID.signedData) bad('ContentInfo does not hold SignedData');
  const sdWrap = children(expect(ci[1], 0xa0, '[0] content'), where);
  const sd = children(expect(sdWrap[0], 0x30, 'SignedData SEQUENCE'), where);
  let i = 1; // skip version
  expect(sd[i++], 0x31, 'digestAlgorithms SET');
  const encap = children(expect(sd[i++], 0x30, 'encapContentInfo'), where);
  const contentType = decodeOid(expect(encap[0], 0x06, 'eContentType'));
  let encapsulatedContent: Uint8Array | null = null;
  if (encap[1]) {
    const oct = children(expect(encap[1], 0xa0, '[0] eContent'), where)[0];
    if (oct?.tag === 0x04) encapsulatedContent = content(oct);
    else if (oct?.tag === 0x24) encapsulatedContent = new Uint8Array(Buffer.concat(children(oct, where).map((c) => content(c)))); // BER constructed OCTET STRING
    else bad('eContent is not an OCTET STRING');
  }
  const certificates: Uint8Array[] = [];
  if (sd[i]?.tag === 0xa0) for (const c of children(sd[i++]!, where)) if (c.tag === 0x30) certificates.push(raw(c));
  if (sd[i]?.tag === 0xa1) i++; // crls: not used by PAdES (revocation data goes to the DSS)
  const infos = children(expect(sd[i], 0x31, 'signerInfos SET'), where);
  if (infos.length !== 1) bad(`expected exactly one SignerInfo, found ${infos.length}`);
  const si = children(expect(infos[0], 0x30, 'SignerInfo'), where);
  let j = 1; // skip version
  const sidTlv = si[j++];
  let signerIdentifier: CmsSignatureInfo['signerIdentifier'];
  if (sidTlv?.tag === 0x30) {
    const [issuer, serial] = children(sidTlv, where);
    signerIdentifier = { issuer: raw(expect(issuer, 0x30, 'issuer Name')), serialNumber: raw(expect(serial, 0x02, 'serial number')) };
  } else if (sidTlv?.tag === 0x80) signerIdentifier = { subjectKeyIdentifier: content(sidTlv) };
  else bad('unreadable signer identifier');
  const digestAlgorithmOid = decodeOid(children(expect(si[j++], 0x30, 'digestAlgorithm'), where)[0]!);
  let signedAttributesDer: Uint8Array | null = null;
  let signedAttributes: CmsAttribute[] = [];
  if (si[j]?.tag === 0xa0) {
    const t = si[j++]!;
    // The signature covers the attributes with the SET tag (RFC 5652 §5.4), not the [0] tag.
    signedAttributesDer = new Uint8Array(raw(t));
    signedAttributesDer[0] = 0x31;
    signedAttributes = attributes(t, 'signed attributes');
    // RFC 5652 §11 / ETSI EN 319 122-1: a signed attribute type occurs once; a second copy could
    // say something else than the one a verifier happens to read.
    const seen = new Set<string>();
    for (const a of signedAttributes) {
      if (seen.has(a.type)) bad(`signed attribute ${a.type} occurs more than once`);
      seen.add(a.type);
    }
  }
  const signatureAlgorithmOid = decodeOid(children(expect(si[j++], 0x30, 'signatureAlgorithm'), where)[0]!);
  const signatureValue = content(expect(si[j++], 0x04, 'signature OCTET STRING'));
  const unsignedAttributes = si[j]?.tag === 0xa1 ? attributes(si[j]!, 'unsigned attributes') : [];

  const digestAlgorithm = digestFromOid(digestAlgorithmOid);
  const md = single(signedAttributes, OID.messageDigest);
  const ct = single(signedAttributes, OID.contentType);
  const st = single(signedAttributes, OID.signingTime);
  const sc2 = single(signedAttributes, OID.signingCertificateV2);
  const sc1 = single(signedAttributes, OID.signingCertificate);
  const ts = unsignedAttributes.filter((a) => a.type === OID.signatureTimeStampToken).flatMap((a) => a.values);
  return {
    contentType,
    encapsulatedContent,
    certificates,
    signerCertificate: findSigner(certificates, signerIdentifier),
    signerIdentifier,
    digestAlgorithmOid,
    digestAlgorithm,
    signatureAlgorithmOid,
    signatureAlgorithm: signatureFromOid(signatureAlgorithmOid, digestAlgorithm),
    signatureValue,
    signedAttributesDer,
    signedAttributes,
    contentTypeAttribute: ct ? decodeOid(parseDer(ct, 'contentType attribute')) : null,
    messageDigest: md ? content(expect(parseDer(md, 'messageDigest attribute'), 0x04, 'messageDigest OCTET STRING')) : null,
    signingTime: st ? parseDerTime(parseDer(st, 'signingTime attribute')) : null,
    signingCertificateV2: sc2 ? essCertIds(sc2) : null,
    signingCertificateV1Only: !sc2 && !!sc1,
    signingCertificateV1: sc1 ? essCertIdsV1(sc1) : null,
    unsignedAttributes,
    timestampToken: ts[0] ?? null,
  };
}

function findSigner(certificates: Uint8Array[], sid: CmsSignatureInfo['signerIdentifier']): Uint8Array | null {
  for (const der of certificates) {
    let parts;
    try {
      parts = certificateParts(der, 'an embedded certificate');
    } catch {
      continue; // a malformed extra certificate is not the signer's
    }
    if ('issuer' in sid) {
      if (Buffer.from(parts.issuer).equals(Buffer.from(sid.issuer)) && Buffer.from(parts.serial).equals(Buffer.from(sid.serialNumber))) return der;
    } else if (parts.subjectKeyIdentifier && Buffer.from(parts.subjectKeyIdentifier).equals(Buffer.from(sid.subjectKeyIdentifier))) return der;
  }
  return null;
}

/** The length of the DER value at the start of `bytes` (e.g. a /Contents value padded with zeros). */
export function derLength(bytes: Uint8Array): number {
  return readTlv(bytes, 0, 'CMS signature').end;
}
