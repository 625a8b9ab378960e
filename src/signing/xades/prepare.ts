/**
 * Step 1 of prepare → sign → complete for XAdES: work out what the key must sign (the
 * canonical SignedInfo) and its digest, and keep everything needed to finish later in a
 * JSON state — the signature value may come minutes later from a phone or a USB token.
 */
import { createHash } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { excC14nBytes } from '../xml/exc-c14n.ts';
import { contains, documentOrderIndex, elementsByName, indexIds, resolveId, type IdIndex } from '../xml/ids.ts';
import { DEFAULT_MAX_XML_BYTES, parseXmlSafely, type SafeParseOptions } from '../xml/safe-parse.ts';
import { locateElement } from '../xml/source-splice.ts';
import { SigningError, digestOf, nodeDigestName, type SignatureAlgorithm } from '../signer.ts';
import { COMMITMENT_TYPES, DS_NS, ID_RE, XADES_NS, assertSignatureAlgorithm, type CommitmentTypeName } from './constants.ts';
import { assertKeyFitsAlgorithm, certificateFacts, issuerSerialV2 } from './certificates.ts';
import { partIds, signatureMarkup, signedPropertiesMarkup } from './markup.ts';

export interface XadesContainer {
  namespace: string;
  localName: string;
}

export interface PrepareXadesOptions extends SafeParseOptions {
  xml: string;
  /** Ids of the data elements to sign (outside the container). */
  references: string[];
  /** Ids of earlier ds:Signature elements (in the container) to cover too. */
  signatureReferences?: string[];
  /** The one element the ds:Signature goes into, outside the data. */
  container: XadesContainer;
  /** Id of the new ds:Signature; its parts get `<id>-signedprops`, `<id>-value`, `<id>-ref-N`, `<id>-ts`. */
  signatureId: string;
  /** DER certificates, signer first (then issuing CAs; the root may be left out). */
  chain: Uint8Array[];
  algorithm: SignatureAlgorithm;
  /** Claimed signing time; written in whole seconds with the offset below. */
  signingTime: Date;
  /** Offset of the written SigningTime from UTC, in minutes (default +420: Vietnam, +07:00). */
  timeZoneOffsetMinutes?: number;
  /** e.g. "Giáo viên bộ môn" (xades:SignerRoleV2/ClaimedRoles). */
  claimedRole?: string;
  /** A known commitment type name or an absolute URI (xades:CommitmentTypeIndication). */
  commitmentType?: CommitmentTypeName | (string & {});
  /** Makes it XAdES-EPES: the policy's identifier (URI, or urn:oid:…) and the SHA-256 of the policy document. */
  signaturePolicy?: { identifier: string; digest: Uint8Array; description?: string };
  /** Only the `Id` attribute is supported (what xmlsec1 is told with --id-attr:Id). */
  idAttribute?: 'Id';
}

/** What the server keeps between prepare and complete. Plain JSON: strings and arrays only. */
export interface XadesSigningState {
  kind: 'hocba.xades.prepared';
  version: 1;
  signatureId: string;
  algorithm: SignatureAlgorithm;
  /** The document the signature goes into, exactly as given to prepare. */
  xml: string;
  /** SHA-256 of `xml` (UTF-8), base64: complete refuses another document. */
  documentSha256: string;
  /** The ds:Signature markup with an empty SignatureValue. */
  signatureXml: string;
  /** Digest of the canonical SignedInfo, base64: what the signer signs. */
  signedInfoDigest: string;
  container: XadesContainer;
  /** Position of the container among the document's elements (document order), to find it in the text again. */
  containerElementIndex: number;
  references: string[];
  signatureReferences: string[];
  maxBytes: number;
}

