import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runTool, sharedTestPki, toolSkip } from '../../../test/helpers/test-pki.ts';
import type { PkiIdentity, TestPki } from '../pki/test-pki.ts';
import { SigningError, type SignatureAlgorithm } from '../signer.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { tsaClient } from '../tsa/tsa-client.ts';
import { OID, ecdsaDerToP1363, ecdsaP1363ToDer } from './algorithms.ts';
import { children, parseDer } from './der.ts';
import { readCmsSignature } from './read-cms.ts';
import { completeCmsSignature, contentDigestOf, prepareCmsSignature, type CmsSignatureState } from './sign-cms.ts';
import { swapSignerCertificate } from './testing.ts';
import { readTimestampToken } from './timestamp-token.ts';
import { verifyCmsSignature } from './verify-cms.ts';

const skipOpenssl = toolSkip('openssl');
const CONTENT = Buffer.from('Học bạ số — nội dung được ký (detached)\n', 'utf8');
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

let pki: TestPki;
let tsaUrl: string;
let rsa: PkiIdentity;
let ec: PkiIdentity;
let other: PkiIdentity;
let dir: string;

before(async () => {
  const shared = await sharedTestPki();
  pki = shared.pki;
  tsaUrl = `${shared.url}/tsa`;
  rsa = await shared.signer('Nguyễn Văn Hiệu');
  other = await shared.signer('Lê Thị Thu');
  ec = await pki.issue({ commonName: 'Trần Thị Ếch', keyType: 'ec-p256' });
  dir = await mkdtemp(join(tmpdir(), 'hocba-cms-'));
  await writeFile(join(dir, 'root.pem'), pki.root.certificatePem);
  await writeFile(join(dir, 'issuing.pem'), pki.issuing.certificatePem);
  await writeFile(join(dir, 'content.bin'), CONTENT);
});
after(() => rm(dir, { recursive: true, force: true }));

/** prepare → Signer → complete, the way every caller does it. */
async function sign(id: PkiIdentity, algorithm: SignatureAlgorithm, opts: { profile?: 'pades' | 'cades'; signingTime?: Date; timestamp?: boolean } = {}) {
  const contentDigest = contentDigestOf('SHA-256', CONTENT);
  const prepared = prepareCmsSignature({ contentDigest, digestAlgorithm: 'SHA-256', chain: id.chain, algorithm, profile: opts.profile ?? 'pades', signingTime: opts.signingTime });
  // The state survives a trip through JSON (it waits in the database while a person approves).
  const state = JSON.parse(JSON.stringify(prepared.state)) as CmsSignatureState;
  const [value] = await softwareSigner({ privateKey: id.privateKey, chain: id.chain }).signDigests({ algorithm, items: [{ digest: prepared.digest }] });
  const der = await completeCmsSignature(state, value!, opts.timestamp ? { timestamp: tsaClient(tsaUrl) } : {});
  return { der, contentDigest, prepared, value: value! };
}

async function opensslVerify(der: Uint8Array, name: string) {
  await writeFile(join(dir, name), der);
  return runTool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', name, '-content', 'content.bin', '-CAfile', 'root.pem', '-certfile', 'issuing.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
}

