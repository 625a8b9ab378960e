import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import { sharedTestPki, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { x509 } from '../pki/cert-builder.ts';
import { toArrayBuffer } from '../pki/der.ts';
import { importPrivateKey } from '../pki/keys.ts';
import { respondOcsp } from '../pki/ocsp-responder.ts';
import { createTestPki, type TestPki } from '../pki/test-pki.ts';
import { checkRevocation } from './check-revocation.ts';
import { buildOcspRequest } from './ocsp.ts';
import { revocationClient, revocationUrls } from './revocation-client.ts';

const HOUR = 3_600_000;
const xc = (der: Uint8Array) => new x509.X509Certificate(toArrayBuffer(der));

async function closedPortUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('revocation client and checkRevocation', () => {
  let s: SharedTestPki;
  let foreign: TestPki;
  before(async () => {
    s = await sharedTestPki();
    foreign = await createTestPki({ label: 'hocba TEST Ngoài' });
  });

  test('certificates name the OCSP responder and the CRL of the running services', async () => {
    const id = await s.signer('Nguyễn Văn Một');
    assert.deepEqual(revocationUrls(id.certificate), { ocsp: [`${s.url}/ocsp`], crl: [`${s.url}/crl`] });
    assert.deepEqual(revocationUrls(s.pki.issuing.certificate), { ocsp: [`${s.url}/ocsp`], crl: [`${s.url}/crl/root`] });
  });

  test('good via OCSP, then revoked once the CA revokes (after the cache is cleared)', async () => {
    const id = await s.pki.issue({ commonName: 'Trần Văn Sẽ Bị Thu Hồi' });
    const client = revocationClient();
    const good = await client.check(id.certificate, s.pki.issuing.certificate);
    assert.equal(good.status, 'good', good.reason);
    assert.equal(good.source, 'ocsp');
    assert.match(good.reason, /delegated responder/);
    const revokedAt = new Date(Date.now() - 60_000);
    s.pki.revoke(id.certificate, { date: revokedAt, reason: 1 });
    client.clearCache();
    const bad = await client.check(id.certificate, s.pki.issuing.certificate);
    assert.equal(bad.status, 'revoked', bad.reason);
    assert.equal(bad.reasonCode, 1);
    assert.equal(bad.revokedAt?.getTime(), Math.floor(revokedAt.getTime() / 1000) * 1000);
    assert.match(bad.reason, /keyCompromise/);
    // Before the revocation date the same evidence says good, and says when it was revoked.
    const earlier = await client.check(id.certificate, s.pki.issuing.certificate, new Date(revokedAt.getTime() - HOUR / 2));
    assert.equal(earlier.status, 'good', earlier.reason);
    assert.ok(earlier.revokedAt);
  });

  test('the issuing CA itself is checked through the root (CA-signed OCSP)', async () => {
    const r = await revocationClient().check(s.pki.issuing.certificate, s.pki.root.certificate);
    assert.equal(r.status, 'good', r.reason);
    assert.match(r.reason, /issuing CA/);
  });

  test('answers are cached per certificate until the earlier of TTL and nextUpdate', async () => {
    const id = await s.signer('Lê Thị Bộ Nhớ Đệm');
    let clock = new Date();
    const client = revocationClient({ cacheTtlMs: 24 * HOUR, now: () => clock });
    const hits = () => s.services.hits['/ocsp'] ?? 0;
    const before0 = hits();
    const e1 = await client(id.certificate, s.pki.issuing.certificate);
    const e2 = await client(id.certificate, s.pki.issuing.certificate);
    assert.equal(hits() - before0, 1, 'second call served from the cache');
    assert.equal(e1, e2);
    clock = new Date(clock.getTime() + 2 * HOUR); // past the OCSP nextUpdate (1 h), within the TTL
    await client(id.certificate, s.pki.issuing.certificate);
    assert.equal(hits() - before0, 2, 'refetched after nextUpdate');
    const noCache = revocationClient({ cacheTtlMs: 0 });
    await noCache(id.certificate, s.pki.issuing.certificate);
    await noCache(id.certificate, s.pki.issuing.certificate);
    assert.equal(hits() - before0, 4);
  });

  test('falls back to the CRL when the OCSP responder fails', async () => {
    const id = await s.pki.issue({ commonName: 'Phạm Dự Phòng' });
    s.pki.revoke(id.certificate, { reason: 5 });
    const onlyCrl = (async (url: string, init?: RequestInit) => {
      if (url.endsWith('/ocsp')) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      return fetch(url, init);
    }) as typeof fetch;
    const r = await revocationClient({ fetch: onlyCrl }).check(id.certificate, s.pki.issuing.certificate);
    assert.equal(r.status, 'revoked', r.reason);
    assert.equal(r.source, 'crl');
    assert.equal(r.reasonCode, 5);
  });

  test('unreachable responder and CRL → unknown with the URLs in the reason, never good', async () => {
    const dead = await closedPortUrl();
    const pki = await createTestPki({ baseUrl: dead, label: 'hocba TEST Mất Kết Nối' });
    const id = await pki.issue({ commonName: 'Không Liên Lạc Được' });
    const client = revocationClient({ timeoutMs: 2000 });
    const r = await client.check(id.certificate, pki.issuing.certificate);
    assert.equal(r.status, 'unknown');
    assert.equal(r.source, 'none');
    assert.ok(r.reason.includes(`OCSP ${dead}/ocsp: unreachable`), r.reason);
    assert.ok(r.reason.includes(`CRL ${dead}/crl: unreachable`), r.reason);
    await assert.rejects(client(id.certificate, pki.issuing.certificate), { code: 'revocation_unavailable' });
  });

  test('a certificate without OCSP or CRL URLs is unknown', async () => {
    const r = await revocationClient().check(foreign.root.certificate, foreign.root.certificate);
    assert.equal(r.status, 'unknown');
    assert.match(r.reason, /names no OCSP responder nor CRL distribution point/);
  });

  describe('checkRevocation refuses evidence it cannot trust', () => {
    const forge = async (signer: 'foreign-responder' | 'tsa', certificate: Uint8Array) =>
      respondOcsp(buildOcspRequest(certificate, s.pki.issuing.certificate).der, {
        authorities: [
          signer === 'tsa'
            ? { name: 'issuing', ca: xc(s.pki.issuing.certificate), signer: xc(s.pki.tsa.certificate), signerKey: await importPrivateKey(s.pki.tsa.privateKey, 'rsa-2048') }
            : { name: 'issuing', ca: xc(s.pki.issuing.certificate), signer: xc(foreign.ocspResponder.certificate), signerKey: await importPrivateKey(foreign.ocspResponder.privateKey, 'rsa-2048') },
        ],
        revocations: [],
      });

    test('OCSP signed by a responder another CA issued', async () => {
      const id = await s.signer('Nạn Nhân Giả Mạo');
      const r = await checkRevocation(id.certificate, s.pki.issuing.certificate, { ocspResponses: [await forge('foreign-responder', id.certificate)], crls: [] });
      assert.equal(r.status, 'unknown');
      assert.match(r.reason, /not issued by the certificate's CA/);
    });

    test('OCSP signed by a certificate of the CA without OCSPSigning (the TSA)', async () => {
      const id = await s.signer('Nạn Nhân Giả Mạo');
      const r = await checkRevocation(id.certificate, s.pki.issuing.certificate, { ocspResponses: [await forge('tsa', id.certificate)], crls: [] });
      assert.equal(r.status, 'unknown');
      assert.match(r.reason, /lacks extendedKeyUsage OCSPSigning/);
    });

    test('OCSP about another certificate; tampered OCSP; CRL of another CA', async () => {
      const a = await s.signer('Người A');
      const b = await s.signer('Người B');
      const forB = await s.pki.ocspRespond(buildOcspRequest(b.certificate, s.pki.issuing.certificate).der);
      const r1 = await checkRevocation(a.certificate, s.pki.issuing.certificate, { ocspResponses: [forB], crls: [] });
      assert.equal(r1.status, 'unknown');
      assert.match(r1.reason, /no answer for serial/);
      const forA = await s.pki.ocspRespond(buildOcspRequest(a.certificate, s.pki.issuing.certificate).der);
      const idx = Buffer.from(forA).indexOf(Buffer.from([0x18, 0x0f])); // producedAt GeneralizedTime
      const t2 = new Uint8Array(forA);
      t2[idx + 14] = t2[idx + 14] === 0x30 ? 0x31 : 0x30; // change the seconds digit
      const r2 = await checkRevocation(a.certificate, s.pki.issuing.certificate, { ocspResponses: [t2], crls: [] });
      assert.equal(r2.status, 'unknown');
      assert.match(r2.reason, /signature does not verify/);
      const r3 = await checkRevocation(a.certificate, s.pki.issuing.certificate, { ocspResponses: [], crls: [await foreign.crl()] });
      assert.equal(r3.status, 'unknown');
      assert.match(r3.reason, /CRL #1: CRL is not issued by the certificate's CA/);
    });

    test('stale evidence does not speak for a later time; a good CRL does', async () => {
      const a = await s.signer('Người A');
      const ocsp = await s.pki.ocspRespond(buildOcspRequest(a.certificate, s.pki.issuing.certificate).der);
      const later = new Date(Date.now() + 3 * HOUR);
      const r = await checkRevocation(a.certificate, s.pki.issuing.certificate, { ocspResponses: [ocsp], crls: [] }, later, { now: later });
      assert.equal(r.status, 'unknown');
      assert.match(r.reason, /stale/);
      const r2 = await checkRevocation(a.certificate, s.pki.issuing.certificate, { ocspResponses: [ocsp], crls: [await s.pki.crl()] }, later, { now: later });
      assert.equal(r2.status, 'good', r2.reason);
      assert.equal(r2.source, 'crl');
    });
  });
});
