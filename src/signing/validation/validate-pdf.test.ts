/**
 * validateDocument on the real học bạ PDF (PDF/A-3b from renderRecordPdf): principal +
 * school seal (B-T) + /DSS passes offline and online; each tampering case gets the expected
 * verdict from us AND from pdfsig (poppler + NSS trusting the test root, OCSP answered by the
 * test responder). Where pdfsig cannot see the problem (changes in later revisions, revocation
 * after a timestamp), the test records what it says and why we differ.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runTool, sharedTestPki, toolSkip, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { renderRecordPdf } from '../../documents/pdf/render-record.ts';
import { longSnapshot } from '../../documents/pdf/test-snapshots.ts';
import { readCmsSignature } from '../cms/read-cms.ts';
import { swapSignerCertificate } from '../cms/testing.ts';
import { openPdf } from '../pades/pdf-document.ts';
import { acroForm, formFields, lastPageRef } from '../pades/pdf-form.ts';
import { PdfDict, PdfRef, makeStream, type PdfValue } from '../pades/pdf-objects.ts';
import { ObjectAllocator, writeUpdate, type UpdateObject } from '../pades/pdf-update.ts';
import { preparePadesSignature, readPdfSignatures, signPdf, signedBytes } from '../pades/index.ts';
import { createTestPki, type PkiIdentity, type TestPki } from '../pki/test-pki.ts';
import { revocationClient } from '../revocation/revocation-client.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { parseTimestampToken } from '../tsa/timestamp-token.ts';
import { tsaClient } from '../tsa/tsa-client.ts';
import { validateDocument, type SignatureCheckName, type ValidateDocumentOptions, type ValidationReport } from './index.ts';
import { addValidationDataForAll, pdfsigRunner, unreachablePki } from './testing.ts';

const skip = toolSkip('pdfsig', 'certutil', 'openssl');
const MINUTE = 60_000;
const ALL_CHECKS: SignatureCheckName[] = ['format', 'integrity', 'signingCertificate', 'chain', 'keyUsage', 'revocation', 'timestamp', 'scope'];
const failing = (r: ValidationReport) => JSON.stringify([r.documentChecks, r.signatures.map((s) => [s.id, Object.fromEntries(Object.entries(s.checks).filter(([, c]) => c.status !== 'passed'))])], null, 1);

describe('validateDocument on the học bạ PDF (PAdES)', { skip }, () => {
  let shared: SharedTestPki;
  let pki: TestPki;
  let pdfsig: Awaited<ReturnType<typeof pdfsigRunner>>;
  let record: Uint8Array;
  let principal: PkiIdentity;
  let seal: PkiIdentity;
  let twoSigned: Uint8Array;
  let withDss: Uint8Array;
  const T0 = Date.now() - 20 * MINUTE;

  const online = (extra: Partial<ValidateDocumentOptions> = {}): ValidateDocumentOptions => ({ trustAnchors: [pki.root.certificate], revocation: revocationClient({ cacheTtlMs: 0 }), ...extra });
  const offline = (): ValidateDocumentOptions => ({ trustAnchors: [pki.root.certificate], revocation: 'offline' });
  const sign = (pdf: Uint8Array, who: PkiIdentity, fieldName: string, extra: { signingTime?: Date; reason?: string; timestamp?: boolean; chain?: Uint8Array[] } = {}) =>
    signPdf({
      pdf,
      signer: softwareSigner({ privateKey: who.privateKey, chain: extra.chain ?? who.chain }),
      fieldName,
      signingTime: extra.signingTime ?? new Date(Date.now() - 5 * MINUTE),
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.timestamp ? { timestamp: tsaClient(`${shared.url}/tsa`) } : {}),
    });
  const issue = (commonName: string, extra: Partial<Parameters<TestPki['issue']>[0]> = {}) => pki.issue({ commonName, organization: 'Trường THPT TEST — KHÔNG DÙNG THẬT', ...extra });

  before(async () => {
    shared = await sharedTestPki();
    pki = shared.pki;
    pdfsig = await pdfsigRunner(pki.root.certificatePem);
    record = new Uint8Array(await renderRecordPdf(longSnapshot()));
    principal = await shared.signer('Nguyễn Văn Hiệu');
    seal = await shared.seal('Trường THPT Chu Văn An TEST');
    const approved = await sign(record, principal, 'Hiệu trưởng', { signingTime: new Date(T0), reason: 'Phê duyệt học bạ' });
    twoSigned = await sign(approved, seal, 'Văn thư – đóng dấu', { signingTime: new Date(T0 + MINUTE), reason: 'Đóng dấu của nhà trường', timestamp: true });
    withDss = await addValidationDataForAll(twoSigned, revocationClient(), [pki.root.certificate]);
  });
  after(() => pdfsig?.close());

  test('principal + seal (B-T) + DSS: every check passes offline, from the embedded LT data; pdfsig: valid and trusted', async () => {
    const r = await validateDocument(withDss, offline());
    assert.equal(r.status, 'passed', failing(r));
    assert.equal(r.documentType, 'pdf');
    assert.match(r.documentChecks.validationData!.reason, /\/DSS with \d+ certificates, \d+ OCSP responses/);
    assert.deepEqual(r.signatures.map((s) => [s.id, s.kind, s.signer?.commonName, s.claimedRole, s.revision]), [
      ['Hiệu trưởng', 'pades', 'Nguyễn Văn Hiệu', 'Phê duyệt học bạ', 2],
      ['Văn thư – đóng dấu', 'pades', 'Trường THPT Chu Văn An TEST', 'Đóng dấu của nhà trường', 3],
    ]);
    for (const s of r.signatures) {
      assert.deepEqual(Object.keys(s.checks).sort(), [...ALL_CHECKS].sort());
      assert.match(s.checks.revocation!.reason, /embedded OCSP/);
      assert.match(s.covers[0]!, /^revision \d of 4$/);
    }
    assert.equal(r.signatures[0]!.signingTime, new Date(Math.floor(T0 / 1000) * 1000).toISOString());
    assert.equal(r.signatures[0]!.timestampTime, null);
    assert.ok(r.signatures[1]!.timestampTime);
    assert.match(r.signatures[0]!.checks.scope!.reason, /signature widget added.*|signature field added/);
    assert.match(r.signatures[1]!.checks.scope!.reason, /validation data \(\/DSS\)/);
    const p = await pdfsig.check(withDss);
    assert.deepEqual(p.signatures.map((s) => [s.field, s.commonName, s.valid, s.trusted]), [
      ['Hiệu trưởng', 'Nguyễn Văn Hiệu', true, true],
      ['Văn thư – đóng dấu', 'Trường THPT Chu Văn An TEST', true, true],
    ], p.output);
  });

  test('without the DSS: passed online (OCSP responder), indeterminate offline — never passed', async () => {
    const on = await validateDocument(twoSigned, online());
    assert.equal(on.status, 'passed', failing(on));
    assert.equal(on.documentChecks.validationData, undefined);
    const off = await validateDocument(twoSigned, offline());
    assert.equal(off.status, 'indeterminate', failing(off));
    assert.ok(off.signatures.every((s) => s.checks.revocation?.status === 'indeterminate' && s.checks.integrity?.status === 'passed'));
  });

  test('a changed byte of the record fails integrity of both signatures (pdfsig: Digest Mismatch)', async () => {
    const bad = new Uint8Array(withDss);
    const at = Buffer.from(bad).indexOf('stream\n') + 200;
    bad[at] = bad[at]! ^ 0x01;
    const r = await validateDocument(bad, offline());
    assert.equal(r.status, 'failed');
    for (const s of r.signatures) {
      assert.equal(s.checks.integrity?.status, 'failed', s.id);
      assert.match(s.checks.integrity!.reason, /the signed bytes were changed/);
    }
    const p = await pdfsig.check(bad);
    assert.ok(p.signatures.length === 2 && p.signatures.every((s) => !s.valid && /Digest Mismatch/.test(s.text)), p.output);
  });

  test("the first signature's revision cut out: the PDF is refused, naming the problem (pdfsig: nothing valid)", async () => {
    const [first] = readPdfSignatures(twoSigned);
    const cut = new Uint8Array(Buffer.concat([twoSigned.subarray(0, record.length), twoSigned.subarray(first!.signedEnd)]));
    const r = await validateDocument(cut, offline());
    assert.equal(r.status, 'failed');
    assert.equal(r.documentChecks.format?.code, 'document_invalid');
    assert.match(r.documentChecks.format!.reason, /^PDF: /);
    const p = await pdfsig.check(cut);
    assert.doesNotMatch(p.output, /Signature is Valid/);
  });

  test('the first signature removed by a later revision: the seal fails scope (pdfsig only sees "not total document signed")', async () => {
    const doc = openPdf(twoSigned);
    const form = acroForm(doc)!;
    const field = formFields(doc).find((f) => f.fullName === 'Hiệu trưởng')!;
    const page = lastPageRef(doc);
    const pageDict = (doc.get(page) as PdfDict).clone();
    const without = (arr: PdfValue) => (doc.resolve(arr) as PdfValue[]).filter((v) => !(v instanceof PdfRef && v.num === field.ref!.num));
    pageDict.set('Annots', without(pageDict.get('Annots')!));
    const formRef = doc.catalog().get('AcroForm') as PdfRef;
    const objects: UpdateObject[] = [
      { num: formRef.num, value: form.clone().set('Fields', without(form.get('Fields')!)) },
      { num: page.num, value: pageDict },
    ];
    const removed = writeUpdate(doc, objects, new ObjectAllocator(doc)).pdf;
    const r = await validateDocument(removed, online());
    assert.equal(r.status, 'failed', failing(r));
    assert.deepEqual(r.signatures.map((s) => s.id), ['Văn thư – đóng dấu']);
    const scope = r.signatures[0]!.checks.scope!;
    assert.equal(scope.status, 'failed');
    assert.match(scope.reason, /changed after this signature.*\/Fields.*earlier entries were removed/);
    assert.equal(r.signatures[0]!.checks.integrity?.status, 'passed');
    const p = await pdfsig.check(removed);
    assert.equal(p.signatures.length, 1, p.output);
    assert.ok(p.signatures[0]!.valid && !p.signatures[0]!.totalDocument, p.output);
  });

  test('page content replaced in a later revision ("shadow attack"): both signatures fail scope (pdfsig: valid, not total document)', async () => {
    const doc = openPdf(withDss);
    const kids = doc.resolve((doc.resolve(doc.catalog().get('Pages')!) as PdfDict).get('Kids')!) as PdfRef[];
    const firstPage = doc.get(kids[0]!) as PdfDict;
    const contents = firstPage.get('Contents') as PdfRef;
    const fake = makeStream(new PdfDict(), Buffer.from('BT /F1 24 Tf 72 720 Td (Diem: 10) Tj ET'));
    const shadow = writeUpdate(doc, [{ num: contents.num, value: fake }], new ObjectAllocator(doc)).pdf;
    const r = await validateDocument(shadow, offline());
    assert.equal(r.status, 'failed');
    for (const s of r.signatures) {
      assert.equal(s.checks.scope?.status, 'failed', s.id);
      assert.match(s.checks.scope!.reason, new RegExp(`object ${contents.num} \\(a stream\\) was changed`));
      assert.equal(s.checks.integrity?.status, 'passed', 'the signed revisions themselves are intact');
    }
    const p = await pdfsig.check(shadow);
    assert.ok(p.signatures.length === 2 && p.signatures.every((s) => s.valid && !s.totalDocument), p.output);
  });

  test("the seal's certificate swapped in its CMS: failed (pdfsig: invalid)", async () => {
    const other = await shared.signer('Kẻ Giả Mạo');
    const sig = readPdfSignatures(twoSigned)[1]!;
    const forged = swapSignerCertificate(sig.cms, other.certificate, other.chain.slice(1));
    const bad = new Uint8Array(twoSigned);
    const hex = Buffer.from(forged).toString('hex').toUpperCase().padEnd(sig.contentsRange![1] - sig.contentsRange![0] - 2, '0');
    Buffer.from(bad.buffer).write(hex, sig.contentsRange![0] + 1, 'latin1');
    const r = await validateDocument(bad, online());
    const s = r.signatures[1]!;
    assert.equal(s.status, 'failed');
    assert.equal(s.checks.signingCertificate?.status, 'failed');
    assert.equal(s.checks.integrity?.status, 'failed');
    assert.equal(s.signer?.commonName, 'Kẻ Giả Mạo');
    assert.equal(r.signatures[0]!.status, 'passed', 'the principal is untouched');
    const p = await pdfsig.check(bad);
    assert.ok(p.signatures[0]!.valid && !p.signatures[1]!.valid, p.output);
  });

  test('a signer revoked before signing fails revocation (pdfsig with the OCSP responder: revoked)', async () => {
    const who = await issue('Trần Văn Thu Hồi');
    pki.revoke(who.certificate, { date: new Date(Date.now() - 30 * MINUTE), reason: 1 });
    const signed = await sign(record, who, 'Hiệu trưởng');
    const r = await validateDocument(signed, online());
    assert.equal(r.status, 'failed');
    assert.equal(r.signatures[0]!.checks.revocation?.status, 'failed', failing(r));
    assert.match(r.signatures[0]!.checks.revocation!.reason, /Trần Văn Thu Hồi.*revoked on/);
    const p = await pdfsig.check(signed);
    assert.ok(p.signatures[0]!.revoked && !p.signatures[0]!.trusted, p.output);
  });

  test('revoked after its B-T timestamp: passed (pdfsig reports the current status, revoked: it does not reason about signing time)', async () => {
    const who = await issue('Lý Thị Thu Hồi Sau');
    const signed = await sign(record, who, 'Hiệu trưởng', { timestamp: true });
    const genTime = parseTimestampToken(readCmsSignature(readPdfSignatures(signed)[0]!.cms).timestampToken!).genTime;
    pki.revoke(who.certificate, { date: new Date(genTime.getTime() + 2000) });
    const r = await validateDocument(signed, online());
    assert.equal(r.status, 'passed', failing(r));
    assert.match(r.signatures[0]!.checks.revocation!.reason, /revoked later/);
    const p = await pdfsig.check(signed);
    assert.ok(p.signatures[0]!.valid && p.signatures[0]!.revoked, p.output);
  });

  test('a certificate expired at the claimed signing time fails the chain (pdfsig: Certificate has Expired)', async () => {
    const now = Date.now();
    const who = await issue('Vũ Văn Hết Hạn', { notBefore: new Date(now - 3 * 1440 * MINUTE), notAfter: new Date(now - 1440 * MINUTE) });
    const signed = await sign(record, who, 'Hiệu trưởng', { signingTime: new Date(now - 5 * MINUTE) });
    const r = await validateDocument(signed, online());
    assert.equal(r.signatures[0]!.checks.chain?.status, 'failed', failing(r));
    assert.match(r.signatures[0]!.checks.chain!.reason, /Vũ Văn Hết Hạn.* expired on .*claimed signing time/);
    assert.equal(r.status, 'failed');
    const p = await pdfsig.check(signed);
    assert.ok(p.signatures[0]!.valid && p.signatures[0]!.expired, p.output);
  });

  test('a signer from an untrusted root fails the chain (pdfsig: not trusted)', async () => {
    const foreign = await createTestPki({ label: 'hocba TEST Lạ' });
    const who = await foreign.issue({ commonName: 'Kẻ Giả Mạo' });
    const signed = await sign(record, who, 'Hiệu trưởng', { chain: [...who.chain, foreign.root.certificate] });
    const r = await validateDocument(signed, online());
    assert.equal(r.signatures[0]!.checks.chain?.status, 'failed', failing(r));
    assert.match(r.signatures[0]!.checks.chain!.reason, /not a trusted root/);
    assert.equal(r.status, 'failed');
    const p = await pdfsig.check(signed);
    assert.ok(p.signatures[0]!.valid && !p.signatures[0]!.trusted, p.output);
  });

  test('OCSP responder down and no DSS: indeterminate, never passed (pdfsig: not trusted)', async () => {
    const down = await unreachablePki();
    const who = await down.issue({ commonName: 'Hoàng Thị Ngoại Tuyến' });
    const signed = await sign(record, who, 'Hiệu trưởng');
    const r = await validateDocument(signed, { trustAnchors: [down.root.certificate], revocation: revocationClient({ timeoutMs: 5000, cacheTtlMs: 0 }) });
    assert.equal(r.status, 'indeterminate', failing(r));
    assert.deepEqual(Object.entries(r.signatures[0]!.checks).filter(([, c]) => c.status !== 'passed').map(([k]) => k), ['revocation']);
    const other = await pdfsigRunner(down.root.certificatePem);
    try {
      const p = await other.check(signed);
      assert.ok(p.signatures[0]!.valid && !p.signatures[0]!.trusted, p.output);
    } finally {
      await other.close();
    }
  });

  test('a SHA-1 CMS (made by openssl) fails the format check (pdfsig shows it as SHA1)', async () => {
    const who = await shared.signer('Nguyễn Văn Hiệu');
    const prepared = preparePadesSignature({ pdf: record, chain: who.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', fieldName: 'Hiệu trưởng', signingTime: new Date(Date.now() - 5 * MINUTE) });
    const dir = await mkdtemp(join(tmpdir(), 'hocba-sha1-'));
    let cms: Buffer;
    try {
      await writeFile(join(dir, 'signed.bin'), signedBytes(prepared.preparedPdf, prepared.state.byteRange));
      await writeFile(join(dir, 'cert.pem'), who.certificatePem);
      await writeFile(join(dir, 'key.pem'), who.privateKeyPem);
      await writeFile(join(dir, 'ca.pem'), pki.issuing.certificatePem);
      const o = await runTool('openssl', ['cms', '-sign', '-binary', '-md', 'sha1', '-in', 'signed.bin', '-signer', 'cert.pem', '-inkey', 'key.pem', '-certfile', 'ca.pem', '-outform', 'DER', '-out', 'sig.der'], { cwd: dir });
      assert.equal(o.status, 0, o.stderr);
      cms = await readFile(join(dir, 'sig.der'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const pdf = new Uint8Array(prepared.preparedPdf);
    Buffer.from(pdf.buffer).write(cms.toString('hex').toUpperCase(), prepared.state.byteRange[1] + 1, 'latin1');
    const r = await validateDocument(pdf, online());
    const s = r.signatures[0]!;
    assert.equal(r.status, 'failed');
    assert.equal(s.checks.format?.status, 'failed', failing(r));
    assert.match(s.checks.format!.reason, /digest algorithm 1\.3\.14\.3\.2\.26 \(SHA-1\) is not accepted/);
    const p = await pdfsig.check(pdf);
    assert.match(p.signatures[0]!.text, /Signing Hash Algorithm: SHA1/, p.output);
  });
});
