import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSoftHsm, softHsmSkipReason, type SoftHsm } from '../../test/helpers/softhsm.ts';
import { sharedTestPki } from '../../test/helpers/test-pki.ts';
import { agentSigner, completePairing, requestPairingCode } from '../signing/agent/agent-signer.ts';
import type { PkiIdentity } from '../signing/pki/test-pki.ts';
import { SigningError } from '../signing/signer.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ORIGIN = 'https://hocba.test.vn';
const PIN = '8642';

describe('hocba agent (CLI) with a SoftHSM token', { skip: softHsmSkipReason() }, () => {
  let hsm: SoftHsm;
  let person: PkiIdentity;
  let child: ChildProcessWithoutNullStreams | null = null;
  let out = '';
  const waiters: (() => void)[] = [];

  /** Resolves with the first match of `re` in the agent's output after `from` (bounded wait so a broken agent cannot hang the suite). */
  const waitFor = (re: RegExp, from = 0) =>
    new Promise<RegExpMatchArray>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`agent never printed ${re}; output so far:\n${out}`)), 30_000);
      const check = () => {
        const m = out.slice(from).match(re);
        if (m) {
          clearTimeout(timer);
          res(m);
        } else waiters.push(check);
      };
      check();
    });

  before(async () => {
    person = await (await sharedTestPki()).signer('Mai Văn Dòng Lệnh');
    hsm = await createSoftHsm();
    await hsm.createToken({ label: 'the-usb', pin: PIN });
    await hsm.importKey({ token: 'the-usb', pin: PIN, label: 'sig', id: '07', privateKeyPem: person.privateKeyPem, certificate: person.certificate });
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
    }
    await hsm?.cleanup();
  });

  test('--list-tokens shows the token', () => {
    const r = spawnSync(process.execPath, ['bin/hocba.js', 'agent', '--module', hsm.modulePath, '--list-tokens'], { cwd: ROOT, encoding: 'utf8', env: process.env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /slot \d+: "the-usb" — SoftHSM/);
  });

  test('a wrong PIN stops the agent with an error that does not contain the PIN', () => {
    const r = spawnSync(process.execPath, ['bin/hocba.js', 'agent', '--module', hsm.modulePath, '--token-label', 'the-usb', '--origin', ORIGIN, '--port', '0'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HOCBA_TOKEN_PIN: '97531' } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /wrong PIN/);
    assert.ok(!r.stderr.includes('97531') && !r.stdout.includes('97531'));
  });

  test('pairing code printed, y/N asked in the terminal with the labels, signature verifies; "n" declines; SIGTERM stops it', async () => {
    child = spawn(process.execPath, ['bin/hocba.js', 'agent', '--module', hsm.modulePath, '--token-label', 'the-usb', '--key-label', 'sig', '--origin', ORIGIN, '--port', '0'], { cwd: ROOT, env: { ...process.env, HOCBA_TOKEN_PIN: PIN } });
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      waiters.splice(0).forEach((w) => w());
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      waiters.splice(0).forEach((w) => w());
    });
    const url = (await waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
    const mark = out.length;
    await requestPairingCode({ url, origin: ORIGIN });
    const code = (await waitFor(/pairing code for https:\/\/hocba\.test\.vn: ([2-9A-Z]{4}-[2-9A-Z]{4})/, mark))[1]!;
    const s = agentSigner({ url, origin: ORIGIN, pairingToken: await completePairing({ url, origin: ORIGIN, code }) });

    const digest = createHash('sha256').update('dòng lệnh').digest();
    let at = out.length;
    const signing = s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest, label: 'Học bạ 12C — Tạ Minh' }] });
    await waitFor(/• Học bạ 12C — Tạ Minh\s+Đồng ý ký\? \/ Sign\? \[y\/N\]/, at);
    child.stdin.write('y\n');
    const [sig] = await signing;
    assert.ok(verify('sha256', Buffer.from('dòng lệnh'), new X509Certificate(Buffer.from(person.certificate)).publicKey, sig!));

    at = out.length;
    const declined = s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest, label: 'Không ký cái này' }] });
    await waitFor(/Sign\? \[y\/N\]/, at);
    child.stdin.write('n\n');
    await assert.rejects(declined, (e: SigningError) => e instanceof SigningError && e.code === 'signer_rejected');

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(out, /hocba agent: stopped\./);
    assert.ok(!out.includes(PIN), 'the PIN never appears in the output');
  });
});
