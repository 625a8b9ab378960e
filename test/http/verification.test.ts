/**
 * Public verification through the API (issue 9): records sealed through the real signing
 * chain are verified by upload (PDF and XML) and by code, and every case of the issue's
 * "must show" list gets its verdict — genuine, a tampered mark, a removed signature, a
 * revoked signer certificate, a superseded version, a revoked record, an unknown root, an
 * unreachable OCSP responder (indeterminate) — plus hostile uploads (oversized, not a
 * document, DOCTYPE, signature wrapping, a valid signature over different content), the
 * signed status list, the rate limit, and `hocba verify --json` giving the same report.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { recordVersions } from '../../src/db/schema.ts';
import { currentSignedXml, sealedPdfOf } from '../../src/services/records/document-store.ts';
import { hbsV1, serializeHbsV1 } from '../../src/documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../../src/documents/hbs-xml/test-snapshots.ts';
import { verificationCode } from '../../src/domain/record/verification-code.ts';
import { buildApp } from '../../src/server/app.ts';
import type { VerificationReportView } from '../../src/server/api-types.ts';
import { createSession } from '../../src/services/auth/sessions.ts';
import { readStatusList } from '../../src/services/verification/status-list.ts';
import { sealedSchool, type SealedSchool } from '../../src/services/verification/testing.ts';
import { revocationClient } from '../../src/signing/revocation/revocation-client.ts';
import { listenPkiServices } from '../../src/signing/pki/pki-services.ts';
import { createTestPki, type PkiIdentity } from '../../src/signing/pki/test-pki.ts';
import { signXmlInOrder } from '../../src/signing/validation/testing.ts';
import { client, type Client } from '../helpers/app.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { sharedTestPki } from '../helpers/test-pki.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BOUNDARY = 'hocbaVerifyBoundary';

function multipart(name: string, content: Uint8Array, type = 'application/octet-stream') {
  const head = Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: ${type}\r\n\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(content), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } };
}

/** A one-signature record XML signed by `who` (a subject teacher's signature over the TOAN row). */
const signedBy = (who: PkiIdentity, chain?: Uint8Array[]) => signXmlInOrder(serializeHbsV1(fullSnapshot()), [{ id: 'sig-subject-TOAN', who, role: 'Giáo viên bộ môn', references: ['subject-TOAN'], ...(chain ? { chain } : {}) }], hbsV1.signatureContainer);

