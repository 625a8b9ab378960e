/**
 * validateDocument on the real học bạ XML: the legal signing order (subject teacher →
 * homeroom → principal → school seal with XAdES-T) passes every check; each tampering case
 * gets the expected verdict from us AND from an independent tool — xmlsec1 for the XML
 * signatures, `openssl ocsp` for revocation (xmlsec1 1.2.37 cannot check revocation).
 */
import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sharedTestPki, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { HBS_V1_NAMESPACE, hbsV1, serializeHbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../../documents/hbs-xml/test-snapshots.ts';
import { createTestPki, type PkiIdentity, type TestPki } from '../pki/test-pki.ts';
import { revocationClient, revocationUrls } from '../revocation/revocation-client.ts';
import { parseTimestampToken } from '../tsa/timestamp-token.ts';
import { tsaClient } from '../tsa/tsa-client.ts';
import { DS_NS } from '../xades/constants.ts';
import { readXadesSignatures } from '../xades/read.ts';
import { missingTool, xmlsec1Verifier } from '../xades/testing.ts';
import { excC14nBytes } from '../xml/exc-c14n.ts';
import { parseXmlSafely } from '../xml/safe-parse.ts';
import { validateDocument, type SignatureCheckName, type ValidateDocumentOptions, type ValidationReport } from './index.ts';
import { opensslOcspStatus, signXmlInOrder, unreachablePki, type XmlSigningStep } from './testing.ts';

const skip = missingTool('xmlsec1', 'openssl');
const container = hbsV1.signatureContainer;
const ID_ELEMENTS = ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS_V1_NAMESPACE}:${e}`);
const ALL_CHECKS: SignatureCheckName[] = ['format', 'integrity', 'signingCertificate', 'chain', 'keyUsage', 'revocation', 'timestamp', 'scope'];
const MINUTE = 60_000;
const bytes = (xml: string) => new TextEncoder().encode(xml);
const failing = (r: ValidationReport) => JSON.stringify(r.signatures.map((s) => [s.id, Object.fromEntries(Object.entries(s.checks).filter(([, c]) => c.status !== 'passed'))]), null, 1);
const sigOf = (r: ValidationReport, id: string) => r.signatures.find((s) => s.id === id)!;

describe('validateDocument on the HBS record (XAdES)', { skip }, () => {
  let shared: SharedTestPki;
  let pki: TestPki;
  let xmlsec: Awaited<ReturnType<typeof xmlsec1Verifier>>;
  let doc0: string;
  let ids: ReturnType<typeof hbsV1.dataElementIds>;
  let steps: XmlSigningStep[];
  let four: string;
  let expected: Record<string, string[]>;
  const T0 = Date.now() - 20 * MINUTE;

  /** Online: a fresh OCSP/CRL client each time (statuses change during the suite). */
  const online = (extra: Partial<ValidateDocumentOptions> = {}): ValidateDocumentOptions => ({ trustAnchors: [pki.root.certificate], revocation: revocationClient({ cacheTtlMs: 0 }), xmlContainer: container, ...extra });
  const issue = (commonName: string, extra: Partial<Parameters<TestPki['issue']>[0]> = {}) => pki.issue({ commonName, organization: 'Trường THPT TEST — KHÔNG DÙNG THẬT', ...extra });
  const oneSignature = (who: PkiIdentity, extra: Partial<XmlSigningStep> = {}, xml = doc0) =>
    signXmlInOrder(xml, [{ id: 'sig-subject-TOAN', who, role: 'Giáo viên bộ môn', references: ['subject-TOAN'], ...extra }], container);
  async function xmlsecSays(xml: string, id: string): Promise<boolean> {
    return (await xmlsec.verify(xml, id)).ok;
  }

  before(async () => {
    shared = await sharedTestPki();
    pki = shared.pki;
    xmlsec = await xmlsec1Verifier({ rootPem: pki.root.certificatePem, intermediatePems: [pki.issuing.certificatePem], idElements: ID_ELEMENTS });
    doc0 = serializeHbsV1(fullSnapshot());
    ids = hbsV1.dataElementIds(doc0);
    const tsa = tsaClient(`${shared.url}/tsa`);
    steps = [
      { id: 'sig-subject-TOAN', who: await shared.signer('Phạm Văn Bình'), role: 'Giáo viên bộ môn', references: ['subject-TOAN'], signingTime: new Date(T0) },
      { id: 'sig-homeroom', who: await shared.signer('Bùi Thị Hạnh'), role: 'Giáo viên chủ nhiệm', references: [ids.year], signatureReferences: ['sig-subject-TOAN'], signingTime: new Date(T0 + MINUTE) },
      { id: 'sig-principal', who: await shared.signer('Trần Văn Hiệu'), role: 'Hiệu trưởng', references: [ids.record], signatureReferences: ['sig-subject-TOAN', 'sig-homeroom'], signingTime: new Date(T0 + 2 * MINUTE) },
      { id: 'sig-seal', who: await shared.seal('Trường THPT Chu Văn An TEST'), role: 'Văn thư', references: [ids.record], signatureReferences: ['sig-subject-TOAN', 'sig-homeroom', 'sig-principal'], signingTime: new Date(T0 + 3 * MINUTE), timestamp: tsa },
    ];
    four = await signXmlInOrder(doc0, steps, container);
    expected = Object.fromEntries(steps.map((s) => [s.id, [...s.references, ...(s.signatureReferences ?? [])]]));
  });
  after(() => xmlsec?.close());

  test('the four signatures in the legal order pass every check (OCSP online); xmlsec1 accepts each', async () => {
    const r = await validateDocument(bytes(four), online({ expected: { xml: expected }, requireTimestamp: ['sig-seal'] }));
    assert.equal(r.status, 'passed', failing(r));
    assert.equal(r.documentType, 'xml');
    assert.equal(r.documentChecks.expectedSignatures?.status, 'passed');
    assert.deepEqual(r.signatures.map((s) => s.id), steps.map((s) => s.id));
    for (const [i, s] of r.signatures.entries()) {
      const step = steps[i]!;
      assert.deepEqual(Object.keys(s.checks).sort(), [...ALL_CHECKS].sort(), `${s.id} has every check`);
      assert.equal(s.status, 'passed');
      assert.equal(s.kind, 'xades');
      assert.equal(s.signer?.commonName, step.who.subject.match(/CN=([^,]+)/)![1]);
      assert.equal(s.claimedRole, step.role);
      assert.equal(s.signingTime, new Date(Math.floor(step.signingTime!.getTime() / 1000) * 1000).toISOString());
      assert.deepEqual(s.covers, expected[s.id]);
      assert.equal(s.chain.length, 3);
      assert.match(s.chain[2]!, /hocba TEST Root CA/);
      assert.equal(s.timestampTime !== null, s.id === 'sig-seal', `${s.id}: only the seal is timestamped`);
      assert.ok(await xmlsecSays(four, s.id), `xmlsec1 on ${s.id}`);
    }
    assert.equal(sigOf(r, 'sig-subject-TOAN').signer?.commonName, 'Phạm Văn Bình');
    const seal = sigOf(r, 'sig-seal');
    assert.match(seal.checks.chain!.reason, /time used: the timestamp/);
    assert.match(seal.checks.timestamp!.reason, /valid timestamp of .* by "CN=hocba TEST Time-Stamping Authority/);
    assert.match(sigOf(r, 'sig-principal').checks.chain!.reason, /time used: the claimed signing time/);
  });

  test('a scope that misses an expected Id, or a missing required timestamp, fails that signature only', async () => {
    const r = await validateDocument(bytes(four), online({ expected: { xml: { ...expected, 'sig-homeroom': [ids.year, 'sig-subject-TOAN', 'identity'] } }, requireTimestamp: ['sig-principal'] }));
    assert.equal(r.status, 'failed');
    assert.equal(sigOf(r, 'sig-homeroom').checks.scope?.status, 'failed');
    assert.match(sigOf(r, 'sig-homeroom').checks.scope!.reason, /does not cover "identity"/);
    assert.equal(sigOf(r, 'sig-principal').checks.timestamp?.status, 'failed');
    assert.match(sigOf(r, 'sig-principal').checks.timestamp!.reason, /no signature timestamp, but one is required/);
    assert.deepEqual(r.signatures.map((s) => s.status), ['passed', 'failed', 'failed', 'passed']);
  });

  test('offline without embedded revocation data: indeterminate (never passed); with XAdES-LT values in the seal: passed', async () => {
    const off = await validateDocument(bytes(four), { trustAnchors: [pki.root.certificate], revocation: 'offline' });
    assert.equal(off.status, 'indeterminate', failing(off));
    for (const s of off.signatures) {
      assert.equal(s.checks.revocation?.status, 'indeterminate');
      assert.match(s.checks.revocation!.reason, /offline validation, so nothing was fetched/);
      assert.equal(s.checks.integrity?.status, 'passed');
    }
    // XAdES-LT: certificate and revocation values as unsigned properties of the seal.
    const client = revocationClient();
    const subjects = [...steps.map((s) => s.who), pki.tsa];
    const ocsp = [...(await Promise.all(subjects.map((w) => client(w.certificate, pki.issuing.certificate)))), await client(pki.issuing.certificate, pki.root.certificate)].flatMap((e) => e.ocspResponses);
    const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
    const values =
      `<xades:CertificateValues><xades:EncapsulatedX509Certificate>${b64(pki.issuing.certificate)}</xades:EncapsulatedX509Certificate></xades:CertificateValues>` +
      `<xades:RevocationValues><xades:OCSPValues>${ocsp.map((o) => `<xades:EncapsulatedOCSPValue>${b64(o)}</xades:EncapsulatedOCSPValue>`).join('')}</xades:OCSPValues></xades:RevocationValues>`;
    const at = four.lastIndexOf('</xades:UnsignedSignatureProperties>');
    const lt = four.slice(0, at) + values + four.slice(at);
    const r = await validateDocument(bytes(lt), { trustAnchors: [pki.root.certificate], revocation: 'offline' });
    assert.equal(r.status, 'passed', failing(r));
    assert.match(sigOf(r, 'sig-homeroom').checks.revocation!.reason, /embedded OCSP/);
    for (const s of steps) assert.ok(await xmlsecSays(lt, s.id), `xmlsec1 still accepts ${s.id} (unsigned properties are outside the signed data)`);
  });

  test('one mark changed: the teacher, homeroom, principal and seal fail integrity (xmlsec1 agrees)', async () => {
    const row = four.indexOf('<Subject Id="subject-TOAN"');
    const mark = four.indexOf('<SemesterI>10.0</SemesterI>', row);
    assert.ok(row > 0 && mark > row);
    const tampered = `${four.slice(0, mark)}<SemesterI>9.0</SemesterI>${four.slice(mark + '<SemesterI>10.0</SemesterI>'.length)}`;
    const r = await validateDocument(bytes(tampered), online());
    assert.equal(r.status, 'failed');
    for (const s of r.signatures) {
      assert.equal(s.checks.integrity?.status, 'failed', s.id);
      assert.equal(await xmlsecSays(tampered, s.id), false, `xmlsec1 on ${s.id}`);
    }
    assert.match(sigOf(r, 'sig-subject-TOAN').checks.integrity!.reason, /subject-TOAN.*digest mismatch/);
    assert.equal(sigOf(r, 'sig-subject-TOAN').checks.chain?.status, 'passed', 'the certificate is not what is wrong');
  });

  test('an earlier signature removed: every later signature fails, and the expected signature is reported missing (xmlsec1 agrees)', async () => {
    const start = four.indexOf(`  <ds:Signature xmlns:ds="${DS_NS}" Id="sig-subject-TOAN"`);
    const end = four.indexOf('</ds:Signature>', start) + '</ds:Signature>\n'.length;
    const tampered = four.slice(0, start) + four.slice(end);
    const r = await validateDocument(bytes(tampered), online({ expected: { xml: expected } }));
    assert.equal(r.status, 'failed');
    assert.equal(r.documentChecks.expectedSignatures?.status, 'failed');
    assert.match(r.documentChecks.expectedSignatures!.reason, /"sig-subject-TOAN" is missing/);
    assert.deepEqual(r.signatures.map((s) => [s.id, s.checks.integrity?.status]), [['sig-homeroom', 'failed'], ['sig-principal', 'failed'], ['sig-seal', 'failed']]);
    assert.match(sigOf(r, 'sig-homeroom').checks.integrity!.reason, /no element has Id "sig-subject-TOAN"/);
    for (const id of ['sig-homeroom', 'sig-principal', 'sig-seal']) assert.equal(await xmlsecSays(tampered, id), false, `xmlsec1 on ${id}`);
  });

  test('the embedded certificate swapped for another teacher\'s: signing certificate and integrity fail (xmlsec1 agrees)', async () => {
    const mine = Buffer.from(steps[0]!.who.certificate).toString('base64');
    const other = Buffer.from(steps[1]!.who.certificate).toString('base64');
    const at = four.indexOf(`<ds:X509Certificate>${mine}</ds:X509Certificate>`);
    const tampered = four.slice(0, at) + four.slice(at).replace(mine, other);
    const r = await validateDocument(bytes(tampered), online());
    const s = sigOf(r, 'sig-subject-TOAN');
    assert.equal(s.status, 'failed');
    assert.equal(s.checks.signingCertificate?.status, 'failed');
    assert.equal(s.checks.integrity?.status, 'failed');
    assert.equal(s.signer?.commonName, 'Bùi Thị Hạnh', 'the report shows the certificate found, which is not the one signed');
    assert.equal(await xmlsecSays(tampered, 'sig-subject-TOAN'), false);
    assert.equal(sigOf(r, 'sig-homeroom').checks.integrity?.status, 'failed', 'the homeroom covers the altered signature');
  });

  test('a signer revoked before the signing time fails revocation (openssl ocsp: revoked; xmlsec1 checks no revocation)', async () => {
    const who = await issue('Lê Văn Thu Hồi Trước');
    pki.revoke(who.certificate, { date: new Date(Date.now() - 30 * MINUTE), reason: 1 });
    const xml = await oneSignature(who, { signingTime: new Date(Date.now() - 5 * MINUTE) });
    const r = await validateDocument(bytes(xml), online());
    const s = r.signatures[0]!;
    assert.equal(r.status, 'failed');
    assert.equal(s.checks.revocation?.status, 'failed', failing(r));
    assert.match(s.checks.revocation!.reason, /Lê Văn Thu Hồi Trước.*revoked on .*before the signing time/);
    assert.equal(s.checks.integrity?.status, 'passed');
    assert.equal((await opensslOcspStatus(who.certificate, pki.issuing.certificate, pki.root.certificate, `${shared.url}/ocsp`)).status, 'revoked');
    assert.ok(await xmlsecSays(xml, 'sig-subject-TOAN'), 'xmlsec1 sees a cryptographically valid signature');
  });

  test('revoked AFTER the signing time: passed with a timestamp (own, or a later covering seal), indeterminate without', async () => {
    const tsa = tsaClient(`${shared.url}/tsa`);
    const genTimeOf = (xml: string, id: string) => parseTimestampToken(readXadesSignatures(xml).find((x) => x.id === id)!.timestampToken!).genTime;

    // Own XAdES-T timestamp, revoked two seconds after it.
    const a = await issue('Ngô Thị Thu Hồi Sau');
    const stamped = await oneSignature(a, { timestamp: tsa });
    pki.revoke(a.certificate, { date: new Date(genTimeOf(stamped, 'sig-subject-TOAN').getTime() + 2000) });
    const ra = await validateDocument(bytes(stamped), online());
    assert.equal(ra.status, 'passed', failing(ra));
    assert.match(ra.signatures[0]!.checks.revocation!.reason, /not revoked at the timestamped signing time .* revoked later/);

    // No own timestamp, but the seal's timestamp covers it; revoked after the seal.
    const b = await issue('Đinh Văn Thu Hồi Muộn');
    const teacherOnly = await oneSignature(b, { signingTime: new Date(Date.now() - 5 * MINUTE) });
    const sealed = await signXmlInOrder(teacherOnly, [{ id: 'sig-seal', who: await shared.seal('Trường THPT Chu Văn An TEST'), role: 'Văn thư', references: [ids.record], signatureReferences: ['sig-subject-TOAN'], timestamp: tsa }], container);
    pki.revoke(b.certificate, { date: new Date(genTimeOf(sealed, 'sig-seal').getTime() + 2000) });
    const rb = await validateDocument(bytes(sealed), online());
    assert.equal(rb.status, 'passed', failing(rb));
    assert.match(sigOf(rb, 'sig-subject-TOAN').checks.revocation!.reason, /provably existed at .*timestamp of signature sig-seal/);
    // The same signature without the seal: nothing proves it predates the revocation.
    const rc = await validateDocument(bytes(teacherOnly), online());
    assert.equal(rc.status, 'indeterminate', failing(rc));
    assert.match(rc.signatures[0]!.checks.revocation!.reason, /after the claimed signing time .* no timestamp proves/);

    // The independent tools: the certificates are revoked now (openssl ocsp), the signatures intact (xmlsec1).
    for (const who of [a, b]) assert.equal((await opensslOcspStatus(who.certificate, pki.issuing.certificate, pki.root.certificate, `${shared.url}/ocsp`)).status, 'revoked');
    assert.ok(await xmlsecSays(stamped, 'sig-subject-TOAN'));
    assert.ok(await xmlsecSays(sealed, 'sig-subject-TOAN'));
  });

  test('a certificate expired at the (timestamped) signing time fails the chain (xmlsec1 agrees)', async () => {
    const now = Date.now();
    const who = await issue('Vũ Văn Hết Hạn', { notBefore: new Date(now - 3 * 1440 * MINUTE), notAfter: new Date(now - 1440 * MINUTE) });
    // Both claim a time inside the validity period; only the second has a TSA saying when it really happened.
    const claimed = new Date(now - 2 * 1440 * MINUTE);
    const xml = await signXmlInOrder(
      doc0,
      [
        { id: 'sig-subject-TOAN', who, role: 'Giáo viên bộ môn', references: ['subject-TOAN'], signingTime: claimed },
        { id: 'sig-subject-NV', who, role: 'Giáo viên bộ môn', references: ['subject-NV'], signingTime: claimed, timestamp: tsaClient(`${shared.url}/tsa`) },
      ],
      container,
    );
    const r = await validateDocument(bytes(xml), online());
    const [untimed, stamped] = r.signatures;
    assert.equal(untimed!.checks.chain?.status, 'passed', 'at its claimed time the certificate was valid');
    assert.equal(stamped!.checks.chain?.status, 'failed', failing(r));
    assert.match(stamped!.checks.chain!.reason, /Vũ Văn Hết Hạn.* expired on .*time used: the timestamp/);
    assert.equal(stamped!.checks.integrity?.status, 'passed');
    assert.equal(r.status, 'failed');
    for (const id of ['sig-subject-TOAN', 'sig-subject-NV']) {
      const x = await xmlsec.verify(xml, id);
      assert.equal(x.ok, false, `xmlsec1 on ${id}`);
      assert.match(x.output, /expired/i);
    }
  });

  test('a certificate from an untrusted root fails the chain (xmlsec1 agrees); an unknown issuer is indeterminate', async () => {
    const foreign = await createTestPki({ label: 'hocba TEST Lạ' });
    const who = await foreign.issue({ commonName: 'Kẻ Giả Mạo' });
    const withRoot = await oneSignature(who, { chain: [...who.chain, foreign.root.certificate] });
    const r = await validateDocument(bytes(withRoot), online());
    assert.equal(r.signatures[0]!.checks.chain?.status, 'failed', failing(r));
    assert.match(r.signatures[0]!.checks.chain!.reason, /self-signed root "CN=hocba TEST Lạ Root CA.*not a trusted root/);
    assert.equal(r.status, 'failed');
    assert.equal(r.signatures[0]!.checks.integrity?.status, 'passed');
    assert.equal(await xmlsecSays(withRoot, 'sig-subject-TOAN'), false);

    const withoutRoot = await oneSignature(who);
    const u = await validateDocument(bytes(withoutRoot), online());
    assert.equal(u.signatures[0]!.checks.chain?.status, 'indeterminate');
    assert.match(u.signatures[0]!.checks.chain!.reason, /no path to a trusted root/);
    assert.equal(await xmlsecSays(withoutRoot, 'sig-subject-TOAN'), false);
  });

  test('OCSP responder and CRL down, nothing embedded: indeterminate, never passed (openssl ocsp gets no answer)', async () => {
    const down = await unreachablePki();
    const who = await down.issue({ commonName: 'Hoàng Thị Ngoại Tuyến' });
    const xml = await oneSignature(who);
    const r = await validateDocument(bytes(xml), { trustAnchors: [down.root.certificate], revocation: revocationClient({ timeoutMs: 5000, cacheTtlMs: 0 }) });
    const s = r.signatures[0]!;
    assert.equal(r.status, 'indeterminate', failing(r));
    assert.equal(s.checks.revocation?.status, 'indeterminate');
    assert.match(s.checks.revocation!.reason, /Hoàng Thị Ngoại Tuyến.*revocation status unknown/);
    assert.deepEqual(Object.entries(s.checks).filter(([, c]) => c.status !== 'passed').map(([k]) => k), ['revocation']);
    const o = await opensslOcspStatus(who.certificate, down.issuing.certificate, down.root.certificate, revocationUrls(who.certificate).ocsp[0]!);
    assert.equal(o.status, null, o.output);
  });

  test('a genuine SHA-1 signature fails the format check (xmlsec1 accepts it: refusing SHA-1 is our policy)', async () => {
    const who = await shared.signer('Phạm Văn Bình');
    const xml = (await oneSignature(who)).replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1');
    const signedInfo = parseXmlSafely(xml).getElementsByTagNameNS(DS_NS, 'SignedInfo')[0]!;
    const value = sign('sha1', excC14nBytes(signedInfo), createPrivateKey({ key: Buffer.from(who.privateKey), format: 'der', type: 'pkcs8' })).toString('base64');
    const sha1 = xml.replace(/(<ds:SignatureValue[^>]*>)[^<]*/, `$1${value}`);
    const r = await validateDocument(bytes(sha1), online());
    const s = r.signatures[0]!;
    assert.equal(r.status, 'failed');
    assert.equal(s.checks.format?.status, 'failed');
    assert.match(s.checks.format!.reason, /rsa-sha1 is refused/);
    assert.equal(s.checks.integrity?.status, 'indeterminate', 'the value is not checked, not declared forged');
    assert.ok(await xmlsecSays(sha1, 'sig-subject-TOAN'), 'xmlsec1 finds the SHA-1 signature cryptographically valid');
  });
});
