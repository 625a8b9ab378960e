/**
 * Transfers between schools end to end (issue 9 point 5), between two hocba deployments in
 * this process: each has its own database, data directory, demo school (B renamed "Trường
 * THPT Chu Văn An"), demo TEST PKI under its own root and HTTP server; each trusts the
 * other's root through HOCBA_TRUST_ANCHORS. A seals a record, its clerk exports the
 * transfer package over HTTP; B's clerk imports it (every signature verified, the record
 * attached read-only, the student enrolled) and downloads the signed acknowledgment, which
 * A's clerk uploads: the package is acknowledged and the student transferred out. xmlsec1
 * verifies the manifest and acknowledgment signatures; pdfsig the received PDF. Then the
 * hostile packages: each refused over HTTP with a message naming the file and the check,
 * and nothing written.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { unzipSync, zipSync } from 'fflate';
import type { Database } from '../../src/db/client.ts';
import { inSchool } from '../../src/db/scope.ts';
import { auditLog, enrolments, externalRecords, students, transfersIn, transfersOut } from '../../src/db/schema.ts';
import { sealedPdfOf } from '../../src/services/records/document-store.ts';
import { buildApp } from '../../src/server/app.ts';
import { activeCertificate } from '../../src/services/certificates/signing-certificates.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/generate-demo-school.ts';
import { serverSigner } from '../../src/services/signing/server-signer.ts';
import { MANIFEST_DATA_ID, MANIFEST_SIGNATURE_ID, readManifest, TRANSFER_NS, writeManifest, ACK_SIGNATURE_ID, type TransferManifest } from '../../src/services/transfer/manifest.ts';
import { sealTransferDocument } from '../../src/services/transfer/school-seal.ts';
import { PackageError } from '../../src/services/transfer/package-zip.ts';
import { verifyTransferPackage } from '../../src/services/transfer/verify-package.ts';
import { sealSomeRecords, startDeployment, type Deployment } from '../../src/services/transfer/testing.ts';
import { createTestPki } from '../../src/signing/pki/test-pki.ts';
import { softwareSigner } from '../../src/signing/signers/software-signer.ts';
import { pdfsigRunner } from '../../src/signing/validation/testing.ts';
import { xmlsec1Verifier } from '../../src/signing/xades/testing.ts';
import { freePort } from '../browser/helpers/server.ts';
import { loginAs, type Client } from '../helpers/app.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { toolSkip } from '../helpers/test-pki.ts';

const skipTools = toolSkip('xmlsec1', 'pdfsig', 'certutil');

/** multipart/form-data with text fields first, then the file (as the import screen sends it). */
function form(fields: Record<string, string>, file: { name: string; content: Uint8Array; mime?: string }) {
  const boundary = `----hocba${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.mime ?? 'application/zip'}\r\n\r\n`), Buffer.from(file.content), Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