for (const kind of BACKENDS) {
  describe(`public verification (${kind})`, { concurrency: 1 }, () => {
    let database: Database;
    let app: FastifyInstance;
    let url: string;
    let fx: SealedSchool;
    let dir: string;
    let anon: Client;
    const saved = { anchors: process.env.HOCBA_TRUST_ANCHORS, rate: process.env.HOCBA_VERIFY_RATE_LIMIT };
    const pdfOf = async (versionId: string) => new Uint8Array((await sealedPdfOf(database.db, versionId))!.pdf);
    const xmlOf = async (versionId: string) => (await currentSignedXml(database.db, [versionId])).get(versionId)!.xml;
    const codeOf = async (versionId: string) => verificationCode((await database.db.select({ digest: recordVersions.digest }).from(recordVersions).where(eq(recordVersions.id, versionId)))[0]!.digest);
    const upload = async (name: string, bytes: Uint8Array | string) => {
      const res = await anon.request({ method: 'POST', url: '/api/public/verify', ...multipart(name, typeof bytes === 'string' ? Buffer.from(bytes) : bytes) });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as VerificationReportView;
    };
    const failedChecks = (r: VerificationReportView) => r.validation.signatures.flatMap((s) => Object.entries(s.checks).filter(([, c]) => c?.status === 'failed').map(([n]) => `${s.id}:${n}`));

    before(async () => {
      database = await freshDatabase(kind);
      fx = await sealedSchool(database, `vf${kind.slice(0, 2)}`, 3);
      dir = await mkdtemp(join(tmpdir(), 'hocba-verification-'));
      const shared = await sharedTestPki();
      await writeFile(join(dir, 'root.crt'), shared.pki.root.certificatePem);
      process.env.HOCBA_TRUST_ANCHORS = dir;
      process.env.HOCBA_VERIFY_RATE_LIMIT = '1000';
      app = await buildApp({ database, dataDir: null, rateLimit: { global: 100_000, login: 100_000 }, publicUrl: 'http://127.0.0.1:8080' });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      anon = client(app);
    });
    after(async () => {
      for (const [k, v] of [['HOCBA_TRUST_ANCHORS', saved.anchors], ['HOCBA_VERIFY_RATE_LIMIT', saved.rate]] as const) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
      await app?.close();
      await database?.close();
      await fx?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('a genuine sealed record, PDF and XML: valid, with every signer, role, chain and the record content', async () => {
      const pdf = await upload('hoc-ba.pdf', await pdfOf(fx.versionIds[0]!));
      assert.equal(pdf.verdict, 'valid', JSON.stringify(pdf.validation.documentChecks) + failedChecks(pdf));
      assert.equal(pdf.documentType, 'pdf');
      assert.equal(pdf.status.state, 'valid');
      assert.equal(pdf.status.source, 'local');
      assert.equal(pdf.code, await codeOf(fx.versionIds[0]!));
      assert.equal(pdf.embeddedXml?.check.status, 'passed');
      assert.match(pdf.embeddedXml!.check.reason, /equals the signed XML the school stored for version 1/);
      const roles = pdf.embeddedXml!.validation!.signatures.map((s) => s.claimedRole);
      for (const r of ['Giáo viên bộ môn', 'Giáo viên chủ nhiệm', 'Hiệu trưởng', 'Văn thư']) assert.ok(roles.includes(r), `${r} in ${roles.join(', ')}`);
      const seal = pdf.embeddedXml!.validation!.signatures.find((s) => s.id === 'sig-seal')!;
      assert.ok(seal.timestampTime, 'the seal carries a trusted timestamp');
      assert.ok(seal.chain.length >= 2 && seal.checks.revocation?.status === 'passed');
      assert.equal(pdf.record?.school.code, `VF${kind.slice(0, 2).toUpperCase()}`);
      assert.equal(pdf.record?.schoolYear, '2025-2026');
      assert.ok(pdf.record!.subjects.length >= 6 && pdf.record!.subjects.every((s) => s.wholeYear.length > 0));

      const xml = await upload('hoc-ba.xml', await xmlOf(fx.versionIds[0]!));
      assert.equal(xml.verdict, 'valid', failedChecks(xml).join());
      assert.equal(xml.documentType, 'xml');
      assert.equal(xml.validation.signatures.length, pdf.embeddedXml!.validation!.signatures.length);
      assert.equal(xml.record?.studentName, pdf.record?.studentName);
      assert.equal(xml.status.state, 'valid');
    });

    test('by code (QR link or typed, any case, without dashes): the stored PDF, same verdict; an unknown code is 404', async () => {
      const code = await codeOf(fx.versionIds[0]!);
      const res = await anon.request({ method: 'GET', url: `/api/public/verify/${code.replace(/-/g, '').toLowerCase()}` });
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json() as VerificationReportView;
      assert.equal(r.verdict, 'valid');
      assert.equal(r.code, code);
      assert.equal(r.status.version, 1);
      const missing = await anon.request({ method: 'GET', url: '/api/public/verify/0000-0000-00' });
      assert.equal(missing.statusCode, 404);
      assert.equal((await anon.request({ method: 'GET', url: '/api/public/verify/not-a-code' })).statusCode, 404);
    });

    test('a tampered mark (XML and PDF) and a removed signature are invalid, naming the broken signature', async () => {
      const xml = await xmlOf(fx.versionIds[0]!);
      const m = /(<Subject Id="subject-TOAN"[\s\S]*?<WholeYear>)([0-9.]+)(<\/WholeYear>)/.exec(xml)!;
      const other = m[2] === '9.9' ? '9.8' : '9.9';
      const tampered = await upload('sua-diem.xml', xml.replace(m[0], `${m[1]}${other}${m[3]}`));
      assert.equal(tampered.verdict, 'invalid');
      assert.ok(failedChecks(tampered).includes('sig-subject-TOAN:integrity'), failedChecks(tampered).join());

      const pdf = await pdfOf(fx.versionIds[0]!);
      const k = Buffer.from(pdf).indexOf('stream\n') + 200;
      const bad = new Uint8Array(pdf);
      bad[k] = bad[k]! ^ 1;
      const pdfReport = await upload('sua.pdf', bad);
      assert.equal(pdfReport.verdict, 'invalid');
      assert.ok(failedChecks(pdfReport).some((c) => c.endsWith(':integrity')), failedChecks(pdfReport).join());

      const removed = xml.replace(/<ds:Signature [^>]*Id="sig-subject-TOAN"[\s\S]*?<\/ds:Signature>\s*/, '');
      assert.notEqual(removed, xml, 'the signature was found and removed');
      const r = await upload('bo-chu-ky.xml', removed);
      assert.equal(r.verdict, 'invalid');
      assert.ok(failedChecks(r).some((c) => c.startsWith('sig-homeroom:') || c.startsWith('sig-seal:')), `later signatures break: ${failedChecks(r).join()}`);
    });

    test('a superseded version: its PDF still verifies, reported as superseded by version 2 with its code', async () => {
      const v2 = await fx.supersede(fx.versionIds[1]!);
      const r = await upload('v1.pdf', await pdfOf(fx.versionIds[1]!));
      assert.equal(r.verdict, 'superseded', r.status.reason);
      assert.equal(r.status.state, 'superseded');
      assert.equal(r.status.supersededBy?.version, 2);
      assert.equal(r.status.supersededBy?.code, await codeOf(v2));
      assert.match(r.status.supersededBy!.url, /\/verify\/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
      const byCode = (await anon.request({ method: 'GET', url: `/api/public/verify/${await codeOf(fx.versionIds[1]!)}` })).json() as VerificationReportView;
      assert.equal(byCode.verdict, 'superseded');
      const current = await upload('v2.pdf', await pdfOf(v2));
      assert.equal(current.verdict, 'valid');
      assert.equal(current.status.version, 2);
    });

    test('a revoked record: the principal revokes it with a reason (once; others may not); reports and the status list say so', async () => {
      const versionId = fx.versionIds[2]!;
      const session = async (role: 'principal' | 'clerk') => {
        const { token, session: s } = await createSession(database.db, { userId: fx.school.users[role].id, activeSchoolId: fx.school.schoolId });
        return client(app, token, s.csrfToken);
      };
      const clerk = await session('clerk');
      assert.equal((await clerk.request({ method: 'POST', url: `/api/records/versions/${versionId}/revoke`, payload: { reason: 'Cấp nhầm học sinh' } })).statusCode, 403);
      const principal = await session('principal');
      assert.equal((await principal.request({ method: 'POST', url: `/api/records/versions/${versionId}/revoke`, payload: { reason: 'x' } })).statusCode, 400);
      const ok = await principal.request({ method: 'POST', url: `/api/records/versions/${versionId}/revoke`, payload: { reason: 'Cấp nhầm học sinh' } });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((await principal.request({ method: 'POST', url: `/api/records/versions/${versionId}/revoke`, payload: { reason: 'Cấp nhầm học sinh' } })).statusCode, 409);
      const [audit] = (await database.query<{ action: string }>(`select action from audit_log where action = 'record.revoked' and target_id = '${versionId}'`)) as Array<{ action: string }>;
      assert.equal(audit?.action, 'record.revoked', 'audited');

      const r = await upload('thu-hoi.pdf', await pdfOf(versionId));
      assert.equal(r.verdict, 'revoked');
      assert.equal(r.status.revocation?.reason, 'Cấp nhầm học sinh');
      assert.ok(r.status.revocation?.revokedAt);
    });

    test('the signed status list: valid / superseded / revoked entries, its signature checked against the trust anchors; altered → failed', async () => {
      const res = await anon.request({ method: 'GET', url: `/api/public/status/VF${kind.slice(0, 2).toUpperCase()}` });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.headers['content-type'] as string, /application\/vnd\.hocba\.status\+xml/);
      const shared = await sharedTestPki();
      const read = await readStatusList(Buffer.from(res.body), { trustAnchors: [shared.pki.root.certificate], revocation: revocationClient() });
      assert.equal(read.check.status, 'passed', read.check.reason);
      const byStatus = (s: string) => read.list!.entries.filter((e) => e.status === s).map((e) => e.version);
      assert.deepEqual(byStatus('revoked'), [1]);
      assert.deepEqual(byStatus('superseded'), [1]);
      assert.deepEqual(byStatus('valid').sort(), [1, 2]);
      assert.match(read.signer!.subject, new RegExp(`Trường THPT vf${kind.slice(0, 2)}`));
      // The school by id gives the same list (cached: same bytes).
      const again = await anon.request({ method: 'GET', url: `/api/public/status/${fx.school.schoolId}` });
      assert.equal(again.body, res.body);
      const altered = await readStatusList(Buffer.from(res.body.replace('status="revoked"', 'status="valid"  ')), { trustAnchors: [shared.pki.root.certificate], revocation: revocationClient() });
      assert.equal(altered.check.status, 'failed', altered.check.reason);
      const untrusted = await readStatusList(Buffer.from(res.body), { trustAnchors: [] });
      assert.equal(untrusted.check.status, 'indeterminate');
      assert.equal((await anon.request({ method: 'GET', url: '/api/public/status/NO-SUCH-SCHOOL' })).statusCode, 404);
    });

    test('a revoked signer certificate, an unknown root, an unreachable OCSP responder', async () => {
      const shared = await sharedTestPki();
      const revoked = await shared.pki.issue({ commonName: 'Giáo viên Bị Thu Hồi', organization: 'Trường THPT TEST — KHÔNG DÙNG THẬT' });
      shared.pki.revoke(revoked.certificate, { date: new Date(Date.now() - 3600_000) });
      const r1 = await upload('revoked-signer.xml', await signedBy(revoked));
      assert.equal(r1.verdict, 'invalid', JSON.stringify(r1.validation.signatures[0]?.checks));
      assert.equal(r1.validation.signatures[0]!.checks.revocation?.status, 'failed', r1.validation.signatures[0]!.checks.revocation?.reason);

      // A root of one's own, sent along in the document: a self-signed root that is no trust anchor → invalid.
      const stranger = await createTestPki({ label: 'hocba TEST Lạ' });
      const who = await stranger.issue({ commonName: 'Người Lạ' });
      const r2 = await upload('unknown-root.xml', await signedBy(who, [...who.chain, stranger.root.certificate]));
      assert.equal(r2.verdict, 'invalid', JSON.stringify(r2.validation.signatures[0]?.checks.chain));
      assert.equal(r2.validation.signatures[0]!.checks.chain?.status, 'failed', r2.validation.signatures[0]!.checks.chain?.reason);
      assert.equal(r2.status.state, 'unknown');
      // Without the root the path breaks off at an unknown issuer: could not check — never valid.
      const r2b = await upload('unknown-issuer.xml', await signedBy(who));
      assert.equal(r2b.verdict, 'indeterminate');
      assert.equal(r2b.validation.signatures[0]!.checks.chain?.status, 'indeterminate');

      const services = await listenPkiServices();
      const down = await createTestPki({ baseUrl: services.url, label: 'hocba TEST Mất Mạng' });
      services.attach(down);
      const offline = await down.issue({ commonName: 'Hoàng Thị Ngoại Tuyến' });
      await services.close();
      await writeFile(join(dir, 'down-root.crt'), down.root.certificatePem);
      try {
        const r3 = await upload('ocsp-down.xml', await signedBy(offline));
        assert.equal(r3.verdict, 'indeterminate', failedChecks(r3).join());
        assert.equal(r3.validation.signatures[0]!.checks.revocation?.status, 'indeterminate');
        assert.equal(r3.validation.signatures[0]!.checks.chain?.status, 'passed');
      } finally {
        await rm(join(dir, 'down-root.crt'));
      }
    });

    test('hostile uploads are reported, never a 500: oversized, not a document, DOCTYPE, signature wrapping, a valid signature over other content', async () => {
      const big = await anon.request({ method: 'POST', url: '/api/public/verify', ...multipart('big.pdf', new Uint8Array(6 * 1024 * 1024)) });
      assert.equal(big.statusCode, 413);
      const png = await upload('anh.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
      assert.equal(png.verdict, 'invalid');
      assert.equal(png.validation.documentChecks.format?.code, 'document_invalid');
      const xxe = await upload('xxe.xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
      assert.equal(xxe.verdict, 'invalid');
      assert.match(xxe.validation.documentChecks.format!.reason, /DOCTYPE|DTD/i);
      assert.doesNotMatch(JSON.stringify(xxe), /root:x:0/);

      // Wrapping: a second element with Id="data" holding the original data, the visible one altered.
      const xml = await xmlOf(fx.versionIds[0]!);
      const data = /<Data Id="data">[\s\S]*?<\/Data>/.exec(xml)![0];
      const wrapped = xml.replace('<Signatures', `<Extra>${data}</Extra><Signatures`).replace(/(<FullName>)[^<]+/, '$1Người Khác');
      const w = await upload('wrapped.xml', wrapped);
      assert.equal(w.verdict, 'invalid');
      // Another record's seal signature (valid over its own record) moved onto this one.
      const other = await xmlOf(fx.versionIds[1]!);
      const sealOf = (x: string) => /<ds:Signature [^>]*Id="sig-seal"[\s\S]*?<\/ds:Signature>/.exec(x)![0];
      const swapped = await upload('swapped.xml', xml.replace(sealOf(xml), sealOf(other)));
      assert.equal(swapped.verdict, 'invalid');
      assert.ok(failedChecks(swapped).some((c) => c.startsWith('sig-seal:')), failedChecks(swapped).join());
      // A raw body works too (scripts: curl --data-binary).
      const raw = await anon.request({ method: 'POST', url: '/api/public/verify', headers: { 'content-type': 'application/xml' }, payload: xml });
      assert.equal(raw.statusCode, 200);
      assert.equal((raw.json() as VerificationReportView).verdict, 'valid');
    });

    test('`hocba verify --json --status-from` gives the same report shape and verdicts as the API', async () => {
      const files = { genuine: join(dir, 'genuine.pdf'), superseded: join(dir, 'v1.pdf'), revoked: join(dir, 'revoked.pdf'), xml: join(dir, 'genuine.xml') };
      await writeFile(files.genuine, await pdfOf(fx.versionIds[0]!));
      await writeFile(files.superseded, await pdfOf(fx.versionIds[1]!));
      await writeFile(files.revoked, await pdfOf(fx.versionIds[2]!));
      await writeFile(files.xml, await xmlOf(fx.versionIds[0]!));
      const shared = await sharedTestPki();
      await writeFile(join(dir, 'trust.pem'), shared.pki.root.certificatePem);
      const out = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve, reject) => {
        const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir };
        delete env.HOCBA_TRUST_ANCHORS;
        const child = spawn(process.execPath, [join(ROOT, 'bin/hocba.js'), 'verify', files.genuine, files.superseded, files.revoked, files.xml, '--trust', join(dir, 'trust.pem'), '--status-from', url, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        const o: Buffer[] = [];
        const e: Buffer[] = [];
        child.stdout.on('data', (d: Buffer) => o.push(d));
        child.stderr.on('data', (d: Buffer) => e.push(d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ status: code ?? -1, stdout: Buffer.concat(o).toString('utf8'), stderr: Buffer.concat(e).toString('utf8') }));
      });
      assert.equal(out.status, 1, out.stderr);
      const reports = JSON.parse(out.stdout) as VerificationReportView[];
      assert.deepEqual(reports.map((r) => [r.verdict, r.status.state, r.status.source]), [
        ['valid', 'valid', 'status_list'],
        ['superseded', 'superseded', 'status_list'],
        ['revoked', 'revoked', 'status_list'],
        ['valid', 'valid', 'status_list'],
      ]);
      const api = await upload('genuine.pdf', await pdfOf(fx.versionIds[0]!));
      assert.deepEqual(Object.keys(reports[0]!).sort(), Object.keys(api).sort());
      assert.deepEqual(reports[0]!.embeddedXml!.validation!.signatures.map((s) => [s.id, s.status]), api.embeddedXml!.validation!.signatures.map((s) => [s.id, s.status]));
      assert.equal(reports[2]!.status.revocation?.reason, 'Cấp nhầm học sinh');
    });

    test('the public endpoints are rate-limited per client address', async () => {
      process.env.HOCBA_VERIFY_RATE_LIMIT = '2';
      // An address of its own: on PostgreSQL the counters are shared with the other app in this database.
      const limited = await buildApp({ database, dataDir: null, rateLimit: { global: 100_000, login: 100_000 } });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 3; i++) codes.push((await limited.inject({ method: 'GET', url: '/api/public/verify/0000-0000-00', remoteAddress: '203.0.113.7' })).statusCode);
        assert.deepEqual(codes, [404, 404, 429]);
      } finally {
        process.env.HOCBA_VERIFY_RATE_LIMIT = '1000';
        await limited.close();
      }
    });
  });
}
