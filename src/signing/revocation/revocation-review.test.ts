/**
 * Second security review of the revocation code: CRLs and OCSP responses that are correctly
 * signed but must still not count (CRL signer without cRLSign, delta or partial CRLs, OCSP
 * times that do not add up, nonce handling), and the cache never answering for another
 * certificate.
 */
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { before, describe, test } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sharedTestPki, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { x509 } from '../pki/cert-builder.ts';
import { buildCrl } from '../pki/crl-builder.ts';
import { randomSerialHex, toArrayBuffer, wholeSeconds } from '../pki/der.ts';
import { importPrivateKey } from '../pki/keys.ts';
import { checkRevocation } from './check-revocation.ts';
import { buildOcspRequest, readOcspResponse } from './ocsp.ts';
import { revocationClient } from './revocation-client.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const subtle = webcrypto.subtle as SubtleCrypto;
const xc = (der: Uint8Array) => new x509.X509Certificate(toArrayBuffer(der));
const rsaParams = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };

describe('revocation review', () => {
  let s: SharedTestPki;
  let person: PkiIdentity;
  let issuingKey: CryptoKey;
  before(async () => {
    s = await sharedTestPki();
    person = await s.signer('Vũ Thị Rà Soát');
    issuingKey = await importPrivateKey(s.pki.issuing.privateKey, s.pki.issuing.keyType);
  });

  /** A CRL of the issuing CA with extra CRL extensions (it lists nobody). */
  async function crlWith(extensions: x509.Extension[]): Promise<Uint8Array> {
    const now = wholeSeconds();
    const crl = await x509.X509CrlGenerator.create({
      issuer: xc(s.pki.issuing.certificate).subjectName,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + DAY),
      signingKey: issuingKey,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      entries: [],
      extensions,
    });
    return new Uint8Array(crl.rawData);
  }

  test('control: an ordinary CRL of the issuing CA says good', async () => {
    const r = await checkRevocation(person.certificate, s.pki.issuing.certificate, { ocspResponses: [], crls: [await crlWith([])] });
    assert.equal(r.status, 'good', r.reason);
  });

  test('a delta CRL is not a complete list: it cannot say good', async () => {
    const delta = await crlWith([new x509.Extension('2.5.29.27', true, new Uint8Array([0x02, 0x01, 0x05]).buffer)]);
    const r = await checkRevocation(person.certificate, s.pki.issuing.certificate, { ocspResponses: [], crls: [delta] });
    assert.equal(r.status, 'unknown', r.reason);
    assert.match(r.reason, /delta CRL/);
  });

  test('a partial CRL (issuingDistributionPoint onlyContainsCACerts) cannot say good about a person', async () => {
    const idp = await crlWith([new x509.Extension('2.5.29.28', true, new Uint8Array([0x30, 0x03, 0x82, 0x01, 0xff]).buffer)]);
    const r = await checkRevocation(person.certificate, s.pki.issuing.certificate, { ocspResponses: [], crls: [idp] });
    assert.equal(r.status, 'unknown', r.reason);
    assert.match(r.reason, /issuingDistributionPoint/);
  });

  test('a CRL signed by a CA certificate without keyUsage cRLSign is refused', async () => {
    const rootKey = await importPrivateKey(s.pki.root.privateKey, s.pki.root.keyType);
    const caKeys = (await subtle.generateKey(rsaParams, true, ['sign', 'verify'])) as CryptoKeyPair;
    const make = (p: { cn: string; issuer: x509.X509Certificate; key: CryptoKey; publicKey: CryptoKey; ext: x509.Extension[] }) =>
      x509.X509CertificateGenerator.create({ serialNumber: randomSerialHex(), subject: `CN=${p.cn}`, issuer: p.issuer.subject, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY), publicKey: p.publicKey, signingKey: p.key, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, extensions: p.ext });
    const ca = await make({ cn: 'CA không cRLSign', issuer: xc(s.pki.root.certificate), key: rootKey, publicKey: caKeys.publicKey, ext: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)] });
    const leafKeys = (await subtle.generateKey(rsaParams, true, ['sign', 'verify'])) as CryptoKeyPair;
    const leaf = await make({ cn: 'Con của CA không cRLSign', issuer: ca, key: caKeys.privateKey, publicKey: leafKeys.publicKey, ext: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)] });
    const crl = await buildCrl({ ca: { certificate: ca, privateKey: caKeys.privateKey, keyType: 'rsa-2048' }, entries: [], validityMs: DAY, crlNumber: 1 });
    const r = await checkRevocation(new Uint8Array(leaf.rawData), new Uint8Array(ca.rawData), { ocspResponses: [], crls: [crl] });
    assert.equal(r.status, 'unknown', r.reason);
    assert.match(r.reason, /cRLSign/);
  });

  /** A BasicOCSP response about `person`, signed by the real delegated responder, with chosen times and nonce. */
  async function ocsp(o: { producedAt: Date; thisUpdate: Date; nextUpdate: Date; nonce?: Uint8Array }): Promise<Uint8Array> {
    const req = pkijs.OCSPRequest.fromBER(toArrayBuffer(buildOcspRequest(person.certificate, s.pki.issuing.certificate).der));
    const responder = pkijs.Certificate.fromBER(toArrayBuffer(s.pki.ocspResponder.certificate));
    const basic = new pkijs.BasicOCSPResponse();
    basic.tbsResponseData.responderID = responder.subject;
    basic.tbsResponseData.producedAt = wholeSeconds(o.producedAt);
    basic.tbsResponseData.responses.push(
      new pkijs.SingleResponse({ certID: req.tbsRequest.requestList[0]!.reqCert, certStatus: new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } }), thisUpdate: wholeSeconds(o.thisUpdate), nextUpdate: wholeSeconds(o.nextUpdate) }),
    );
    if (o.nonce) {
      basic.tbsResponseData.responseExtensions = [new pkijs.Extension({ extnID: '1.3.6.1.5.5.7.48.1.2', critical: false, extnValue: new asn1js.OctetString({ valueHex: toArrayBuffer(o.nonce) }).toBER(false) })];
    }
    basic.certs = [responder];
    await basic.sign(await importPrivateKey(s.pki.ocspResponder.privateKey, s.pki.ocspResponder.keyType), 'SHA-256');
    const resp = new pkijs.OCSPResponse();
    resp.responseStatus.valueBlock.valueDec = 0;
    resp.responseBytes = new pkijs.ResponseBytes({ responseType: '1.3.6.1.5.5.7.48.1.1', response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }) });
    return new Uint8Array(resp.toSchema().toBER(false));
  }
  const check = (der: Uint8Array) => checkRevocation(person.certificate, s.pki.issuing.certificate, { ocspResponses: [der], crls: [] });

  test('OCSP: control, then producedAt in the future and thisUpdate after producedAt are refused', async () => {
    const now = Date.now();
    const ok = await check(await ocsp({ producedAt: new Date(now), thisUpdate: new Date(now - 60_000), nextUpdate: new Date(now + HOUR) }));
    assert.equal(ok.status, 'good', ok.reason);
    const future = await check(await ocsp({ producedAt: new Date(now + 2 * HOUR), thisUpdate: new Date(now), nextUpdate: new Date(now + 3 * HOUR) }));
    assert.equal(future.status, 'unknown', future.reason);
    assert.match(future.reason, /producedAt .* future/);
    const inverted = await check(await ocsp({ producedAt: new Date(now - 2 * HOUR), thisUpdate: new Date(now), nextUpdate: new Date(now + HOUR) }));
    assert.equal(inverted.status, 'unknown', inverted.reason);
    assert.match(inverted.reason, /thisUpdate .* after .*producedAt/);
  });

  test('OCSP nonce: a different nonce is refused; an omitted one is accepted (RFC 5019 pre-produced responses)', async () => {
    const now = Date.now();
    const times = { producedAt: new Date(now), thisUpdate: new Date(now), nextUpdate: new Date(now + HOUR) };
    const sent = new Uint8Array(16).fill(7);
    const echoed = readOcspResponse(await ocsp({ ...times, nonce: sent }), person.certificate, s.pki.issuing.certificate, { nonce: sent });
    assert.equal(typeof echoed === 'string' ? echoed : echoed.status, 'good');
    const other = readOcspResponse(await ocsp({ ...times, nonce: new Uint8Array(16).fill(8) }), person.certificate, s.pki.issuing.certificate, { nonce: sent });
    assert.match(String(other), /nonce differs/);
    // A prefix of our nonce is not our nonce: equality is over the full length.
    const prefix = readOcspResponse(await ocsp({ ...times, nonce: sent.subarray(0, 8) }), person.certificate, s.pki.issuing.certificate, { nonce: sent });
    assert.match(String(prefix), /nonce differs/);
    const omitted = readOcspResponse(await ocsp(times), person.certificate, s.pki.issuing.certificate, { nonce: sent });
    assert.equal(typeof omitted === 'string' ? omitted : omitted.status, 'good');
  });

  test('evidence for a certificate is never returned for another one with the same serial from another CA', async () => {
    // Same serial number and key-holder name, but issued (and signed) by a CA of the attacker's.
    const fakeCaKeys = (await subtle.generateKey(rsaParams, true, ['sign', 'verify'])) as CryptoKeyPair;
    const real = xc(person.certificate);
    const twin = await x509.X509CertificateGenerator.create({
      serialNumber: real.serialNumber,
      subject: real.subject,
      issuer: 'CN=CA giả mạo',
      notBefore: real.notBefore,
      notAfter: real.notAfter,
      publicKey: fakeCaKeys.publicKey,
      signingKey: fakeCaKeys.privateKey,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      extensions: [],
    });
    const twinDer = new Uint8Array(twin.rawData);
    const client = revocationClient({ cacheTtlMs: HOUR });
    const evidence = await client(person.certificate, s.pki.issuing.certificate);
    assert.equal(evidence.ocspResponses.length, 1);
    await assert.rejects(client(twinDer, s.pki.issuing.certificate), /not issued by/);
    const r = await checkRevocation(twinDer, s.pki.issuing.certificate, evidence);
    assert.equal(r.status, 'unknown', r.reason);
  });
});
