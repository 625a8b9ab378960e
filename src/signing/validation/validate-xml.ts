/**
 * Validation of the XAdES signatures of an XML document: the container's own checks
 * (src/signing/xades verifyInDocument, mapped as docs/signing-xml.md says) plus what only a
 * validator can judge — the timestamp's TSA, the certificate path, key usage and revocation
 * at the signing time. The document is parsed once (safely: no DTD, size-limited).
 */
import type { Element } from '@xmldom/xmldom';
import type { RevocationEvidence, RevocationProvider } from '../signer.ts';
import { excC14nBytes } from '../xml/exc-c14n.ts';
import { indexIds } from '../xml/ids.ts';
import { childElements, parseXmlSafely } from '../xml/safe-parse.ts';
import { XADES_NS } from '../xades/constants.ts';
import { base64Bytes, parseSignatureElement, type ParsedSignature } from '../xades/parse-signature.ts';
import { describeSignature, signatureElements } from '../xades/read.ts';
import { verifyInDocument, type XadesCheckName, type XadesVerification } from '../xades/verify.ts';
import { keyDescription, keyStrengthProblem, signerInfoOf, subjectOf, issuerCandidates } from './certificates.ts';
import { combine, failed, indeterminate, passed, type Check, type SignatureReport, type ValidationReport } from './report.ts';
import { revocationContext, type ProofOfExistence } from './revocation.ts';
import { mergeChecks, trustChecks, type ValidationContext } from './signature-trust.ts';
import { timestampTrust } from './timestamp.ts';

export interface XmlValidationOptions {
  trustAnchors: Uint8Array[];
  intermediates: Uint8Array[];
  provider: RevocationProvider | null;
  now: Date;
  maxBytes: number;
  requireTimestamp: (id: string) => boolean;
  /** Signature Id → Ids it must cover. */
  expected?: Record<string, string[]>;
  /** Where every signature must sit (verified when given). */
  container?: { namespace: string; localName: string };
}

type Parts = Pick<ValidationReport, 'documentChecks' | 'signatures'>;

const kids = (el: Element | null, local: string): Element[] => (el ? childElements(el).filter((c) => c.localName === local && c.namespaceURI === XADES_NS) : []);

/** XAdES-LT values carried in the signature's unsigned properties (certificates, OCSP responses, CRLs). */
function longTermValues(p: ParsedSignature): { certificates: Uint8Array[]; evidence: RevocationEvidence } {
  const usp = kids(kids(p.qualifyingProperties, 'UnsignedProperties')[0] ?? null, 'UnsignedSignatureProperties')[0] ?? null;
  const values = (parent: Element[], local: string) => parent.flatMap((e) => kids(e, local)).map((e) => base64Bytes(e.textContent ?? '')).filter((b): b is Uint8Array => b !== null);
  const rv = kids(usp, 'RevocationValues');
  return {
    certificates: values(kids(usp, 'CertificateValues'), 'EncapsulatedX509Certificate'),
    evidence: { ocspResponses: values(rv.flatMap((r) => kids(r, 'OCSPValues')), 'EncapsulatedOCSPValue'), crls: values(rv.flatMap((r) => kids(r, 'CRLValues')), 'EncapsulatedCRLValue') },
  };
}

const fromXades = (v: XadesVerification, names: XadesCheckName[]): Check[] => v.checks.filter((c) => names.includes(c.name)).map((c) => ({ status: c.status, reason: c.reason }));

interface Step1 {
  id: string;
  parsed: ParsedSignature;
  verification: XadesVerification;
  integrityPassed: boolean;
  claimedTime: Date | null;
  trustedTime: Date | null;
  report: SignatureReport;
}

