/**
 * prepare → sign → complete, the reader and the verifier on their own: generic documents,
 * ECDSA, EPES, the state's JSON round trip, and every refusal (DTD, size, SHA-1, wrong key,
 * document changed, wrong container, duplicate Ids, bad timestamps). xmlsec1 confirms the
 * signatures we call valid.
 */
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as pkijs from 'pkijs';
import { sharedTestPki, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { HBS_V1_NAMESPACE, hbsV1, serializeHbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot, trickySnapshot } from '../../documents/hbs-xml/test-snapshots.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { SigningError, type SignatureAlgorithm } from '../signer.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { issuerSerialV2 } from './certificates.ts';
import {
  XadesDocumentChangedError,
  completeXadesSignature,
  formatSigningTime,
  prepareXadesSignature,
  readXadesSignatures,
  signXades,
  verifyXadesSignature,
  type PrepareXadesOptions,
} from './index.ts';
import { tsaClient } from '../tsa/tsa-client.ts';
import { missingTool, xmlsec1Verifier } from './testing.ts';

const skip = missingTool('xmlsec1');
const GENERIC_NS = 'urn:example:generic';
const GENERIC = `<?xml version="1.0" encoding="UTF-8"?>
<r:Root xmlns:r="${GENERIC_NS}" xmlns:x="urn:example:other" xmlns:unused="urn:example:unused">
  <r:Item Id="a" x:attr="1" b="2">Alpha &amp; Ω — tiếng Việt</r:Item>
  <r:Item Id="b"><x:Inner xml:lang="vi">Bêta<!-- a comment --><![CDATA[<raw & data>]]></x:Inner></r:Item>
  <r:Sigs></r:Sigs>
</r:Root>
`;
const genericContainer = { namespace: GENERIC_NS, localName: 'Sigs' };
const hbsContainer = hbsV1.signatureContainer;

/** Expects a SigningError with this code whose message matches. */
async function refuses(fn: () => unknown, code: SigningError['code'], message: RegExp): Promise<void> {
  await assert.rejects(async () => fn(), (e: unknown) => {
    assert.ok(e instanceof SigningError, `expected a SigningError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe('XAdES prepare → sign → complete, reader and verifier', { skip }, () => {
  let shared: SharedTestPki;
  let alice: PkiIdentity;
  let bob: PkiIdentity;
  let xmlsecGeneric: Awaited<ReturnType<typeof xmlsec1Verifier>>;
  let xmlsecHbs: Awaited<ReturnType<typeof xmlsec1Verifier>>;
  const signerOf = (who: PkiIdentity) => softwareSigner({ privateKey: who.privateKey, chain: who.chain });
  const base = (): Omit<PrepareXadesOptions, 'chain' | 'algorithm'> => ({
    xml: serializeHbsV1(fullSnapshot()),
    references: ['subject-TOAN'],
    container: hbsContainer,
    signatureId: 'sig-1',
    signingTime: new Date(),
    claimedRole: 'Giáo viên bộ môn',
  });

  before(async () => {
    shared = await sharedTestPki();
    alice = await shared.signer('Phạm Văn Bình');
    bob = await shared.signer('Lê Thị Hoa');
    const trust = { rootPem: shared.pki.root.certificatePem, intermediatePems: [shared.pki.issuing.certificatePem] };
    xmlsecGeneric = await xmlsec1Verifier({ ...trust, idElements: [`${GENERIC_NS}:Item`] });
    xmlsecHbs = await xmlsec1Verifier({ ...trust, idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS_V1_NAMESPACE}:${e}`) });
  });
  after(async () => {
    await xmlsecGeneric?.close();
    await xmlsecHbs?.close();
  });

  test('signing time is written in whole seconds at the caller’s offset (default +07:00)', () => {
    const t = new Date('2026-06-25T02:19:01.999Z');
    assert.equal(formatSigningTime(t), '2026-06-25T09:19:01+07:00');
    assert.equal(formatSigningTime(t, 0), '2026-06-25T02:19:01Z');
    assert.equal(formatSigningTime(t, -300), '2026-06-24T21:19:01-05:00');
    assert.equal(formatSigningTime(new Date('2026-12-31T20:00:00Z'), 330), '2027-01-01T01:30:00+05:30');
    assert.throws(() => formatSigningTime(t, 15 * 60), /offset/);
    assert.throws(() => formatSigningTime(new Date(Number.NaN)), /not a valid date/);
  });

  test('a generic document with a prefixed container: several references, xmlsec1 and our verifier accept', async () => {
    const xml = await signXades({ xml: GENERIC, references: ['a', 'b'], container: genericContainer, signatureId: 'g1', signer: signerOf(alice), timeZoneOffsetMinutes: 0 });
    assert.ok(xml.startsWith(GENERIC.slice(0, GENERIC.indexOf('</r:Sigs>'))), 'the text before the container end tag is untouched');
    assert.ok(xml.endsWith('</r:Sigs>\n</r:Root>\n'));
    const r = await verifyXadesSignature(xml, 'g1', { container: genericContainer, expectedReferences: ['a', 'b'] });
    assert.ok(r.valid, JSON.stringify(r.checks));
    assert.match(readXadesSignatures(xml)[0]!.signingTime!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const x = await xmlsecGeneric.verify(xml, 'g1');
    assert.ok(x.ok, x.output);
    // A second signature covering the first, in the same container.
    const two = await signXades({ xml, references: ['a'], signatureReferences: ['g1'], container: genericContainer, signatureId: 'g2', signer: signerOf(bob) });
    for (const id of ['g1', 'g2']) {
      assert.ok((await verifyXadesSignature(two, id, { container: genericContainer })).valid, id);
      assert.ok((await xmlsecGeneric.verify(two, id)).ok, id);
    }
  });

  test('ECDSA P-256, signed from toBeSigned after a JSON round trip of the state (the phone case); xmlsec1 accepts', async () => {
    const ec = await shared.pki.issue({ commonName: 'Đỗ Minh Châu (EC)', keyType: 'ec-p256' });
    const prepared = prepareXadesSignature({ ...base(), chain: ec.chain, algorithm: 'ECDSA-SHA256' });
    assert.deepEqual(prepared.digest, new Uint8Array(createHash('sha256').update(prepared.toBeSigned).digest()));
    const stored = JSON.parse(JSON.stringify(prepared.state));
    const key = createPrivateKey({ key: Buffer.from(ec.privateKey), format: 'der', type: 'pkcs8' });
    const value = cryptoSign('sha256', prepared.toBeSigned, { key, dsaEncoding: 'ieee-p1363' });
    const xml = await completeXadesSignature(stored, value, { xml: prepared.state.xml });
    const r = await verifyXadesSignature(xml, 'sig-1', { container: hbsContainer, expectedReferences: ['subject-TOAN'] });
    assert.ok(r.valid, JSON.stringify(r.checks));
    assert.equal(readXadesSignatures(xml)[0]!.algorithm, 'ECDSA-SHA256');
    const x = await xmlsecHbs.verify(xml, 'sig-1');
    assert.ok(x.ok, x.output);
  });

  test('XAdES-EPES: policy and commitment type are signed and read back; SigningCertificateV2 carries the issuer and serial', async () => {
    const policyDigest = createHash('sha256').update('Quy chế ký số học bạ TEST').digest();
    const xml = await signXades({
      ...base(),
      signer: signerOf(alice),
      commitmentType: 'ProofOfCreation',
      signaturePolicy: { identifier: 'urn:oid:2.999.1.2.3', digest: policyDigest, description: 'Chính sách ký TEST' },
    });
    const [info] = readXadesSignatures(xml);
    assert.deepEqual(info!.policy, { identifier: 'urn:oid:2.999.1.2.3', digestMethod: 'http://www.w3.org/2001/04/xmlenc#sha256', digestValue: new Uint8Array(policyDigest) });
    assert.deepEqual(info!.commitmentTypes, ['http://uri.etsi.org/01903/v1.2.2#ProofOfCreation']);
    assert.ok((await verifyXadesSignature(xml, 'sig-1')).valid);
    assert.ok((await xmlsecHbs.verify(xml, 'sig-1')).ok);
    // IssuerSerialV2 is RFC 5035 IssuerSerial: pkijs reads back the certificate's issuer and serial.
    const is = pkijs.IssuerSerial.fromBER(Buffer.from(issuerSerialV2(alice.certificate)));
    const cert = pkijs.Certificate.fromBER(Buffer.from(alice.certificate));
    assert.equal(is.issuer.names[0]!.type, 4);
    assert.ok((is.issuer.names[0]!.value as pkijs.RelativeDistinguishedNames).isEqual(cert.issuer));
    assert.equal(Buffer.from(is.serialNumber.valueBlock.valueHexView).toString('hex'), Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'));
  });

  test('text needing escapes (CR, TAB, quotes, <, &, ]]>) canonicalises as xmlsec1 does', async () => {
    const snapshot = trickySnapshot();
    const xml = await signXades({ ...base(), xml: serializeHbsV1(snapshot), references: ['identity', 'subject-NV', `year-${snapshot.schoolYear}`], signer: signerOf(alice) });
    assert.ok((await verifyXadesSignature(xml, 'sig-1')).valid);
    const x = await xmlsecHbs.verify(xml, 'sig-1');
    assert.ok(x.ok, x.output);
  });

  test('a value made with the wrong key is refused at complete, naming the signature and the certificate', async () => {
    const prepared = prepareXadesSignature({ ...base(), chain: alice.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256' });
    const [wrong] = await signerOf(bob).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: prepared.digest }] });
    await refuses(() => completeXadesSignature(prepared.state, wrong!), 'certificate_invalid', /signature sig-1: the signature value does not verify with the public key of CN=Phạm Văn Bình/);
    // The same key over another digest is refused too.
    const [other] = await signerOf(alice).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: new Uint8Array(32).fill(7) }] });
    await refuses(() => completeXadesSignature(prepared.state, other!), 'certificate_invalid', /does not verify/);
    await refuses(() => completeXadesSignature(prepared.state, new Uint8Array(3)), 'document_invalid', /3 bytes/);
  });

  test('a document that changed between prepare and complete is refused; a forged state cannot sign another document', async () => {
    const doc0 = serializeHbsV1(fullSnapshot());
    const p1 = prepareXadesSignature({ ...base(), xml: doc0, chain: alice.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256' });
    const p2 = prepareXadesSignature({ ...base(), xml: doc0, references: ['subject-NV'], signatureId: 'sig-2', chain: bob.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256' });
    const [v1] = await signerOf(alice).signDigests({ algorithm: p1.algorithm, items: [{ digest: p1.digest }] });
    const [v2] = await signerOf(bob).signDigests({ algorithm: p2.algorithm, items: [{ digest: p2.digest }] });
    const doc1 = await completeXadesSignature(p1.state, v1!, { xml: doc0 });
    // Bob prepared on doc0; meanwhile Alice's signature made doc1: completing Bob on doc1 must not drop Alice's.
    await assert.rejects(completeXadesSignature(p2.state, v2!, { xml: doc1 }), (e: unknown) => e instanceof XadesDocumentChangedError && e.code === 'document_invalid' && /changed between prepare and complete/.test(e.message));
    // A state whose document was edited is corrupt.
    const edited = { ...p2.state, xml: p2.state.xml.replace('<SemesterI>10.0</SemesterI>', '<SemesterI>2.0</SemesterI>') };
    await refuses(() => completeXadesSignature(edited, v2!), 'document_invalid', /prepared state is corrupt/);
    // Edited with a matching fingerprint: the new signature's own check sees the data differ.
    const nv = p2.state.xml.indexOf('<Subject Id="subject-NV"');
    const forgedXml = p2.state.xml.slice(0, nv) + p2.state.xml.slice(nv).replace('<SemesterI>7.9</SemesterI>', '<SemesterI>9.9</SemesterI>');
    const forged = { ...p2.state, xml: forgedXml, documentSha256: createHash('sha256').update(forgedXml).digest('base64') };
    await refuses(() => completeXadesSignature(forged, v2!), 'reference_invalid', /subject-NV.*digest mismatch/);
    // Prepared again on the current document, Bob's signature goes in next to Alice's.
    const again = prepareXadesSignature({ ...base(), xml: doc1, references: ['subject-NV'], signatureId: 'sig-2', chain: bob.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256' });
    const [v3] = await signerOf(bob).signDigests({ algorithm: again.algorithm, items: [{ digest: again.digest }] });
    const doc2 = await completeXadesSignature(again.state, v3!, { xml: doc1 });
    assert.deepEqual(readXadesSignatures(doc2).map((s) => s.id), ['sig-1', 'sig-2']);
  });

  test('DOCTYPE, external entities and oversized or too deep documents are refused before parsing', async () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<r:Root xmlns:r="${GENERIC_NS}"><r:Item Id="a">&x;</r:Item><r:Sigs/></r:Root>`;
    const alg: SignatureAlgorithm = 'RSASSA-PKCS1-v1_5-SHA256';
    await refuses(() => prepareXadesSignature({ ...base(), xml: xxe, references: ['a'], container: genericContainer, chain: alice.chain, algorithm: alg }), 'document_invalid', /line 2: a DOCTYPE declaration is not allowed/);
    await refuses(() => readXadesSignatures(xxe), 'document_invalid', /DOCTYPE/);
    await refuses(() => verifyXadesSignature(xxe, 'x'), 'document_invalid', /DOCTYPE/);
    await refuses(() => readXadesSignatures(`<!ENTITY a "b"><r/>`), 'document_invalid', /ENTITY declaration/);
    const big = serializeHbsV1(fullSnapshot());
    await refuses(() => prepareXadesSignature({ ...base(), xml: big, maxBytes: 2000, chain: alice.chain, algorithm: alg }), 'document_invalid', /larger than the 2000-byte limit/);
    await refuses(() => readXadesSignatures(`${'<a>'.repeat(300)}${'</a>'.repeat(300)}`), 'document_invalid', /nested deeper than 256/);
  });

  test('SHA-1, unknown algorithms and short RSA keys are refused (unsupported_algorithm)', async () => {
    await refuses(() => prepareXadesSignature({ ...base(), chain: alice.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA1' as SignatureAlgorithm }), 'unsupported_algorithm', /SHA-1/);
    await refuses(() => prepareXadesSignature({ ...base(), chain: alice.chain, algorithm: 'RSASSA-PSS-SHA256' as SignatureAlgorithm }), 'unsupported_algorithm', /not supported/);
    await refuses(() => prepareXadesSignature({ ...base(), chain: alice.chain, algorithm: 'ECDSA-SHA256' }), 'unsupported_algorithm', /rsa key cannot make ECDSA-SHA256/);
    const weak = await shared.pki.issue({ commonName: 'Khóa yếu TEST', keyType: 'rsa-1024' });
    await refuses(() => prepareXadesSignature({ ...base(), chain: weak.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256' }), 'unsupported_algorithm', /1024 bits is below the 2048-bit minimum/);
    // A signature relabelled as rsa-sha1 / with a sha1 digest is refused by the verifier.
    const xml = await signXades({ ...base(), signer: signerOf(alice) });
    for (const [from, to] of [
      ['xmldsig-more#rsa-sha256', 'xmldsig#rsa-sha1'],
      ['<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256">', '<ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1">'],
    ] as const) {
      const r = await verifyXadesSignature(xml.replace(from.startsWith('<') ? from : `http://www.w3.org/2001/04/${from}`, from.startsWith('<') ? to : `http://www.w3.org/2000/09/${to}`), 'sig-1');
      const alg = r.checks.find((c) => c.name === 'algorithms')!;
      assert.equal(r.valid, false);
      assert.equal(alg.code, 'unsupported_algorithm');
      assert.match(alg.reason, /SHA-1/);
    }
  });

  test('references and containers are checked at prepare: missing, duplicate, overlapping, wrong kind', async () => {
    const alg: SignatureAlgorithm = 'RSASSA-PKCS1-v1_5-SHA256';
    const o = { ...base(), chain: alice.chain, algorithm: alg };
    const dupXml = o.xml.replace('<Identity Id="identity">', '<Identity Id="subject-TOAN">');
    await refuses(() => prepareXadesSignature({ ...o, xml: dupXml }), 'reference_invalid', /Id "subject-TOAN" is carried by 2 elements/);
    await refuses(() => prepareXadesSignature({ ...o, references: ['subject-XYZ'] }), 'reference_invalid', /no element has Id "subject-XYZ"/);
    await refuses(() => prepareXadesSignature({ ...o, references: [] }), 'reference_invalid', /nothing to sign/);
    await refuses(() => prepareXadesSignature({ ...o, references: ['subject-TOAN', 'subject-TOAN'] }), 'reference_invalid', /listed twice/);
    await refuses(() => prepareXadesSignature({ ...o, references: ["x' or '1"] }), 'reference_invalid', /not a valid Id/);
    await refuses(() => prepareXadesSignature({ ...o, signatureId: 'identity' }), 'reference_invalid', /Id "identity" is already used/);
    await refuses(() => prepareXadesSignature({ ...o, container: { namespace: HBS_V1_NAMESPACE, localName: 'Nowhere' } }), 'reference_invalid', /0 \{urn:hocba:hbs:1\}Nowhere elements/);
    await refuses(() => prepareXadesSignature({ ...o, references: ['data'], container: { namespace: HBS_V1_NAMESPACE, localName: 'Year' } }), 'reference_invalid', /overlaps the signature container/);
    await refuses(() => prepareXadesSignature({ ...o, signatureReferences: ['identity'] }), 'reference_invalid', /#identity is not a ds:Signature in the/);
    const signed = await signXades({ ...base(), signer: signerOf(alice) });
    await refuses(() => prepareXadesSignature({ ...o, xml: signed, signatureId: 'sig-2', references: ['sig-1'] }), 'reference_invalid', /#sig-1 is a ds:Signature; list it in signatureReferences/);
    const expired = await shared.pki.issue({ commonName: 'Hết hạn TEST', notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    await refuses(() => prepareXadesSignature({ ...o, chain: expired.chain }), 'certificate_invalid', /CN=Hết hạn TEST.*not valid at the signing time/);
  });

  test('the verifier checks scope, container, URI and SignedProperties, and says which', async () => {
    const xml = await signXades({ ...base(), signer: signerOf(alice) });
    const scope = await verifyXadesSignature(xml, 'sig-1', { expectedReferences: ['subject-TOAN', 'subject-NV'] });
    assert.equal(scope.valid, false);
    assert.match(scope.checks.find((c) => c.name === 'scope')!.reason, /does not cover "subject-NV"/);
    // Moved out of the container (into the data): our container rule fails it.
    const sigText = xml.slice(xml.indexOf('<ds:Signature'), xml.indexOf('</ds:Signature>') + '</ds:Signature>'.length);
    const moved = xml.replace(sigText, '').replace('</Identity>', `</Identity>${sigText}`);
    const c = await verifyXadesSignature(moved, 'sig-1', { container: hbsContainer });
    assert.match(c.checks.find((k) => k.name === 'container')!.reason, /sits in <Data>, not directly in the \{urn:hocba:hbs:1\}Signatures container/);
    // URI="" (whole document) is refused outright.
    const whole = await verifyXadesSignature(xml.replace('URI="#subject-TOAN"', 'URI=""'), 'sig-1');
    assert.match(whole.checks.find((k) => k.name === 'references')!.reason, /URI="" \(whole document\) is refused/);
    assert.equal((await xmlsecHbs.verify(xml.replace('URI="#subject-TOAN"', 'URI=""'), 'sig-1')).ok, false);
    // The SignedProperties reference must point at this signature's own SignedProperties.
    const props = await verifyXadesSignature(xml.replace('Target="#sig-1"', 'Target="#sig-9"'), 'sig-1');
    assert.match(props.checks.find((k) => k.name === 'signedProperties')!.reason, /Target is "#sig-9"/);
    // An unknown Id and a broken signature are reported, not thrown.
    assert.match((await verifyXadesSignature(xml, 'nope')).checks[0]!.reason, /no element has this Id/);
    const broken = xml.replace(/<ds:SignedInfo>[\s\S]*<\/ds:SignedInfo>/, '');
    assert.match(readXadesSignatures(broken)[0]!.problems.join(), /ds:SignedInfo is missing/);
    assert.equal((await verifyXadesSignature(broken, 'sig-1')).valid, false);
    assert.deepEqual(readXadesSignatures(serializeHbsV1(fullSnapshot())), []);
  });

  test('XAdES-T: a token over other data, or from a failing TSA, is refused at complete; a swapped token fails the verifier only', async () => {
    const tsa = tsaClient(`${shared.url}/tsa`);
    const o = { ...base(), signer: signerOf(alice) };
    await refuses(() => signXades({ ...o, timestamp: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')) }), 'timestamp_failed', /did not answer \(connect ECONNREFUSED/);
    await refuses(() => signXades({ ...o, timestamp: ({ algorithm }) => tsa({ digest: new Uint8Array(32).fill(1), algorithm }) }), 'timestamp_failed', /imprint is not the hash of this signature's SignatureValue/);
    const a = await signXades({ ...o, timestamp: tsa });
    const b = await signXades({ ...o, signatureId: 'sig-2', timestamp: tsa });
    const tokenOf = (xml: string) => /<xades:EncapsulatedTimeStamp>([^<]+)</.exec(xml)![1]!;
    const swapped = a.replace(tokenOf(a), tokenOf(b));
    const r = await verifyXadesSignature(swapped, 'sig-1');
    assert.equal(r.checks.find((c) => c.name === 'timestamp')!.status, 'failed');
    assert.deepEqual(r.checks.filter((c) => c.status !== 'passed').map((c) => c.name), ['timestamp']);
    // Unsigned properties are outside xmlsec1's view: it still accepts the signature itself.
    assert.ok((await xmlsecHbs.verify(swapped, 'sig-1')).ok);
  });
});