export interface PreparedXadesSignature {
  /** The digest to sign (hash of the canonical SignedInfo with the algorithm's hash). */
  digest: Uint8Array;
  algorithm: SignatureAlgorithm;
  /** The canonical SignedInfo itself, for signers that hash the data themselves (WebCrypto, some remote APIs). */
  toBeSigned: Uint8Array;
  state: XadesSigningState;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

/** SHA-256 of a document's UTF-8 bytes, base64 (the document fingerprint kept in the state). */
export function documentFingerprint(xml: string): string {
  return createHash('sha256').update(xml, 'utf8').digest('base64');
}

/** xsd:dateTime in whole seconds at a fixed UTC offset, e.g. 2026-06-25T09:19:01+07:00. */
export function formatSigningTime(date: Date, offsetMinutes = 420): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new SigningError('document_invalid', 'signing time: not a valid date');
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 14 * 60) throw new SigningError('document_invalid', `signing time: offset ${offsetMinutes} minutes is not a whole number within ±14 hours`);
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + offsetMinutes * 60_000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const year = local.getUTCFullYear();
  if (year < 1 || year > 9999) throw new SigningError('document_invalid', `signing time: year ${year} is out of range`);
  const abs = Math.abs(offsetMinutes);
  const zone = offsetMinutes === 0 ? 'Z' : `${offsetMinutes < 0 ? '-' : '+'}${p2(Math.floor(abs / 60))}:${p2(abs % 60)}`;
  return `${String(year).padStart(4, '0')}-${p2(local.getUTCMonth() + 1)}-${p2(local.getUTCDate())}T${p2(local.getUTCHours())}:${p2(local.getUTCMinutes())}:${p2(local.getUTCSeconds())}${zone}`;
}

function commitmentUri(c: string | undefined): string | undefined {
  if (c === undefined) return undefined;
  if (Object.hasOwn(COMMITMENT_TYPES, c)) return COMMITMENT_TYPES[c as CommitmentTypeName];
  if (/^(?:https?|urn):\S+$/.test(c)) return c;
  throw new SigningError('document_invalid', `commitment type "${c}" is neither a known name (${Object.keys(COMMITMENT_TYPES).join(', ')}) nor an absolute URI`);
}

const isSignatureElement = (e: Element) => e.localName === 'Signature' && e.namespaceURI === DS_NS;

/** Finds the one container element and checks where the references sit relative to it. */
function resolveTargets(o: PrepareXadesOptions, ids: IdIndex, containers: Element[]): Element[] {
  const where = `signature ${o.signatureId}`;
  const containerName = `{${o.container.namespace}}${o.container.localName}`;
  if (containers.length !== 1) throw new SigningError('reference_invalid', `${where}: the document has ${containers.length} ${containerName} elements (exactly one container expected)`);
  const container = containers[0]!;
  const data = o.references.map((id) => {
    const el = resolveId(ids, id, `${where}, reference #${id}`);
    if (isSignatureElement(el)) throw new SigningError('reference_invalid', `${where}: #${id} is a ds:Signature; list it in signatureReferences`);
    if (contains(el, container) || contains(container, el)) throw new SigningError('reference_invalid', `${where}: #${id} (<${el.tagName}>) overlaps the signature container ${containerName}; signed data must sit outside it`);
    return el;
  });
  const sigs = (o.signatureReferences ?? []).map((id) => {
    const el = resolveId(ids, id, `${where}, signature reference #${id}`);
    if (!isSignatureElement(el) || el.parentNode !== container) throw new SigningError('reference_invalid', `${where}: #${id} is not a ds:Signature in the ${containerName} container`);
    return el;
  });
  return [...data, ...sigs];
}

/**
 * Prepares a XAdES-BES (or -EPES with `signaturePolicy`) signature over the given Ids.
 * Returns the digest for the Signer and a JSON state for `completeXadesSignature`.
 * Throws SigningError: unsupported_algorithm (SHA-1, unknown, key mismatch), reference_invalid
 * (missing/duplicate Ids, wrong container), document_invalid (DTD, size, not XML),
 * certificate_invalid (unreadable, or not valid at the signing time).
 */
