/**
 * Integrity of one XAdES signature: references (each `#Id` names exactly one element, the
 * digest of its exclusive c14n matches), the SignedInfo signature with the embedded signing
 * certificate's key, SigningCertificateV2 against that certificate, the SignedProperties
 * reference, the container, the expected scope, and the XAdES-T timestamp's imprint.
 * Certificate chains and revocation are the validator's (src/signing/validation).
 */
import type { Document } from '@xmldom/xmldom';
import { indexIds, type IdIndex } from '../xml/ids.ts';
import { parseXmlSafely, type SafeParseOptions } from '../xml/safe-parse.ts';
import { SigningError, type SigningErrorCode } from '../signer.ts';
import { DS_NS, EXC_C14N, digestAlgorithmOf, signatureAlgorithmOf } from './constants.ts';
import { certificateFacts, type CertificateFacts } from './certificates.ts';
import { checkReferences, containerCheck, signatureValueCheck, signedPropertiesCheck, signingCertificateCheck, timestampCheck } from './checks.ts';
import { parseSignatureElement } from './parse-signature.ts';
import { signatureElements } from './read.ts';

export type XadesCheckName = 'structure' | 'container' | 'algorithms' | 'references' | 'signedProperties' | 'signingCertificate' | 'signatureValue' | 'scope' | 'timestamp';

export interface XadesCheck {
  name: XadesCheckName;
  status: 'passed' | 'failed' | 'indeterminate';
  /** What was checked and what was found, naming the Id / certificate concerned. */
  reason: string;
  code?: SigningErrorCode;
}

export interface XadesReferenceResult {
  uri: string;
  id: string;
  isSignature: boolean;
  isSignedProperties: boolean;
  digestValid: boolean;
  reason?: string;
}

export interface XadesVerification {
  signatureId: string;
  /** Every check passed. */
  valid: boolean;
  checks: XadesCheck[];
  references: XadesReferenceResult[];
  /** The certificate the signature value was checked with (first in KeyInfo). */
  signingCertificate: Uint8Array | null;
  /** Time in the XAdES-T timestamp, when present and readable. */
  timestampTime: Date | null;
}

export interface VerifyXadesOptions extends SafeParseOptions {
  /** Ids the caller requires this signature to cover (data and/or earlier signatures). */
  expectedReferences?: string[];
  /** Where signatures must sit: the parent of the ds:Signature, unique in the document. */
  container?: { namespace: string; localName: string };
}

/** Verifies the ds:Signature with Id `signatureId` in `xml`. Throws only for an unacceptable document (document_invalid). */
export async function verifyXadesSignature(xml: string, signatureId: string, opts: VerifyXadesOptions = {}): Promise<XadesVerification> {
  const doc = parseXmlSafely(xml, opts);
  return verifyInDocument(doc, indexIds(doc), signatureId, opts);
}

/** Verifies every ds:Signature of the document (one parse), in document order. */
export async function verifyAllXadesSignatures(xml: string, opts: Omit<VerifyXadesOptions, 'expectedReferences'> = {}): Promise<XadesVerification[]> {
  const doc = parseXmlSafely(xml, opts);
  const ids = indexIds(doc);
  const out: XadesVerification[] = [];
  for (const el of signatureElements(doc)) out.push(await verifyInDocument(doc, ids, el.getAttribute('Id') ?? '', opts));
  return out;
}

