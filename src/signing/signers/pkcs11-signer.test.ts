import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createSoftHsm, softHsmSkipReason, type SoftHsm } from '../../../test/helpers/softhsm.ts';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { SigningError } from '../signer.ts';
import { listPkcs11Tokens, openPkcs11Signer } from './pkcs11-signer.ts';
import { softwareSigner } from './software-signer.ts';

const run = promisify(execFile);
const skip = softHsmSkipReason();
const PIN = '246810';
const sha = (alg: string, s: string) => createHash(alg).update(s).digest();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('PKCS#11 signer (SoftHSM2)', { skip }, () => {
  let hsm: SoftHsm;
  let person: PkiIdentity;
  let ec: PkiIdentity;
  let issuing: Uint8Array;

  before(async () => {
    const { pki, signer } = await sharedTestPki();
    person = await signer('Lê Văn Token');
    ec = await pki.issue({ commonName: 'Phạm Thị EC Token', keyType: 'ec-p256' });
    issuing = pki.issuing.certificate;
    hsm = await createSoftHsm();
    await hsm.createToken({ label: 'hocba-a', pin: PIN });
    await hsm.importKey({ token: 'hocba-a', pin: PIN, label: 'giao-vien', id: '01', privateKeyPem: person.privateKeyPem, certificate: person.certificate, extraCertificates: [{ label: 'issuing-ca', id: 'ca01', der: issuing }] });
    await hsm.importKey({ token: 'hocba-a', pin: PIN, label: 'ec-key', id: '02', privateKeyPem: ec.privateKeyPem, certificate: ec.certificate });
    await hsm.createToken({ label: 'hocba-b', pin: PIN });
  });
  after(async () => {
    await hsm?.cleanup();
  });

  test('lists the tokens in the module', () => {
    assert.deepEqual(listPkcs11Tokens(hsm.modulePath).map((t) => t.label).sort(), ['hocba-a', 'hocba-b']);
  });

  test('RSA: chain [leaf, issuing CA] from the token; signatures verify and equal the software key and pkcs11-tool byte for byte', async () => {
    const s = await openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'hocba-a', pin: PIN, keyLabel: 'giao-vien' });
    try {
      assert.deepEqual((await s.certificateChain()).map(hex), [person.certificate, issuing].map(hex));
      assert.deepEqual(await s.algorithms(), ['RSASSA-PKCS1-v1_5-SHA256', 'RSASSA-PKCS1-v1_5-SHA384', 'RSASSA-PKCS1-v1_5-SHA512']);
      const msgs = ['hồ sơ 1', 'hồ sơ 2', 'hồ sơ 3'];
      const sigs = await s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: msgs.map((m) => ({ digest: sha('sha256', m), label: m })) });
      const pub = new X509Certificate(Buffer.from(person.certificate)).publicKey;
      sigs.forEach((sig, i) => assert.ok(verify('sha256', Buffer.from(msgs[i]!), pub, sig)));
      const soft = await softwareSigner({ privateKey: person.privateKey, chain: person.chain }).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: msgs.map((m) => ({ digest: sha('sha256', m) })) });
      assert.deepEqual(sigs.map(hex), soft.map(hex));
      const [s512] = await s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA512', items: [{ digest: sha('sha512', 'x') }] });
      assert.ok(verify('sha512', Buffer.from('x'), pub, s512!));

      // Independent tool: OpenSC's pkcs11-tool signs the same message with the same token key.
      const msgFile = join(hsm.dir, 'msg.bin');
      const sigFile = join(hsm.dir, 'msg.sig');
      await writeFile(msgFile, msgs[0]!);
      await run('pkcs11-tool', ['--module', hsm.modulePath, '--token-label', 'hocba-a', '--login', '--pin', PIN, '--sign', '--mechanism', 'SHA256-RSA-PKCS', '--id', '01', '-i', msgFile, '-o', sigFile], { env: process.env });
      assert.equal(hex(await readFile(sigFile)), hex(sigs[0]!));
    } finally {
      await s.close();
      await s.close(); // safe twice
    }
  });

  test('ECDSA P-256 via CKM_ECDSA: r||s that verifies for SHA-256 and SHA-384 digests', async () => {
    const s = await openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'hocba-a', pin: PIN, keyId: '02' });
    try {
      assert.deepEqual(await s.algorithms(), ['ECDSA-SHA256', 'ECDSA-SHA384']);
      const pub = new X509Certificate(Buffer.from(ec.certificate)).publicKey;
      for (const [alg, h] of [['ECDSA-SHA256', 'sha256'], ['ECDSA-SHA384', 'sha384']] as const) {
        const [sig] = await s.signDigests({ algorithm: alg, items: [{ digest: sha(h, 'Chữ ký EC') }] });
        assert.equal(sig!.length, 64);
        assert.ok(verify(h, Buffer.from('Chữ ký EC'), { key: pub, dsaEncoding: 'ieee-p1363' }, sig!), alg);
      }
      await assert.rejects(s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: sha('sha256', 'x') }] }), (e: SigningError) => e.code === 'unsupported_algorithm');
    } finally {
      await s.close();
    }
  });

  test('concurrent requests on one session are serialised and all verify', async () => {
    const slot = listPkcs11Tokens(hsm.modulePath).find((t) => t.label === 'hocba-a')!.slot; // SoftHSM's slot order is not fixed
    const s = await openPkcs11Signer({ modulePath: hsm.modulePath, slot, pin: PIN, keyLabel: 'giao-vien' });
    try {
      const pub = new X509Certificate(Buffer.from(person.certificate)).publicKey;
      const batches = await Promise.all(Array.from({ length: 5 }, (_, b) => s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: Array.from({ length: 4 }, (_, i) => ({ digest: sha('sha256', `${b}-${i}`) })) })));
      batches.forEach((sigs, b) => sigs.forEach((sig, i) => assert.ok(verify('sha256', Buffer.from(`${b}-${i}`), pub, sig), `${b}-${i}`)));
    } finally {
      await s.close();
    }
    await assert.rejects(s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: sha('sha256', 'x') }] }), (e: SigningError) => e.code === 'signer_unavailable' && /closed/.test(e.message));
  });

  test('wrong PIN → signer_auth_failed, and the PIN is not in the message', async () => {
    await assert.rejects(openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'hocba-a', pin: '999111', keyLabel: 'giao-vien' }), (e: SigningError) => {
      assert.ok(e instanceof SigningError);
      assert.equal(e.code, 'signer_auth_failed');
      assert.match(e.message, /hocba-a/);
      assert.ok(!e.message.includes('999111'));
      return true;
    });
  });

  test('missing module, token or key → signer_unavailable naming what is missing', async () => {
    const code = (re: RegExp) => (e: SigningError) => e.code === 'signer_unavailable' && re.test(e.message);
    await assert.rejects(openPkcs11Signer({ modulePath: join(hsm.dir, 'no-such-module.so'), pin: PIN }), code(/cannot load the module/));
    await assert.rejects(openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'khong-co', pin: PIN }), code(/no token labelled "khong-co".*hocba-a/));
    await assert.rejects(openPkcs11Signer({ modulePath: hsm.modulePath, slot: 7, pin: PIN }), code(/no token in slot 7/));
    await assert.rejects(openPkcs11Signer({ modulePath: hsm.modulePath, pin: PIN }), code(/2 tokens present/));
    await assert.rejects(openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'hocba-a', pin: PIN, keyLabel: 'nobody' }), code(/no private key with label "nobody"/));
    await assert.rejects(openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'hocba-a', pin: PIN }), code(/2 private keys match any label/));
    await assert.rejects(openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'hocba-b', pin: PIN }), code(/no private key/));
    await assert.rejects(openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'hocba-a', pin: PIN, keyLabel: 'giao-vien', certificateLabel: 'ec-key' }), (e: SigningError) => e.code === 'certificate_invalid' && /does not belong/.test(e.message));
  });
});
