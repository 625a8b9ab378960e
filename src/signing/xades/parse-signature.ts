/**
 * The ds:Signature element as a structured model, shared by the reader and the verifier.
 * Lenient by design: missing or malformed parts become null/empty plus a `problems` entry,
 * so the reader can still describe a broken signature and the verifier can say what broke.
 */
import type { Element } from '@xmldom/xmldom';
import { childElements } from '../xml/safe-parse.ts';
import { DS_NS, XADES_NS } from './constants.ts';

export interface ParsedReference {
  element: Element;
  id: string | null;
  uri: string | null;
  type: string | null;
  transforms: string[];
  /** True when a Transform carries content we do not support (e.g. InclusiveNamespaces, XPath). */
  transformParameters: boolean;
  digestMethod: string | null;
  digestValue: Uint8Array | null;
}

export interface ParsedSignature {
  element: Element;
  id: string;
  signedInfo: Element | null;
  c14nMethod: string | null;
  signatureMethod: string | null;
  references: ParsedReference[];
  signatureValueElement: Element | null;
  signatureValue: Uint8Array | null;
  certificates: Uint8Array[];
  qualifyingProperties: Element | null;
  target: string | null;
  signedProperties: Element | null;
  signedPropertiesId: string | null;
  signingTime: string | null;
  signingCertificatesV2: { digestMethod: string | null; digestValue: Uint8Array | null; issuerSerialV2: Uint8Array | null }[];
  /** XAdES 1.3.2 SigningCertificate (v1, SHA-1 era) present. */
  signingCertificateV1: boolean;
  claimedRoles: string[];
  commitmentTypes: string[];
  policy: { identifier: string; digestMethod: string | null; digestValue: Uint8Array | null } | null;
  timestamps: { element: Element; c14nMethod: string | null; token: Uint8Array | null }[];
  problems: string[];
}

const kids = (el: Element | null, ns: string, local: string): Element[] => (el ? childElements(el).filter((c) => c.localName === local && c.namespaceURI === ns) : []);
const kid = (el: Element | null, ns: string, local: string): Element | null => kids(el, ns, local)[0] ?? null;
const textOf = (el: Element | null): string | null => (el ? (el.textContent ?? '') : null);
const attrOf = (el: Element | null, name: string): string | null => (el && el.hasAttribute(name) ? el.getAttribute(name) : null);