/** The verification on an already parsed document (used by complete, which has just built it). */
export async function verifyInDocument(doc: Document, ids: IdIndex, signatureId: string, opts: VerifyXadesOptions): Promise<XadesVerification> {
  const checks: XadesCheck[] = [];
  const result = (extra: Partial<XadesVerification> = {}): XadesVerification => ({
    signatureId,
    valid: checks.length > 0 && checks.every((c) => c.status === 'passed'),
    checks,
    references: [],
    signingCertificate: null,
    timestampTime: null,
    ...extra,
  });
  const fail = (name: XadesCheckName, reason: string, code: SigningErrorCode) => checks.push({ name, status: 'failed', reason, code });
  const pass = (name: XadesCheckName, reason: string) => checks.push({ name, status: 'passed', reason });
  const where = `signature ${signatureId}`;

  // --- structure: the Id names exactly one element, a ds:Signature
  const found = ids.get(signatureId) ?? [];
  const sigEl = found[0];
  if (found.length !== 1 || !sigEl || sigEl.localName !== 'Signature' || sigEl.namespaceURI !== DS_NS) {
    fail('structure', found.length === 0 ? `${where}: no element has this Id` : found.length > 1 ? `${where}: ${found.length} elements carry this Id (signature wrapping)` : `${where}: the Id names <${sigEl!.tagName}>, not a ds:Signature`, 'reference_invalid');
    return result();
  }
  const p = parseSignatureElement(sigEl);
  // A document with an ambiguous Id is refused as a whole, as xmlsec1 does: whichever element
  // a tool picks, someone may be shown data that is not what was signed.
  const duplicates = [...ids].filter(([, els]) => els.length > 1).map(([id, els]) => `"${id}" (${els.length} elements)`);
  if (duplicates.length) fail('structure', `${where}: the document carries duplicate Ids ${duplicates.join(', ')} (signature wrapping)`, 'reference_invalid');
  if (p.problems.length) fail('structure', `${where}: ${p.problems.join('; ')}`, 'document_invalid');
  if (!duplicates.length && !p.problems.length) pass('structure', `${where}: SignedInfo, SignatureValue, KeyInfo and QualifyingProperties present; every Id in the document is unique`);

  // --- container
  if (opts.container) checks.push(containerCheck(doc, sigEl, opts.container, where));

  // --- algorithms
  let signatureAlg: ReturnType<typeof signatureAlgorithmOf> | null = null;
  try {
    if (p.c14nMethod !== EXC_C14N) throw new SigningError('unsupported_algorithm', `${where}: canonicalization ${p.c14nMethod ?? '(missing)'} is not supported (expected ${EXC_C14N})`);
    signatureAlg = signatureAlgorithmOf(p.signatureMethod ?? '', where);
    for (const [i, r] of p.references.entries()) {
      digestAlgorithmOf(r.digestMethod ?? '', `${where}, reference ${i + 1} (${r.uri ?? 'no URI'})`);
      if (r.transforms.length !== 1 || r.transforms[0] !== EXC_C14N || r.transformParameters) {
        throw new SigningError('unsupported_algorithm', `${where}, reference ${i + 1} (${r.uri ?? 'no URI'}): transforms must be exactly one exclusive c14n (found ${r.transforms.join(', ') || 'none'}); enveloped and other transforms are refused`);
      }
    }
    for (const c of p.signingCertificatesV2) digestAlgorithmOf(c.digestMethod ?? '', `${where}, SigningCertificateV2`);
    pass('algorithms', `${where}: exclusive c14n, ${p.signatureMethod}, SHA-2 digests`);
  } catch (e) {
    if (!(e instanceof SigningError)) throw e;
    fail('algorithms', e.message, e.code);
  }

  // --- references
  const references = checkReferences(p, ids, sigEl, where, checks);

  // --- signed properties
  checks.push(signedPropertiesCheck(p, ids, where));

  // --- signing certificate and signature value
  const certDer = p.certificates[0] ?? null;
  let cert: CertificateFacts | Error | null = null;
  if (certDer) {
    try {
      cert = certificateFacts(certDer, `${where}, signing certificate`);
    } catch (e) {
      cert = e as Error;
    }
  }
  checks.push(signingCertificateCheck(p, cert, where));
  checks.push(signatureValueCheck(p, cert, signatureAlg, where));

  // --- scope
  if (opts.expectedReferences) {
    const covered = new Set(references.filter((r) => !r.isSignedProperties).map((r) => r.id));
    const missing = opts.expectedReferences.filter((id) => !covered.has(id));
    if (missing.length) fail('scope', `${where}: does not cover ${missing.map((m) => `"${m}"`).join(', ')} (covers ${[...covered].join(', ') || 'nothing'})`, 'reference_invalid');
    else pass('scope', `${where}: covers every expected Id (${opts.expectedReferences.join(', ')})`);
  }

  // --- XAdES-T timestamp
  let timestampTime: Date | null = null;
  if (p.timestamps.length) {
    const t = await timestampCheck(p, where);
    checks.push(t.check);
    timestampTime = t.time;
  }
  return result({ references, signingCertificate: certDer, timestampTime });
}
