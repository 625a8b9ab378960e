/**
 * Reading the XAdES signatures of a document for the validator: who signed what, when, in
 * which role, with which certificates, and the timestamp token if any. Reading checks
 * nothing cryptographic — `verifyXadesSignature` does — and a broken signature is still
 * described (its `problems` say what is missing).
 */
import type { Document, Element } from '@xmldom/xmldom';
import { parseXmlSafely, type SafeParseOptions } from '../xml/safe-parse.ts';
import { elementsByName, indexIds, type IdIndex } from '../xml/ids.ts';
import { DS_NS, SIGNED_PROPERTIES_TYPE, SIGNATURE_METHOD_URI } from './constants.ts';
import { parseDateTime, parseSignatureElement, type ParsedSignature } from './parse-signature.ts';
import type { SignatureAlgorithm } from '../signer.ts';

export interface XadesReferenceInfo {
  /** The URI as written, e.g. "#subject-TOAN". */
  uri: string;
  /** The Id it points at ("" when the URI is not a plain "#Id"). */
  id: string;
  type: string | null;
  /** The Id names exactly one element and it is a ds:Signature (an earlier signature this one covers). */
  isSignature: boolean;
  /** The reference to this signature's own SignedProperties. */
  isSignedProperties: boolean;
}

export interface XadesSignatureInfo {
  id: string;
  /** The element the ds:Signature sits in (null for the root). */
  parent: { namespace: string; localName: string } | null;
  references: XadesReferenceInfo[];
  /** Ids of the data elements covered (not signatures, not SignedProperties), in reference order. */
  coveredIds: string[];
  /** Ids of earlier signatures covered. */
  coveredSignatureIds: string[];
  signatureMethod: string | null;
  /** null when the method is unsupported (e.g. SHA-1). */
  algorithm: SignatureAlgorithm | null;
  /** xades:SigningTime as written (e.g. 2026-06-25T09:19:01+07:00). */
  signingTime: string | null;
  signingTimeDate: Date | null;
  claimedRoles: string[];
  /** The first claimed role, or null. */
  claimedRole: string | null;
  commitmentTypes: string[];
  policy: { identifier: string; digestMethod: string | null; digestValue: Uint8Array | null } | null;
  /** DER certificates from KeyInfo, in order (signer first in signatures we write). */
  certificates: Uint8Array[];
  /** SigningCertificateV2's first Cert digest. */
  signingCertificateDigest: { algorithm: string | null; value: Uint8Array | null } | null;
  signatureValue: Uint8Array | null;
  /** DER TimeStampToken of the first SignatureTimeStamp (XAdES-T), or null. */
  timestampToken: Uint8Array | null;
  timestampTokens: Uint8Array[];
  /** Structural problems found while reading (empty for a well-formed signature). */
  problems: string[];
}

/** Every ds:Signature element of a parsed document, in document order. */
export function signatureElements(doc: Document): Element[] {
  return elementsByName(doc, DS_NS, 'Signature');
}

/** Describes a parsed signature (shared with the verifier). */
export function describeSignature(p: ParsedSignature, ids: IdIndex): XadesSignatureInfo {
  const references = p.references.map((r): XadesReferenceInfo => {
    const uri = r.uri ?? '';
    const id = /^#[^#]+$/.test(uri) ? uri.slice(1) : '';
    const targets = id ? (ids.get(id) ?? []) : [];
    const only = targets.length === 1 ? targets[0]! : null;
    return {
      uri,
      id,
      type: r.type,
      isSignature: only !== null && only.localName === 'Signature' && only.namespaceURI === DS_NS,
      isSignedProperties: r.type === SIGNED_PROPERTIES_TYPE && id !== '' && id === p.signedPropertiesId,
    };
  });
  const parent = p.element.parentNode && p.element.parentNode.nodeType === 1 ? (p.element.parentNode as Element) : null;
  const algorithm = (Object.entries(SIGNATURE_METHOD_URI).find(([, u]) => u === p.signatureMethod)?.[0] ?? null) as SignatureAlgorithm | null;
  const first = p.signingCertificatesV2[0];
  return {
    id: p.id,
    parent: parent ? { namespace: parent.namespaceURI ?? '', localName: parent.localName ?? parent.tagName } : null,
    references,
    coveredIds: references.filter((r) => !r.isSignature && !r.isSignedProperties && r.id).map((r) => r.id),
    coveredSignatureIds: references.filter((r) => r.isSignature).map((r) => r.id),
    signatureMethod: p.signatureMethod,
    algorithm,
    signingTime: p.signingTime,
    signingTimeDate: parseDateTime(p.signingTime),
    claimedRoles: p.claimedRoles,
    claimedRole: p.claimedRoles[0] ?? null,
    commitmentTypes: p.commitmentTypes,
    policy: p.policy,
    certificates: p.certificates,
    signingCertificateDigest: first ? { algorithm: first.digestMethod, value: first.digestValue } : null,
    signatureValue: p.signatureValue,
    timestampToken: p.timestamps[0]?.token ?? null,
    timestampTokens: p.timestamps.flatMap((t) => (t.token ? [t.token] : [])),
    problems: p.problems,
  };
}

/**
 * Reads every ds:Signature of an XML document (parsed safely: no DTD, size-limited).
 * Throws SigningError('document_invalid') only when the document itself is unacceptable.
 */
export function readXadesSignatures(xml: string, opts: SafeParseOptions = {}): XadesSignatureInfo[] {
  const doc = parseXmlSafely(xml, opts);
  const ids = indexIds(doc);
  return signatureElements(doc).map((el) => describeSignature(parseSignatureElement(el), ids));
}
