/**
 * Second security review of verifyCmsSignature: CMS structures built by hand (so each one can
 * break exactly one rule) and signed with a real test key. OpenSSL's `cms -verify` is the
 * independent judge where it has an opinion.
 */
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runTool, sharedTestPki, toolSkip } from '../../../test/helpers/test-pki.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { OID, signatureAlgorithmIdentifier } from './algorithms.ts';
import { certificateParts } from './certificate.ts';
import { content, octets, oid, seq, setOf, smallInteger, tlv } from './der.ts';
import { readCmsSignature } from './read-cms.ts';
import { verifyCmsSignature, type CmsCheckName } from './verify-cms.ts';

const CONTENT = Buffer.from('Học bạ số — review CMS\n', 'utf8');
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const sha1 = (b: Uint8Array) => new Uint8Array(createHash('sha1').update(b).digest());
const attribute = (type: string, ...values: Uint8Array[]) => seq(oid(type), setOf(values));
const skipOpenssl = toolSkip('openssl');

let rsa: PkiIdentity;
let other: PkiIdentity;
let issuing: Uint8Array;
let tsa: PkiIdentity;
let dir: string;

before(async () => {
  const shared = await sharedTestPki();
  rsa = await shared.signer('Phạm Văn Rà Soát');
  other = await shared.signer('Đỗ Thị Khác');
  issuing = shared.pki.issuing.certificate;
  tsa = shared.pki.tsa;
  dir = await mkdtemp(join(tmpdir(), 'hocba-cms-review-'));
  await writeFile(join(dir, 'root.pem'), shared.pki.root.certificatePem);
  await writeFile(join(dir, 'issuing.pem'), shared.pki.issuing.certificatePem);
  await writeFile(join(dir, 'content.bin'), CONTENT);
});
after(() => rm(dir, { recursive: true, force: true }));

const issuerAndSerial = (cert: Uint8Array) => {
  const p = certificateParts(cert);
  return seq(p.issuer, p.serial);
};
const essV2 = (cert: Uint8Array, issuerName = certificateParts(cert).issuer) => attribute(OID.signingCertificateV2, seq(seq(seq(octets(sha256(cert)), seq(seq(tlv(0xa4, issuerName)), certificateParts(cert).serial)))));
const essV1 = (cert: Uint8Array) => attribute(OID.signingCertificate, seq(seq(seq(octets(sha1(cert))))));

/** The attributes a correct detached PAdES signature over CONTENT carries. */
const baseAttributes = (cert: Uint8Array, digest = sha256(CONTENT)) => [attribute(OID.contentType, oid(OID.data)), attribute(OID.messageDigest, octets(digest)), essV2(cert)];

/** A SignedData built from parts; the signature is over the attribute SET exactly as encoded (sorted unless told otherwise). */
function build(o: {
  key: Uint8Array;
  attrs: Uint8Array[];
  sorted?: boolean;
  certs: Uint8Array[];
  sid: Uint8Array;
  eContentType?: string;
  eContent?: Uint8Array;
  signerInfos?: number;
  unsigned?: Uint8Array[];
  /** Sign the attributes under this tag instead of SET (0x31): a signer that got RFC 5652 §5.4 wrong. */
  signTag?: number;
}): Uint8Array {
  const signed = o.sorted === false ? tlv(0x31, ...o.attrs) : setOf(o.attrs);
  const value = cryptoSign('sha256', o.signTag ? Uint8Array.of(o.signTag, ...signed.subarray(1)) : signed, createPrivateKey({ key: Buffer.from(o.key), format: 'der', type: 'pkcs8' }));
  const version = o.sid[0] === 0x80 ? 3 : 1;
  const si = seq(smallInteger(version), o.sid, seq(oid(OID.sha256)), tlv(0xa0, content({ tag: 0x31, constructed: true, start: 0, contentStart: signed.length - contentLength(signed), end: signed.length, bytes: signed })), signatureAlgorithmIdentifier('RSASSA-PKCS1-v1_5-SHA256'), octets(value), ...(o.unsigned ? [tlv(0xa1, ...o.unsigned)] : []));
  const encap = seq(oid(o.eContentType ?? OID.data), ...(o.eContent ? [tlv(0xa0, octets(o.eContent))] : []));
  const sd = seq(smallInteger(3), setOf([seq(oid(OID.sha256))]), encap, tlv(0xa0, ...o.certs), tlv(0x31, ...Array.from({ length: o.signerInfos ?? 1 }, () => si)));
  return seq(oid(OID.signedData), tlv(0xa0, sd));
}
function contentLength(der: Uint8Array): number {
  const l = der[1]!;
  if (l < 0x80) return l;
  let n = 0;
  for (let i = 0; i < (l & 0x7f); i++) n = n * 256 + der[2 + i]!;
  return n;
}