export function prepareXadesSignature(o: PrepareXadesOptions): PreparedXadesSignature {
  assertSignatureAlgorithm(o.algorithm);
  if (o.idAttribute !== undefined && o.idAttribute !== 'Id') throw new SigningError('reference_invalid', `only the Id attribute is supported (got ${String(o.idAttribute)})`);
  const where = `signature ${o.signatureId}`;
  if (typeof o.signatureId !== 'string' || !ID_RE.test(o.signatureId)) throw new SigningError('reference_invalid', `signature Id "${String(o.signatureId)}" is not a valid Id (letters, digits, . _ -; not starting with a digit)`);
  const all = [...o.references, ...(o.signatureReferences ?? [])];
  if (all.length === 0) throw new SigningError('reference_invalid', `${where}: nothing to sign (no references)`);
  for (const id of all) if (typeof id !== 'string' || !ID_RE.test(id)) throw new SigningError('reference_invalid', `${where}: "${String(id)}" is not a valid Id`);
  const dup = all.find((id, i) => all.indexOf(id) !== i);
  if (dup) throw new SigningError('reference_invalid', `${where}: #${dup} is listed twice`);
  if (!Array.isArray(o.chain) || o.chain.length === 0) throw new SigningError('certificate_invalid', `${where}: no signing certificate`);
  const facts = o.chain.map((c, i) => certificateFacts(c, `${where}, certificate ${i + 1}`));
  const signer = facts[0]!;
  assertKeyFitsAlgorithm(signer.publicKey, o.algorithm, `${where}, certificate ${signer.subject}`);
  if (o.signingTime < signer.notBefore || o.signingTime > signer.notAfter) {
    throw new SigningError('certificate_invalid', `${where}: certificate ${signer.subject} is not valid at the signing time (valid ${signer.notBefore.toISOString()} – ${signer.notAfter.toISOString()})`);
  }
  const signingTime = formatSigningTime(o.signingTime, o.timeZoneOffsetMinutes ?? 420);
  const commitmentTypeUri = commitmentUri(o.commitmentType);
  if (o.signaturePolicy && o.signaturePolicy.digest.length !== 32) throw new SigningError('document_invalid', `${where}: the signature policy digest must be a SHA-256 (32 bytes)`);

  const maxBytes = o.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const doc = parseXmlSafely(o.xml, o);
  const ids = indexIds(doc);
  const parts = partIds(o.signatureId);
  for (const own of [o.signatureId, parts.signedProperties, parts.value, parts.timestamp, ...all.map((_, i) => parts.reference(i))]) {
    if (ids.has(own)) throw new SigningError('reference_invalid', `${where}: Id "${own}" is already used in the document`);
  }
  const containers = elementsByName(doc, o.container.namespace, o.container.localName);
  const targets = resolveTargets(o, ids, containers);
  // Fail now, not at complete, if the container cannot be found in the text.
  const containerElementIndex = documentOrderIndex(doc, containers[0]!);
  const span = locateElement(o.xml, containerElementIndex);
  if (span.qname.split(':').pop() !== o.container.localName) throw new SigningError('document_invalid', `${where}: could not locate the container in the document text`);

  const references = targets.map((el, i) => ({ id: all[i]!, digest: sha256(excC14nBytes(el)) }));
  const signedProperties = signedPropertiesMarkup({
    signatureId: o.signatureId,
    signingTime,
    signingCertificate: { digest: sha256(signer.der), issuerSerialV2: issuerSerialV2(signer.der) },
    referenceCount: references.length,
    claimedRole: o.claimedRole?.normalize('NFC'),
    commitmentTypeUri,
    policy: o.signaturePolicy,
  });
  const input = { signatureId: o.signatureId, algorithm: o.algorithm, references, chain: o.chain, signedProperties, signedPropertiesDigest: new Uint8Array(32) };
  // Exclusive c14n does not depend on where the fragment sits, so the fragment alone gives the document's bytes.
  const draft = parseXmlSafely(signatureMarkup(input));
  const propsEl = elementsByName(draft, XADES_NS, 'SignedProperties')[0]!;
  const signatureXml = signatureMarkup({ ...input, signedPropertiesDigest: sha256(excC14nBytes(propsEl)) });
  const final = parseXmlSafely(signatureXml);
  const toBeSigned = new Uint8Array(excC14nBytes(elementsByName(final, DS_NS, 'SignedInfo')[0]!));
  const digest = new Uint8Array(createHash(nodeDigestName(digestOf(o.algorithm))).update(toBeSigned).digest());
  return {
    digest,
    algorithm: o.algorithm,
    toBeSigned,
    state: {
      kind: 'hocba.xades.prepared',
      version: 1,
      signatureId: o.signatureId,
      algorithm: o.algorithm,
      xml: o.xml,
      documentSha256: documentFingerprint(o.xml),
      signatureXml,
      signedInfoDigest: b64(digest),
      container: { namespace: o.container.namespace, localName: o.container.localName },
      containerElementIndex,
      references: [...o.references],
      signatureReferences: [...(o.signatureReferences ?? [])],
      maxBytes,
    },
  };
}
