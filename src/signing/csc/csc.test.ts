import assert from 'node:assert/strict';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { SigningError } from '../signer.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { cscSigner } from './csc-signer.ts';
import { startCscTestService, type CscTestService } from './csc-test-service.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const items = (...labels: string[]) => labels.map((label) => ({ digest: sha256(label), label }));
const isCode = (code: string, re?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof SigningError, `expected SigningError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (re) assert.match(e.message, re);
  return true;
};

describe('CSC v2 remote signing', () => {
  let svc: CscTestService;
  let lan: PkiIdentity;
  let minh: PkiIdentity;
  let ec: PkiIdentity;
  let issuing: Uint8Array;

  before(async () => {
    const { pki, signer } = await sharedTestPki();
    lan = await signer('Nguyễn Thị Lan');
    minh = await signer('Trần Văn Minh');
    ec = await pki.issue({ commonName: 'Hoàng EC CSC', keyType: 'ec-p256' });
    issuing = pki.issuing.certificate;
    svc = await startCscTestService({
      users: [
        { id: 'lan', approval: 'auto', credentials: [{ id: 'cred-lan', privateKey: lan.privateKey, chain: lan.chain }] },
        { id: 'minh', approval: 'never', credentials: [{ id: 'cred-minh', privateKey: minh.privateKey, chain: minh.chain }] },
        { id: 'hoa', approval: 'reject', credentials: [{ id: 'cred-hoa', privateKey: minh.privateKey, chain: minh.chain }] },
        { id: 'pin', pin: '123456', credentials: [{ id: 'cred-ec', privateKey: ec.privateKey, chain: ec.chain }] },
        { id: 'small', approval: 'auto', credentials: [{ id: 'cred-small', privateKey: lan.privateKey, chain: lan.chain, multisign: 2 }] },
      ],
      clients: [{ clientId: 'hocba-app', clientSecret: 'client-secret-1', userId: 'lan' }],
    });
  });
  after(async () => {
    await svc?.close();
  });

  const asyncSigner = (user: string, extra: Partial<Parameters<typeof cscSigner>[0]> = {}) =>
    cscSigner({ baseUrl: svc.url, auth: { accessToken: svc.tokenFor(user) }, authorize: { mode: 'async' }, pollIntervalMs: 10, ...extra });

  test('/info is CSC 2.0.0.2 and lists the methods used', async () => {
    const res = await fetch(`${svc.url}/csc/v2/info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const info = (await res.json()) as { specs: string; methods: string[] };
    assert.equal(info.specs, '2.0.0.2');
    for (const m of ['credentials/list', 'credentials/info', 'credentials/authorize', 'credentials/authorizeCheck', 'signatures/signHash']) assert.ok(info.methods.includes(m), m);
  });

  test('phone approval: one authorisation for N hashes, approved through the hook; every signature verifies', async () => {
    const before = { ...svc.calls };
    const s = asyncSigner('minh');
    const pending = s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items('Học bạ 10A1 — Lê An', 'Học bạ 10A1 — Vũ Bình', 'Học bạ 10A1 — Đỗ Chi') });
    const p = await svc.nextPending();
    assert.equal(p.userId, 'minh');
    assert.equal(p.credentialID, 'cred-minh');
    assert.equal(p.numSignatures, 3);
    assert.match(p.description ?? '', /3 chữ ký: Học bạ 10A1 — Lê An; .*Đỗ Chi/);
    svc.approve(p.handle);
    const sigs = await pending;
    const pub = new X509Certificate(Buffer.from(minh.certificate)).publicKey;
    sigs.forEach((sig, i) => assert.ok(verify('sha256', Buffer.from(['Học bạ 10A1 — Lê An', 'Học bạ 10A1 — Vũ Bình', 'Học bạ 10A1 — Đỗ Chi'][i]!), pub, sig), `item ${i}`));
    const delta = (m: string) => (svc.calls[m] ?? 0) - (before[m] ?? 0);
    assert.equal(delta('credentials/authorize'), 1);
    assert.ok(delta('credentials/authorizeCheck') >= 1);
    assert.equal(delta('signatures/signHash'), 1);
    assert.deepEqual((await s.certificateChain()).map(hex), [minh.certificate, issuing].map(hex));
  });

  test('client credentials, credential discovered by credentials/list, auto approval: bytes equal the software key', async () => {
    const s = cscSigner({ baseUrl: `${svc.url}/csc/v2`, auth: { clientId: 'hocba-app', clientSecret: 'client-secret-1' }, authorize: { mode: 'async' }, pollIntervalMs: 10 });
    assert.deepEqual(await s.algorithms(), ['RSASSA-PKCS1-v1_5-SHA256', 'RSASSA-PKCS1-v1_5-SHA384', 'RSASSA-PKCS1-v1_5-SHA512']);
    const req = { algorithm: 'RSASSA-PKCS1-v1_5-SHA256' as const, items: items('a', 'b') };
    const remote = await s.signDigests(req);
    const local = await softwareSigner({ privateKey: lan.privateKey, chain: lan.chain }).signDigests(req);
    assert.deepEqual(remote.map(hex), local.map(hex));
    const bad = cscSigner({ baseUrl: svc.url, auth: { clientId: 'hocba-app', clientSecret: 'wrong' }, authorize: { mode: 'async' } });
    await assert.rejects(bad.signDigests(req), isCode('signer_auth_failed', /oauth2\/token/));
  });

  test('the person rejects (service mode and through the hook) → signer_rejected, nothing signed', async () => {
    const before = svc.calls['signatures/signHash'] ?? 0;
    await assert.rejects(asyncSigner('hoa').signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items('x') }), isCode('signer_rejected', /declined/));
    const pending = asyncSigner('minh').signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items('y') });
    svc.reject((await svc.nextPending()).handle);
    await assert.rejects(pending, isCode('signer_rejected'));
    assert.equal(svc.calls['signatures/signHash'] ?? 0, before);
  });

  test('approval window closes → signer_expired', async () => {
    const short = await startCscTestService({ approvalWindowMs: 50, users: [{ id: 'u', approval: 'never', credentials: [{ id: 'c', privateKey: lan.privateKey, chain: lan.chain }] }] });
    try {
      const s = cscSigner({ baseUrl: short.url, auth: { accessToken: short.tokenFor('u') }, authorize: { mode: 'async' }, pollIntervalMs: 20, timeoutMs: 30_000 });
      await assert.rejects(s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items('z') }), isCode('signer_expired', /expired/));
      assert.equal(short.calls['signatures/signHash'] ?? 0, 0);
    } finally {
      await short.close();
    }
  });

  test('no answer within timeoutMs → signer_timeout; a caller abort is honoured too', async () => {
    const before = svc.calls['signatures/signHash'] ?? 0;
    await assert.rejects(asyncSigner('minh', { timeoutMs: 100 }).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items('t') }), isCode('signer_timeout', /within 100 ms/));
    const ac = new AbortController();
    const pending = asyncSigner('minh').signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items('u'), signal: ac.signal });
    await svc.nextPending();
    ac.abort();
    await assert.rejects(pending, isCode('signer_timeout', /cancelled/));
    assert.equal(svc.calls['signatures/signHash'] ?? 0, before);
  });

  test('wrong credential, bad token → errors naming the credential / the token', async () => {
    await assert.rejects(asyncSigner('minh', { credentialId: 'cred-lan' }).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items('w') }), isCode('signer_unavailable', /credential cred-lan.*Invalid parameter credentialID/));
    const s = cscSigner({ baseUrl: svc.url, auth: { accessToken: 'not-a-token' }, authorize: { mode: 'async' } });
    await assert.rejects(s.certificateChain(), isCode('signer_auth_failed', /invalid_token/));
  });

  test('hash count mismatch and unauthorised hashes are refused by the service; a short answer is refused by the client', async () => {
    const token = svc.tokenFor('lan');
    const post = async (method: string, body: unknown) => {
      const r = await fetch(`${svc.url}/csc/v2/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as Record<string, string & string[]> };
    };
    const h = ['a', 'b', 'c'].map((x) => sha256(x).toString('base64'));
    const oid = '2.16.840.1.101.3.4.2.1';
    let r = await post('credentials/authorize', { credentialID: 'cred-lan', numSignatures: 2, hashes: h, hashAlgorithmOID: oid });
    assert.equal(r.status, 400);
    assert.match(r.body.error_description!, /Number of hashes \(3\) does not match numSignatures \(2\)/);
    r = await post('credentials/authorize', { credentialID: 'cred-lan', numSignatures: 2, hashes: h.slice(0, 2), hashAlgorithmOID: oid });
    assert.equal(r.status, 200);
    const SAD = r.body.SAD;
    r = await post('signatures/signHash', { credentialID: 'cred-lan', SAD, hashes: h, signAlgo: '1.2.840.113549.1.1.11' });
    assert.equal(r.status, 400);
    assert.match(r.body.error_description!, /3 hashes exceed the 2/);
    r = await post('signatures/signHash', { credentialID: 'cred-lan', SAD, hashes: [h[2]], signAlgo: '1.2.840.113549.1.1.11' });
    assert.match(r.body.error_description!, /not authorized by the SAD/);
    r = await post('signatures/signHash', { credentialID: 'cred-lan', SAD, hashes: h.slice(0, 2), signAlgo: '1.2.840.113549.1.1.1', hashAlgorithmOID: oid });
    assert.equal(r.status, 200);
    assert.equal(r.body.signatures!.length, 2);
    r = await post('signatures/signHash', { credentialID: 'cred-lan', SAD, hashes: h.slice(0, 1), signAlgo: '1.2.840.113549.1.1.11' });
    assert.match(r.body.error_description!, /Invalid parameter SAD/, 'a spent SAD cannot sign again');

    // A service that returns fewer signatures than hashes: the client returns nothing.
    const dropping: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).endsWith('signatures/signHash')) return res;
      const body = (await res.json()) as { signatures: string[] };
      return new Response(JSON.stringify({ signatures: body.signatures.slice(1) }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const s = cscSigner({ baseUrl: svc.url, auth: { accessToken: token }, authorize: { mode: 'async' }, fetch: dropping });
    await assert.rejects(s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items('p', 'q', 'r') }), isCode('signer_unavailable', /returned 2 signatures for 3 hashes/));
  });

  test('explicit PIN with an ECDSA credential: DER from the service becomes r||s that verifies; a wrong PIN is refused without echoing it', async () => {
    const s = cscSigner({ baseUrl: svc.url, auth: { accessToken: svc.tokenFor('pin') }, authorize: { mode: 'explicit', pin: '123456' } });
    assert.deepEqual(await s.algorithms(), ['ECDSA-SHA256', 'ECDSA-SHA384']);
    const [sig] = await s.signDigests({ algorithm: 'ECDSA-SHA256', items: items('ec') });
    assert.equal(sig!.length, 64);
    assert.ok(verify('sha256', Buffer.from('ec'), { key: new X509Certificate(Buffer.from(ec.certificate)).publicKey, dsaEncoding: 'ieee-p1363' }, sig!));
    const wrong = cscSigner({ baseUrl: svc.url, auth: { accessToken: svc.tokenFor('pin') }, authorize: { mode: 'explicit', pin: '000999' } });
    await assert.rejects(wrong.signDigests({ algorithm: 'ECDSA-SHA256', items: items('ec') }), (e: unknown) => isCode('signer_auth_failed')(e) && !(e as Error).message.includes('000999'));
  });

  test('a credential capped by multisign is authorised chunk by chunk; the result is still one list in order', async () => {
    const before = svc.calls['credentials/authorize'] ?? 0;
    const labels = ['1', '2', '3', '4', '5'];
    const sigs = await asyncSigner('small').signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items(...labels) });
    assert.equal((svc.calls['credentials/authorize'] ?? 0) - before, 3);
    const pub = new X509Certificate(Buffer.from(lan.certificate)).publicKey;
    sigs.forEach((sig, i) => assert.ok(verify('sha256', Buffer.from(labels[i]!), pub, sig)));
  });
});
