/**
 * `hocba verify`: the exit code says the verdict (0 valid, 1 invalid, 2 undecided), checked
 * on the real command in a child process; --json prints the verification report (the shape of
 * POST /api/public/verify); the trust anchors come from --trust, HOCBA_TRUST_ANCHORS or the
 * data directory's test PKI. The status list (--status-from) is tested in
 * test/http/verification.test.ts against a running server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sharedTestPki } from '../../test/helpers/test-pki.ts';
import { hbsV1, serializeHbsV1 } from '../documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../documents/hbs-xml/test-snapshots.ts';
import { renderRecordPdf } from '../documents/pdf/render-record.ts';
import { signPdf } from '../signing/pades/index.ts';
import { revocationClient } from '../signing/revocation/revocation-client.ts';
import { softwareSigner } from '../signing/signers/software-signer.ts';
import { tsaClient } from '../signing/tsa/tsa-client.ts';
import type { VerificationReportView } from '../server/api-types.ts';
import { addValidationDataForAll, signXmlInOrder } from '../signing/validation/testing.ts';
import { buildProgram } from './main.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('hocba verify', () => {
  let dir: string;
  let emptyDataDir: string;
  const file = (name: string) => join(dir, name);

  /** The real command in a child process, without any configured trust anchors or data directory. */
  function hocba(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: emptyDataDir };
    delete env.HOCBA_TRUST_ANCHORS;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin/hocba.js'), 'verify', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ status: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    });
  }

  /** In-process, for the trust-source cases (faster; exit code read from process.exitCode). */
  async function inProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const [log, error, code] = [console.log, console.error, process.exitCode];
    const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    console.error = console.log;
    try {
      process.exitCode = undefined;
      await buildProgram().parseAsync(['node', 'hocba', ...args]);
      return { code: Number(process.exitCode ?? 0), out: lines.join('\n') };
    } finally {
      [console.log, console.error] = [log, error];
      process.exitCode = code;
      for (const [k, v] of Object.entries(savedEnv)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  before(async () => {
    const shared = await sharedTestPki();
    const { pki } = shared;
    dir = await mkdtemp(join(tmpdir(), 'hocba-cli-verify-'));
    emptyDataDir = join(dir, 'data-empty');
    await mkdir(emptyDataDir);
    const principal = await shared.signer('Nguyễn Văn Hiệu');
    const seal = await shared.seal('Trường THPT Chu Văn An TEST');
    const at = Date.now() - 10 * 60_000;
    const xml = await signXmlInOrder(serializeHbsV1(fullSnapshot()), [{ id: 'sig-subject-TOAN', who: principal, role: 'Giáo viên bộ môn', references: ['subject-TOAN'] }], hbsV1.signatureContainer);
    // The PDF embeds the signed XML, as a sealed record does.
    const record = new Uint8Array(await renderRecordPdf(fullSnapshot(), { xml }));
    const one = await signPdf({ pdf: record, signer: softwareSigner({ privateKey: principal.privateKey, chain: principal.chain }), fieldName: 'Hiệu trưởng', signingTime: new Date(at), reason: 'Phê duyệt học bạ' });
    const two = await signPdf({ pdf: one, signer: softwareSigner({ privateKey: seal.privateKey, chain: seal.chain }), fieldName: 'Văn thư', signingTime: new Date(at + 60_000), timestamp: tsaClient(`${shared.url}/tsa`) });
    const good = await addValidationDataForAll(two, revocationClient(), [pki.root.certificate]);
    const bad = new Uint8Array(good);
    const k = Buffer.from(bad).indexOf('stream\n') + 100;
    bad[k] = bad[k]! ^ 1;
    await writeFile(file('good.pdf'), good);
    await writeFile(file('bad.pdf'), bad);
    await writeFile(file('record.xml'), xml);
    await writeFile(file('root.pem'), pki.root.certificatePem);
    await mkdir(join(dir, 'anchors'));
    await writeFile(join(dir, 'anchors', 'root.crt'), pki.root.certificatePem);
    await mkdir(join(dir, 'data', 'pki'), { recursive: true });
    await writeFile(join(dir, 'data', 'pki', 'root.crt.pem'), pki.root.certificatePem);
    await writeFile(join(dir, 'data', 'pki', 'issuing.crt.pem'), pki.issuing.certificatePem);
  });
  after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  test('exit codes 0 / 1 / 2 for valid / invalid / undecided, and --json prints the report', async () => {
    const trust = ['--trust', file('root.pem'), '--offline'];
    // Online (the test PKI's OCSP responder runs in this process): the embedded XML's signer is checked too.
    const [ok, invalid, undecided, json] = await Promise.all([
      hocba(file('good.pdf'), '--trust', file('root.pem')),
      hocba(file('bad.pdf'), ...trust),
      hocba(file('record.xml'), ...trust),
      hocba(file('good.pdf'), '--trust', file('root.pem'), '--json'),
    ]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^✓ HỢP LỆ \/ VALID — good\.pdf \(PDF\)$/m);
    assert.match(ok.stdout, /Người ký \/ signer: +Nguyễn Văn Hiệu/);
    assert.match(ok.stdout, /✓ chuỗi tin cậy \/ chain/);
    assert.doesNotMatch(ok.stdout, /^ +[✗?] /m);

    assert.equal(invalid.status, 1, invalid.stdout + invalid.stderr);
    assert.match(invalid.stdout, /^✗ KHÔNG HỢP LỆ \/ INVALID/m);
    assert.match(invalid.stdout, /✗ toàn vẹn \/ integrity +signature field "Hiệu trưởng": .*the signed bytes were changed/);

    assert.equal(undecided.status, 2, undecided.stdout + undecided.stderr);
    assert.match(undecided.stdout, /\? thu hồi \/ revocation .*offline validation/);

    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout) as VerificationReportView;
    assert.equal(report.verdict, 'valid');
    assert.equal(report.validation.status, 'passed');
    assert.equal(report.documentType, 'pdf');
    assert.equal(report.embeddedXml?.check.status, 'passed', report.embeddedXml?.check.reason);
    assert.equal(report.record?.studentName, fullSnapshot().identity.fullName);
    assert.equal(report.status.state, 'unknown', 'no status list given: checked by trust anchors only');
    assert.deepEqual(report.validation.signatures.map((s) => [s.id, s.signer?.commonName, s.status]), [
      ['Hiệu trưởng', 'Nguyễn Văn Hiệu', 'passed'],
      ['Văn thư', 'Trường THPT Chu Văn An TEST', 'passed'],
    ]);
  });

  test('trust anchors from HOCBA_TRUST_ANCHORS, then the data directory test PKI; none → undecided with a warning', async () => {
    const env = await inProcess(['--data-dir', emptyDataDir, 'verify', file('good.pdf'), '--offline'], { HOCBA_TRUST_ANCHORS: join(dir, 'anchors') });
    assert.equal(env.code, 0, env.out);
    assert.match(env.out, /trust anchors: HOCBA_TRUST_ANCHORS/);
    const demo = await inProcess(['--data-dir', join(dir, 'data'), 'verify', file('good.pdf'), '--offline'], { HOCBA_TRUST_ANCHORS: undefined });
    assert.equal(demo.code, 0, demo.out);
    assert.match(demo.out, /pki\/root\.crt\.pem \(PKI THỬ NGHIỆM \/ TEST PKI\)/);
    const none = await inProcess(['--data-dir', emptyDataDir, 'verify', file('good.pdf'), '--offline'], { HOCBA_TRUST_ANCHORS: undefined });
    assert.equal(none.code, 2, none.out);
    assert.match(none.out, /no trust anchors/);
  });

  test('a missing file or an unreadable trust file is undecided (2), with the reason', async () => {
    const missing = await inProcess(['--data-dir', emptyDataDir, 'verify', file('nope.pdf'), '--trust', file('root.pem')]);
    assert.equal(missing.code, 2);
    assert.match(missing.out, /no such file: .*nope\.pdf/);
    const badTrust = await inProcess(['--data-dir', emptyDataDir, 'verify', file('good.pdf'), '--trust', file('record.xml')]);
    assert.equal(badTrust.code, 2);
    assert.match(badTrust.out, /record\.xml is not a readable X\.509 certificate/);
  });
});