/** Strict base64 (whitespace allowed, as XML-DSig permits line breaks); null when malformed. */
export function base64Bytes(s: string | null): Uint8Array | null {
  if (s === null) return null;
  const clean = s.replace(/[ \t\r\n]+/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) return null;
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

/** Parses one ds:Signature element. */
export function parseSignatureElement(sig: Element): ParsedSignature {
  const problems: string[] = [];
  const id = sig.getAttribute('Id') ?? '';
  const signedInfo = kid(sig, DS_NS, 'SignedInfo');
  if (!signedInfo) problems.push('ds:SignedInfo is missing');
  if (kids(sig, DS_NS, 'SignedInfo').length > 1) problems.push('more than one ds:SignedInfo');
  const references: ParsedReference[] = kids(signedInfo, DS_NS, 'Reference').map((r) => {
    const transformEls = kids(kid(r, DS_NS, 'Transforms'), DS_NS, 'Transform');
    return {
      element: r,
      id: attrOf(r, 'Id'),
      uri: attrOf(r, 'URI'),
      type: attrOf(r, 'Type'),
      transforms: transformEls.map((t) => t.getAttribute('Algorithm') ?? ''),
      transformParameters: transformEls.some((t) => childElements(t).length > 0),
      digestMethod: attrOf(kid(r, DS_NS, 'DigestMethod'), 'Algorithm'),
      digestValue: base64Bytes(textOf(kid(r, DS_NS, 'DigestValue'))),
    };
  });
  const signatureValueElement = kid(sig, DS_NS, 'SignatureValue');
  const signatureValue = base64Bytes(textOf(signatureValueElement));
  if (!signatureValueElement) problems.push('ds:SignatureValue is missing');
  else if (!signatureValue) problems.push('ds:SignatureValue is not base64');
  const certificates: Uint8Array[] = [];
  for (const x of kids(kid(kid(sig, DS_NS, 'KeyInfo'), DS_NS, 'X509Data'), DS_NS, 'X509Certificate')) {
    const der = base64Bytes(textOf(x));
    if (der) certificates.push(der);
    else problems.push('a ds:X509Certificate is not base64');
  }
  const qps = kids(sig, DS_NS, 'Object').flatMap((o) => kids(o, XADES_NS, 'QualifyingProperties'));
  if (qps.length !== 1) problems.push(qps.length ? 'more than one xades:QualifyingProperties' : 'xades:QualifyingProperties is missing');
  const qualifyingProperties = qps[0] ?? null;
  const signedProperties = kid(qualifyingProperties, XADES_NS, 'SignedProperties');
  if (qualifyingProperties && !signedProperties) problems.push('xades:SignedProperties is missing');
  const ssp = kid(signedProperties, XADES_NS, 'SignedSignatureProperties');
  const sdop = kid(signedProperties, XADES_NS, 'SignedDataObjectProperties');
  const signingCertificatesV2 = kids(kid(ssp, XADES_NS, 'SigningCertificateV2'), XADES_NS, 'Cert').map((c) => {
    const d = kid(c, XADES_NS, 'CertDigest');
    return {
      digestMethod: attrOf(kid(d, DS_NS, 'DigestMethod'), 'Algorithm'),
      digestValue: base64Bytes(textOf(kid(d, DS_NS, 'DigestValue'))),
      issuerSerialV2: base64Bytes(textOf(kid(c, XADES_NS, 'IssuerSerialV2'))),
    };
  });
  const roleEl = kid(ssp, XADES_NS, 'SignerRoleV2') ?? kid(ssp, XADES_NS, 'SignerRole');
  const claimedRoles = kids(kid(roleEl, XADES_NS, 'ClaimedRoles'), XADES_NS, 'ClaimedRole').map((r) => (r.textContent ?? '').trim());
  const commitmentTypes = kids(sdop, XADES_NS, 'CommitmentTypeIndication').map((c) => (textOf(kid(kid(c, XADES_NS, 'CommitmentTypeId'), XADES_NS, 'Identifier')) ?? '').trim());
  const polId = kid(kid(ssp, XADES_NS, 'SignaturePolicyIdentifier'), XADES_NS, 'SignaturePolicyId');
  const polHash = kid(polId, XADES_NS, 'SigPolicyHash');
  const policy = polId
    ? {
        identifier: (textOf(kid(kid(polId, XADES_NS, 'SigPolicyId'), XADES_NS, 'Identifier')) ?? '').trim(),
        digestMethod: attrOf(kid(polHash, DS_NS, 'DigestMethod'), 'Algorithm'),
        digestValue: base64Bytes(textOf(kid(polHash, DS_NS, 'DigestValue'))),
      }
    : null;
  const usp = kid(kid(qualifyingProperties, XADES_NS, 'UnsignedProperties'), XADES_NS, 'UnsignedSignatureProperties');
  const timestamps = kids(usp, XADES_NS, 'SignatureTimeStamp').map((t) => ({
    element: t,
    c14nMethod: attrOf(kid(t, DS_NS, 'CanonicalizationMethod'), 'Algorithm'),
    token: base64Bytes(textOf(kid(t, XADES_NS, 'EncapsulatedTimeStamp'))),
  }));
  return {
    element: sig,
    id,
    signedInfo,
    c14nMethod: attrOf(kid(signedInfo, DS_NS, 'CanonicalizationMethod'), 'Algorithm'),
    signatureMethod: attrOf(kid(signedInfo, DS_NS, 'SignatureMethod'), 'Algorithm'),
    references,
    signatureValueElement,
    signatureValue,
    certificates,
    qualifyingProperties,
    target: attrOf(qualifyingProperties, 'Target'),
    signedProperties,
    signedPropertiesId: attrOf(signedProperties, 'Id'),
    signingTime: textOf(kid(ssp, XADES_NS, 'SigningTime'))?.trim() ?? null,
    signingCertificatesV2,
    signingCertificateV1: kid(ssp, XADES_NS, 'SigningCertificate') !== null,
    claimedRoles,
    commitmentTypes,
    policy,
    timestamps,
    problems,
  };
}

const DATE_TIME_RE = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an xsd:dateTime that carries a time zone (XAdES SigningTime); null when it is not one. */
export function parseDateTime(s: string | null): Date | null {
  if (!s) return null;
  const m = DATE_TIME_RE.exec(s);
  if (!m) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}
