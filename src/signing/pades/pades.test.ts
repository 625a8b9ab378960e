/**
 * PAdES on a real học bạ PDF (PDF/A-3b with the embedded hocba.xml), checked by independent
 * tools: pdfsig (poppler + NSS, trusting the test root, OCSP answered by the test responder),
 * openssl cms / ts, pdfinfo and pdfdetach.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runTool, sharedTestPki, toolSkip } from '../../../test/helpers/test-pki.ts';
import { renderRecordPdf } from '../../documents/pdf/render-record.ts';
import { longSnapshot } from '../../documents/pdf/test-snapshots.ts';
import { readCmsSignature } from '../cms/read-cms.ts';
import { swapSignerCertificate } from '../cms/testing.ts';
import { verifyCmsSignature } from '../cms/verify-cms.ts';
import type { PkiIdentity, TestPki } from '../pki/test-pki.ts';
import { SigningError, type RevocationProvider, type Signer } from '../signer.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { tsaClient } from '../tsa/tsa-client.ts';
import { pdfsigRunner, type PdfsigSignature } from '../validation/testing.ts';
import { addDss, readDss } from './dss.ts';
import { openPdf } from './pdf-document.ts';
import { formFields, lastPageRef } from './pdf-form.ts';
import type { PdfDict, PdfRef } from './pdf-objects.ts';
import { completePadesSignature, preparePadesSignature, type PadesSignatureState } from './prepare-pades.ts';
import { readPdfSignatures, signedBytes } from './read-signatures.ts';
import { signPdf } from './sign-pdf.ts';

const skip = toolSkip('pdfsig', 'certutil', 'openssl', 'pdfinfo', 'pdfdetach');
const SIGNED_AT = new Date('2026-06-01T02:30:00Z');
const SEALED_AT = new Date('2026-06-01T03:00:00Z');

let pki: TestPki;
let url: string;
let dir: string;
let record: Uint8Array;
let principal: PkiIdentity;
let seal: PkiIdentity;
/** The record signed by the principal, then sealed by the school with a timestamp. */
let twoSigned: Uint8Array;
let runner: Awaited<ReturnType<typeof pdfsigRunner>>;

const signerOf = (id: PkiIdentity): Signer => softwareSigner({ privateKey: id.privateKey, chain: id.chain, description: id.subject });

before(async () => {
  if (skip) return;
  const shared = await sharedTestPki();
  pki = shared.pki;
  url = shared.url;
  principal = await shared.signer('Nguyễn Văn Hiệu');
  seal = await shared.seal('Trường THPT Chu Văn An TEST');
  dir = await mkdtemp(join(tmpdir(), 'hocba-pades-'));
  await writeFile(join(dir, 'root.pem'), pki.root.certificatePem);
  await writeFile(join(dir, 'issuing.pem'), pki.issuing.certificatePem);
  runner = await pdfsigRunner(pki.root.certificatePem);
  record = new Uint8Array(await renderRecordPdf(longSnapshot()));
  const approved = await signPdf({ pdf: record, signer: signerOf(principal), fieldName: 'Hiệu trưởng', signingTime: SIGNED_AT, reason: 'Phê duyệt học bạ', name: 'Nguyễn Văn Hiệu', location: 'Hà Nội' });
  twoSigned = await signPdf({ pdf: approved, signer: signerOf(seal), fieldName: 'Văn thư – đóng dấu', signingTime: SEALED_AT, reason: 'Đóng dấu của nhà trường', timestamp: tsaClient(`${url}/tsa`) });
});
after(async () => {
  await runner?.close();
  if (dir && !process.env.KEEP) await rm(dir, { recursive: true, force: true });
});

/** pdfsig (poppler + NSS trusting the test root), one entry per signature; the file is kept under `dir` for KEEP=1 debugging. */
async function pdfsig(pdf: Uint8Array, name: string): Promise<{ out: string; sigs: PdfsigSignature[] }> {
  await writeFile(join(dir, name), pdf);
  const r = await runner.check(pdf);
  return { out: r.output, sigs: r.signatures };
}

