/**
 * Step 3 of prepare → sign → complete for XAdES: put the signature value (and, for XAdES-T,
 * a timestamp over it) into the prepared ds:Signature, splice it into the container without
 * touching any other byte, and verify the result before handing it back — a wrong value
 * from a token, or a document that moved on since prepare, never gets stored.
 */
import { createHash } from 'node:crypto';
import { escapeXmlAttribute } from '../xml/escape.ts';
import { excC14nBytes } from '../xml/exc-c14n.ts';
import { elementsByName, indexIds } from '../xml/ids.ts';
import { parseXmlSafely } from '../xml/safe-parse.ts';
import { appendChildMarkup, locateElement } from '../xml/source-splice.ts';
import { SigningError, type TimestampProvider } from '../signer.ts';
import { ID_RE, assertSignatureAlgorithm } from './constants.ts';
import { emptySignatureValue, partIds, unsignedPropertiesMarkup } from './markup.ts';
import { documentFingerprint, type XadesSigningState } from './prepare.ts';
import { readTimestampToken } from './timestamp-token.ts';
import { verifyInDocument, type XadesVerification } from './verify.ts';

export interface CompleteXadesOptions {
  /** The document as it is now; refused (XadesDocumentChangedError) if it is not the one prepared. */
  xml?: string;
  /** Makes the signature XAdES-T: a SignatureTimeStamp over the canonical SignatureValue. */
  timestamp?: TimestampProvider;
  /**
   * Insert the signature into this newer version of the document instead of the prepared
   * one — for signatures prepared in parallel (two subject teachers signing their own rows of
   * one record at once). Allowed only when everything the signature references is unchanged:
   * the verification that follows re-digests every reference in the newer document and
   * refuses otherwise; and the text outside the signature container must be byte-identical
   * to the prepared document (only signatures may have been added meanwhile).
   */
  rebaseOnto?: string;
}

/** The document changed between prepare and complete (e.g. another signature was added meanwhile): prepare again. */
export class XadesDocumentChangedError extends SigningError {
  constructor(signatureId: string) {
    super('document_invalid', `signature ${signatureId}: the document changed between prepare and complete; prepare the signature again on the current document`);
    this.name = 'XadesDocumentChangedError';
  }
}

function checkState(state: XadesSigningState): void {
  const s = state as unknown as Record<string, unknown>;
  const strings = ['signatureId', 'algorithm', 'xml', 'documentSha256', 'signatureXml', 'signedInfoDigest'];
  if (!s || s.kind !== 'hocba.xades.prepared' || s.version !== 1 || strings.some((k) => typeof s[k] !== 'string') || typeof s.maxBytes !== 'number' || !Number.isInteger(s.containerElementIndex)) {
    throw new SigningError('document_invalid', 'XAdES completion: the prepared state is not a version 1 XAdES state');
  }
  const c = s.container as Record<string, unknown> | undefined;
  if (!c || typeof c.namespace !== 'string' || typeof c.localName !== 'string' || !Array.isArray(s.references) || !Array.isArray(s.signatureReferences)) {
    throw new SigningError('document_invalid', `XAdES completion, signature ${String(s.signatureId)}: the prepared state is incomplete`);
  }
  if (!ID_RE.test(state.signatureId)) throw new SigningError('reference_invalid', `XAdES completion: signature Id "${state.signatureId}" is not valid`);
  assertSignatureAlgorithm(state.algorithm);
}

/**
 * Splices a finished ds:Signature into the prepared document's container, found in the text
 * by the position prepare recorded (the fingerprint vouches that the text is the same; the
 * verification that follows checks the signature really landed in the container).
 */
function insertSignature(state: XadesSigningState, signatureXml: string, base: string = state.xml): string {
  const span = locateElement(base, state.containerElementIndex);
  if (span.qname.split(':').pop() !== state.container.localName) throw new SigningError('document_invalid', `signature ${state.signatureId}: the signature container is not where prepare found it`);
  return appendChildMarkup(base, span, signatureXml);
}

/**
 * A rebase target may differ from the prepared document only inside the signature container
 * (other signatures added meanwhile): every byte before and after the container must be the
 * same, so nothing outside what this signature covers can be slipped in either.
 */
