/**
 * The signing page's agent client (src/web/signing/agent-client.ts) against a real local
 * agent (`startAgentServer`) in front of a SoftHSM token: pairing with the code the agent
 * shows (token kept per agent and origin), signing a batch's waiting items in chunks and
 * completing each chunk before the next, refusals mapped to the page's codes, a stale token
 * forgotten. The values verify over the digests with the token certificate's key.
 */
import assert from 'node:assert/strict';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startAgentServer, type AgentServer } from '../../src/signing/agent/agent-server.ts';
import type { PkiIdentity } from '../../src/signing/pki/test-pki.ts';
import type { Signer } from '../../src/signing/signer.ts';
import { openPkcs11Signer } from '../../src/signing/signers/pkcs11-signer.ts';
import { AgentProblem, agentClient, pairingStorageKey, signItemsWithAgent, type AgentStorage } from '../../src/web/signing/agent-client.ts';
import type { BatchItemView, ItemResult } from '../../src/web/signing/signing-api.ts';
import { createSoftHsm, softHsmSkipReason, type SoftHsm } from '../helpers/softhsm.ts';
import { sharedTestPki } from '../helpers/test-pki.ts';

const ORIGIN = 'http://localhost:8080';
const ALGORITHM = 'RSASSA-PKCS1-v1_5-SHA256';

function memoryStorage(): AgentStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const item = (n: number, status: BatchItemView['status']): BatchItemView & { data: string } => {
  const data = `record ${n}`;
  return {
    itemId: `item-${n}`,
    versionId: `version-${n}`,
    signatureId: 'sig-homeroom',
    label: { studentName: `Học sinh ${n}`, className: '10A1', version: 1, subjects: [] },
    status,
    digest: status === 'pending' || status === 'failed' ? createHash('sha256').update(data).digest('base64') : null,
    error: null,
    data,
  };
};