describe('CMS signer: prepare → sign → complete', () => {
  test('RSA and ECDSA signatures are accepted by OpenSSL and by verifyCmsSignature', { skip: skipOpenssl }, async () => {
    for (const [id, alg] of [
      [rsa, 'RSASSA-PKCS1-v1_5-SHA256'],
      [ec, 'ECDSA-SHA256'],
    ] as const) {
      const { der, contentDigest } = await sign(id, alg);
      const r = await opensslVerify(der, `${alg}.p7s`);
      assert.equal(r.status, 0, `${alg}: ${r.stderr}`);
      assert.match(r.stderr, /Verification successful/);
      const v = verifyCmsSignature(der, contentDigest);
      assert.equal(v.valid, true, JSON.stringify(v.checks));
      assert.deepEqual(
        v.checks.map((c) => c.check),
        ['structure', 'algorithm', 'content_type', 'message_digest', 'signing_certificate', 'signature_value'],
      );
      assert.equal(v.signature?.signatureAlgorithm, alg);
    }
  });

  test('the signed attributes are exactly contentType, messageDigest and signing-certificate-v2 (PAdES: no signingTime)', async () => {
    const { der, contentDigest } = await sign(rsa, 'RSASSA-PKCS1-v1_5-SHA256');
    const info = readCmsSignature(der);
    assert.deepEqual(info.signedAttributes.map((a) => a.type).sort(), [OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
    assert.deepEqual(info.messageDigest, contentDigest);
    assert.equal(info.contentTypeAttribute, OID.data);
    assert.equal(info.signingTime, null);
    assert.equal(info.encapsulatedContent, null, 'detached');
    assert.deepEqual(info.signingCertificateV2?.[0]?.certHash, sha256(rsa.certificate));
    assert.deepEqual(info.signerCertificate, rsa.certificate);
    assert.equal(info.certificates.length, 2, 'signer and issuing CA');
    // DER SET OF: attributes sorted by encoding, or OpenSSL's re-encoding would not match the signed bytes.
    const encoded = children(parseDer(info.signedAttributesDer!)).map((t) => Buffer.from(t.bytes.subarray(t.start, t.end)));
    assert.deepEqual(encoded, [...encoded].sort(Buffer.compare));
  });

  test('CAdES carries the signing time when asked', async () => {
    const when = new Date('2026-05-31T09:15:00Z');
    const { der } = await sign(rsa, 'RSASSA-PKCS1-v1_5-SHA256', { profile: 'cades', signingTime: when });
    assert.equal(readCmsSignature(der).signingTime?.toISOString(), when.toISOString());
  });

  test('the Vietnamese signer name survives as UTF-8 (openssl cms -cmsout -print)', { skip: skipOpenssl }, async () => {
    const { der } = await sign(rsa, 'RSASSA-PKCS1-v1_5-SHA256');
    await writeFile(join(dir, 'name.p7s'), der);
    const r = await runTool('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'name.p7s', '-nameopt', 'utf8'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /CN=Nguyễn Văn Hiệu/);
    assert.doesNotMatch(r.stdout, /Ã|Æ/, 'no double-encoded UTF-8');
  });

  test('B-T: the signature timestamp covers the signature value (openssl ts -verify)', { skip: skipOpenssl }, async () => {
    const { der, contentDigest } = await sign(rsa, 'RSASSA-PKCS1-v1_5-SHA256', { timestamp: true });
    const info = readCmsSignature(der);
    assert.ok(info.timestampToken);
    const v = verifyCmsSignature(der, contentDigest);
    assert.equal(v.valid, true, JSON.stringify(v.checks));
    assert.equal(v.checks.find((c) => c.check === 'timestamp')?.status, 'passed');
    const tst = readTimestampToken(info.timestampToken);
    assert.deepEqual(tst.imprint, sha256(info.signatureValue));
    await writeFile(join(dir, 'token.der'), info.timestampToken);
    await writeFile(join(dir, 'sigvalue.bin'), info.signatureValue);
    const r = await runTool('openssl', ['ts', '-verify', '-token_in', '-in', 'token.der', '-data', 'sigvalue.bin', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Verification: OK/);
  });

  test('ECDSA values are converted from P1363 (r||s) to DER and back', () => {
    const p1363 = new Uint8Array(64).fill(0x80);
    p1363.fill(0x01, 32);
    const der = ecdsaP1363ToDer(p1363, 32);
    assert.equal(der[0], 0x30);
    assert.equal(der[2], 0x02);
    assert.equal(der[3], 33, 'high bit set → leading zero');
    assert.deepEqual(ecdsaDerToP1363(der, 32), p1363);
    assert.throws(() => ecdsaP1363ToDer(new Uint8Array(70), 32), (e: unknown) => e instanceof SigningError && e.code === 'document_invalid' && /70 bytes, expected 64/.test(e.message));
  });
});

describe('CMS signer: refusals', () => {
  test('a value made with another key is refused before anything is returned', async () => {
    const prepared = prepareCmsSignature({ contentDigest: sha256(CONTENT), digestAlgorithm: 'SHA-256', chain: rsa.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', profile: 'pades' });
    const [wrong] = await softwareSigner({ privateKey: other.privateKey, chain: other.chain }).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: prepared.digest }] });
    await assert.rejects(completeCmsSignature(prepared.state, wrong!), (e: unknown) => e instanceof SigningError && e.code === 'certificate_invalid' && /Nguyễn Văn Hiệu/.test(e.message));
  });

  test('mismatched digest/signature algorithms, wrong digest sizes, weak keys and empty chains are refused', async () => {
    const base = { contentDigest: sha256(CONTENT), digestAlgorithm: 'SHA-256' as const, chain: rsa.chain, profile: 'pades' as const };
    const code = (c: string) => (e: unknown) => e instanceof SigningError && e.code === c;
    assert.throws(() => prepareCmsSignature({ ...base, algorithm: 'RSASSA-PKCS1-v1_5-SHA384' }), code('unsupported_algorithm'));
    assert.throws(() => prepareCmsSignature({ ...base, algorithm: 'ECDSA-SHA256' }), code('unsupported_algorithm'));
    assert.throws(() => prepareCmsSignature({ ...base, contentDigest: new Uint8Array(20), algorithm: 'RSASSA-PKCS1-v1_5-SHA256' }), code('document_invalid'));
    assert.throws(() => prepareCmsSignature({ ...base, chain: [], algorithm: 'RSASSA-PKCS1-v1_5-SHA256' }), code('certificate_invalid'));
    const weak = await pki.issue({ commonName: 'Khóa Yếu', keyType: 'rsa-1024' });
    assert.throws(() => prepareCmsSignature({ ...base, chain: weak.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256' }), (e: unknown) => e instanceof SigningError && e.code === 'unsupported_algorithm' && /1024-bit/.test(e.message));
  });

  test('a timestamp over another value is refused (timestamp_failed)', async () => {
    const prepared = prepareCmsSignature({ contentDigest: sha256(CONTENT), digestAlgorithm: 'SHA-256', chain: rsa.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', profile: 'pades' });
    const [value] = await softwareSigner({ privateKey: rsa.privateKey, chain: rsa.chain }).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: prepared.digest }] });
    const tsa = tsaClient(tsaUrl);
    const wrongImprint = (imp: { digest: Uint8Array; algorithm: 'SHA-256' | 'SHA-384' | 'SHA-512' }) => tsa({ ...imp, digest: sha256(imp.digest) });
    await assert.rejects(completeCmsSignature(prepared.state, value!, { timestamp: wrongImprint }), (e: unknown) => e instanceof SigningError && e.code === 'timestamp_failed' && /imprint/.test(e.message));
    const down = tsaClient('http://127.0.0.1:9/tsa', { timeoutMs: 2000 });
    await assert.rejects(completeCmsSignature(prepared.state, value!, { timestamp: down }), (e: unknown) => e instanceof SigningError && e.code === 'timestamp_failed');
  });

  test('a tampered state is refused', async () => {
    const prepared = prepareCmsSignature({ contentDigest: sha256(CONTENT), digestAlgorithm: 'SHA-256', chain: rsa.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', profile: 'pades' });
    const [value] = await softwareSigner({ privateKey: rsa.privateKey, chain: rsa.chain }).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: prepared.digest }] });
    const other = prepareCmsSignature({ contentDigest: sha256(Buffer.from('x')), digestAlgorithm: 'SHA-256', chain: rsa.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', profile: 'pades' });
    await assert.rejects(completeCmsSignature({ ...prepared.state, signedAttributes: other.state.signedAttributes }, value!), (e: unknown) => e instanceof SigningError && e.code === 'certificate_invalid');
    await assert.rejects(completeCmsSignature({ ...prepared.state, chain: [] }, value!), (e: unknown) => e instanceof SigningError && e.code === 'document_invalid');
  });
});

describe('verifyCmsSignature: integrity findings', () => {
  test('changed content, substituted certificate and garbage each fail with a reason', async () => {
    const { der, contentDigest } = await sign(rsa, 'RSASSA-PKCS1-v1_5-SHA256');
    const changed = verifyCmsSignature(der, sha256(Buffer.from('другой')));
    assert.equal(changed.valid, false);
    assert.match(changed.checks.find((c) => c.check === 'message_digest')!.reason, /signed bytes were changed/);

    const swapped = swapSignerCertificate(der, other.certificate, other.chain.slice(1));
    const v = verifyCmsSignature(swapped, contentDigest);
    assert.equal(v.valid, false);
    assert.equal(v.checks.find((c) => c.check === 'signature_value')?.status, 'failed');
    assert.match(v.checks.find((c) => c.check === 'signing_certificate')!.reason, /another certificate/);

    const garbage = verifyCmsSignature(new Uint8Array([0x30, 0x82, 0xff, 0xff, 1, 2, 3]), contentDigest);
    assert.equal(garbage.valid, false);
    assert.equal(garbage.checks[0]?.check, 'structure');
    assert.match(garbage.checks[0]!.reason, /claims 65535 bytes/);
    assert.throws(() => readCmsSignature(new Uint8Array(2 * 1024 * 1024)), (e: unknown) => e instanceof SigningError && e.code === 'document_invalid');
  });
});
