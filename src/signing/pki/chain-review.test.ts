/**
 * Second security review of validateChain: certificates the test PKI never issues, built by
 * hand — weak EC curves, SHA-1 hidden inside RSA-PSS parameters, a CA without keyUsage, name
 * constraints we do not enforce, a TSA certificate with extra purposes.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { describe, test } from 'node:test';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import { x509 } from './cert-builder.ts';
import { validateChain } from './chain.ts';
import { randomSerialHex, toArrayBuffer } from './der.ts';
import { generateKeyPair, importPrivateKey } from './keys.ts';

const DAY = 86_400_000;
const subtle = webcrypto.subtle as SubtleCrypto;

describe('validateChain review: hand-built certificates', async () => {
  const { pki } = await sharedTestPki();
  const now = Date.now();
  const issuingCert = new x509.X509Certificate(toArrayBuffer(pki.issuing.certificate));
  const rootCert = new x509.X509Certificate(toArrayBuffer(pki.root.certificate));
  const issuingKey = await importPrivateKey(pki.issuing.privateKey, pki.issuing.keyType);
  const rootKey = await importPrivateKey(pki.root.privateKey, pki.root.keyType);
  const rsaSha256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

  async function make(p: {
    cn: string;
    publicKey: CryptoKey | ArrayBuffer;
    issuer: x509.X509Certificate;
    key: CryptoKey;
    alg?: Algorithm | RsaPssParams | EcdsaParams;
    extensions: x509.Extension[];
  }): Promise<Uint8Array> {
    const c = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerialHex(),
      subject: `CN=${p.cn}`,
      issuer: p.issuer.subject,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 30 * DAY),
      publicKey: p.publicKey,
      signingKey: p.key,
      signingAlgorithm: p.alg ?? rsaSha256,
      extensions: p.extensions,
    });
    return new Uint8Array(c.rawData);
  }
  const leafExt = () => [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)];
  const rsaKey = async () => (await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const validate = (certificate: Uint8Array, intermediates: Uint8Array[] = [pki.issuing.certificate], requireKeyUsage?: 'timeStamping') =>
    validateChain({ certificate, intermediates, trustAnchors: [pki.root.certificate], ...(requireKeyUsage ? { requireKeyUsage } : {}) });

  test('control: a hand-built leaf under the issuing CA passes', async () => {
    const r = await validate(await make({ cn: 'Đối chứng', publicKey: (await rsaKey()).publicKey, issuer: issuingCert, key: issuingKey, extensions: leafExt() }));
    assert.equal(r.status, 'passed', r.reason);
  });

  test('an EC P-192 leaf key is refused (EC keys below 256 bits)', async () => {
    const spki = generateKeyPairSync('ec', { namedCurve: 'prime192v1' }).publicKey.export({ format: 'der', type: 'spki' });
    const r = await validate(await make({ cn: 'Khóa EC 192', publicKey: toArrayBuffer(spki), issuer: issuingCert, key: issuingKey, extensions: leafExt() }));
    assert.equal(r.status, 'failed', r.reason);
    assert.equal(r.code, 'weak_key');
    assert.match(r.reason, /prime192v1|192/);
  });

  test('a certificate signed with RSA-PSS over SHA-1 is refused like sha1WithRSA', async () => {
    const pssKey = await subtle.importKey('pkcs8', toArrayBuffer(pki.issuing.privateKey), { name: 'RSA-PSS', hash: 'SHA-1' }, false, ['sign']);
    const cert = await make({ cn: 'PSS SHA-1', publicKey: (await rsaKey()).publicKey, issuer: issuingCert, key: pssKey, alg: { name: 'RSA-PSS', hash: 'SHA-1', saltLength: 20 } as RsaPssParams, extensions: leafExt() });
    const r = await validate(cert);
    assert.equal(r.status, 'failed', r.reason);
    assert.equal(r.code, 'weak_algorithm');
  });

  test('an intermediate CA without keyUsage (so without keyCertSign) is refused', async () => {
    const caKeys = await rsaKey();
    const ca = await make({ cn: 'CA không keyUsage', publicKey: caKeys.publicKey, issuer: rootCert, key: rootKey, extensions: [new x509.BasicConstraintsExtension(true, 0, true)] });
    const leaf = await make({ cn: 'Con của CA không keyUsage', publicKey: (await rsaKey()).publicKey, issuer: new x509.X509Certificate(toArrayBuffer(ca)), key: caKeys.privateKey, extensions: leafExt() });
    const r = await validate(leaf, [ca]);
    assert.equal(r.status, 'failed', r.reason);
    assert.equal(r.code, 'key_usage');
    assert.match(r.reason, /keyCertSign/);
  });

  test('name constraints on a CA are refused even when marked non-critical (not enforced here)', async () => {
    const caKeys = await rsaKey();
    // NameConstraints { permittedSubtrees [0] { GeneralSubtree { dNSName "truong.edu.vn" } } }
    const host = Buffer.from('truong.edu.vn');
    const nc = Buffer.concat([Buffer.from([0x30, host.length + 6, 0xa0, host.length + 4, 0x30, host.length + 2, 0x82, host.length]), host]);
    const ca = await make({
      cn: 'CA ràng buộc tên',
      publicKey: caKeys.publicKey,
      issuer: rootCert,
      key: rootKey,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true), new x509.Extension('2.5.29.30', false, toArrayBuffer(nc))],
    });
    const leaf = await make({ cn: 'Con của CA ràng buộc', publicKey: (await rsaKey()).publicKey, issuer: new x509.X509Certificate(toArrayBuffer(ca)), key: caKeys.privateKey, extensions: leafExt() });
    const r = await validate(leaf, [ca]);
    assert.equal(r.status, 'failed', r.reason);
    assert.equal(r.code, 'unknown_critical_extension');
    assert.match(r.reason, /name constraints/i);
  });

  test('a TSA certificate whose critical extendedKeyUsage lists more than timeStamping is refused for timestamps', async () => {
    const pub = (await generateKeyPair('rsa-2048')).publicKey;
    const tsaExt = (purposes: string[]) => [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(purposes, true),
    ];
    const only = await make({ cn: 'TSA đúng', publicKey: pub, issuer: issuingCert, key: issuingKey, extensions: tsaExt(['1.3.6.1.5.5.7.3.8']) });
    assert.equal((await validate(only, undefined, 'timeStamping')).status, 'passed');
    const extra = await make({ cn: 'TSA nhiều mục đích', publicKey: pub, issuer: issuingCert, key: issuingKey, extensions: tsaExt(['1.3.6.1.5.5.7.3.8', '1.3.6.1.5.5.7.3.4']) });
    const r = await validate(extra, undefined, 'timeStamping');
    assert.equal(r.status, 'failed', r.reason);
    assert.equal(r.code, 'key_usage');
    assert.match(r.reason, /only/);
  });
});