describe('signing page: agent client against a real agent on SoftHSM', { skip: softHsmSkipReason() }, () => {
  let person: PkiIdentity;
  let hsm: SoftHsm;
  let token: Signer & { close(): Promise<void> };
  let agent: AgentServer;
  const codes: string[] = [];
  const asked: { count: number; labels: string[] }[] = [];
  const state = { answer: true };

  before(async () => {
    person = await (await sharedTestPki()).signer('Đỗ Thị Token');
    hsm = await createSoftHsm();
    await hsm.createToken({ label: 'usb', pin: '2468' });
    await hsm.importKey({ token: 'usb', pin: '2468', label: 'key', id: 'b1', privateKeyPem: person.privateKeyPem, certificate: person.certificate });
    token = await openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'usb', pin: '2468', chain: person.chain.slice(1) });
    agent = await startAgentServer({
      signer: token,
      allowedOrigins: [ORIGIN],
      confirm: async (r) => {
        asked.push({ count: r.count, labels: r.labels });
        return state.answer;
      },
      showPairingCode: (code) => codes.push(code),
    });
  });
  after(async () => {
    await agent?.close();
    await token?.close();
    await hsm?.cleanup();
  });

  const client = (storage: AgentStorage, url = agent.url) => agentClient({ agentUrl: url, origin: ORIGIN, storage, headers: { origin: ORIGIN } });

  test('no agent listening → agent_unreachable', async () => {
    const c = client(memoryStorage(), 'http://127.0.0.1:9');
    await assert.rejects(c.info(), (e: unknown) => e instanceof AgentProblem && e.code === 'agent_unreachable');
  });

  test('pairing: unpaired → wrong code refused → the shown code (typed in lower case) pairs; the token is kept per agent and origin', async () => {
    const storage = memoryStorage();
    const c = client(storage);
    assert.equal((await c.info()).paired, false);
    await assert.rejects(c.sign(ALGORITHM, [{ digest: item(0, 'pending').digest!, label: 'x' }]), (e: unknown) => e instanceof AgentProblem && e.code === 'not_paired');
    await c.requestCode();
    const code = codes.at(-1)!;
    assert.match(code, /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    const wrong = code.startsWith('2') ? `3${code.slice(1)}` : `2${code.slice(1)}`;
    await assert.rejects(c.pair(wrong), (e: unknown) => e instanceof AgentProblem && e.code === 'pairing_failed');
    await c.requestCode();
    await c.pair(` ${codes.at(-1)!.toLowerCase()} `);
    assert.ok(storage.map.get(pairingStorageKey(agent.url, ORIGIN)));
    assert.equal((await c.info()).paired, true);
    // A new client on the same storage (a reload) is still paired.
    assert.equal((await client(storage).info()).paired, true);
    const certs = await c.certificates();
    assert.equal(certs.certificates[0], Buffer.from(person.certificate).toString('base64'));
  });

  test('signs waiting items in chunks, completes each chunk before the next; skips signed/refused; values verify', async () => {
    const storage = memoryStorage();
    const c = client(storage);
    await c.requestCode();
    await c.pair(codes.at(-1)!);
    const items = [item(1, 'pending'), item(2, 'signed'), item(3, 'failed'), item(4, 'refused'), ...[5, 6, 7, 8, 9].map((n) => item(n, 'pending'))];
    const calls: { itemId: string; signatureValue: string }[][] = [];
    const progress: number[] = [];
    asked.length = 0;
    const results = await signItemsWithAgent({
      agent: c,
      algorithm: ALGORITHM,
      items,
      chunkSize: 3,
      complete: async (values) => {
        // Each chunk reaches the server before the agent is asked for the next.
        assert.equal(asked.length, calls.length + 1);
        calls.push(values);
        return { results: values.map((v): ItemResult => ({ itemId: v.itemId, versionId: v.itemId.replace('item', 'version'), status: 'signed', error: null })) };
      },
      onProgress: (p) => progress.push(p.done),
    });
    assert.deepEqual(calls.map((c) => c.map((v) => v.itemId)), [['item-1', 'item-3', 'item-5'], ['item-6', 'item-7', 'item-8'], ['item-9']]);
    assert.deepEqual(progress, [0, 3, 6, 7]);
    assert.deepEqual(asked.map((a) => a.count), [3, 3, 1]);
    assert.deepEqual(asked[0]!.labels, ['Học sinh 1 – 10A1 – v1', 'Học sinh 3 – 10A1 – v1', 'Học sinh 5 – 10A1 – v1']);
    assert.equal(results.length, 7);
    const key = new X509Certificate(person.certificate).publicKey;
    for (const v of calls.flat()) {
      const it = items.find((i) => i.itemId === v.itemId)!;
      assert.ok(verify('sha256', Buffer.from(it.data), key, Buffer.from(v.signatureValue, 'base64')), `signature of ${v.itemId}`);
      assert.ok(!verify('sha256', Buffer.from(`${it.data}!`), key, Buffer.from(v.signatureValue, 'base64')));
    }
  });

  test('declined at the PC → signer_rejected and nothing is completed; a stale token (agent forgot it) is dropped', async () => {
    const storage = memoryStorage();
    const c = client(storage);
    await c.requestCode();
    await c.pair(codes.at(-1)!);
    state.answer = false;
    let completed = 0;
    try {
      await assert.rejects(
        signItemsWithAgent({ agent: c, algorithm: ALGORITHM, items: [item(1, 'pending')], complete: async () => ((completed += 1), { results: [] }) }),
        (e: unknown) => e instanceof AgentProblem && e.code === 'signer_rejected',
      );
    } finally {
      state.answer = true;
    }
    assert.equal(completed, 0);
    agent.unpairAll();
    await assert.rejects(c.sign(ALGORITHM, [{ digest: item(1, 'pending').digest!, label: 'x' }]), (e: unknown) => e instanceof AgentProblem && e.code === 'not_paired');
    assert.equal(storage.map.size, 0, 'the stale token is forgotten');
    assert.equal(c.paired(), false);
  });
});
