/**
 * One key, four adapters: the software key, the same key imported into a SoftHSM token, the
 * CSC test service holding it, and the local agent in front of the token. Every signature
 * verifies with the certificate (node:crypto and the openssl CLI); RSA PKCS#1 v1.5 being
 * deterministic, all four produce the same bytes — and so the same signed record XML and PDF.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createSoftHsm, softHsmSkipReason, type SoftHsm } from '../../../test/helpers/softhsm.ts';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import { startAgentServer, type AgentServer } from '../agent/agent-server.ts';
import { agentSigner, completePairing, requestPairingCode } from '../agent/agent-signer.ts';
import { cscSigner } from '../csc/csc-signer.ts';
import { startCscTestService, type CscTestService } from '../csc/csc-test-service.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import type { SignatureAlgorithm, Signer } from '../signer.ts';
import { ecdsaP1363ToDer } from './algorithms.ts';
import { openPkcs11Signer, type Pkcs11Signer } from './pkcs11-signer.ts';
import { softwareSigner } from './software-signer.ts';
import { hbsV1, HBS_V1_NAMESPACE, serializeHbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../../documents/hbs-xml/test-snapshots.ts';
import { renderRecordPdf } from '../../documents/pdf/render-record.ts';
import { signPdf } from '../pades/index.ts';
import { pdfsigRunner } from '../validation/testing.ts';
import { signXades } from '../xades/index.ts';
import { missingTool, xmlsec1Verifier } from '../xades/testing.ts';

const run = promisify(execFile);
const PIN = '112233';
const ORIGIN = 'https://hocba.test.vn';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const opensslMissing = !(process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, 'openssl')));
if (opensslMissing && process.env.CI) throw new Error('openssl is required for the cross-adapter test (CI is set)');

describe('the same digest through every adapter', { skip: softHsmSkipReason() || (opensslMissing && 'openssl not installed') }, () => {
  let rsa: PkiIdentity;
  let ec: PkiIdentity;
  let hsm: SoftHsm;
  let csc: CscTestService;
  let agent: AgentServer;
  const tokens: Pkcs11Signer[] = [];
  const adapters: Record<'rsa' | 'ec', Record<string, Signer>> = { rsa: {}, ec: {} };

  before(async () => {
    const { pki, signer } = await sharedTestPki();
    rsa = await signer('Bùi Thị Chéo');
    ec = await pki.issue({ commonName: 'Bùi Văn EC Chéo', keyType: 'ec-p256' });
    hsm = await createSoftHsm();
    await hsm.createToken({ label: 'cross', pin: PIN });
    await hsm.importKey({ token: 'cross', pin: PIN, label: 'rsa', id: '10', privateKeyPem: rsa.privateKeyPem, certificate: rsa.certificate, extraCertificates: [{ label: 'ca', id: 'c0', der: pki.issuing.certificate }] });
    await hsm.importKey({ token: 'cross', pin: PIN, label: 'ec', id: '20', privateKeyPem: ec.privateKeyPem, certificate: ec.certificate });
    for (const [kind, id] of [['rsa', rsa], ['ec', ec]] as const) {
      const token = await openPkcs11Signer({ modulePath: hsm.modulePath, tokenLabel: 'cross', pin: PIN, keyLabel: kind });
      tokens.push(token);
      adapters[kind].software = softwareSigner({ privateKey: id.privateKey, chain: id.chain });
      adapters[kind].pkcs11 = token;
    }
    csc = await startCscTestService({
      users: [{ id: 'u', approval: 'auto', credentials: [{ id: 'rsa', privateKey: rsa.privateKey, chain: rsa.chain }, { id: 'ec', privateKey: ec.privateKey, chain: ec.chain }] }],
    });
    for (const kind of ['rsa', 'ec'] as const) adapters[kind].csc = cscSigner({ baseUrl: csc.url, auth: { accessToken: csc.tokenFor('u') }, credentialId: kind, authorize: { mode: 'async' }, pollIntervalMs: 10 });
    let code = '';
    agent = await startAgentServer({ signer: tokens[0]!, allowedOrigins: [ORIGIN], confirm: async () => true, showPairingCode: (c) => (code = c) });
    await requestPairingCode({ url: agent.url, origin: ORIGIN });
    adapters.rsa.agent = agentSigner({ url: agent.url, origin: ORIGIN, pairingToken: await completePairing({ url: agent.url, origin: ORIGIN, code }) });
  });
  after(async () => {
    await agent?.close();
    await csc?.close();
    for (const t of tokens) await t.close();
    await hsm?.cleanup();
  });

  async function opensslVerifies(cert: PkiIdentity, alg: SignatureAlgorithm, digest: Buffer, sig: Uint8Array, name: string): Promise<boolean> {
    const dir = hsm.dir;
    await writeFile(join(dir, `${name}.pub.pem`), new X509Certificate(Buffer.from(cert.certificate)).publicKey.export({ type: 'spki', format: 'pem' }));
    await writeFile(join(dir, `${name}.dgst`), digest);
    await writeFile(join(dir, `${name}.sig`), alg.startsWith('ECDSA') ? ecdsaP1363ToDer(sig, sig.length / 2) : sig);
    const args = ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, `${name}.pub.pem`), '-in', join(dir, `${name}.dgst`), '-sigfile', join(dir, `${name}.sig`)];
    if (!alg.startsWith('ECDSA')) args.push('-pkeyopt', 'digest:sha256');
    const r = await run('openssl', args).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    return /Signature Verified Successfully/.test(r.stdout);
  }

  test('RSA: software, PKCS#11, CSC and agent signatures verify and are byte-identical', async () => {
    const message = Buffer.from('Học bạ số — chữ ký RSA qua mọi bộ chuyển đổi');
    const digest = createHash('sha256').update(message).digest();
    const pub = new X509Certificate(Buffer.from(rsa.certificate)).publicKey;
    const sigs: Record<string, Uint8Array> = {};
    for (const [name, s] of Object.entries(adapters.rsa)) {
      assert.deepEqual((await s.certificateChain())[0], rsa.certificate, `${name} presents the certificate`);
      const [sig] = await s.signDigests({ algorithm: 'RSASSA-PKCS1-v1_5-SHA256', items: [{ digest, label: 'cross' }] });
      assert.ok(verify('sha256', message, pub, sig!), `${name}: node:crypto verify`);
      assert.ok(await opensslVerifies(rsa, 'RSASSA-PKCS1-v1_5-SHA256', digest, sig!, `rsa-${name}`), `${name}: openssl pkeyutl -verify`);
      sigs[name] = sig!;
    }
    assert.deepEqual(Object.keys(sigs).sort(), ['agent', 'csc', 'pkcs11', 'software']);
    for (const name of Object.keys(sigs)) assert.equal(hex(sigs[name]!), hex(sigs.software!), `${name} equals the software key's bytes`);
    const tampered = Buffer.from(sigs.pkcs11!);
    tampered[0]! ^= 0x40;
    assert.ok(!(await opensslVerifies(rsa, 'RSASSA-PKCS1-v1_5-SHA256', digest, tampered, 'rsa-tampered')), 'openssl rejects a tampered signature');
  });

  test('the same record signed through each adapter: identical XAdES XML (xmlsec1 accepts) and identical PAdES PDF (pdfsig: valid, trusted)', { skip: missingTool('xmlsec1', 'pdfsig', 'certutil') }, async () => {
    const { pki } = await sharedTestPki();
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const xml = serializeHbsV1(fullSnapshot());
    const pdf = await renderRecordPdf(fullSnapshot(), { xml });
    const xmls: Record<string, string> = {};
    const pdfs: Record<string, Uint8Array> = {};
    for (const [name, signer] of Object.entries(adapters.rsa)) {
      xmls[name] = await signXades({ xml, references: ['subject-TOAN'], container: hbsV1.signatureContainer, signatureId: 'sig-subject-TOAN', signer, signingTime: at, claimedRole: 'Giáo viên bộ môn' });
      pdfs[name] = await signPdf({ pdf, signer, fieldName: 'GVBM', signingTime: at, reason: 'Giáo viên bộ môn' });
    }
    assert.deepEqual(Object.keys(xmls).sort(), ['agent', 'csc', 'pkcs11', 'software']);
    for (const name of Object.keys(xmls)) {
      assert.equal(xmls[name], xmls.software, `${name}: the signed XML equals the software key's`);
      assert.equal(hex(pdfs[name]!), hex(pdfs.software!), `${name}: the signed PDF equals the software key's`);
    }
    const xmlsec = await xmlsec1Verifier({ rootPem: pki.root.certificatePem, intermediatePems: [pki.issuing.certificatePem], idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS_V1_NAMESPACE}:${e}`) });
    const pdfsig = await pdfsigRunner(pki.root.certificatePem);
    try {
      const x = await xmlsec.verify(xmls.software!, 'sig-subject-TOAN');
      assert.ok(x.ok, x.output);
      const { signatures, output } = await pdfsig.check(pdfs.software!);
      assert.equal(signatures.length, 1, output);
      assert.ok(signatures[0]!.valid && signatures[0]!.trusted, output);
    } finally {
      await xmlsec.close();
      await pdfsig.close();
    }
  });

  test('ECDSA P-256: software, PKCS#11 and CSC signatures all verify (randomised, so not identical)', async () => {
    const message = Buffer.from('Học bạ số — chữ ký ECDSA');
    const digest = createHash('sha256').update(message).digest();
    const pub = new X509Certificate(Buffer.from(ec.certificate)).publicKey;
    for (const [name, s] of Object.entries(adapters.ec)) {
      const [sig] = await s.signDigests({ algorithm: 'ECDSA-SHA256', items: [{ digest }] });
      assert.equal(sig!.length, 64, name);
      assert.ok(verify('sha256', message, { key: pub, dsaEncoding: 'ieee-p1363' }, sig!), `${name}: node:crypto verify`);
      assert.ok(await opensslVerifies(ec, 'ECDSA-SHA256', digest, sig!, `ec-${name}`), `${name}: openssl pkeyutl -verify`);
    }
  });
});
