/**
 * Second security review of the CSC client against a hostile signing service: signatures that
 * are not the credential's, non-object JSON, huge and dripping bodies, and a redirect that
 * would carry the bearer token and the SAD to another origin.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { SigningError } from '../signer.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { cscSigner } from './csc-signer.ts';

const TOKEN = 'bearer-token-bi-mat-9f8e7d';
const PIN = '246810';
type Mode = 'honest' | 'foreign' | 'null' | 'array' | 'huge' | 'drip' | 'redirect';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
const close = (s: Server) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });

describe('CSC client against a hostile service', () => {
  let lan: PkiIdentity;
  let other: PkiIdentity;
  let mode: Mode = 'honest';
  let svc: { server: Server; url: string };
  let elsewhere: { server: Server; url: string };
  const elsewhereSaw: { authorization?: string; body: string }[] = [];
  const drips = new Set<NodeJS.Timeout>();

  before(async () => {
    const shared = await sharedTestPki();
    lan = await shared.signer('Nguyễn Thị Lan');
    other = await shared.signer('Kẻ Mạo Danh');
    const honest = softwareSigner({ privateKey: lan.privateKey, chain: lan.chain });
    const impostor = softwareSigner({ privateKey: other.privateKey, chain: other.chain });
    elsewhere = await listen((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        elsewhereSaw.push({ ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ signatures: [] }));
      });
    });
    svc = await listen((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', async () => {
        const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: 'invalid_token' });
        const body = JSON.parse(raw || '{}') as { hashes?: string[] };
        if (req.url!.endsWith('/credentials/info')) {
          return json(200, { key: { status: 'enabled', algo: ['1.2.840.113549.1.1.11'], len: 2048 }, cert: { certificates: lan.chain.map((c) => Buffer.from(c).toString('base64')) }, multisign: 100 });
        }
        if (req.url!.endsWith('/credentials/authorize')) return json(200, { SAD: 'sad-secret-1' });
        if (!req.url!.endsWith('/signatures/signHash')) return json(400, { error: 'invalid_request' });
        const items = (body.hashes ?? []).map((h) => ({ digest: new Uint8Array(Buffer.from(h, 'base64')) }));
        switch (mode) {
          case 'honest':
          case 'foreign': {
            const sigs = await (mode === 'honest' ? honest : impostor).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items });
            return json(200, { signatures: sigs.map((x) => Buffer.from(x).toString('base64')) });
          }
          case 'null':
            return res.writeHead(200, { 'content-type': 'application/json' }).end('null');
          case 'array':
            return res.writeHead(200, { 'content-type': 'application/json' }).end('[1,2]');
          case 'huge': {
            // 64 MiB of JSON-looking filler, chunked (no Content-Length to refuse up front).
            res.writeHead(200, { 'content-type': 'application/json' });
            const chunk = Buffer.alloc(1024 * 1024, 0x20);
            let sent = 0;
            const pump = () => {
              while (sent < 64 && !res.destroyed) {
                sent++;
                if (!res.write(chunk)) return void res.once('drain', pump);
              }
              res.end();
            };
            res.on('close', () => (sent = 64));
            return pump();
          }
          case 'drip': {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.write('{"signatures": [');
            const t = setInterval(() => res.write(' '), 20);
            drips.add(t);
            res.on('close', () => {
              clearInterval(t);
              drips.delete(t);
            });
            return;
          }
          case 'redirect':
            return res.writeHead(307, { location: `${elsewhere.url}/csc/v2/signatures/signHash` }).end();
        }
      });
    });
  });
  after(async () => {
    for (const t of drips) clearInterval(t);
    await close(svc.server);
    await close(elsewhere.server);
  });

  const signer = (extra: Partial<Parameters<typeof cscSigner>[0]> = {}) =>
    cscSigner({ baseUrl: svc.url, auth: { accessToken: TOKEN }, credentialId: 'cred-lan', authorize: { mode: 'explicit', pin: PIN }, ...extra });
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ digest: createHash('sha256').update(`mục ${i}`).digest() }));
  const refused = (code: SigningError['code'], re: RegExp) => (e: unknown) => {
    assert.ok(e instanceof SigningError, `expected a SigningError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, re);
    assert.ok(!e.message.includes(TOKEN) && !e.message.includes(PIN) && !e.message.includes('sad-secret-1'), 'no secret in the message');
    return true;
  };

  test('control: honest signatures are returned', async () => {
    mode = 'honest';
    const sigs = await signer().signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items(3) });
    assert.equal(sigs.length, 3);
  });

  test("signatures made with another key than the credential certificate's are refused", async () => {
    mode = 'foreign';
    await assert.rejects(signer().signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items(2) }), refused('signer_unavailable', /signature 0 .*does not verify/));
  });

  test('a JSON body that is not an object (null, an array) is a SigningError, not a TypeError', async () => {
    for (const m of ['null', 'array'] as const) {
      mode = m;
      await assert.rejects(signer().signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items(1) }), refused('signer_unavailable', /not a JSON object/));
    }
  });

  test('a huge chunked body is cut off at the size cap', async () => {
    mode = 'huge';
    await assert.rejects(signer().signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items(1) }), refused('signer_unavailable', /larger than \d+ bytes/));
  });

  test('a body that drips forever hits the per-request timeout (it covers the body, not just the headers)', async () => {
    mode = 'drip';
    await assert.rejects(signer({ requestTimeoutMs: 300 }).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items(1) }), refused('signer_timeout', /within 300 ms/));
  });

  test('a redirect is not followed: the SAD, hashes and bearer token never reach another origin', async () => {
    mode = 'redirect';
    elsewhereSaw.length = 0;
    await assert.rejects(signer().signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items(1) }), refused('signer_unavailable', /redirect/));
    assert.deepEqual(elsewhereSaw, []);
  });

  test('random bytes as signatures are refused too', async () => {
    // Not even well-formed PKCS#1: the check is cryptographic, not a format check.
    const value = randomBytes(256).toString('base64');
    const fetchStub = (async (url: string, init?: RequestInit) => {
      if (String(url).endsWith('/signatures/signHash')) return new Response(JSON.stringify({ signatures: [value] }), { status: 200 });
      return fetch(url, init);
    }) as typeof fetch;
    mode = 'honest';
    await assert.rejects(signer({ fetch: fetchStub }).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: items(1) }), refused('signer_unavailable', /does not verify/));
  });
});