/** Revocation evidence from the test PKI: an OCSP response (request built by OpenSSL) and the issuing CA's CRL. */
function testRevocation(): RevocationProvider {
  let n = 0;
  return async (certificate, issuer) => {
    const base = join(dir, `rev-${n++}`);
    await writeFile(`${base}-cert.der`, certificate);
    await writeFile(`${base}-issuer.der`, issuer);
    await runTool('openssl', ['x509', '-inform', 'DER', '-in', `${base}-cert.der`, '-out', `${base}-cert.pem`]);
    await runTool('openssl', ['x509', '-inform', 'DER', '-in', `${base}-issuer.der`, '-out', `${base}-issuer.pem`]);
    const r = await runTool('openssl', ['ocsp', '-issuer', `${base}-issuer.pem`, '-cert', `${base}-cert.pem`, '-no_nonce', '-reqout', `${base}-req.der`]);
    assert.equal(r.status, 0, r.stderr);
    const response = await pki.ocspRespond(new Uint8Array(await readFile(`${base}-req.der`)));
    const issuedByIssuingCa = Buffer.from(issuer).equals(Buffer.from(pki.issuing.certificate));
    return { ocspResponses: [response], crls: issuedByIssuingCa ? [await pki.crl()] : [await pki.rootCrl()] };
  };
}

