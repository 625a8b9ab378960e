import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { runTool, sharedTestPki, toolSkip, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { toArrayBuffer } from '../pki/der.ts';
import { createTestPki } from '../pki/test-pki.ts';
import { SigningError } from '../signer.ts';
import { parseTimestampToken, verifyTimestampToken } from './timestamp-token.ts';
import { tsaClient } from './tsa-client.ts';

const digestOf = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());

/** A fetch that lets a test rewrite the request before the real TSA sees it. */
function tamperingFetch(s: SharedTestPki, rewrite: (req: pkijs.TimeStampReq) => void): typeof fetch {
  return (async (_url: string, init: RequestInit) => {
    const req = pkijs.TimeStampReq.fromBER(toArrayBuffer(new Uint8Array(init.body as Buffer)));
    rewrite(req);
    const resp = await s.pki.timestamp(new Uint8Array(req.toSchema().toBER(false)));
    return new Response(Buffer.from(resp), { status: 200, headers: { 'content-type': 'application/timestamp-reply' } });
  }) as unknown as typeof fetch;
}

describe('TSA client', () => {
  let s: SharedTestPki;
  let dir: string;
  before(async () => {
    s = await sharedTestPki();
    dir = mkdtempSync(join(tmpdir(), 'hocba-tsa-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('gets a token over HTTP that parses, verifies against the root, and that openssl ts -verify accepts', { skip: toolSkip('openssl') }, async () => {
    const digest = digestOf('chữ ký của Hiệu trưởng');
    const token = await tsaClient(`${s.url}/tsa`, { policy: s.pki.tsaPolicy })({ digest, algorithm: 'SHA-256' });
    const info = parseTimestampToken(token);
    assert.equal(info.policy, s.pki.tsaPolicy);
    assert.deepEqual(info.imprint.digest, digest);
    assert.equal(info.imprint.algorithm, 'SHA-256');
    assert.equal(info.genTime.getUTCMilliseconds(), 0);
    assert.ok(Math.abs(info.genTime.getTime() - Date.now()) < 120_000);
    assert.match(info.nonce!, /^[0-9a-f]+$/);
    assert.deepEqual(info.tsaCertificate, s.pki.tsa.certificate);

    const v = await verifyTimestampToken(token, { digest, algorithm: 'SHA-256', trustAnchors: [s.pki.root.certificate], intermediates: [s.pki.issuing.certificate] });
    assert.equal(v.status, 'passed', v.reason);
    assert.equal(v.chain.length, 3);

    writeFileSync(join(dir, 'root.pem'), s.pki.root.certificatePem);
    writeFileSync(join(dir, 'issuing.pem'), s.pki.issuing.certificatePem);
    writeFileSync(join(dir, 'token.der'), token);
    const r = await runTool('openssl', ['ts', '-verify', '-token_in', '-in', join(dir, 'token.der'), '-digest', Buffer.from(digest).toString('hex'), '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Verification: OK/);
  });

  test('verifyTimestampToken: other data → failed; tampered token → failed; unknown root → indeterminate', async () => {
    const digest = digestOf('dữ liệu A');
    const token = await tsaClient(`${s.url}/tsa`)({ digest, algorithm: 'SHA-256' });
    const anchors = { trustAnchors: [s.pki.root.certificate], intermediates: [s.pki.issuing.certificate] };
    const other = await verifyTimestampToken(token, { digest: digestOf('dữ liệu B'), ...anchors });
    assert.equal(other.status, 'failed');
    assert.match(other.reason, /covers other data/);

    const tampered = new Uint8Array(token);
    const at = Buffer.from(tampered).indexOf(Buffer.from(digest)); // inside the TSTInfo imprint
    tampered[at + 40] = tampered[at + 40]! ^ 0xff; // a byte after the imprint: serial / genTime
    const t = await verifyTimestampToken(tampered, { digest, ...anchors });
    assert.equal(t.status, 'failed', t.reason);

    const foreign = await createTestPki({ label: 'hocba TEST Gốc Lạ' });
    const u = await verifyTimestampToken(token, { digest, trustAnchors: [foreign.root.certificate] });
    assert.equal(u.status, 'indeterminate', u.reason);
  });

  test('an unreachable TSA is a timestamp_failed error naming the URL', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as AddressInfo;
    await new Promise<void>((r) => srv.close(() => r()));
    const url = `http://127.0.0.1:${port}/tsa`;
    await assert.rejects(tsaClient(url)({ digest: digestOf('x'), algorithm: 'SHA-256' }), (e: unknown) => {
      assert.ok(e instanceof SigningError);
      assert.equal(e.code, 'timestamp_failed');
      assert.ok(e.message.includes(url), e.message);
      assert.match(e.message, /unreachable/);
      return true;
    });
  });

  test('a TSA that never answers times out as timestamp_failed', async () => {
    const srv = createServer(() => {}); // accepts and never responds
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/tsa`;
      await assert.rejects(tsaClient(url, { timeoutMs: 200 })({ digest: digestOf('x'), algorithm: 'SHA-256' }), /TSA http:\/\/127\.0\.0\.1:\d+\/tsa unreachable: no answer within 200 ms/);
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  test('a response with another nonce is refused (replay)', async () => {
    const fetchOther = tamperingFetch(s, (req) => {
      req.nonce = new asn1js.Integer({ value: 12345 });
    });
    await assert.rejects(tsaClient('http://tsa.test/x', { fetch: fetchOther })({ digest: digestOf('x'), algorithm: 'SHA-256' }), (e: unknown) => {
      assert.ok(e instanceof SigningError && e.code === 'timestamp_failed');
      assert.match(e.message, /TSA http:\/\/tsa\.test\/x: nonce mismatch/);
      return true;
    });
  });

  test('a token over another imprint is refused', async () => {
    const fetchOther = tamperingFetch(s, (req) => {
      req.messageImprint.hashedMessage = new asn1js.OctetString({ valueHex: toArrayBuffer(digestOf('khác')) });
    });
    await assert.rejects(tsaClient('http://tsa.test/x', { fetch: fetchOther })({ digest: digestOf('x'), algorithm: 'SHA-256' }), /the token covers imprint [0-9a-f]+, not the requested/);
  });

  test('a refused request reports the TSA status and failure info', async () => {
    await assert.rejects(tsaClient(`${s.url}/tsa`, { policy: '1.2.3.4' })({ digest: digestOf('x'), algorithm: 'SHA-256' }), /request refused: status rejection \(unacceptedPolicy\): policy 1\.2\.3\.4 not offered/);
  });

  test('a wrong-length digest is refused before anything is sent', async () => {
    await assert.rejects(tsaClient(`${s.url}/tsa`)({ digest: new Uint8Array(20), algorithm: 'SHA-256' }), /imprint is 20 bytes, expected a SHA-256 digest/);
  });
});
