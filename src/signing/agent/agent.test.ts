import assert from 'node:assert/strict';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createSoftHsm, softHsmSkipReason, type SoftHsm } from '../../../test/helpers/softhsm.ts';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { SigningError, type Signer } from '../signer.ts';
import { openPkcs11Signer } from '../signers/pkcs11-signer.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { startAgentServer, type AgentServer, type AgentServerOptions, type ConfirmRequest } from './agent-server.ts';
import { agentSigner, completePairing, requestPairingCode } from './agent-signer.ts';

const ORIGIN = 'https://hocba.test.vn';
const OTHER_ALLOWED = 'http://localhost:5173';
const sha256 = (s: string) => createHash('sha256').update(s).digest();
const isCode = (code: string, re?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof SigningError, String(e));
  assert.equal(e.code, code, e.message);
  if (re) assert.match(e.message, re);
  return true;
};

/** An agent whose person answers `answer` and whose pairing codes are captured. */
async function agentWith(signer: Signer, extra: Partial<AgentServerOptions> = {}) {
  const asked: Omit<ConfirmRequest, 'signal'>[] = [];
  const codes: string[] = [];
  const state = { answer: true };
  const agent = await startAgentServer({
    signer,
    allowedOrigins: [ORIGIN, OTHER_ALLOWED],
    confirm: async ({ signal: _signal, ...r }) => {
      asked.push(r);
      return state.answer;
    },
    showPairingCode: (code) => codes.push(code),
    ...extra,
  });
  const pairAs = async (origin = ORIGIN) => {
    await requestPairingCode({ url: agent.url, origin });
    return completePairing({ url: agent.url, origin, code: codes.at(-1)! });
  };
  return { agent, asked, codes, state, pairAs };
}

/** Raw HTTP so the Host header can be forged (fetch always sends the real one). */
function raw(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/v1/info', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', reject);
    r.end(opts.body);
  });
}