describe('PAdES on a học bạ: principal + school seal', { skip }, () => {
  test('pdfsig reports both signatures valid and trusted, with Vietnamese names and field names', async () => {
    const { out, sigs } = await pdfsig(twoSigned, 'two.pdf');
    assert.equal(sigs.length, 2, out);
    for (const s of sigs) {
      assert.ok(s.valid, `${s.field}: ${s.text}`);
      assert.ok(s.trusted, `${s.field}: ${s.text}`);
      assert.match(s.text, /Signature Type: ETSI\.CAdES\.detached/);
      assert.match(s.text, /Signing Hash Algorithm: SHA-256/);
      assert.match(s.text, /Signing Time: \w{3} \d{2} 2026/);
    }
    assert.deepEqual(
      sigs.map((s) => [s.field, s.commonName]),
      [
        ['Hiệu trưởng', 'Nguyễn Văn Hiệu'],
        ['Văn thư – đóng dấu', 'Trường THPT Chu Văn An TEST'],
      ],
    );
    assert.match(sigs[0]!.text, /Not total document signed/);
    assert.match(sigs[1]!.text, /- Total document signed/);
  });

  test('readPdfSignatures: ranges cover each revision exactly, /M, /Reason, /Name; the seal carries a verified timestamp', async () => {
    const sigs = readPdfSignatures(twoSigned);
    assert.equal(sigs.length, 2);
    const [p, s] = sigs;
    assert.equal(p!.fieldName, 'Hiệu trưởng');
    assert.equal(p!.subFilter, 'ETSI.CAdES.detached');
    assert.equal(p!.filter, 'Adobe.PPKLite');
    assert.equal(p!.name, 'Nguyễn Văn Hiệu');
    assert.equal(p!.reason, 'Phê duyệt học bạ');
    assert.equal(p!.location, 'Hà Nội');
    assert.equal(p!.signingTime?.toISOString(), SIGNED_AT.toISOString());
    assert.deepEqual([p!.revision, p!.coversRevision, p!.coversWholeFile], [2, true, false]);
    assert.deepEqual([s!.revision, s!.coversRevision, s!.coversWholeFile], [3, true, true]);
    assert.equal(s!.byteRange[0], 0);
    assert.equal(s!.byteRange[2]! + s!.byteRange[3]!, twoSigned.length);
    for (const sig of sigs) {
      const v = verifyCmsSignature(sig.cms, sig.contentDigest);
      assert.equal(v.valid, true, `${sig.fieldName}: ${JSON.stringify(v.checks)}`);
    }
    const sealCheck = verifyCmsSignature(s!.cms, s!.contentDigest);
    assert.equal(sealCheck.checks.find((c) => c.check === 'timestamp')?.status, 'passed');
    assert.ok(sealCheck.timestamp && Math.abs(sealCheck.timestamp.genTime.getTime() - Date.now()) < 10 * 60_000, 'genTime is the TSA clock');
    assert.equal(readCmsSignature(p!.cms).timestampToken, null, 'the principal signature is B-B');
  });

  test('invisible widgets on the last page, approval signatures only (no DocMDP), earlier bytes untouched', () => {
    const doc = openPdf(twoSigned);
    const last = lastPageRef(doc);
    const sigFields = formFields(doc).filter((f) => f.type === 'Sig');
    assert.equal(sigFields.length, 2);
    for (const f of sigFields) {
      assert.deepEqual(f.dict.get('Rect'), [0, 0, 0, 0]);
      assert.equal((f.dict.get('P') as PdfRef).num, last.num);
    }
    const annots = (doc.get(last) as PdfDict).get('Annots') as PdfRef[];
    assert.deepEqual(annots.map((r) => r.num), sigFields.map((f) => f.ref!.num));
    assert.equal(doc.catalog().get('Perms'), undefined);
    const af = doc.resolve(doc.catalog().get('AcroForm')) as PdfDict;
    assert.equal(af.get('SigFlags'), 3);
    // The original bytes are untouched: the signed file starts with the rendered record.
    assert.ok(Buffer.from(twoSigned.subarray(0, record.length)).equals(Buffer.from(record)));
  });

  test('openssl cms -verify accepts each CMS extracted from the PDF; openssl ts -verify accepts the seal timestamp', async () => {
    for (const [i, sig] of readPdfSignatures(twoSigned).entries()) {
      await writeFile(join(dir, `sig${i}.der`), sig.cms);
      await writeFile(join(dir, `signed${i}.bin`), signedBytes(twoSigned, sig.byteRange));
      const r = await runTool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', `sig${i}.der`, '-content', `signed${i}.bin`, '-CAfile', 'root.pem', '-certfile', 'issuing.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
      assert.equal(r.status, 0, `${sig.fieldName}: ${r.stderr}`);
      assert.match(r.stderr, /Verification successful/);
      // The wrong content must not pass: the check is real.
      const wrong = await runTool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', `sig${i}.der`, '-content', 'root.pem', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
      assert.notEqual(wrong.status, 0);
    }
    const printed = await runTool('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig1.der', '-nameopt', 'utf8'], { cwd: dir });
    assert.match(printed.stdout, /id-smime-aa-timeStampToken/);
    assert.match(printed.stdout, /id-smime-aa-signingCertificateV2/);
    assert.doesNotMatch(printed.stdout, /signingTime/);
    const first = await runTool('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig0.der', '-nameopt', 'utf8'], { cwd: dir });
    assert.match(first.stdout, /CN=Nguyễn Văn Hiệu/);

    const seal = readCmsSignature(readPdfSignatures(twoSigned)[1]!.cms);
    await writeFile(join(dir, 'tst.der'), seal.timestampToken!);
    await writeFile(join(dir, 'sigvalue.bin'), seal.signatureValue);
    const ts = await runTool('openssl', ['ts', '-verify', '-token_in', '-in', 'tst.der', '-data', 'sigvalue.bin', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem'], { cwd: dir });
    assert.match(ts.stdout, /Verification: OK/, ts.stderr);
  });

  test('the embedded hocba.xml is still listed and byte-identical after signing (pdfinfo, pdfdetach)', async () => {
    await writeFile(join(dir, 'record.pdf'), record);
    await writeFile(join(dir, 'signed.pdf'), twoSigned);
    const info = await runTool('pdfinfo', ['signed.pdf'], { cwd: dir });
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, /Pages:\s+7/);
    assert.match(info.stdout, /Form:\s+AcroForm/);
    assert.match(info.stdout, /Title:\s+Học bạ/);
    const list = await runTool('pdfdetach', ['-list', 'signed.pdf'], { cwd: dir });
    assert.match(list.stdout, /1: hocba\.xml/);
    await runTool('pdfdetach', ['-save', '1', '-o', 'before.xml', 'record.pdf'], { cwd: dir });
    await runTool('pdfdetach', ['-save', '1', '-o', 'after.xml', 'signed.pdf'], { cwd: dir });
    const before = await readFile(join(dir, 'before.xml'));
    assert.ok(before.length > 1000);
    assert.ok(before.equals(await readFile(join(dir, 'after.xml'))));
  });

  test('same input, same signing time → same bytes (RSA PKCS#1 v1.5, no timestamp)', async () => {
    const opts = { pdf: record, signer: signerOf(principal), fieldName: 'Hiệu trưởng', signingTime: SIGNED_AT };
    assert.ok(Buffer.from(await signPdf(opts)).equals(Buffer.from(await signPdf(opts))));
  });
});