function assertOnlyContainerChanged(state: XadesSigningState, target: string): void {
  const id = state.signatureId;
  if (target.length > state.maxBytes) throw new SigningError('document_invalid', `signature ${id}: the document to complete onto is larger than ${state.maxBytes} bytes`);
  const before = locateElement(state.xml, state.containerElementIndex);
  let after: ReturnType<typeof locateElement>;
  try {
    after = locateElement(target, state.containerElementIndex);
  } catch {
    throw new XadesDocumentChangedError(id);
  }
  const same = before.qname === after.qname && state.xml.slice(0, before.start) === target.slice(0, after.start) && state.xml.slice(before.end) === target.slice(after.end);
  if (!same) throw new SigningError('document_invalid', `signature ${id}: the document to complete onto differs from the prepared one outside the signature container; prepare the signature again`);
}

async function verifyNew(state: XadesSigningState, xml: string): Promise<{ verification: XadesVerification; doc: ReturnType<typeof parseXmlSafely> }> {
  const doc = parseXmlSafely(xml, { maxBytes: state.maxBytes });
  const verification = await verifyInDocument(doc, indexIds(doc), state.signatureId, {
    container: state.container,
    expectedReferences: [...state.references, ...state.signatureReferences],
  });
  const failed = verification.checks.find((c) => c.status === 'failed');
  if (failed) {
    const hint = failed.name === 'signatureValue' ? ' — the signer may have used another key than its certificate, or signed another digest' : '';
    throw new SigningError(failed.code ?? 'document_invalid', `XAdES completion refused: ${failed.reason}${hint}`);
  }
  return { verification, doc };
}

/**
 * Completes a prepared signature with the signer's value (PKCS#1 v1.5 bytes for RSA, r||s
 * for ECDSA) and returns the signed document. With `timestamp` the result is XAdES-T.
 * The new signature is verified (references, value, signing certificate, container, scope)
 * before anything is returned.
 */
export async function completeXadesSignature(state: XadesSigningState, signatureValue: Uint8Array, opts: CompleteXadesOptions = {}): Promise<string> {
  checkState(state);
  const id = state.signatureId;
  if (documentFingerprint(state.xml) !== state.documentSha256) throw new SigningError('document_invalid', `signature ${id}: the prepared state is corrupt (its document does not match its fingerprint)`);
  if (opts.xml !== undefined && documentFingerprint(opts.xml) !== state.documentSha256) throw new XadesDocumentChangedError(id);
  const base = opts.rebaseOnto ?? state.xml;
  if (opts.rebaseOnto !== undefined) assertOnlyContainerChanged(state, opts.rebaseOnto);
  if (!(signatureValue instanceof Uint8Array) || signatureValue.length < 32 || signatureValue.length > 1024) {
    throw new SigningError('document_invalid', `signature ${id}: the signature value has ${signatureValue instanceof Uint8Array ? `${signatureValue.length} bytes` : 'no bytes'}, which no supported key produces`);
  }
  const empty = emptySignatureValue(id);
  if (state.signatureXml.split(empty).length !== 2) throw new SigningError('document_invalid', `signature ${id}: the prepared state has no empty SignatureValue to fill`);
  const valueId = escapeXmlAttribute(partIds(id).value);
  let signatureXml = state.signatureXml.replace(empty, `<ds:SignatureValue Id="${valueId}">${Buffer.from(signatureValue).toString('base64')}</ds:SignatureValue>`);
  let xml = insertSignature(state, signatureXml, base);
  const { doc } = await verifyNew(state, xml);
  if (!opts.timestamp) return xml;

  const valueEl = elementsByName(doc, 'http://www.w3.org/2000/09/xmldsig#', 'SignatureValue').find((e) => e.getAttribute('Id') === partIds(id).value);
  if (!valueEl) throw new SigningError('document_invalid', `signature ${id}: SignatureValue not found after insertion`);
  const imprint = new Uint8Array(createHash('sha256').update(excC14nBytes(valueEl)).digest());
  let token: Uint8Array;
  try {
    token = await opts.timestamp({ digest: imprint, algorithm: 'SHA-256' });
  } catch (e) {
    if (e instanceof SigningError) throw e;
    throw new SigningError('timestamp_failed', `signature ${id}: the timestamp authority did not answer (${(e as Error).message})`, { cause: e });
  }
  readTimestampToken(token, `signature ${id}, timestamp token`);
  signatureXml = signatureXml.replace('</xades:SignedProperties>', `</xades:SignedProperties>${unsignedPropertiesMarkup(id, token)}`);
  xml = insertSignature(state, signatureXml, base);
  await verifyNew(state, xml);
  return xml;
}
