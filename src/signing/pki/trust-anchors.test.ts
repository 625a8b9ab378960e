import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sharedTestPki, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { loadTrustAnchors, loadTrustAnchorsDetailed, trustAnchorsFromEnv } from './trust-anchors.ts';
import { validateChain } from './chain.ts';

describe('trust anchors from a directory', () => {
  let s: SharedTestPki;
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'hocba-anchors-'));
    dirs.push(d);
    return d;
  };
  before(async () => {
    s = await sharedTestPki();
  });
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('loads PEM bundles and DER files; the anchors validate a signer', async () => {
    const d = dir();
    writeFileSync(join(d, 'national-root.pem'), s.pki.root.certificatePem + s.pki.issuing.certificatePem);
    writeFileSync(join(d, 'licensed-ca.der'), s.pki.issuing.certificate);
    writeFileSync(join(d, 'README.txt'), 'ignored');
    const detailed = await loadTrustAnchorsDetailed(d);
    assert.equal(detailed.length, 3);
    assert.match(detailed[1]!.subject, /^CN=hocba TEST Root CA/);
    assert.match(detailed[0]!.sha256, /^[0-9a-f]{64}$/);
    const anchors = await loadTrustAnchors(d);
    const id = await s.signer('Người Ký Thật');
    // The issuing CA alone as anchor (a licensed CA configured directly) is enough.
    assert.equal((await validateChain({ certificate: id.certificate, trustAnchors: [anchors[0]!] })).status, 'passed');
    assert.deepEqual(await trustAnchorsFromEnv({ HOCBA_TRUST_ANCHORS: d }), anchors);
    assert.equal(await trustAnchorsFromEnv({}), null);
  });

  test('refuses an end-entity certificate, garbage and an empty or missing directory, naming the file', async () => {
    const d = dir();
    writeFileSync(join(d, 'leaf.pem'), (await s.signer('Không Phải CA')).certificatePem);
    await assert.rejects(loadTrustAnchors(d), (e: Error) => /leaf\.pem.*is not a CA certificate/.test(e.message));
    const g = dir();
    writeFileSync(join(g, 'bad.der'), new Uint8Array([1, 2, 3]));
    await assert.rejects(loadTrustAnchors(g), /bad\.der is not a valid X\.509 certificate/);
    await assert.rejects(loadTrustAnchors(dir()), /holds no certificate files/);
    await assert.rejects(loadTrustAnchors('/nonexistent/hocba-anchors'), /cannot be read: ENOENT/);
  });
});