/** Validates every ds:Signature of `xml`. Throws SigningError('document_invalid') for a document that cannot be accepted at all. */
export async function validateXml(xml: string, opts: XmlValidationOptions): Promise<Parts> {
  const doc = parseXmlSafely(xml, { maxBytes: opts.maxBytes });
  const ids = indexIds(doc);
  const parsed = signatureElements(doc).map(parseSignatureElement);
  const lt = parsed.map(longTermValues);
  const pool = issuerCandidates([...opts.intermediates, ...parsed.flatMap((p) => p.certificates), ...lt.flatMap((v) => v.certificates)]);
  const embedded: RevocationEvidence = { ocspResponses: lt.flatMap((v) => v.evidence.ocspResponses), crls: lt.flatMap((v) => v.evidence.crls) };
  const ctx: ValidationContext = {
    trustAnchors: opts.trustAnchors,
    pool,
    revocation: revocationContext(embedded, opts.provider, opts.now),
    now: opts.now,
    requireTimestamp: opts.requireTimestamp,
    chains: new Map(),
  };

  const documentChecks: Record<string, Check> = {
    format: passed(`well-formed XML (${Buffer.byteLength(xml, 'utf8')} bytes, no DTD, every parser warning fatal)`),
    signatures: parsed.length ? passed(`${parsed.length} XML signature${parsed.length > 1 ? 's' : ''} (ds:Signature)`) : indeterminate('no signatures: the document carries no ds:Signature'),
  };
  if (opts.expected) {
    const present = new Set(parsed.map((p) => p.id));
    const missing = Object.keys(opts.expected).filter((id) => !present.has(id));
    documentChecks.expectedSignatures = missing.length
      ? failed(`expected signature${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing from the document`)
      : passed(`every expected signature is present (${Object.keys(opts.expected).join(', ')})`);
  }

  // Step 1: the container checks and the signature's own timestamp.
  const steps: Step1[] = [];
  for (const p of parsed) {
    const info = describeSignature(p, ids);
    const where = `signature ${p.id || '(without Id)'}`;
    const verification = await verifyInDocument(doc, ids, p.id, { ...(opts.expected?.[p.id] ? { expectedReferences: opts.expected[p.id] } : {}), ...(opts.container ? { container: opts.container } : {}) });
    const cert = verification.signingCertificate;
    const strength = cert ? keyStrengthProblem(cert) : null;
    const format = mergeChecks(
      [...fromXades(verification, ['structure', 'container', 'algorithms']), ...(strength ? [failed(`${where}: ${strength}`)] : [])],
      `${where}: ${info.signatureMethod ?? '?'}, exclusive c14n, SHA-2 digests${cert ? `, ${keyDescription(cert)}` : ''}; structure and Ids sound`,
    );
    // A value not checked because its algorithm is refused is "not checked", not "forged": format says why.
    const integrityParts = verification.checks
      .filter((c) => c.name === 'references' || c.name === 'signedProperties' || c.name === 'signatureValue')
      .map((c): Check => (c.status === 'failed' && c.code === 'unsupported_algorithm' ? indeterminate(`${c.reason} (see format)`) : { status: c.status, reason: c.reason }));
    const integrity = integrityParts.length ? mergeChecks(integrityParts) : indeterminate(`${where}: not checked, the signature is malformed (see format)`);
    const signingCertificate = fromXades(verification, ['signingCertificate'])[0] ?? indeterminate(`${where}: not checked, the signature is malformed (see format)`);
    const expectedScope = fromXades(verification, ['scope'])[0];
    const covers = [...info.coveredIds, ...info.coveredSignatureIds];
    const scope = expectedScope ?? passed(`${where}: covers ${covers.join(', ') || 'nothing'} (no expected scope was given)`);

    let timestamp: Check;
    let trustedTime: Date | null = null;
    if (p.timestamps.length) {
      const internal = fromXades(verification, ['timestamp']);
      if (internal.some((c) => c.status !== 'passed') || !p.signatureValueElement) timestamp = mergeChecks(internal.length ? internal : [failed(`${where}: the timestamp could not be checked`)]);
      else {
        const stamped = excC14nBytes(p.signatureValueElement);
        const parts: Check[] = [];
        for (const [i, t] of p.timestamps.entries()) {
          if (!t.token) continue;
          const r = await timestampTrust({ token: t.token, stamped, trustAnchors: ctx.trustAnchors, pool, certificates: lt.flatMap((v) => v.certificates), revocation: ctx.revocation, claimedSigningTime: info.signingTimeDate, label: `${where}, SignatureTimeStamp ${i + 1}` });
          parts.push(r.check);
          if (r.time && (!trustedTime || r.time < trustedTime)) trustedTime = r.time;
        }
        timestamp = mergeChecks(parts);
      }
    } else timestamp = ctx.requireTimestamp(p.id) ? failed(`${where}: no signature timestamp, but one is required`) : passed(`${where}: no signature timestamp (none required); the signing time is as the signer claims`);

    steps.push({
      id: p.id,
      parsed: p,
      verification,
      integrityPassed: integrity.status === 'passed',
      claimedTime: info.signingTimeDate,
      trustedTime,
      report: {
        id: p.id,
        kind: 'xades',
        signer: cert ? signerInfoOf(cert) : null,
        claimedRole: info.claimedRole,
        signingTime: info.signingTimeDate?.toISOString() ?? info.signingTime,
        timestampTime: trustedTime?.toISOString() ?? null,
        covers,
        chain: [],
        revision: null,
        checks: { format, integrity, signingCertificate, timestamp, scope },
        status: 'indeterminate',
      },
    });
  }

  // Step 2: trust. A later intact signature that covers this one (directly or through others)
  // and carries a valid timestamp proves this one existed at that time.
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (const s of steps) {
    const poe = proofOfExistence(s, steps, byId);
    const t = await trustChecks({ certificate: s.verification.signingCertificate, claimedTime: s.claimedTime, trustedTime: s.trustedTime, poe }, ctx);
    s.report.checks = { ...s.report.checks, chain: t.chain, keyUsage: t.keyUsage, revocation: t.revocation };
    s.report.chain = t.path.map(subjectOf);
    s.report.status = combine(Object.values(s.report.checks).map((c) => c.status));
  }
  return { documentChecks, signatures: steps.map((s) => s.report) };
}

function proofOfExistence(s: Step1, steps: Step1[], byId: Map<string, Step1>): ProofOfExistence | null {
  let best: ProofOfExistence | null = s.trustedTime ? { time: s.trustedTime, source: `its own timestamp` } : null;
  for (const t of steps) {
    if (t === s || !t.trustedTime || !t.integrityPassed) continue;
    if (best && best.time <= t.trustedTime) continue;
    if (reaches(t, s.id, byId, new Set())) best = { time: t.trustedTime, source: `timestamp of signature ${t.id}, which covers it` };
  }
  return best;
}

/** Whether intact signature `from` covers signature `id`, directly or through intact signatures it covers. */
function reaches(from: Step1, id: string, byId: Map<string, Step1>, seen: Set<string>): boolean {
  if (seen.has(from.id)) return false;
  seen.add(from.id);
  for (const r of from.verification.references) {
    if (!r.isSignature || !r.digestValid) continue;
    if (r.id === id) return true;
    const next = byId.get(r.id);
    if (next && next.integrityPassed && reaches(next, id, byId, seen)) return true;
  }
  return false;
}