const status = (v: ReturnType<typeof verifyCmsSignature>, check: CmsCheckName) => v.checks.filter((c) => c.check === check).map((c) => c.status);
const failedReasons = (v: ReturnType<typeof verifyCmsSignature>) => v.checks.filter((c) => c.status === 'failed').map((c) => c.reason).join(' | ');

async function openssl(der: Uint8Array, name: string) {
  await writeFile(join(dir, name), der);
  return runTool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', name, '-content', 'content.bin', '-CAfile', 'root.pem', '-certfile', 'issuing.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
}

describe('verifyCmsSignature review: hand-built CMS', () => {
  test('control: a hand-built PAdES-style signature verifies here and in OpenSSL', { skip: skipOpenssl }, async () => {
    const der = build({ key: rsa.privateKey, attrs: baseAttributes(rsa.certificate), certs: [rsa.certificate, issuing], sid: issuerAndSerial(rsa.certificate) });
    const v = verifyCmsSignature(der, sha256(CONTENT));
    assert.equal(v.valid, true, failedReasons(v));
    assert.equal((await openssl(der, 'control.p7s')).status, 0);
  });

  test('the signer is the certificate the SID names, not the first one carried (issuerAndSerialNumber and subjectKeyIdentifier)', () => {
    const byIssuer = build({ key: rsa.privateKey, attrs: baseAttributes(rsa.certificate), certs: [other.certificate, issuing, rsa.certificate], sid: issuerAndSerial(rsa.certificate) });
    const v1 = verifyCmsSignature(byIssuer, sha256(CONTENT));
    assert.equal(v1.valid, true, failedReasons(v1));
    assert.deepEqual(v1.signer?.certificate, rsa.certificate);
    const ski = certificateParts(rsa.certificate).subjectKeyIdentifier!;
    const bySki = build({ key: rsa.privateKey, attrs: baseAttributes(rsa.certificate), certs: [other.certificate, rsa.certificate], sid: tlv(0x80, ski) });
    const v2 = verifyCmsSignature(bySki, sha256(CONTENT));
    assert.equal(v2.valid, true, failedReasons(v2));
    assert.deepEqual(v2.signer?.certificate, rsa.certificate);
    // The SID names someone else: that certificate's key does not verify the value.
    const lying = build({ key: rsa.privateKey, attrs: baseAttributes(rsa.certificate), certs: [rsa.certificate, other.certificate], sid: tlv(0x80, certificateParts(other.certificate).subjectKeyIdentifier!) });
    assert.equal(verifyCmsSignature(lying, sha256(CONTENT)).valid, false);
  });

  test('two SignerInfos are refused', () => {
    const der = build({ key: rsa.privateKey, attrs: baseAttributes(rsa.certificate), certs: [rsa.certificate], sid: issuerAndSerial(rsa.certificate), signerInfos: 2 });
    const v = verifyCmsSignature(der, sha256(CONTENT));
    assert.equal(v.valid, false);
    assert.match(failedReasons(v), /exactly one SignerInfo, found 2/);
  });

  test('the value is checked over the SET OF encoding as received, never over the [0] IMPLICIT bytes (agrees with OpenSSL)', { skip: skipOpenssl }, async () => {
    const attrs = baseAttributes(rsa.certificate);
    // Largest encoding first: not the DER order. The value signs exactly these bytes, so there is
    // no ambiguity about what was signed, and OpenSSL 3 also verifies the received encoding.
    const unsorted = [...attrs].sort((a, b) => Buffer.compare(Buffer.from(b), Buffer.from(a)));
    assert.notDeepEqual(tlv(0x31, ...unsorted), setOf(attrs));
    const der = build({ key: rsa.privateKey, attrs: unsorted, sorted: false, certs: [rsa.certificate, issuing], sid: issuerAndSerial(rsa.certificate) });
    assert.equal((await openssl(der, 'unsorted.p7s')).status, 0);
    assert.equal(verifyCmsSignature(der, sha256(CONTENT)).valid, true);
    const overA0 = build({ key: rsa.privateKey, attrs, signTag: 0xa0, certs: [rsa.certificate, issuing], sid: issuerAndSerial(rsa.certificate) });
    assert.notEqual((await openssl(overA0, 'a0.p7s')).status, 0);
    const v = verifyCmsSignature(overA0, sha256(CONTENT));
    assert.deepEqual(status(v, 'signature_value'), ['failed']);
  });

  test('a duplicated signed attribute of any type is refused', () => {
    const commitment = attribute('1.2.840.113549.1.9.16.2.16', seq(oid('1.2.840.113549.1.9.16.6.1')));
    const commitment2 = attribute('1.2.840.113549.1.9.16.2.16', seq(oid('1.2.840.113549.1.9.16.6.5')));
    const der = build({ key: rsa.privateKey, attrs: [...baseAttributes(rsa.certificate), commitment, commitment2], certs: [rsa.certificate], sid: issuerAndSerial(rsa.certificate) });
    const v = verifyCmsSignature(der, sha256(CONTENT));
    assert.equal(v.valid, false);
    assert.match(failedReasons(v), /1\.2\.840\.113549\.1\.9\.16\.2\.16.*(once|twice|more than once)/);
  });

  test('a detached signature must sign id-data, and carry no encapsulated content', () => {
    const typed = [attribute(OID.contentType, oid(OID.tstInfo)), ...baseAttributes(rsa.certificate).slice(1)];
    const der = build({ key: rsa.privateKey, attrs: typed, certs: [rsa.certificate], sid: issuerAndSerial(rsa.certificate), eContentType: OID.tstInfo });
    const v = verifyCmsSignature(der, sha256(CONTENT));
    assert.equal(v.valid, false);
    assert.deepEqual(status(v, 'content_type'), ['failed']);
    assert.match(failedReasons(v), /id-data/);

    const withContent = build({ key: rsa.privateKey, attrs: baseAttributes(rsa.certificate), certs: [rsa.certificate], sid: issuerAndSerial(rsa.certificate), eContent: new Uint8Array(CONTENT) });
    const w = verifyCmsSignature(withContent, sha256(CONTENT));
    assert.equal(w.valid, false);
    assert.match(failedReasons(w), /encapsulated content/);
  });

  test('signing-certificate-v2 whose issuerSerial names another issuer is refused', () => {
    const wrongIssuer = certificateParts(issuing).issuer; // the root's name, not the issuing CA's
    const attrs = [...baseAttributes(rsa.certificate).slice(0, 2), essV2(rsa.certificate, wrongIssuer)];
    const der = build({ key: rsa.privateKey, attrs, certs: [rsa.certificate], sid: issuerAndSerial(rsa.certificate) });
    const v = verifyCmsSignature(der, sha256(CONTENT));
    assert.deepEqual(status(v, 'signing_certificate'), ['failed'], failedReasons(v));
    assert.match(failedReasons(v), /issuerSerial names another issuer/);
  });

  test('a timestamp token with only ESS signing-certificate v1 must still bind the TSA certificate by its SHA-1 hash', () => {
    const parts = { key: rsa.privateKey, attrs: baseAttributes(rsa.certificate), certs: [rsa.certificate], sid: issuerAndSerial(rsa.certificate) };
    const value = readCmsSignature(build(parts)).signatureValue; // RSA PKCS#1 v1.5 is deterministic: the same value below
    const tst = seq(smallInteger(1), oid('2.999.3161.1'), seq(seq(oid(OID.sha256)), octets(sha256(value))), smallInteger(7), tlv(0x18, Buffer.from('20250101000000Z', 'latin1')));
    const tokenWith = (essCert: Uint8Array) =>
      build({
        key: tsa.privateKey,
        attrs: [attribute(OID.contentType, oid(OID.tstInfo)), attribute(OID.messageDigest, octets(sha256(tst))), essV1(essCert)],
        certs: [tsa.certificate],
        sid: issuerAndSerial(tsa.certificate),
        eContentType: OID.tstInfo,
        eContent: tst,
      });
    const stamped = (essCert: Uint8Array) => verifyCmsSignature(build({ ...parts, unsigned: [attribute(OID.signatureTimeStampToken, tokenWith(essCert))] }), sha256(CONTENT));
    const good = stamped(tsa.certificate);
    assert.equal(good.valid, true, failedReasons(good));
    const bad = stamped(other.certificate);
    assert.deepEqual(status(bad, 'timestamp'), ['failed'], 'an ESS v1 hash of another certificate must not pass');
    assert.match(failedReasons(bad), /signing-certificate/);
  });
});