for (const kind of BACKENDS) {
  describe(`transfer between two hocba deployments (${kind})`, { concurrency: 1 }, () => {
    const dirs: string[] = [];
    const dbs: Database[] = [];
    let A: Deployment;
    let B: Deployment;
    let clerkA: Client;
    let clerkB: Client;
    let sealed: Array<{ studentId: string; versionId: string }>;
    let pkg: Buffer;
    let transferId: string;
    let importedStudentId: string;
    let ackXml: string;
    let classB: string;
    const savedAnchors = process.env.HOCBA_TRUST_ANCHORS;

    const tmp = async (prefix: string) => {
      const d = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    };
    const counts = async () => {
      const q = async (t: string) => Number(((await B.database.query<{ n: number }>(`select count(*)::int as n from ${t}`)) as [{ n: number }])[0].n);
      return { students: await q('students'), enrolments: await q('enrolments'), transfersIn: await q('transfers_in'), externalRecords: await q('external_records'), audit: await q('audit_log') };
    };

    before(async () => {
      const anchors = await tmp('hocba-anchors-');
      process.env.HOCBA_TRUST_ANCHORS = anchors;
      const dbA = await freshDatabase(kind);
      const dbB = await freshDatabase(kind);
      dbs.push(dbA, dbB);
      A = await startDeployment({ buildApp, database: dbA, dataDir: await tmp('hocba-transfer-a-'), port: await freePort(), students: 15, year: true });
      B = await startDeployment({ buildApp, database: dbB, dataDir: await tmp('hocba-transfer-b-'), port: await freePort(), students: 9, year: false, seed: 7, school: { code: '79000702', name: 'Trường THPT Chu Văn An' } });
      // Trust anchors both ways: each deployment trusts its own demo root and, configured, the other's.
      await copyFile(join(A.dataDir, 'pki', 'root.crt.pem'), join(anchors, 'school-a-root.pem'));
      await copyFile(join(B.dataDir, 'pki', 'root.crt.pem'), join(anchors, 'school-b-root.pem'));
      sealed = await sealSomeRecords(A, 1);
      clerkA = (await loginAs(A.app, 'vanthu', DEMO_PASSWORD)).c;
      clerkB = (await loginAs(B.app, 'vanthu', DEMO_PASSWORD)).c;
      classB = await B.classId('10A1');
    });
    after(async () => {
      if (savedAnchors === undefined) delete process.env.HOCBA_TRUST_ANCHORS;
      else process.env.HOCBA_TRUST_ANCHORS = savedAnchors;
      await A?.close();
      await B?.close();
      for (const d of dbs) await d.close();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    });

    test('the two schools are distinct deployments under different roots', async () => {
      assert.notEqual(A.school.code, B.school.code);
      const [ra, rb] = await Promise.all([readFile(join(A.dataDir, 'pki', 'root.crt.pem'), 'utf8'), readFile(join(B.dataDir, 'pki', 'root.crt.pem'), 'utf8')]);
      assert.notEqual(ra, rb);
    });

    test('A: a wrong password, a student without sealed record, and a subject teacher are refused', async () => {
      const wrong = await clerkA.request({ method: 'POST', url: '/api/transfers/out', payload: { studentId: sealed[0]!.studentId, destination: B.school.name, reason: 'Gia đình chuyển nơi ở', password: 'nope' } });
      assert.equal(wrong.statusCode, 401, wrong.body);
      const [other] = await A.database.db.select({ id: students.id }).from(students).where(and(eq(students.schoolId, A.schoolId), sql`${students.id} <> ${sealed[0]!.studentId}`)).limit(1);
      const none = await clerkA.request({ method: 'POST', url: '/api/transfers/out', payload: { studentId: other!.id, destination: B.school.name, reason: 'Gia đình chuyển nơi ở', password: DEMO_PASSWORD } });
      assert.equal(none.statusCode, 404, none.body);
      assert.match(none.json().error.message, /học bạ đã đóng dấu/);
      const teacher = A.loaded.demo.staff.find((x) => x.roles.includes('subject_teacher') && !x.roles.includes('clerk') && !x.roles.includes('principal'))!;
      const { c: gv } = await loginAs(A.app, teacher.username, DEMO_PASSWORD);
      const forbidden = await gv.request({ method: 'POST', url: '/api/transfers/out', payload: { studentId: sealed[0]!.studentId, destination: B.school.name, reason: 'Gia đình chuyển nơi ở', password: DEMO_PASSWORD } });
      assert.equal(forbidden.statusCode, 403, forbidden.body);
      assert.equal((await A.database.db.select().from(transfersOut)).length, 0);
    });

    test('A exports the package: ZIP with the sealed PDF, the signed XML and a manifest sealed by school A (xmlsec1 agrees)', { skip: skipTools }, async (ctx) => {
      const t0 = performance.now();
      const res = await clerkA.request({ method: 'POST', url: '/api/transfers/out', payload: { studentId: sealed[0]!.studentId, destination: B.school.name, reason: 'Gia đình chuyển nơi ở', password: DEMO_PASSWORD } });
      ctx.diagnostic(`export: ${Math.round(performance.now() - t0)} ms`);
      assert.equal(res.statusCode, 200, res.body);
      const t = res.json().transfer;
      assert.equal(t.status, 'exported');
      assert.equal(t.recordCount, 1);
      transferId = t.id;
      const dl = await clerkA.request({ method: 'GET', url: `/api/transfers/out/${t.id}/package` });
      assert.equal(dl.statusCode, 200);
      assert.equal(dl.headers['content-type'], 'application/zip');
      pkg = dl.rawPayload;
      ctx.diagnostic(`package: ${pkg.length} bytes for one year`);
      assert.equal(sha256(pkg), t.sha256);
      const files = unzipSync(new Uint8Array(pkg));
      assert.deepEqual(Object.keys(files).sort(), ['manifest.xml', 'records/2025-2026-v1.pdf', 'records/2025-2026-v1.xml']);
      const manifestXml = Buffer.from(files['manifest.xml']!).toString('utf8');
      const m = readManifest(manifestXml);
      assert.equal(m.sendingSchool.code, A.school.code);
      assert.equal(m.packageId, t.id);
      for (const f of m.files) assert.equal(sha256(files[f.path]!), f.sha256, f.path);
      const stored = await sealedPdfOf(A.database.db, sealed[0]!.versionId);
      assert.ok(Buffer.from(files['records/2025-2026-v1.pdf']!).equals(stored!.pdf), 'the sealed PDF exactly as stored');
      const pki = join(A.dataDir, 'pki');
      const xmlsec = await xmlsec1Verifier({ rootPem: await readFile(join(pki, 'root.crt.pem'), 'utf8'), intermediatePems: [await readFile(join(pki, 'issuing.crt.pem'), 'utf8')], idElements: [`${TRANSFER_NS}:Transfer`] });
      try {
        const r = await xmlsec.verify(manifestXml, MANIFEST_SIGNATURE_ID);
        assert.ok(r.ok, r.output);
      } finally {
        await xmlsec.close();
      }
      const audits = await A.database.db.select().from(auditLog).where(eq(auditLog.action, 'transfer.exported'));
      assert.equal(audits.length, 1);
    });

    test('B imports it: verified, student created and enrolled in 10A1 as transfer_in, record attached read-only, audited', { skip: skipTools }, async (ctx) => {
      assert.ok(pkg, 'exported');
      const t0 = performance.now();
      const res = await clerkB.request({ method: 'POST', url: '/api/transfers/in', ...form({ classId: classB, password: DEMO_PASSWORD }, { name: 'goi.zip', content: pkg }) });
      ctx.diagnostic(`import (verify every signature, sign the acknowledgment, store): ${Math.round(performance.now() - t0)} ms`);
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json().transfer;
      assert.equal(r.studentMatch, 'created');
      assert.equal(r.enrolled, true);
      assert.equal(r.className, '10A1');
      assert.deepEqual(r.records.map((x: { schoolYear: string }) => x.schoolYear), ['2025-2026']);
      assert.ok(r.records[0].signatures >= 10, 'every subject teacher, GVCN, principal and seal');
      importedStudentId = r.studentId;
      const db = B.database.db;
      const [e] = await db.select().from(enrolments).where(eq(enrolments.studentId, importedStudentId));
      assert.equal(e!.joinedAs, 'transfer_in');
      assert.match(e!.note!, new RegExp(A.school.name));
      const list = await clerkB.request({ method: 'GET', url: `/api/students/${importedStudentId}/external-records` });
      assert.equal(list.statusCode, 200, list.body);
      const recs = list.json().records;
      assert.equal(recs.length, 1);
      assert.equal(recs[0].status, 'passed');
      assert.equal(recs[0].sourceSchool, A.school.name);
      const pdf = await clerkB.request({ method: 'GET', url: `/api/external-records/${recs[0].id}/pdf` });
      const stored = await sealedPdfOf(A.database.db, sealed[0]!.versionId);
      assert.ok(pdf.rawPayload.equals(stored!.pdf), 'the received PDF is byte-identical to the one school A sealed');
      // pdfsig (NSS) trusts it under school A's root.
      const checker = await pdfsigRunner(await readFile(join(A.dataDir, 'pki', 'root.crt.pem'), 'utf8'));
      try {
        const checked = await checker.check(pdf.rawPayload);
        assert.ok(checked.signatures.length === 1 && checked.signatures[0]!.valid && checked.signatures[0]!.trusted, checked.output);
      } finally {
        await checker.close();
      }
      // Read-only: the school scope can neither change nor delete an external record.
      const denied = (e: Error & { cause?: Error }) => /permission denied for table external_records/.test(`${e.message} ${e.cause?.message ?? ''}`);
      await assert.rejects(inSchool(db, B.schoolId, (tx) => tx.update(externalRecords).set({ schoolYear: '2000-2001' })), denied);
      await assert.rejects(inSchool(db, B.schoolId, (tx) => tx.delete(externalRecords)), denied);
      const audits = await db.select().from(auditLog).where(eq(auditLog.action, 'transfer.imported'));
      assert.equal(audits.length, 1);
      // The same package again: refused, nothing added.
      const before = await counts();
      const again = await clerkB.request({ method: 'POST', url: '/api/transfers/in', ...form({ classId: classB, password: DEMO_PASSWORD }, { name: 'goi.zip', content: pkg }) });
      assert.equal(again.statusCode, 409, again.body);
      assert.deepEqual(await counts(), before);
    });

    test('B returns a signed acknowledgment (xmlsec1 agrees); A verifies it: acknowledged, student transferred out', { skip: skipTools }, async () => {
      assert.ok(importedStudentId, 'imported');
      const [t] = await B.database.db.select({ id: transfersIn.id }).from(transfersIn);
      const dl = await clerkB.request({ method: 'GET', url: `/api/transfers/in/${t!.id}/acknowledgment` });
      assert.equal(dl.statusCode, 200);
      ackXml = dl.body;
      assert.match(ackXml, new RegExp(`<PackageSha256>${sha256(pkg)}</PackageSha256>`));
      const pki = join(B.dataDir, 'pki');
      const xmlsec = await xmlsec1Verifier({ rootPem: await readFile(join(pki, 'root.crt.pem'), 'utf8'), intermediatePems: [await readFile(join(pki, 'issuing.crt.pem'), 'utf8')], idElements: [`${TRANSFER_NS}:Acknowledgment`] });
      try {
        const r = await xmlsec.verify(ackXml, ACK_SIGNATURE_ID);
        assert.ok(r.ok, r.output);
      } finally {
        await xmlsec.close();
      }
      // A tampered acknowledgment is refused, nothing changes.
      const tampered = ackXml.replace('<Result>accepted</Result><RecordCount>1</RecordCount>', '<Result>accepted</Result><RecordCount>2</RecordCount>');
      const bad = await clerkA.request({ method: 'POST', url: '/api/transfers/out/acknowledgment', ...form({}, { name: 'ack.xml', content: Buffer.from(tampered), mime: 'application/xml' }) });
      assert.equal(bad.statusCode, 422, bad.body);
      assert.match(bad.json().error.message, /signature/);
      const [still] = await A.database.db.select({ status: transfersOut.status }).from(transfersOut).where(eq(transfersOut.id, transferId));
      assert.equal(still!.status, 'exported');

      const res = await clerkA.request({ method: 'POST', url: '/api/transfers/out/acknowledgment', ...form({}, { name: 'ack.xml', content: Buffer.from(ackXml), mime: 'application/xml' }) });
      assert.equal(res.statusCode, 200, res.body);
      const out = res.json().transfer;
      assert.equal(out.status, 'acknowledged');
      assert.equal(out.studentTransferredOut, true);
      assert.match(out.receivingSchool, /Chu Văn An/);
      const [e] = await A.database.db.select().from(enrolments).where(eq(enrolments.studentId, sealed[0]!.studentId));
      assert.equal(e!.status, 'transferred_out');
      const audits = await A.database.db.select().from(auditLog).where(eq(auditLog.action, 'transfer.acknowledged'));
      assert.equal(audits.length, 1);
      const twice = await clerkA.request({ method: 'POST', url: '/api/transfers/out/acknowledgment', ...form({}, { name: 'ack.xml', content: Buffer.from(ackXml), mime: 'application/xml' }) });
      assert.equal(twice.statusCode, 409, twice.body);
    });

    test('a second package for the same student matches them by personal id number at B (no second student, no second enrolment)', { skip: skipTools }, async () => {
      assert.ok(importedStudentId, 'imported');
      const res = await clerkA.request({ method: 'POST', url: '/api/transfers/out', payload: { studentId: sealed[0]!.studentId, destination: B.school.name, reason: 'Gửi lại hồ sơ', password: DEMO_PASSWORD } });
      assert.equal(res.statusCode, 200, res.body);
      const again = (await clerkA.request({ method: 'GET', url: `/api/transfers/out/${res.json().transfer.id}/package` })).rawPayload;
      const before = await counts();
      const imp = await clerkB.request({ method: 'POST', url: '/api/transfers/in', ...form({ classId: classB, password: DEMO_PASSWORD }, { name: 'goi2.zip', content: again }) });
      assert.equal(imp.statusCode, 200, imp.body);
      assert.equal(imp.json().transfer.studentMatch, 'matched');
      assert.equal(imp.json().transfer.studentId, importedStudentId);
      assert.equal(imp.json().transfer.enrolled, false);
      const after = await counts();
      assert.equal(after.students, before.students);
      assert.equal(after.enrolments, before.enrolments);
      assert.equal(after.externalRecords, before.externalRecords + 1);
    });

    describe('hostile packages: each refused naming the file and the check, nothing written', { concurrency: 1 }, () => {
      /** Re-seals a (modified) manifest with school A's real seal key, so only the intended flaw remains. */
      const sealWithA = async (m: TransferManifest) => {
        const env = await A.env();
        const cert = await inSchool(A.database.db, A.schoolId, (tx) => activeCertificate(tx, A.schoolId, null));
        const signer = await serverSigner(cert!, env);
        try {
          return await sealTransferDocument({ xml: writeManifest(m), dataId: MANIFEST_DATA_ID, signatureId: MANIFEST_SIGNATURE_ID, signer, env, now: new Date(), what: 'test manifest' });
        } finally {
          await signer.close?.();
        }
      };
      const entries = () => unzipSync(new Uint8Array(pkg));
      const manifestOf = (f: Record<string, Uint8Array>) => readManifest(Buffer.from(f['manifest.xml']!).toString('utf8'));
      const expectRefused = async (content: Uint8Array, file: RegExp, check: RegExp) => {
        const before = await counts();
        const res = await clerkB.request({ method: 'POST', url: '/api/transfers/in', ...form({ classId: classB, password: DEMO_PASSWORD }, { name: 'x.zip', content }) });
        assert.ok([413, 422].includes(res.statusCode), `${res.statusCode} ${res.body}`);
        if (res.statusCode === 422) {
          const err = res.json().error;
          assert.equal(err.code, 'transfer.refused');
          assert.match(err.message, file);
          assert.match(err.message, check);
        }
        assert.deepEqual(await counts(), before, 'nothing written');
        return res;
      };

      test('a record whose digest matches the manifest but whose signature is broken', { skip: skipTools }, async () => {
        const f = entries();
        const m = manifestOf(f);
        const xmlPath = 'records/2025-2026-v1.xml';
        const xml = Buffer.from(f[xmlPath]!).toString('utf8');
        // Change one subject average inside the signed data: every covering signature breaks.
        const tampered = xml.replace(/<WholeYear>(\d)\.(\d)<\/WholeYear>/, (_all, a: string, b: string) => `<WholeYear>${a === '9' ? '8' : '9'}.${b}</WholeYear>`);
        assert.notEqual(tampered, xml, 'a mark was changed');
        const bytes = new Uint8Array(Buffer.from(tampered, 'utf8'));
        m.files = m.files.map((x) => (x.path === xmlPath ? { ...x, size: bytes.length, sha256: sha256(bytes) } : x));
        const manifest = await sealWithA(m);
        const zip = zipSync({ ...f, 'manifest.xml': new Uint8Array(Buffer.from(manifest)), [xmlPath]: bytes });
        await expectRefused(zip, /records\/2025-2026-v1\.xml/, /record signatures/);
      });

      test('a manifest signed by an unknown key (a PKI nobody trusts) and one signed by another school', { skip: skipTools }, async () => {
        const f = entries();
        const m = manifestOf(f);
        const rogue = await createTestPki({ label: 'rogue' });
        const id = await rogue.issue({ commonName: A.school.name, organization: A.school.name, kind: 'seal', serialNumber: A.school.code, keyType: 'ec-p256' });
        const signer = softwareSigner({ privateKey: id.privateKeyPem, chain: id.chain });
        const forged = await sealTransferDocument({ xml: writeManifest(m), dataId: MANIFEST_DATA_ID, signatureId: MANIFEST_SIGNATURE_ID, signer, env: { ...(await A.env()), timestamp: null }, now: new Date(), what: 'rogue' });
        const res = await expectRefused(zipSync({ ...f, 'manifest.xml': new Uint8Array(Buffer.from(forged)) }), /manifest\.xml/, /manifest signature/);
        assert.match(res.json().error.message, /chain/);
        // School B's own seal (trusted) signing a manifest that claims to come from school A.
        const envB = await B.env();
        const certB = await inSchool(B.database.db, B.schoolId, (tx) => activeCertificate(tx, B.schoolId, null));
        const signerB = await serverSigner(certB!, envB);
        const claimed = await sealTransferDocument({ xml: writeManifest(m), dataId: MANIFEST_DATA_ID, signatureId: MANIFEST_SIGNATURE_ID, signer: signerB, env: envB, now: new Date(), what: 'b' });
        await expectRefused(zipSync({ ...f, 'manifest.xml': new Uint8Array(Buffer.from(claimed)) }), /manifest\.xml/, /manifest signer/);
      });

      test('fuzz: 40 packages with random byte flips, truncations, spliced bytes and re-zipped changed entries are refused with a PackageError, or verify to exactly the original files', { skip: skipTools }, async () => {
        const trust = (await B.env()).trust;
        const original = entries();
        let seed = 20261129;
        const rand = (n: number) => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          return seed % n;
        };
        let refusedCount = 0;
        for (let i = 0; i < 40; i++) {
          const m = new Uint8Array(pkg);
          let mutated: Uint8Array;
          const how = i % 6;
          if (how === 0) {
            for (let k = 0; k < 1 + rand(4); k++) m[rand(m.length)] = rand(256);
            mutated = m;
          } else if (how === 1) mutated = m.subarray(0, rand(m.length));
          else if (how === 2) {
            // Flip a byte near the end: the central directory (names, sizes, offsets).
            const at = m.length - 1 - rand(Math.min(400, m.length));
            m[at] = m[at]! ^ (1 << rand(8));
            mutated = m;
          } else if (how === 3) {
            const at = rand(m.length);
            mutated = Buffer.concat([m.subarray(0, at), Buffer.from('PK\u0003\u0004../x'), m.subarray(at)]);
          } else {
            // A well-formed ZIP (right CRCs) whose content changed: one byte of one entry (4) or of the manifest's text (5).
            const names = Object.keys(original);
            const name = how === 5 ? 'manifest.xml' : names[rand(names.length)]!;
            const bytes = new Uint8Array(original[name]!);
            const at = rand(bytes.length);
            bytes[at] = bytes[at]! ^ (1 << rand(8));
            mutated = zipSync({ ...original, [name]: bytes });
          }
          try {
            const v = await verifyTransferPackage(mutated, trust);
            // Accepted only if what was verified is byte for byte what school A sent.
            for (const r of v.records) {
              assert.equal(sha256(r.pdf), sha256(original[`records/${r.schoolYear}-v${r.version}.pdf`]!), `case ${i}`);
              assert.equal(r.xmlSha256, sha256(original[`records/${r.schoolYear}-v${r.version}.xml`]!), `case ${i}`);
            }
          } catch (e) {
            assert.ok(e instanceof PackageError, `case ${i} (${how}): ${(e as Error).stack}`);
            assert.ok(e.file && e.check && e.detail, `case ${i}: names file, check and detail`);
            refusedCount++;
          }
        }
        assert.ok(refusedCount >= 30, `most mutations are refused (${refusedCount}/40)`);
      });

      test('missing and extra files, a changed PDF, a path traversal name, a zip bomb, an oversized upload, not a ZIP', { skip: skipTools }, async () => {
        const f = entries();
        const { ['records/2025-2026-v1.pdf']: pdf, ...withoutPdf } = f;
        await expectRefused(zipSync(withoutPdf), /records\/2025-2026-v1\.pdf/, /missing file/);
        await expectRefused(zipSync({ ...f, 'records/extra.txt': new Uint8Array([1, 2, 3]) }), /records\/extra\.txt/, /extra file/);
        const changed = new Uint8Array(pdf!);
        changed[changed.length - 20] = changed[changed.length - 20]! ^ 0x01;
        await expectRefused(zipSync({ ...f, 'records/2025-2026-v1.pdf': changed }), /records\/2025-2026-v1\.pdf/, /SHA-256/);
        await expectRefused(zipSync({ ...f, '../../etc/passwd': new Uint8Array([1]) }), /etc\/passwd/, /entry name/);
        await expectRefused(zipSync({ ...f, 'bomb.xml': [new Uint8Array(15 * 1024 * 1024), { level: 9 }] }), /bomb\.xml/, /compression ratio/);
        await expectRefused(new Uint8Array(Buffer.from('%PDF-1.7 not a zip')), /package/, /format/);
        const big = await clerkB.request({ method: 'POST', url: '/api/transfers/in', ...form({ classId: classB, password: DEMO_PASSWORD }, { name: 'big.zip', content: new Uint8Array(33 * 1024 * 1024) }) });
        assert.equal(big.statusCode, 413, big.body);
      });
    });
  });
}
