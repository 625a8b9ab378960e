/**
 * The individual integrity checks behind `verifyXadesSignature`, one function per check,
 * each naming the signature, reference or certificate it is about.
 */
import { createHash, verify as cryptoVerify, constants } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { excC14nBytes } from '../xml/exc-c14n.ts';
import { contains, type IdIndex } from '../xml/ids.ts';
import { SigningError, digestOf, nodeDigestName, type SigningErrorCode } from '../signer.ts';
import { DS_NS, EXC_C14N, ID_RE, SIGNED_PROPERTIES_TYPE, digestAlgorithmOf, type signatureAlgorithmOf } from './constants.ts';
import { assertKeyFitsAlgorithm, issuerSerialV2, type CertificateFacts } from './certificates.ts';
import { parseDateTime, type ParsedSignature } from './parse-signature.ts';
import { checkTimestampSignature, readTimestampToken } from './timestamp-token.ts';
import type { XadesCheck, XadesReferenceResult } from './verify.ts';

const sha = (alg: 'sha256' | 'sha384' | 'sha512', b: Uint8Array) => new Uint8Array(createHash(alg).update(b).digest());
const same = (a: Uint8Array | null, b: Uint8Array) => a !== null && Buffer.from(a).equals(Buffer.from(b));

export function containerCheck(doc: Document, sigEl: Element, container: { namespace: string; localName: string }, where: string): XadesCheck {
  const name = `{${container.namespace}}${container.localName}`;
  const all: Element[] = [];
  const walk = (e: Element) => {
    if (e.localName === container.localName && (e.namespaceURI ?? '') === container.namespace) all.push(e);
    for (let c = e.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) walk(c as Element);
  };
  walk(doc.documentElement!);
  const parent = sigEl.parentNode as Element | null;
  if (all.length !== 1) return { name: 'container', status: 'failed', reason: `${where}: the document has ${all.length} ${name} containers (exactly one expected)`, code: 'reference_invalid' };
  if (parent !== all[0]) return { name: 'container', status: 'failed', reason: `${where}: sits in <${parent?.tagName ?? '?'}>, not directly in the ${name} container`, code: 'reference_invalid' };
  return { name: 'container', status: 'passed', reason: `${where}: sits in the ${name} container` };
}

export function checkReferences(p: ParsedSignature, ids: IdIndex, sigEl: Element, where: string, checks: XadesCheck[]): XadesReferenceResult[] {
  const out: XadesReferenceResult[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, r] of p.references.entries()) {
    const label = `${where}, reference ${i + 1} (${r.uri ?? 'no URI'})`;
    const uri = r.uri ?? '';
    const id = uri.startsWith('#') ? uri.slice(1) : '';
    const res: XadesReferenceResult = { uri, id, isSignature: false, isSignedProperties: r.type === SIGNED_PROPERTIES_TYPE, digestValid: false };
    out.push(res);
    const bad = (reason: string) => {
      res.reason = reason;
      problems.push(`${label}: ${reason}`);
    };
    if (!ID_RE.test(id)) {
      bad(uri === '' ? 'URI="" (whole document) is refused' : 'only same-document "#Id" references are accepted');
      continue;
    }
    if (seen.has(id)) {
      bad('the same Id is referenced twice');
      continue;
    }
    seen.add(id);
    const targets = ids.get(id) ?? [];
    if (targets.length !== 1) {
      bad(targets.length === 0 ? `no element has Id "${id}"` : `Id "${id}" is carried by ${targets.length} elements (duplicate Ids: signature wrapping)`);
      continue;
    }
    const target = targets[0]!;
    res.isSignature = target.localName === 'Signature' && target.namespaceURI === DS_NS;
    if (contains(target, sigEl)) {
      bad(`<${target.tagName} Id="${id}"> contains the signature itself (enveloped signatures are refused)`);
      continue;
    }
    if (contains(sigEl, target) && target !== p.signedProperties) {
      bad(`<${target.tagName} Id="${id}"> is part of this signature and not its SignedProperties`);
      continue;
    }
    let alg: 'sha256' | 'sha384' | 'sha512';
    try {
      alg = nodeDigestName(digestAlgorithmOf(r.digestMethod ?? '', label));
    } catch {
      bad('digest method not supported');
      continue;
    }
    if (same(r.digestValue, sha(alg, excC14nBytes(target)))) res.digestValid = true;
    else bad(`digest mismatch: <${target.tagName} Id="${id}"> changed after signing`);
  }
  if (p.references.length === 0) problems.push(`${where}: SignedInfo has no references`);
  if (problems.length) checks.push({ name: 'references', status: 'failed', reason: problems.join('; '), code: 'reference_invalid' });
  else checks.push({ name: 'references', status: 'passed', reason: `${where}: ${out.length} references resolve to one element each and their digests match` });
  return out;
}

export function signedPropertiesCheck(p: ParsedSignature, ids: IdIndex, where: string): XadesCheck {
  const bad = (reason: string): XadesCheck => ({ name: 'signedProperties', status: 'failed', reason: `${where}: ${reason}`, code: 'reference_invalid' });
  if (!p.signedProperties || !p.signedPropertiesId) return bad('xades:SignedProperties with an Id is missing');
  if (p.target !== `#${p.id}`) return bad(`QualifyingProperties Target is "${p.target ?? ''}", expected "#${p.id}"`);
  const refs = p.references.filter((r) => r.type === SIGNED_PROPERTIES_TYPE);
  if (refs.length !== 1) return bad(`${refs.length} references have Type ${SIGNED_PROPERTIES_TYPE} (exactly one expected)`);
  if (refs[0]!.uri !== `#${p.signedPropertiesId}` || (ids.get(p.signedPropertiesId) ?? []).length !== 1) {
    return bad(`the SignedProperties reference (${refs[0]!.uri ?? 'no URI'}) does not point at this signature's own SignedProperties (#${p.signedPropertiesId})`);
  }
  if (!parseDateTime(p.signingTime)) return bad(`xades:SigningTime "${p.signingTime ?? '(missing)'}" is not an xsd:dateTime with a time zone`);
  return { name: 'signedProperties', status: 'passed', reason: `${where}: SignedProperties #${p.signedPropertiesId} is referenced with the XAdES type; signing time ${p.signingTime}` };
}