describe('PAdES: more signatures and B-LT', { skip }, () => {
  test('a third signature (split prepare/complete with a JSON state) and a DSS keep every signature valid', async () => {
    const third = await (await sharedTestPki()).signer('Phạm Thị Hồng Nhung');
    const prepared = preparePadesSignature({ pdf: twoSigned, chain: third.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', fieldName: 'Kiểm tra', signingTime: new Date(), timestamp: true });
    const state = JSON.parse(JSON.stringify(prepared.state)) as PadesSignatureState;
    const [value] = await signerOf(third).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: prepared.digest }] });
    const three = await completePadesSignature({ preparedPdf: prepared.preparedPdf, state, signatureValue: value!, timestamp: tsaClient(`${url}/tsa`) });

    const provider = testRevocation();
    const evidence = [await provider(principal.certificate, pki.issuing.certificate), await provider(pki.issuing.certificate, pki.root.certificate)];
    const withDss = addDss({
      pdf: three,
      certificates: [principal.certificate, pki.issuing.certificate, pki.root.certificate],
      ocspResponses: evidence.flatMap((e) => e.ocspResponses),
      crls: evidence.flatMap((e) => e.crls),
    });
    const { out, sigs } = await pdfsig(withDss, 'three-dss.pdf');
    assert.equal(sigs.length, 3, out);
    assert.ok(sigs.every((s) => s.valid && s.trusted), out);
    assert.match(sigs[2]!.text, /Signer Certificate Common Name: Phạm Thị Hồng Nhung/);

    const read = readPdfSignatures(withDss);
    assert.deepEqual(read.map((s) => [s.revision, s.coversRevision, s.coversWholeFile]), [[2, true, false], [3, true, false], [4, true, false]]);
    const dss = readDss(withDss);
    assert.equal(dss.present, true);
    assert.equal(dss.certificates.length, 3);
    assert.deepEqual(dss.certificates[2], pki.root.certificate);
    assert.equal(dss.ocspResponses.length, 2);
    assert.equal(dss.crls.length, 2);
    assert.equal(readDss(three).present, false);
    // Merging: known items are not duplicated, new ones are added in a further revision.
    assert.equal(addDss({ pdf: withDss, certificates: [pki.root.certificate] }), withDss);
    const more = addDss({ pdf: withDss, certificates: [third.certificate] });
    assert.equal(readDss(more).certificates.length, 4);
    assert.equal(readDss(more).ocspResponses.length, 2);
    assert.ok((await pdfsig(more, 'more.pdf')).sigs.every((s) => s.valid));
  });

  test('signPdf with a revocation provider writes B-LT evidence for the signer and the TSA chains', async () => {
    const signed = await signPdf({
      pdf: record,
      signer: signerOf(seal),
      fieldName: 'Đóng dấu',
      signingTime: SEALED_AT,
      timestamp: tsaClient(`${url}/tsa`),
      revocation: testRevocation(),
      certificates: [pki.root.certificate],
    });
    const dss = readDss(signed);
    const has = (c: Uint8Array) => dss.certificates.some((d) => Buffer.from(d).equals(Buffer.from(c)));
    assert.ok(has(seal.certificate) && has(pki.issuing.certificate) && has(pki.root.certificate) && has(pki.tsa.certificate));
    // seal ← issuing, TSA ← issuing, issuing ← root: one OCSP response each.
    assert.equal(dss.ocspResponses.length, 3);
    assert.ok(dss.crls.length >= 1);
    const [sig] = readPdfSignatures(signed);
    assert.deepEqual([sig!.revision, sig!.coversRevision, sig!.coversWholeFile], [2, true, false]);
    const { sigs } = await pdfsig(signed, 'blt.pdf');
    assert.ok(sigs[0]!.valid && sigs[0]!.trusted, sigs[0]!.text);
  });

  test('ECDSA P-256 signatures are valid for pdfsig too', async () => {
    const ec = await pki.issue({ commonName: 'Đỗ Thị Êm', keyType: 'ec-p256', organization: 'Trường THPT TEST' });
    const signed = await signPdf({ pdf: record, signer: signerOf(ec), fieldName: 'EC', signingTime: SIGNED_AT });
    const { sigs, out } = await pdfsig(signed, 'ec.pdf');
    assert.ok(sigs[0]?.valid && sigs[0].trusted, out);
    assert.equal(readCmsSignature(readPdfSignatures(signed)[0]!.cms).signatureAlgorithm, 'ECDSA-SHA256');
  });
});

