import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as pkijs from 'pkijs';
import { runTool, sharedTestPki, toolSkip, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { readSigningCertificateV2, essHashMatches, OID_SIGNING_CERTIFICATE_V2 } from './cms-attributes.ts';
import { toArrayBuffer, toPem } from './der.ts';
import { loadTestPki } from './test-pki.ts';

const skip = toolSkip('openssl');

describe('test PKI (checked with OpenSSL)', { skip }, () => {
  let s: SharedTestPki;
  let dir: string;
  const file = (name: string, data: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  const text = async (pem: string) => (await runTool('openssl', ['x509', '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space'], { input: Buffer.from(pem) })).stdout;

  before(async () => {
    s = await sharedTestPki();
    dir = mkdtempSync(join(tmpdir(), 'hocba-pki-'));
    file('root.pem', s.pki.root.certificatePem);
    file('issuing.pem', s.pki.issuing.certificatePem);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('CA, person, seal, TSA and OCSP certificates carry the profile extensions', async () => {
    const root = await text(s.pki.root.certificatePem);
    assert.match(root, /CA:TRUE/);
    assert.match(root, /Certificate Sign, CRL Sign/);
    assert.match(root, /KHÔNG DÙNG THẬT/);
    const ca = await text(s.pki.issuing.certificatePem);
    assert.match(ca, /CA:TRUE, pathlen:0/);
    assert.match(ca, new RegExp(`URI:${s.url}/crl/root`));

    const person = await s.pki.issue({ commonName: 'Nguyễn Thị Hương', organization: 'Trường THPT TEST', email: 'huong@example.edu.vn', uid: 'gv.huong' });
    const p = await text(person.certificatePem);
    assert.match(p, /Subject: C=VN, O=Trường THPT TEST, CN=Nguyễn Thị Hương, UID=gv\.huong, emailAddress=huong@example\.edu\.vn/);
    assert.match(p, /X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
    assert.match(p, /E-mail Protection/);
    assert.match(p, /email:huong@example\.edu\.vn/);
    assert.match(p, /CA:FALSE/);
    assert.match(p, new RegExp(`OCSP - URI:${s.url}/ocsp`));
    assert.match(p, new RegExp(`URI:${s.url}/crl\\b`));
    assert.match(p, /Public-Key: \(2048 bit\)/);
    assert.match(p, /sha256WithRSAEncryption/);
    assert.equal(person.subject, 'CN=Nguyễn Thị Hương, UID=gv.huong, E=huong@example.edu.vn, O=Trường THPT TEST, C=VN');
    assert.deepEqual(person.chain.length, 2);

    const seal = await text((await s.seal('Trường THPT Hậu Lộc I')).certificatePem);
    assert.match(seal, /Subject: C=VN, O=Trường THPT Hậu Lộc I, CN=Trường THPT Hậu Lộc I/);
    assert.doesNotMatch(seal, /E-mail Protection/);

    const tsa = await text(s.pki.tsa.certificatePem);
    assert.match(tsa, /X509v3 Extended Key Usage: critical\s+Time Stamping/);
    const ocsp = await text(s.pki.ocspResponder.certificatePem);
    assert.match(ocsp, /OCSP Signing/);
    assert.match(ocsp, /OCSP No Check/);
    assert.doesNotMatch(ocsp, /Authority Information Access/);
  });

  test('openssl verify accepts the chains and the CRLs, and rejects a revoked certificate', async () => {
    const good = await s.signer('Lê Văn Tốt');
    const bad = await s.pki.issue({ commonName: 'Phạm Văn Thu Hồi' });
    s.pki.revoke(bad.certificate, { reason: 1 });
    const crl = file('issuing.crl.pem', toPem(await s.pki.crl(), 'X509 CRL'));
    const rootCrl = file('root.crl.pem', toPem(await s.pki.rootCrl(), 'X509 CRL'));
    const base = ['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem')];
    for (const id of [good, s.pki.tsa, s.pki.ocspResponder]) {
      const r = await runTool('openssl', [...base, file('leaf.pem', id.certificatePem)]);
      assert.equal(r.status, 0, `${id.subject}: ${r.stdout}${r.stderr}`);
    }
    const ok = await runTool('openssl', [...base, '-crl_check_all', '-CRLfile', crl, '-CRLfile', rootCrl, file('good.pem', good.certificatePem)]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const revoked = await runTool('openssl', [...base, '-crl_check', '-CRLfile', crl, file('bad.pem', bad.certificatePem)]);
    assert.notEqual(revoked.status, 0);
    assert.match(revoked.stdout + revoked.stderr, /certificate revoked/);
    const crlText = await runTool('openssl', ['crl', '-in', crl, '-noout', '-text']);
    assert.match(crlText.stdout, new RegExp(`Serial Number: ${bad.serialNumber.toUpperCase()}`));
    assert.match(crlText.stdout, /Key Compromise/);
    assert.match(crlText.stdout, /X509v3 CRL Number/);
  });

  test('openssl ocsp gets good and revoked answers from the running responder, for leaves and for the issuing CA', async () => {
    const good = await s.signer('Đỗ Thị Ổn');
    const bad = await s.pki.issue({ commonName: 'Vũ Văn Bị Thu Hồi' });
    s.pki.revoke(bad.certificate, { reason: 4 });
    const args = (issuer: string, cert: string) => ['ocsp', '-issuer', issuer, '-cert', cert, '-url', `${s.url}/ocsp`, '-CAfile', join(dir, 'root.pem')];
    const r = await runTool('openssl', [...args(join(dir, 'issuing.pem'), file('g.pem', good.certificatePem)), '-cert', file('b.pem', bad.certificatePem)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr + r.stdout, /Response verify OK/);
    assert.match(r.stdout, /g\.pem: good/);
    assert.match(r.stdout, /b\.pem: revoked[\s\S]*Reason: superseded/);
    assert.doesNotMatch(r.stderr, /WARNING: no nonce/);
    const ca = await runTool('openssl', args(join(dir, 'root.pem'), join(dir, 'issuing.pem')));
    assert.match(ca.stderr + ca.stdout, /Response verify OK/);
    assert.match(ca.stdout, /issuing\.pem: good/);
  });

  test('NSS (what pdfsig uses) accepts our OCSP answers: good chain is good, revoked is revoked', { skip: toolSkip('certutil', 'vfychain') }, async () => {
    const db = join(dir, 'nssdb');
    await runTool('mkdir', ['-p', db]);
    assert.equal((await runTool('certutil', ['-N', '-d', `sql:${db}`, '--empty-password'])).status, 0);
    assert.equal((await runTool('certutil', ['-A', '-d', `sql:${db}`, '-n', 'root', '-t', 'CT,C,C', '-i', join(dir, 'root.pem')])).status, 0);
    const good = await s.signer('Hoàng Văn NSS');
    const bad = await s.pki.issue({ commonName: 'Hoàng Văn NSS Thu Hồi' });
    s.pki.revoke(bad.certificate, { reason: 1 });
    // -u 4 = email signer (the usage poppler checks), OCSP required for the leaf.
    const vfy = (leaf: string) => runTool('vfychain', ['-d', `sql:${db}`, '-pp', '-u', '4', '-g', 'leaf', '-m', 'ocsp', '-s', 'failIfNoInfo', leaf, file('issuing.der', s.pki.issuing.certificate)]);
    const g = await vfy(file('nss-good.der', good.certificate));
    assert.equal(g.status, 0, g.stdout + g.stderr);
    assert.match(g.stdout + g.stderr, /Chain is good/);
    const b = await vfy(file('nss-bad.der', bad.certificate));
    assert.notEqual(b.status, 0);
    assert.match(b.stdout + b.stderr, /has been revoked/);
  });

  test('openssl ts -verify accepts the TSA response; the token echoes the nonce and carries ESS signingCertificateV2', async () => {
    const data = file('data.bin', 'Học bạ số — dữ liệu cần đóng dấu thời gian');
    const tsq = join(dir, 'q.tsq');
    assert.equal((await runTool('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', tsq])).status, 0);
    const resp = await s.pki.timestamp(readFileSync(tsq));
    const tsr = file('r.tsr', resp);
    const v = await runTool('openssl', ['ts', '-verify', '-in', tsr, '-queryfile', tsq, '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem')]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /Verification: OK/);
    const shown = (await runTool('openssl', ['ts', '-reply', '-in', tsr, '-text'])).stdout;
    assert.match(shown, new RegExp(`Policy OID: ${s.pki.tsaPolicy.replace(/\./g, '\\.')}`));

    const parsed = pkijs.TimeStampResp.fromBER(toArrayBuffer(resp));
    const sd = new pkijs.SignedData({ schema: parsed.timeStampToken!.content });
    const tst = pkijs.TSTInfo.fromBER(sd.encapContentInfo.eContent!.getValue());
    const req = pkijs.TimeStampReq.fromBER(toArrayBuffer(readFileSync(tsq)));
    assert.deepEqual(Buffer.from(tst.nonce!.valueBlock.valueHexView), Buffer.from(req.nonce!.valueBlock.valueHexView));
    assert.equal(tst.genTime.getUTCMilliseconds(), 0);
    const ess = sd.signerInfos[0]!.signedAttrs!.attributes.find((a) => a.type === OID_SIGNING_CERTIFICATE_V2);
    const id = readSigningCertificateV2(ess!.values[0]);
    assert.ok(id && essHashMatches(id.hashOid, id.certHash, s.pki.tsa.certificate));
    assert.equal(sd.certificates?.length, 1, 'certReq=true → the TSA certificate is included');
  });

  test('the TSA refuses a SHA-1 imprint and a policy it does not offer', async () => {
    const digest = createHash('sha1').update('x').digest();
    const q1 = join(dir, 'sha1.tsq');
    await runTool('openssl', ['ts', '-query', '-digest', digest.toString('hex'), '-sha1', '-out', q1]);
    const r1 = pkijs.TimeStampResp.fromBER(toArrayBuffer(await s.pki.timestamp(readFileSync(q1))));
    assert.equal(r1.status.status, pkijs.PKIStatus.rejection);
    assert.equal(r1.timeStampToken, undefined);
    const q2 = join(dir, 'policy.tsq');
    await runTool('openssl', ['ts', '-query', '-digest', createHash('sha256').update('x').digest('hex'), '-sha256', '-tspolicy', '1.2.3.4', '-out', q2]);
    const r2 = file('policy.tsr', await s.pki.timestamp(readFileSync(q2)));
    const shown = (await runTool('openssl', ['ts', '-reply', '-in', r2, '-text'])).stdout;
    assert.match(shown, /Status: Rejected/);
    assert.match(shown, /requested TSA policy is not supported/);
  });

  test('negative-test keys: RSA-1024, SHA-1 signature and EC P-256 are issued as asked', async () => {
    const weak = await text((await s.pki.issue({ commonName: 'Khóa Yếu', keyType: 'rsa-1024' })).certificatePem);
    assert.match(weak, /Public-Key: \(1024 bit\)/);
    const sha1 = await text((await s.pki.issue({ commonName: 'Băm SHA-1', signatureHash: 'SHA-1' })).certificatePem);
    assert.match(sha1, /sha1WithRSAEncryption/);
    const ec = await s.pki.issue({ commonName: 'Khóa EC', keyType: 'ec-p256' });
    assert.match(await text(ec.certificatePem), /prime256v1/);
    const r = await runTool('openssl', ['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem'), file('ec.pem', ec.certificatePem)]);
    assert.equal(r.status, 0, r.stderr);
  });

  test('save() writes PEM files (keys 0600, CRL labelled X509 CRL) that loadTestPki() reloads with the revocations', async () => {
    const saved = mkdtempSync(join(tmpdir(), 'hocba-pki-save-'));
    try {
      const x = await s.pki.issue({ commonName: 'Người Bị Thu Hồi' });
      s.pki.revoke(x.certificate);
      await s.pki.save(saved);
      for (const k of ['root', 'issuing', 'tsa', 'ocsp']) assert.equal(statSync(join(saved, `${k}.key.pem`)).mode & 0o777, 0o600, k);
      assert.match(readFileSync(join(saved, 'issuing.crl.pem'), 'utf8'), /^-----BEGIN X509 CRL-----/);
      const again = await loadTestPki(saved);
      assert.deepEqual(again.root.certificate, s.pki.root.certificate);
      assert.deepEqual(again.tsa.chain, s.pki.tsa.chain);
      assert.ok(again.revocations().some((r) => r.serial === x.serialNumber));
      assert.equal(again.baseUrl, s.url);
      const reissued = await again.issue({ commonName: 'Sau Khi Nạp Lại' });
      const r = await runTool('openssl', ['verify', '-CAfile', join(saved, 'root.crt.pem'), '-untrusted', join(saved, 'issuing.crt.pem'), file('re.pem', reissued.certificatePem)]);
      assert.equal(r.status, 0, r.stderr);
    } finally {
      rmSync(saved, { recursive: true, force: true });
    }
  });
});
