/**
 * XAdES on the real học bạ XML: the full signing order (two subject teachers → homeroom →
 * principal → school seal with XAdES-T), each later signature covering the earlier ones.
 * xmlsec1 — the independent verifier — must accept every signature after every addition,
 * and reject the same tampered documents our verifier rejects.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sharedTestPki, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { HBS_V1_NAMESPACE, hbsV1, parseHbsV1, serializeHbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../../documents/hbs-xml/test-snapshots.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { completeXadesSignature, prepareXadesSignature, readXadesSignatures, signXades, verifyAllXadesSignatures, verifyXadesSignature } from './index.ts';
import { tsaClient } from '../tsa/tsa-client.ts';
import { missingTool, run, xmlsec1Verifier } from './testing.ts';

const skip = missingTool('xmlsec1', 'xmllint');
const container = hbsV1.signatureContainer;
const ID_ELEMENTS = ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS_V1_NAMESPACE}:${e}`);
// Signing times a few minutes apart, starting now (the test certificates are issued now), with milliseconds to drop.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000 + 750;
/** What xades:SigningTime must say for an instant: whole seconds, Vietnam time, +07:00. */
const vietnamTime = (ms: number) => `${new Date(Math.floor(ms / 1000) * 1000 + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;

interface Step {
  id: string;
  who: PkiIdentity;
  role: string;
  references: string[];
  signatureReferences: string[];
  tsa?: boolean;
}

describe('XAdES on the HBS record: the full signing order', { skip }, () => {
  let shared: SharedTestPki;
  let xmlsec: Awaited<ReturnType<typeof xmlsec1Verifier>>;
  const docs: string[] = []; // docs[i] = the document after i signatures
  let steps: Step[];

  before(async () => {
    shared = await sharedTestPki();
    xmlsec = await xmlsec1Verifier({ rootPem: shared.pki.root.certificatePem, intermediatePems: [shared.pki.issuing.certificatePem], idElements: ID_ELEMENTS });
    const doc0 = serializeHbsV1(fullSnapshot());
    const ids = hbsV1.dataElementIds(doc0);
    steps = [
      { id: 'sig-subject-TOAN', who: await shared.signer('Phạm Văn Bình'), role: 'Giáo viên bộ môn', references: ['subject-TOAN'], signatureReferences: [] },
      { id: 'sig-subject-NV', who: await shared.signer('Lê Thị Hoa'), role: 'Giáo viên bộ môn', references: ['subject-NV', 'subject-NN1'], signatureReferences: [] },
      { id: 'sig-homeroom', who: await shared.signer('Bùi Thị Hạnh'), role: 'Giáo viên chủ nhiệm', references: [ids.year], signatureReferences: ['sig-subject-TOAN', 'sig-subject-NV'] },
      { id: 'sig-principal', who: await shared.signer('Trần Văn Hiệu'), role: 'Hiệu trưởng', references: [ids.record], signatureReferences: ['sig-subject-TOAN', 'sig-subject-NV', 'sig-homeroom'] },
      { id: 'sig-seal', who: await shared.seal('Trường THPT Chu Văn An TEST'), role: 'Văn thư', references: [ids.record], signatureReferences: ['sig-subject-TOAN', 'sig-subject-NV', 'sig-homeroom', 'sig-principal'], tsa: true },
    ];
    docs.push(doc0);
    for (const [i, s] of steps.entries()) {
      docs.push(
        await signXades({
          xml: docs[i]!,
          references: s.references,
          signatureReferences: s.signatureReferences,
          container,
          signatureId: s.id,
          signer: softwareSigner({ privateKey: s.who.privateKey, chain: s.who.chain }),
          signingTime: new Date(T0 + i * 60_000),
          claimedRole: s.role,
          commitmentType: s.id === 'sig-principal' ? 'ProofOfApproval' : undefined,
          timestamp: s.tsa ? tsaClient(`${shared.url}/tsa`) : undefined,
        }),
      );
    }
  });
  after(() => xmlsec?.close());

  test('after every addition, xmlsec1 and our verifier accept every signature so far', async () => {
    for (let n = 1; n <= steps.length; n++) {
      const results = await verifyAllXadesSignatures(docs[n]!, { container });
      assert.equal(results.length, n);
      for (const [i, r] of results.entries()) {
        assert.equal(r.signatureId, steps[i]!.id);
        assert.ok(r.valid, `after ${n} signatures, ${r.signatureId}: ${JSON.stringify(r.checks.filter((c) => c.status !== 'passed'))}`);
        const x = await xmlsec.verify(docs[n]!, steps[i]!.id);
        assert.ok(x.ok, `xmlsec1 after ${n} signatures, ${steps[i]!.id}:\n${x.output}`);
      }
    }
  });

  test('adding a signature changes no byte outside the container and keeps earlier signatures byte-identical', () => {
    const cut = (xml: string) => xml.indexOf('<Signatures');
    for (let n = 1; n <= steps.length; n++) {
      const before = docs[n - 1]!;
      const now = docs[n]!;
      assert.equal(now.slice(0, cut(now)), before.slice(0, cut(before)), 'everything before the container is unchanged');
      const tail = (xml: string) => xml.slice(xml.indexOf('</HocBa>'));
      assert.equal(tail(now), tail(before), 'everything after the container is unchanged');
      for (const earlier of readXadesSignatures(before)) {
        const start = before.indexOf(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="${earlier.id}"`);
        const text = before.slice(start, before.indexOf('</ds:Signature>', start) + '</ds:Signature>'.length);
        assert.ok(start > 0 && now.includes(text), `${earlier.id} is carried over byte for byte`);
      }
      if (n > 1) {
        // The later document is the earlier one with one insertion before </Signatures>.
        const at = before.indexOf('</Signatures>');
        const inserted = now.length - before.length;
        assert.equal(now.slice(0, at) + now.slice(at + inserted), before);
        assert.match(now.slice(at, at + inserted), new RegExp(`^  <ds:Signature xmlns:ds="[^"]+" Id="${steps[n - 1]!.id}">`));
      }
    }
  });

  test('the reader reports ids, scope, roles, signing time, certificates and the seal timestamp', () => {
    const sigs = readXadesSignatures(docs.at(-1)!);
    assert.deepEqual(sigs.map((s) => s.id), steps.map((s) => s.id));
    for (const [i, s] of sigs.entries()) {
      const step = steps[i]!;
      assert.deepEqual(s.coveredIds, step.references);
      assert.deepEqual(s.coveredSignatureIds, step.signatureReferences);
      assert.equal(s.claimedRole, step.role);
      assert.equal(s.signingTime, vietnamTime(T0 + i * 60_000));
      assert.equal(s.signingTimeDate?.toISOString(), new Date(Math.floor(T0 / 1000) * 1000 + i * 60_000).toISOString());
      assert.deepEqual(s.certificates, step.who.chain);
      assert.equal(s.algorithm, 'RSASSA-PKCS1-v1_5-SHA256');
      assert.deepEqual(s.parent, { namespace: HBS_V1_NAMESPACE, localName: 'Signatures' });
      assert.equal(s.timestampToken !== null, step.tsa === true, `${s.id}: timestamp only on the seal`);
      assert.deepEqual(s.problems, []);
    }
    assert.deepEqual(sigs[3]!.commitmentTypes, ['http://uri.etsi.org/01903/v1.2.2#ProofOfApproval']);
  });

  test('the seal carries a valid XAdES-T timestamp over its SignatureValue, issued by the test TSA', async () => {
    const r = await verifyXadesSignature(docs.at(-1)!, 'sig-seal', { container, expectedReferences: ['data', 'sig-subject-TOAN', 'sig-subject-NV', 'sig-homeroom', 'sig-principal'] });
    assert.ok(r.valid, JSON.stringify(r.checks));
    const ts = r.checks.find((c) => c.name === 'timestamp');
    assert.equal(ts?.status, 'passed');
    assert.ok(r.timestampTime && Math.abs(r.timestampTime.getTime() - Date.now()) < 3_600_000, 'the TSA time is now, not the claimed signing time');
  });

  test('the signed document still reads as the same record and validates against the XSD', async () => {
    const final = docs.at(-1)!;
    assert.deepEqual(parseHbsV1(final), fullSnapshot());
    const dir = await mkdtemp(join(tmpdir(), 'hocba-xades-xsd-'));
    try {
      await writeFile(join(dir, 'doc.xml'), final);
      const r = await run('xmllint', ['--noout', '--schema', new URL('../../documents/schema/hbs-v1.xsd', import.meta.url).pathname, join(dir, 'doc.xml')]);
      assert.equal(r.status, 0, r.output);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // ---- tampering: both verifiers must fail, and only where the change is covered

  async function expectVerdicts(xml: string, expected: Record<string, boolean>, label: string) {
    for (const [id, ok] of Object.entries(expected)) {
      const ours = await verifyXadesSignature(xml, id, { container });
      assert.equal(ours.valid, ok, `${label}: our verdict on ${id}: ${JSON.stringify(ours.checks.filter((c) => c.status !== 'passed'))}`);
      const theirs = await xmlsec.verify(xml, id);
      assert.equal(theirs.ok, ok, `${label}: xmlsec1 verdict on ${id}:\n${theirs.output}`);
    }
  }

  test('two teachers prepared on the same document: the second completes onto the first one’s result (rebase), both valid for xmlsec1', async () => {
    const [a, b] = [steps[0]!, steps[1]!];
    const prep = async (s: Step) => {
      const p = await prepareXadesSignature({ xml: docs[0]!, references: s.references, container, signatureId: s.id, chain: s.who.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', signingTime: new Date(T0), claimedRole: s.role });
      const [value] = await softwareSigner({ privateKey: s.who.privateKey, chain: s.who.chain }).signDigests({ algorithm: p.algorithm, items: [{ digest: p.digest }] });
      return { state: p.state, value: value! };
    };
    const [pa, pb] = [await prep(a), await prep(b)];
    const afterA = await completeXadesSignature(pa.state, pa.value, { xml: docs[0]! });
    await assert.rejects(completeXadesSignature(pb.state, pb.value, { xml: afterA }), /changed between prepare and complete/);
    const both = await completeXadesSignature(pb.state, pb.value, { rebaseOnto: afterA });
    for (const id of [a.id, b.id]) assert.ok((await xmlsec.verify(both, id)).ok, id);
    // Rebasing onto a document where the second teacher's row changed is refused.
    const edited = afterA.replace(/(<Subject Id="subject-NV"[^>]*>[\s\S]*?<SemesterI>)([^<]+)(<)/, (_m, p1: string, _v: string, p3: string) => `${p1}${_v === "Đ" ? "CĐ" : "1.0"}${p3}`);
    assert.notEqual(edited, afterA);
    await assert.rejects(completeXadesSignature(pb.state, pb.value, { rebaseOnto: edited }), /outside the signature container/);
  });

  test('changing one mark in a subject row breaks that teacher, the homeroom, the principal and the seal — not the other teacher', async () => {
    const final = docs.at(-1)!;
    const row = final.indexOf('<Subject Id="subject-TOAN"');
    const mark = final.indexOf('<SemesterI>10.0</SemesterI>', row);
    assert.ok(row > 0 && mark > row);
    const tampered = `${final.slice(0, mark)}<SemesterI>9.0</SemesterI>${final.slice(mark + '<SemesterI>10.0</SemesterI>'.length)}`;
    await expectVerdicts(tampered, { 'sig-subject-TOAN': false, 'sig-subject-NV': true, 'sig-homeroom': false, 'sig-principal': false, 'sig-seal': false }, 'mark changed');
    const r = await verifyXadesSignature(tampered, 'sig-subject-TOAN');
    assert.match(r.checks.find((c) => c.name === 'references')!.reason, /subject-TOAN.*digest mismatch/);
  });

  test('removing an earlier signature breaks every later signature that covers it', async () => {
    const final = docs.at(-1)!;
    const start = final.indexOf('  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-subject-NV"');
    const end = final.indexOf('</ds:Signature>', start) + '</ds:Signature>\n'.length;
    const tampered = final.slice(0, start) + final.slice(end);
    assert.equal(readXadesSignatures(tampered).length, 4);
    await expectVerdicts(tampered, { 'sig-subject-TOAN': true, 'sig-homeroom': false, 'sig-principal': false, 'sig-seal': false }, 'signature removed');
    const r = await verifyXadesSignature(tampered, 'sig-homeroom');
    assert.match(r.checks.find((c) => c.name === 'references')!.reason, /no element has Id "sig-subject-NV"/);
  });

  test('swapping the embedded certificate is caught by the signature value and SigningCertificateV2', async () => {
    const final = docs.at(-1)!;
    const mine = Buffer.from(steps[0]!.who.certificate).toString('base64');
    const other = Buffer.from(steps[1]!.who.certificate).toString('base64');
    const at = final.indexOf(`<ds:X509Certificate>${mine}</ds:X509Certificate>`);
    assert.ok(at > 0);
    const tampered = final.slice(0, at) + final.slice(at).replace(mine, other);
    await expectVerdicts(tampered, { 'sig-subject-TOAN': false, 'sig-subject-NV': true }, 'certificate swapped');
    const r = await verifyXadesSignature(tampered, 'sig-subject-TOAN');
    const failed = r.checks.filter((c) => c.status === 'failed').map((c) => c.name);
    assert.deepEqual(failed.sort(), ['signatureValue', 'signingCertificate']);
  });

  test('a duplicated Id (signature wrapping: altered row in the data, original row hidden elsewhere) is refused', async () => {
    const final = docs.at(-1)!;
    const row = final.indexOf('  <Subject Id="subject-TOAN"');
    const rowEnd = final.indexOf('</Subject>', row) + '</Subject>'.length;
    const original = final.slice(row, rowEnd);
    const altered = original.replace('<SemesterI>10.0</SemesterI>', '<SemesterI>3.0</SemesterI>');
    // The untouched copy goes first in the document, where a naive "first match" lookup finds it.
    const hidden = `<w:Wrapper xmlns:w="urn:attacker" xmlns="${HBS_V1_NAMESPACE}">${original.trim()}</w:Wrapper>`;
    const tampered = final.slice(0, row).replace('<Data Id="data">', `${hidden}<Data Id="data">`) + altered + final.slice(rowEnd);
    assert.notEqual(tampered.indexOf(hidden), -1);
    // xmlsec1 refuses the whole document ("duplicate ID attribute"), and so do we.
    await expectVerdicts(tampered, { 'sig-subject-TOAN': false, 'sig-subject-NV': false, 'sig-seal': false }, 'Id duplicated');
    const r = await verifyXadesSignature(tampered, 'sig-subject-TOAN');
    assert.match(r.checks.find((c) => c.name === 'references')!.reason, /Id "subject-TOAN" is carried by 2 elements/);
  });
});