describe('PAdES tampering: pdfsig and our reader both refuse', { skip }, () => {
  test('a flipped byte inside the signed range breaks both signatures', async () => {
    const bad = new Uint8Array(twoSigned);
    const at = Buffer.from(bad).indexOf('stream\n') + 200; // inside the first stream's data: the file still parses
    bad[at] = bad[at]! ^ 0x01;
    const { sigs, out } = await pdfsig(bad, 'flipped.pdf');
    assert.equal(sigs.length, 2, out);
    assert.ok(sigs.every((s) => !s.valid && /Digest Mismatch/.test(s.text)), out);
    for (const s of readPdfSignatures(bad)) {
      const v = verifyCmsSignature(s.cms, s.contentDigest);
      assert.equal(v.checks.find((c) => c.check === 'message_digest')?.status, 'failed');
    }
  });

  test('a substituted signer certificate is rejected', async () => {
    const other = await (await sharedTestPki()).signer('Kẻ Giả Mạo');
    const sig = readPdfSignatures(twoSigned)[1]!;
    const forged = swapSignerCertificate(sig.cms, other.certificate, other.chain.slice(1));
    const bad = new Uint8Array(twoSigned);
    const hex = Buffer.from(forged).toString('hex').toUpperCase().padEnd(sig.contentsRange![1] - sig.contentsRange![0] - 2, '0');
    Buffer.from(bad.buffer).write(hex, sig.contentsRange![0] + 1, 'latin1');
    const { sigs, out } = await pdfsig(bad, 'swapped.pdf');
    assert.ok(sigs[0]!.valid, 'the first signature is untouched');
    assert.equal(sigs[1]!.valid, false, out);
    assert.match(sigs[1]!.commonName, /Kẻ Giả Mạo/);
    const v = verifyCmsSignature(readPdfSignatures(bad)[1]!.cms, sig.contentDigest);
    assert.equal(v.checks.find((c) => c.check === 'signature_value')?.status, 'failed');
    assert.equal(v.checks.find((c) => c.check === 'signing_certificate')?.status, 'failed');
  });

  test("removing the first signature's revision invalidates the rest", async () => {
    const sigs = readPdfSignatures(twoSigned);
    const [end1, end2] = [sigs[0]!.signedEnd, sigs[1]!.signedEnd];
    assert.ok(end2 > end1);
    const start1 = record.length;
    const cut = new Uint8Array(Buffer.concat([twoSigned.subarray(0, start1), twoSigned.subarray(end1)]));
    const { sigs: after, out } = await pdfsig(cut, 'cut.pdf');
    assert.ok(after.length >= 1, out);
    assert.doesNotMatch(out, /Signature is Valid/);
    assert.throws(() => readPdfSignatures(cut), (e: unknown) => e instanceof SigningError && e.code === 'document_invalid');
  });

  test('a revoked signer certificate is reported revoked by pdfsig (OCSP answered by the test responder)', async () => {
    const revoked = await pki.issue({ commonName: 'Trần Văn Thu Hồi', organization: 'Trường THPT TEST' });
    const signed = await signPdf({ pdf: record, signer: signerOf(revoked), fieldName: 'Hiệu trưởng', signingTime: SIGNED_AT });
    assert.ok((await pdfsig(signed, 'before-revoke.pdf')).sigs[0]!.trusted);
    pki.revoke(revoked.certificate, { reason: 1 });
    const { sigs, out } = await pdfsig(signed, 'revoked.pdf');
    assert.equal(sigs[0]!.trusted, false, out);
    assert.match(sigs[0]!.text, /Certificate has been Revoked/);
  });
});

