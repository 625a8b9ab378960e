import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, test } from 'node:test';
import { verifyDigestSignature, type KeyInfo } from './algorithms.ts';
import { ecdsaSignDigest } from './ecdsa-digest.ts';

describe('verifyDigestSignature (checking values a remote signer returns)', () => {
  const message = Buffer.from('Học bạ số — kiểm tra chữ ký trên digest');
  const cases = [
    { name: 'RSA-2048 / SHA-256', gen: () => generateKeyPairSync('rsa', { modulusLength: 2048 }), info: { type: 'rsa', bits: 2048 } as KeyInfo, alg: 'RSASSA-PKCS1-v1_5-SHA256', hash: 'sha256' },
    { name: 'RSA-2048 / SHA-512', gen: () => generateKeyPairSync('rsa', { modulusLength: 2048 }), info: { type: 'rsa', bits: 2048 } as KeyInfo, alg: 'RSASSA-PKCS1-v1_5-SHA512', hash: 'sha512' },
    { name: 'P-256 / SHA-256', gen: () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), info: { type: 'ec', curve: 'P-256' } as KeyInfo, alg: 'ECDSA-SHA256', hash: 'sha256' },
    { name: 'P-256 / SHA-384 (digest longer than the curve)', gen: () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), info: { type: 'ec', curve: 'P-256' } as KeyInfo, alg: 'ECDSA-SHA384', hash: 'sha384' },
    { name: 'P-384 / SHA-384', gen: () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }), info: { type: 'ec', curve: 'P-384' } as KeyInfo, alg: 'ECDSA-SHA384', hash: 'sha384' },
  ] as const;
  for (const c of cases) {
    test(`${c.name}: node:crypto signatures verify; a changed value, digest or key does not`, () => {
      const { publicKey, privateKey } = c.gen();
      const stranger = c.gen().publicKey;
      const digest = createHash(c.hash).update(message).digest();
      for (let i = 0; i < 5; i++) {
        const sig = sign(c.hash, message, c.info.type === 'ec' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey);
        assert.equal(verifyDigestSignature(publicKey, c.info, c.alg, digest, sig), true);
        const flipped = Buffer.from(sig);
        flipped[flipped.length - 1 - i]! ^= 0x01;
        assert.equal(verifyDigestSignature(publicKey, c.info, c.alg, digest, flipped), false);
        const other = Buffer.from(digest);
        other[0]! ^= 0x80;
        assert.equal(verifyDigestSignature(publicKey, c.info, c.alg, other, sig), false);
        assert.equal(verifyDigestSignature(stranger, c.info, c.alg, digest, sig), false);
      }
    });
  }
  test('ECDSA values from the software signer verify; r or s out of range do not', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const digest = createHash('sha256').update(message).digest();
    const sig = ecdsaSignDigest(privateKey, 'P-256', digest);
    const info: KeyInfo = { type: 'ec', curve: 'P-256' };
    assert.equal(verifyDigestSignature(publicKey, info, 'ECDSA-SHA256', digest, sig), true);
    assert.equal(verifyDigestSignature(publicKey, info, 'ECDSA-SHA256', digest, new Uint8Array(64)), false);
    assert.equal(verifyDigestSignature(publicKey, info, 'ECDSA-SHA256', digest, new Uint8Array(64).fill(0xff)), false);
    assert.equal(verifyDigestSignature(publicKey, info, 'ECDSA-SHA256', digest, sig.subarray(1)), false);
  });
});