export function signingCertificateCheck(p: ParsedSignature, cert: CertificateFacts | Error | null, where: string): XadesCheck {
  const bad = (reason: string, code: SigningErrorCode = 'certificate_invalid'): XadesCheck => ({ name: 'signingCertificate', status: 'failed', reason: `${where}: ${reason}`, code });
  if (!cert) return bad('KeyInfo carries no X509Certificate');
  if (cert instanceof Error) return bad(cert.message);
  const c = p.signingCertificatesV2[0];
  if (!c) return bad(p.signingCertificateV1 ? 'only the SHA-1 era SigningCertificate is present; SigningCertificateV2 is required' : 'SigningCertificateV2 is missing', p.signingCertificateV1 ? 'unsupported_algorithm' : 'certificate_invalid');
  let alg: 'sha256' | 'sha384' | 'sha512';
  try {
    alg = nodeDigestName(digestAlgorithmOf(c.digestMethod ?? '', `${where}, SigningCertificateV2`));
  } catch (e) {
    return bad((e as Error).message, 'unsupported_algorithm');
  }
  try {
    if (!same(c.digestValue, sha(alg, cert.der))) return bad(`SigningCertificateV2 digest does not match the embedded signing certificate (${cert.subject})`);
    if (c.issuerSerialV2 && !same(c.issuerSerialV2, issuerSerialV2(cert.der))) return bad(`SigningCertificateV2 IssuerSerialV2 does not match the embedded signing certificate (${cert.subject})`);
  } catch (e) {
    return bad((e as Error).message);
  }
  return { name: 'signingCertificate', status: 'passed', reason: `${where}: SigningCertificateV2 matches the embedded certificate ${cert.subject}` };
}

export function signatureValueCheck(p: ParsedSignature, cert: CertificateFacts | Error | null, alg: ReturnType<typeof signatureAlgorithmOf> | null, where: string): XadesCheck {
  const bad = (reason: string, code: SigningErrorCode): XadesCheck => ({ name: 'signatureValue', status: 'failed', reason: `${where}: ${reason}`, code });
  if (!alg) return bad('signature method not supported, value not checked', 'unsupported_algorithm');
  if (!cert || !p.signedInfo || !p.signatureValue) return bad('SignedInfo, SignatureValue or the certificate is missing', 'document_invalid');
  if (cert instanceof Error) return bad(cert.message, 'certificate_invalid');
  try {
    assertKeyFitsAlgorithm(cert.publicKey, alg, `${where}, certificate ${cert.subject}`);
    const ok = cryptoVerify(
      nodeDigestName(digestOf(alg)),
      excC14nBytes(p.signedInfo),
      cert.publicKey.asymmetricKeyType === 'ec' ? { key: cert.publicKey, dsaEncoding: 'ieee-p1363' } : { key: cert.publicKey, padding: constants.RSA_PKCS1_PADDING },
      p.signatureValue,
    );
    if (!ok) return bad(`the signature value does not verify with the public key of ${cert.subject}`, 'certificate_invalid');
    return { name: 'signatureValue', status: 'passed', reason: `${where}: SignedInfo signature verifies with the key of ${cert.subject}` };
  } catch (e) {
    return bad((e as Error).message, e instanceof SigningError ? e.code : 'certificate_invalid');
  }
}

export async function timestampCheck(p: ParsedSignature, where: string): Promise<{ check: XadesCheck; time: Date | null }> {
  const bad = (reason: string, code: SigningErrorCode = 'timestamp_failed') => ({ check: { name: 'timestamp' as const, status: 'failed' as const, reason: `${where}: ${reason}`, code }, time: null });
  if (!p.signatureValueElement) return bad('no SignatureValue to timestamp');
  let time: Date | null = null;
  for (const [i, t] of p.timestamps.entries()) {
    const label = `SignatureTimeStamp ${i + 1}`;
    if (t.c14nMethod !== EXC_C14N) return bad(`${label}: canonicalization ${t.c14nMethod ?? '(missing)'} is not supported`, 'unsupported_algorithm');
    if (!t.token) return bad(`${label}: EncapsulatedTimeStamp is missing or not base64`);
    let facts;
    try {
      facts = readTimestampToken(t.token, `${where}, ${label}`);
    } catch (e) {
      return bad((e as Error).message);
    }
    if (!facts.imprintAlgorithm) return bad(`${label}: imprint algorithm ${facts.imprintAlgorithmOid} is not allowed`, 'unsupported_algorithm');
    const stamped = excC14nBytes(p.signatureValueElement);
    const expected = sha(nodeDigestName(facts.imprintAlgorithm), stamped);
    if (!same(facts.imprint, expected)) return bad(`${label}: the token's message imprint is not the hash of this signature's SignatureValue`);
    const sig = await checkTimestampSignature(facts, stamped);
    if (sig.status !== 'passed') return { check: { name: 'timestamp', status: sig.status, reason: `${where}, ${label}: ${sig.reason}`, code: 'timestamp_failed' }, time: facts.genTime };
    time ??= facts.genTime;
  }
  return { check: { name: 'timestamp', status: 'passed', reason: `${where}: timestamp over the SignatureValue, time ${time!.toISOString()}` }, time };
}