describe('PAdES: refusals name what is wrong', { skip }, () => {
  const code = (c: string, re?: RegExp) => (e: unknown) => e instanceof SigningError && e.code === c && (!re || re.test(e.message));

  test('duplicate or malformed field names, a changed prepared PDF, a wrong key and a small placeholder', async () => {
    const base = { chain: principal.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256' as const, signingTime: SIGNED_AT };
    assert.throws(() => preparePadesSignature({ ...base, pdf: twoSigned, fieldName: 'Hiệu trưởng' }), code('document_invalid', /already has a form field named "Hiệu trưởng"/));
    assert.throws(() => preparePadesSignature({ ...base, pdf: record, fieldName: 'a.b' }), code('document_invalid', /no '\.'/));
    assert.throws(() => preparePadesSignature({ ...base, pdf: record, fieldName: '' }), code('document_invalid'));

    const prepared = preparePadesSignature({ ...base, pdf: record, fieldName: 'P' });
    const [value] = await signerOf(principal).signDigests({ algorithm: base.algorithm, items: [{ digest: prepared.digest }] });
    const changed = new Uint8Array(prepared.preparedPdf);
    changed[100] = changed[100]! ^ 1;
    await assert.rejects(completePadesSignature({ preparedPdf: changed, state: prepared.state, signatureValue: value! }), code('document_invalid', /changed after the digest/));
    await assert.rejects(completePadesSignature({ preparedPdf: record, state: prepared.state, signatureValue: value! }), code('document_invalid', /not the one prepared/));
    const [wrong] = await signerOf(seal).signDigests({ algorithm: base.algorithm, items: [{ digest: prepared.digest }] });
    await assert.rejects(completePadesSignature({ preparedPdf: prepared.preparedPdf, state: prepared.state, signatureValue: wrong! }), code('certificate_invalid'));

    const tiny = preparePadesSignature({ ...base, pdf: record, fieldName: 'Q', signatureSize: 1024 });
    const [v2] = await signerOf(principal).signDigests({ algorithm: base.algorithm, items: [{ digest: tiny.digest }] });
    await assert.rejects(completePadesSignature({ preparedPdf: tiny.preparedPdf, state: tiny.state, signatureValue: v2! }), code('document_invalid', /does not fit the 1024-byte placeholder/));
    // The good value still completes: nothing was consumed by the failures.
    const ok = await completePadesSignature({ preparedPdf: prepared.preparedPdf, state: prepared.state, signatureValue: value! });
    assert.equal(readPdfSignatures(ok).length, 1);
  });
});