describe('local signing agent', () => {
  let person: PkiIdentity;
  before(async () => {
    person = await (await sharedTestPki()).signer('Đặng Thu Agent');
  });

  describe('origin, host and pairing checks (software key behind the agent)', () => {
    let a: Awaited<ReturnType<typeof agentWith>>;
    before(async () => {
      a = await agentWith(softwareSigner({ privateKey: person.privateKey, chain: person.chain, description: 'test key' }));
    });
    after(async () => {
      await a?.agent.close();
    });

    test('listens on 127.0.0.1; Host other than 127.0.0.1:port / localhost:port is refused (DNS rebinding)', async () => {
      assert.match(a.agent.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const port = a.agent.port;
      const ok = await raw(port, { headers: { host: `localhost:${port}`, origin: ORIGIN } });
      assert.equal(ok.status, 200);
      for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `hocba.test.vn:${port}`]) {
        const r = await raw(port, { headers: { host, origin: ORIGIN } });
        assert.equal(r.status, 403, host);
        assert.equal(JSON.parse(r.body).error, 'forbidden_host');
        assert.equal(r.headers['access-control-allow-origin'], undefined);
      }
    });

    test('no Origin or another Origin is refused, without CORS headers; the allowed one gets CORS for exactly itself', async () => {
      const port = a.agent.port;
      const host = `127.0.0.1:${port}`;
      const cases: Record<string, string>[] = [{ host }, { host, origin: 'https://evil.example' }, { host, origin: 'null' }, { host, origin: 'https://hocba.test.vn.evil.example' }];
      for (const headers of cases) {
        const r = await raw(port, { headers });
        assert.equal(r.status, 403, JSON.stringify(headers));
        assert.equal(JSON.parse(r.body).error, 'forbidden_origin');
        assert.equal(r.headers['access-control-allow-origin'], undefined);
      }
      const pre = await raw(port, { method: 'OPTIONS', path: '/v1/sign', headers: { host, origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' } });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['access-control-allow-origin'], ORIGIN);
      assert.equal(pre.headers['access-control-allow-private-network'], 'true');
      assert.match(String(pre.headers['access-control-allow-headers']), /authorization/);
      const evilPre = await raw(port, { method: 'OPTIONS', path: '/v1/sign', headers: { host, origin: 'https://evil.example', 'access-control-request-private-network': 'true' } });
      assert.equal(evilPre.status, 403);
      assert.equal(evilPre.headers['access-control-allow-private-network'], undefined);
      // A "simple" cross-site POST (no preflight) is refused by content type.
      const simple = await raw(port, { method: 'POST', path: '/v1/pair', headers: { host, origin: ORIGIN, 'content-type': 'text/plain' }, body: '{}' });
      assert.equal(simple.status, 400);
      await assert.rejects(requestPairingCode({ url: a.agent.url, origin: 'https://evil.example' }), isCode('signer_auth_failed', /forbidden_origin/));
    });

    test('unpaired (or paired for another origin) is refused; /v1/info tells paired or not', async () => {
      const info = async (token?: string, origin = ORIGIN) => (await (await fetch(`${a.agent.url}/v1/info`, { headers: { origin, ...(token ? { authorization: `Bearer ${token}` } : {}) } })).json()) as { paired: boolean; name: string };
      assert.deepEqual([(await info()).name, (await info()).paired], ['hocba-agent', false]);
      const bogus = agentSigner({ url: a.agent.url, origin: ORIGIN, pairingToken: 'A'.repeat(43) });
      await assert.rejects(bogus.certificateChain(), isCode('signer_auth_failed', /not_paired/));
      await assert.rejects(bogus.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: sha256('x') }] }), isCode('signer_auth_failed', /not_paired/));
      const token = await a.pairAs(ORIGIN);
      assert.equal((await info(token)).paired, true);
      assert.equal((await info(token, OTHER_ALLOWED)).paired, false, 'the token is bound to the origin that paired');
      await assert.rejects(agentSigner({ url: a.agent.url, origin: OTHER_ALLOWED, pairingToken: token }).certificateChain(), isCode('signer_auth_failed', /not_paired/));
      assert.equal(a.asked.length, 0, 'nothing was put to the person');
    });

    test('the person declines → signer_rejected; the labels were shown', async () => {
      const token = await a.pairAs();
      const s = agentSigner({ url: a.agent.url, origin: ORIGIN, pairingToken: token });
      a.state.answer = false;
      try {
        await assert.rejects(s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: sha256('a'), label: 'Học bạ — Lê Văn An' }] }), isCode('signer_rejected', /declined/));
        assert.deepEqual(a.asked.at(-1), { origin: ORIGIN, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', count: 1, labels: ['Học bạ — Lê Văn An'] });
        await assert.rejects(s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: sha256('b'), label: 'Tên\u001b[2J\u001b[1A giả\u202e' }] }), isCode('signer_rejected'));
        assert.deepEqual(a.asked.at(-1)?.labels, ['Tên\ufffd[2J\ufffd[1A giả\ufffd'], 'control characters never reach the terminal');
      } finally {
        a.state.answer = true;
      }
      await assert.rejects(s.signDigests({ algorithm: 'ECDSA-SHA256', items: [{ digest: sha256('a') }] }), isCode('unsupported_algorithm'));
      await assert.rejects(s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: new Uint8Array(5) }] }), isCode('document_invalid', /item 0 is 5 bytes/));
    });
  });

  test('pairing is rate-limited: a code dies after 5 wrong tries, at most 5 codes a minute', async () => {
    const a = await agentWith(softwareSigner({ privateKey: person.privateKey, chain: person.chain }));
    try {
      const o = { url: a.agent.url, origin: ORIGIN };
      await requestPairingCode(o);
      assert.match(a.codes[0]!, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
      for (let i = 0; i < 5; i++) await assert.rejects(completePairing({ ...o, code: 'WRONG-CODE' }), isCode('signer_auth_failed', /pairing_failed/));
      await assert.rejects(completePairing({ ...o, code: a.codes[0]! }), isCode('signer_auth_failed', /no pairing code is waiting/), 'the right code no longer works');
      for (let i = 0; i < 4; i++) await requestPairingCode(o);
      await assert.rejects(requestPairingCode(o), (e: SigningError) => /too_many_attempts/.test(e.message));
      // A code is also tied to the page that asked for it.
      await assert.rejects(completePairing({ url: a.agent.url, origin: OTHER_ALLOWED, code: a.codes.at(-1)! }), isCode('signer_auth_failed', /pairing_failed/));
      assert.ok(await completePairing({ ...o, code: a.codes.at(-1)!.toLowerCase() }), 'codes are not case-sensitive');
    } finally {
      await a.agent.close();
    }
  });

  test('nobody answers the confirmation → signer_timeout', async () => {
    const a = await agentWith(softwareSigner({ privateKey: person.privateKey, chain: person.chain }), { confirmTimeoutMs: 50, confirm: () => new Promise<boolean>(() => {}) });
    try {
      const s = agentSigner({ url: a.agent.url, origin: ORIGIN, pairingToken: await a.pairAs() });
      await assert.rejects(s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: sha256('t') }] }), isCode('signer_timeout', /nobody confirmed/));
    } finally {
      await a.agent.close();
    }
  });

  describe('backed by a SoftHSM token', { skip: softHsmSkipReason() }, () => {
    let hsm: SoftHsm;
    let a: Awaited<ReturnType<typeof agentWith>>;
    let token: Awaited<ReturnType<typeof openPkcs11Signer>>;
    before(async () => {
      hsm = await createSoftHsm();
      await hsm.createToken({ label: 'usb-token', pin: '1357' });
      await hsm.importKey({ token: 'usb-token', pin: '1357', label: 'chu-ky', id: 'a1', privateKeyPem: person.privateKeyPem, certificate: person.certificate });
      token = await openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'usb-token', pin: '1357', chain: person.chain.slice(1) });
      a = await agentWith(token);
    });
    after(async () => {
      await a?.agent.close();
      await token?.close();
      await hsm?.cleanup();
    });

    test('pair, read the certificates, sign a batch after confirmation; signatures verify and equal the software key', async () => {
      const s = agentSigner({ url: a.agent.url, origin: ORIGIN, pairingToken: await a.pairAs() });
      const chain = await s.certificateChain();
      assert.deepEqual(chain.map((c) => Buffer.from(c).toString('hex')), person.chain.map((c) => Buffer.from(c).toString('hex')));
      const labels = ['Học bạ 11A2 — Ngô Bảo', 'Học bạ 11A2 — Lý Cúc'];
      const req = { algorithm: 'RSASSA-PKCS1-v1_5-SHA256' as const, items: labels.map((label) => ({ digest: sha256(label), label })) };
      const sigs = await s.signDigests(req);
      const pub = new X509Certificate(Buffer.from(chain[0]!)).publicKey;
      sigs.forEach((sig, i) => assert.ok(verify('sha256', Buffer.from(labels[i]!), pub, sig)));
      assert.deepEqual(a.asked.at(-1)?.labels, labels);
      const soft = await softwareSigner({ privateKey: person.privateKey, chain: person.chain }).signDigests(req);
      assert.deepEqual(sigs.map((x) => Buffer.from(x).toString('hex')), soft.map((x) => Buffer.from(x).toString('hex')));
    });
  });
});
