import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { SigningError, type SignatureAlgorithm } from '../signer.ts';
import { ecdsaDerToP1363, ecdsaP1363ToDer } from './algorithms.ts';
import { softwareSigner, softwareSignerFromPkcs12 } from './software-signer.ts';

const run = promisify(execFile);
const hashOf = (alg: string, data: Buffer) => createHash(alg).update(data).digest();
const nodeHash = (a: SignatureAlgorithm) => (a.endsWith('384') ? 'sha384' : a.endsWith('512') ? 'sha512' : 'sha256');

function verifies(cert: Uint8Array, alg: SignatureAlgorithm, message: Buffer, signature: Uint8Array): boolean {
  const key = new X509Certificate(Buffer.from(cert)).publicKey;
  return verify(nodeHash(alg), message, alg.startsWith('ECDSA') ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
}

const opensslMissing = !(process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, 'openssl')));
if (opensslMissing && process.env.CI) throw new Error('openssl is required for the PKCS#12 tests (CI is set)');

describe('software signer', () => {
  let person: PkiIdentity;
  let ec: PkiIdentity;
  let issuing: Uint8Array;
  before(async () => {
    const { pki, signer } = await sharedTestPki();
    person = await signer('Nguyễn Thị Lan');
    ec = await pki.issue({ commonName: 'Trần Văn EC', keyType: 'ec-p256' });
    issuing = pki.issuing.certificate;
  });

  test('RSA PKCS#1 v1.5 over SHA-256/384/512 digests verifies with the certificate (node:crypto)', async () => {
    const s = softwareSigner({ privateKey: person.privateKey, chain: person.chain });
    assert.deepEqual(await s.algorithms(), ['RSASSA-PKCS1-v1_5-SHA256', 'RSASSA-PKCS1-v1_5-SHA384', 'RSASSA-PKCS1-v1_5-SHA512']);
    const messages = [Buffer.from('học bạ 1'), Buffer.from('học bạ 2')];
    for (const alg of await s.algorithms()) {
      const sigs = await s.signDigests({ algorithm: alg, items: messages.map((m) => ({ digest: hashOf(nodeHash(alg), m), label: 'x' })) });
      assert.equal(sigs.length, 2);
      sigs.forEach((sig, i) => assert.ok(verifies(person.certificate, alg, messages[i]!, sig), `${alg} item ${i}`));
      assert.ok(!verifies(person.certificate, alg, messages[1]!, sigs[0]!), 'a signature does not verify another message');
    }
  });

  test('ECDSA P-256 over SHA-256 and SHA-384 digests verifies (P1363 and DER forms)', async () => {
    const s = softwareSigner({ privateKey: ec.privateKeyPem, chain: ec.chain });
    assert.deepEqual(await s.algorithms(), ['ECDSA-SHA256', 'ECDSA-SHA384']);
    const message = Buffer.from('Sổ học bạ — chữ ký ECDSA');
    for (const alg of ['ECDSA-SHA256', 'ECDSA-SHA384'] as const) {
      const sigs = await s.signDigests({ algorithm: alg, items: Array.from({ length: 20 }, () => ({ digest: hashOf(nodeHash(alg), message) })) });
      for (const sig of sigs) {
        assert.equal(sig.length, 64);
        assert.ok(verifies(ec.certificate, alg, message, sig), alg);
        const der = ecdsaP1363ToDer(sig, sig.length / 2);
        assert.ok(verify(nodeHash(alg), message, new X509Certificate(Buffer.from(ec.certificate)).publicKey, der), `${alg} as DER`);
        assert.deepEqual(ecdsaDerToP1363(der, 32), sig);
      }
      assert.equal(new Set(sigs.map((x) => Buffer.from(x).toString('hex'))).size, 20, 'fresh k per signature');
      const tampered = Buffer.from(sigs[0]!);
      tampered[10]! ^= 1;
      assert.ok(!verifies(ec.certificate, alg, message, tampered));
    }
  });

  test('refuses wrong digest lengths (naming the item), wrong algorithm family, weak or mismatched keys', async () => {
    const s = softwareSigner({ privateKey: person.privateKeyPem, chain: person.chain });
    await assert.rejects(
      s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: new Uint8Array(32) }, { digest: new Uint8Array(20), label: 'Lớp 10A1' }] }),
      (e: SigningError) => e.code === 'document_invalid' && /item 1 \("Lớp 10A1"\) is 20 bytes/.test(e.message),
    );
    await assert.rejects(s.signDigests({ algorithm: 'ECDSA-SHA256', items: [{ digest: new Uint8Array(32) }] }), (e: SigningError) => e.code === 'unsupported_algorithm');
    assert.deepEqual(await s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [] }), []);
    const { pki } = await sharedTestPki();
    const weak = await pki.issue({ commonName: 'Weak TEST', keyType: 'rsa-1024' });
    assert.throws(() => softwareSigner({ privateKey: weak.privateKey, chain: weak.chain }), (e: SigningError) => e.code === 'unsupported_algorithm' && /1024 bits/.test(e.message));
    assert.throws(() => softwareSigner({ privateKey: person.privateKey, chain: ec.chain }), (e: SigningError) => e.code === 'certificate_invalid' && /does not belong/.test(e.message));
    const aborted = AbortSignal.abort();
    await assert.rejects(s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest: new Uint8Array(32) }], signal: aborted }), (e: SigningError) => e.code === 'signer_timeout');
  });

  describe('PKCS#12', { skip: opensslMissing ? 'openssl not installed' : false }, () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hocba-p12-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const pem = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
    async function p12(id: PkiIdentity, name: string, password: string, extra: string[] = []): Promise<Uint8Array> {
      await writeFile(join(dir, `${name}.key`), id.privateKeyPem, { mode: 0o600 });
      await writeFile(join(dir, `${name}.crt`), id.certificatePem);
      await writeFile(join(dir, `${name}.ca`), pem(issuing));
      await run('openssl', ['pkcs12', '-export', '-inkey', join(dir, `${name}.key`), '-in', join(dir, `${name}.crt`), '-certfile', join(dir, `${name}.ca`), '-out', join(dir, `${name}.p12`), '-passout', 'env:P12PASS', ...extra], { env: { ...process.env, P12PASS: password } });
      return new Uint8Array(await readFile(join(dir, `${name}.p12`)));
    }
    const digest = hashOf('sha256', Buffer.from('p12'));

    test('OpenSSL 3 default (PBES2/AES, SHA-256 MAC): key and chain [leaf, issuing CA]; signatures verify', async () => {
      const s = await softwareSignerFromPkcs12(await p12(person, 'modern', 'mật-khẩu 1'), 'mật-khẩu 1');
      const chain = await s.certificateChain();
      assert.deepEqual(chain.map((c) => Buffer.from(c).toString('hex')), [person.certificate, issuing].map((c) => Buffer.from(c).toString('hex')));
      const [sig] = await s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest }] });
      assert.ok(verifies(person.certificate, 'RSASSA-PKCS1-v1_5-SHA256', Buffer.from('p12'), sig!));
      // Same key, same digest: RSA PKCS#1 v1.5 is deterministic, so the bytes equal the PKCS#8 signer's.
      const [direct] = await softwareSigner({ privateKey: person.privateKey, chain: person.chain }).signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest }] });
      assert.deepEqual(sig, direct);
    });

    test('legacy 3DES (pbeWithSHAAnd3-KeyTripleDES-CBC, SHA-1 MAC) and an EC key', async () => {
      const legacy = await softwareSignerFromPkcs12(await p12(person, 'legacy', 'secret', ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']), 'secret');
      const [sig] = await legacy.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest }] });
      assert.ok(verifies(person.certificate, 'RSASSA-PKCS1-v1_5-SHA256', Buffer.from('p12'), sig!));
      const ecSigner = await softwareSignerFromPkcs12(await p12(ec, 'ec', 'secret'), 'secret');
      const [ecSig] = await ecSigner.signDigests({ algorithm: 'ECDSA-SHA256', items: [{ digest }] });
      assert.ok(verifies(ec.certificate, 'ECDSA-SHA256', Buffer.from('p12'), ecSig!));
    });

    test('wrong password → signer_auth_failed without the password in the message; garbage → document_invalid', async () => {
      const bytes = await p12(person, 'wrong', 'right-password');
      await assert.rejects(softwareSignerFromPkcs12(bytes, 'Sai-Mat-Khau-42'), (e: SigningError) => e instanceof SigningError && e.code === 'signer_auth_failed' && !e.message.includes('Sai-Mat-Khau-42'));
      await assert.rejects(softwareSignerFromPkcs12(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x03]), 'x'), (e: SigningError) => e.code === 'document_invalid');
    });
  });
});
