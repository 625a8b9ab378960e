import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import { issueCertificate, x509 } from './cert-builder.ts';
import { validateChain, type ChainResult, type RequiredUsage } from './chain.ts';
import { toArrayBuffer } from './der.ts';
import { generateKeyPair, importPrivateKey } from './keys.ts';
import { createTestPki, type PkiIdentity } from './test-pki.ts';

const DAY = 86_400_000;

describe('validateChain', async () => {
  const { pki, signer } = await sharedTestPki();
  const now = Date.now();
  const other = await createTestPki({ label: 'hocba TEST Khác' });

  /** A certificate "issued" by an end-entity certificate (which is not a CA). */
  async function issuedByLeaf(leaf: PkiIdentity): Promise<Uint8Array> {
    const keys = await generateKeyPair();
    const cert = await issueCertificate({
      subject: { commonName: 'Con của chứng thư cuối' },
      publicKey: keys.publicKey,
      issuer: { certificate: new x509.X509Certificate(toArrayBuffer(leaf.certificate)), privateKey: await importPrivateKey(leaf.privateKey, 'rsa-2048'), keyType: 'rsa-2048' },
      profile: 'person',
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + DAY),
    });
    return new Uint8Array(cert.rawData);
  }

  const good = await signer('Nguyễn Văn Hợp Lệ');
  const cases: { name: string; cert: () => Promise<Uint8Array>; intermediates?: Uint8Array[]; anchors?: Uint8Array[]; at?: Date; usage?: RequiredUsage; status: ChainResult['status']; code?: string; reason?: RegExp }[] = [
    { name: 'good person certificate', cert: async () => good.certificate, status: 'passed' },
    { name: 'good, checked at a past time within validity', cert: async () => good.certificate, at: new Date(now - 60_000), status: 'passed' },
    { name: 'good seal, EC P-256 key', cert: async () => (await pki.issue({ commonName: 'Trường EC', kind: 'seal', keyType: 'ec-p256' })).certificate, status: 'passed' },
    { name: 'expired', cert: async () => (await pki.issue({ commonName: 'Hết Hạn', notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 30 * DAY) })).certificate, status: 'failed', code: 'expired', reason: /"CN=Hết Hạn.*" expired on/ },
    { name: 'not yet valid', cert: async () => (await pki.issue({ commonName: 'Chưa Hiệu Lực', notBefore: new Date(now + 30 * DAY), notAfter: new Date(now + 400 * DAY) })).certificate, status: 'failed', code: 'not_yet_valid' },
    { name: 'valid now but checked before its notBefore', cert: async () => good.certificate, at: new Date(now - 10 * DAY), status: 'failed', code: 'not_yet_valid' },
    { name: 'wrong key usage (keyEncipherment only)', cert: async () => (await pki.issue({ commonName: 'Chỉ Mã Hóa', keyUsages: ['keyEncipherment'] })).certificate, status: 'failed', code: 'key_usage', reason: /neither digitalSignature nor nonRepudiation/ },
    { name: 'RSA-1024 key', cert: async () => (await pki.issue({ commonName: 'Khóa 1024', keyType: 'rsa-1024' })).certificate, status: 'failed', code: 'weak_key', reason: /1024 bits/ },
    { name: 'SHA-1 signature', cert: async () => (await pki.issue({ commonName: 'Ký SHA-1', signatureHash: 'SHA-1' })).certificate, status: 'failed', code: 'weak_algorithm', reason: /sha1WithRSAEncryption/ },
    { name: 'unknown root', cert: async () => (await other.issue({ commonName: 'Gốc Lạ' })).certificate, intermediates: [other.issuing.certificate], status: 'indeterminate', code: 'no_chain', reason: /neither a trust anchor/ },
    { name: 'missing intermediate', cert: async () => good.certificate, intermediates: [], status: 'indeterminate', code: 'no_chain' },
    { name: 'issued by an end-entity certificate', cert: async () => issuedByLeaf(good), intermediates: [good.certificate, pki.issuing.certificate], status: 'failed', code: 'not_a_ca' },
    { name: 'person certificate used as a TSA', cert: async () => good.certificate, usage: 'timeStamping', status: 'failed', code: 'key_usage', reason: /timeStamping/ },
    { name: 'TSA certificate as a TSA', cert: async () => pki.tsa.certificate, usage: 'timeStamping', status: 'passed' },
    { name: 'OCSP responder certificate for OCSP', cert: async () => pki.ocspResponder.certificate, usage: 'ocspSigning', status: 'passed' },
    { name: 'garbage bytes', cert: async () => new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), status: 'failed', code: 'malformed' },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const r = await validateChain({
        certificate: await c.cert(),
        intermediates: c.intermediates ?? [pki.issuing.certificate],
        trustAnchors: c.anchors ?? [pki.root.certificate],
        ...(c.at ? { atTime: c.at } : {}),
        ...(c.usage ? { requireKeyUsage: c.usage } : {}),
      });
      assert.equal(r.status, c.status, r.reason);
      if (c.code) assert.equal(r.code, c.code, r.reason);
      if (c.reason) assert.match(r.reason, c.reason);
      if (c.status === 'passed') {
        assert.equal(r.chain.length, 3);
        assert.deepEqual(r.chain[2], pki.root.certificate);
      }
    });
  }

  test('a tampered certificate (one signature byte flipped) has no valid path', async () => {
    const bad = new Uint8Array(good.certificate);
    bad[bad.length - 5] = bad[bad.length - 5]! ^ 0x01;
    const r = await validateChain({ certificate: bad, intermediates: [pki.issuing.certificate], trustAnchors: [pki.root.certificate] });
    assert.notEqual(r.status, 'passed');
  });
});
