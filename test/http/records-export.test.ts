/**
 * Exporting records as one ZIP through a background job: who may, the progress, the ZIP's
 * content checked by independent tools (Python's zipfile reads and CRC-checks it,
 * `sha256sum -c` checks the manifest's digests, `pdfinfo` opens a PDF), the same PDF bytes
 * as the single download, the manifest naming every student left out and why, the audit,
 * and another school's export staying invisible.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { recordVersions } from '../../src/db/schema.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';
import { BACKENDS } from '../helpers/db.ts';
import { sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';

/** Polls an export until it finishes (the job runs in the app's process). */
async function waitForExport(c: Client, id: string): Promise<Record<string, unknown> & { status: string }> {
  const seen: number[] = [];
  for (let i = 0; i < 1200; i++) {
    const res = await c.request({ method: 'GET', url: `/api/record-exports/${id}` });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    seen.push(body.done);
    assert.ok(body.done <= Math.max(body.total, 0) || body.total === 0, `done ${body.done} > total ${body.total}`);
    if (body.status === 'done' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`export ${id} did not finish; progress seen: ${seen.join(',')}`);
}

/** Runs a tool; without it (outside CI only) the caller skips the independent check. */
function tool(cmd: string, args: string[], cwd?: string): { ok: boolean; out: string } | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd });
  if (r.error) {
    assert.ok(!process.env.CI, `${cmd} is missing although CI is set`);
    return null;
  }
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

for (const kind of BACKENDS) {
  describe(`records export as a ZIP (${kind})`, { timeout: 600_000 }, () => {
    let t: TestApp;
    let homeroom: Client;
    let principal: Client;
    let a: string;
    let b: string;
    let c3: string;
    const dir = mkdtempSync(join(tmpdir(), 'hocba-export-'));
    before(async () => {
      t = await startTestApp(kind);
      [a, b, c3] = t.school.studentIds as [string, string, string];
      const report = await completeAndFreezeClass({
        db: t.database.db,
        schoolId: t.school.schoolId,
        classId: t.school.classId,
        studentIds: [a, b],
        teacherUserId: t.school.users.subject_teacher.id,
        homeroomUserId: t.school.users.homeroom_teacher.id,
      });
      assert.equal(report.frozen.length, 2, JSON.stringify(report.blocked));
      homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
      principal = await sessionFor(t, t.school.users.principal.id, t.school.schoolId);
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('the class list carries each student’s record state from the server', async () => {
      const res = await homeroom.request({ method: 'GET', url: `/api/classes/${t.school.classId}/records` });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.canExport, true);
      assert.equal(body.class.schoolYear, '2025-2026');
      const byId = new Map(body.students.map((s: { studentId: string; record: unknown }) => [s.studentId, s.record]));
      assert.deepEqual({ ...(byId.get(a) as object), versionId: 'x', frozenAt: 'x' }, { state: 'frozen', version: 1, versionCount: 1, versionId: 'x', frozenAt: 'x' });
      assert.match((byId.get(a) as { frozenAt: string }).frozenAt, /^\d{4}-\d\d-\d\dT/);
      assert.deepEqual(byId.get(c3), { state: 'none', versionId: null, version: null, frozenAt: null, versionCount: 0 });
      const teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      const asTeacher = (await teacher.request({ method: 'GET', url: `/api/classes/${t.school.classId}/records` })).json();
      assert.equal(asTeacher.canExport, false, 'a subject teacher sees the states but may not export');
      assert.equal((await teacher.request({ method: 'GET', url: `/api/classes/${t.school.otherClassId}/records` })).statusCode, 403);
      assert.equal((await principal.request({ method: 'GET', url: `/api/classes/${t.other.classId}/records` })).statusCode, 404, 'another school’s class');
      const overview = (await principal.request({ method: 'GET', url: '/api/records/classes' })).json();
      assert.equal(overview.canExportSchool, true);
      assert.deepEqual(
        overview.classes.map((c: { name: string; students: number; withRecord: number }) => [c.name, c.students, c.withRecord]),
        [['10A1', 3, 2], ['10A2', 1, 0]],
      );
    });

    test('the preview is the same PDF, served inline and framable by this site only', async () => {
      const versions = (await homeroom.request({ method: 'GET', url: `/api/students/${a}/records` })).json().versions;
      const preview = await homeroom.request({ method: 'GET', url: `/api/record-versions/${versions[0].id}/preview` });
      assert.equal(preview.statusCode, 200);
      assert.equal(preview.headers['content-type'], 'application/pdf');
      assert.match(String(preview.headers['content-disposition']), /^inline; filename="hocba-v1\.pdf"/);
      assert.match(String(preview.headers['content-security-policy']), /frame-ancestors 'self'/);
      const download = await homeroom.request({ method: 'GET', url: `/api/record-versions/${versions[0].id}/pdf` });
      assert.ok(preview.rawPayload.equals(download.rawPayload), 'the same bytes as the download');
      const parent = await sessionFor(t, t.school.users.parent.id, t.school.schoolId); // parent of a, not of b
      const bVersions = (await homeroom.request({ method: 'GET', url: `/api/students/${b}/records` })).json().versions;
      assert.equal((await parent.request({ method: 'GET', url: `/api/record-versions/${bVersions[0].id}/preview` })).statusCode, 403);
    });

    test('the GVCN exports the class: progress to the end, one ZIP with valid PDFs and a manifest that matches', async () => {
      const start = await homeroom.request({ method: 'POST', url: '/api/record-exports', payload: { scope: 'class', classId: t.school.classId } });
      assert.equal(start.statusCode, 202, start.body);
      const started = start.json();
      assert.ok(['queued', 'running', 'done'].includes(started.status));
      assert.equal(started.className, '10A1');
      const fin = await waitForExport(homeroom, started.id);
      assert.equal(fin.status, 'done', String(fin.error));
      assert.deepEqual([fin.done, fin.total, fin.fileCount, fin.missingCount], [3, 3, 2, 1]);
      assert.equal(fin.downloadUrl, `/api/record-exports/${started.id}/download`);

      const res = await homeroom.request({ method: 'GET', url: fin.downloadUrl as string });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/zip');
      const zip = res.rawPayload;
      assert.equal(zip.length, fin.sizeBytes);
      assert.equal(createHash('sha256').update(zip).digest('hex'), res.headers['x-content-sha256']);
      assert.equal(res.headers['x-content-sha256'], fin.sha256);
      writeFileSync(join(dir, 'class.zip'), zip);

      // Python's zipfile: an independent reader, checking every entry's CRC.
      const check = tool('python3', ['-m', 'zipfile', '-t', join(dir, 'class.zip')]);
      if (check) assert.ok(check.ok, check.out);
      const listing = tool('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', join(dir, 'class.zip')]);
      const out = join(dir, 'class');
      const manifest = JSON.parse(readFileSync(await extract(join(dir, 'class.zip'), out), 'utf8'));
      const names = manifest.files.map((f: { path: string }) => f.path);
      if (listing) assert.deepEqual(listing.out.trim().split('\n').sort(), [...names, 'manifest.json', 'manifest.csv', 'SHA256SUMS'].sort());
      // One folder per class; "<student code> <full name>" in NFC, Vietnamese letters kept.
      assert.ok(names.every((n: string) => n.startsWith('10A1/') && n === n.normalize('NFC')), names.join(', '));
      assert.ok(names.some((n: string) => /^10A1\/\d{10} Nguyễn Văn An\.pdf$/.test(n)), names.join(', '));
      assert.equal(names.length, 4, 'a PDF and an XML for each of the two frozen students');

      // sha256sum -c: the manifest's digests match the extracted files.
      const sums = tool('sha256sum', ['-c', 'SHA256SUMS'], out);
      if (sums) assert.ok(sums.ok && (sums.out.match(/: OK/g) ?? []).length === 4, sums.out);
      for (const f of manifest.files) {
        const bytes = readFileSync(join(out, f.path));
        assert.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256, f.path);
        assert.equal(bytes.length, f.bytes, f.path);
      }
      // The PDF in the ZIP is the record's PDF, byte for byte; pdfinfo opens it.
      const pdfFile = manifest.files.find((f: { kind: string; studentId: string }) => f.kind === 'pdf' && f.studentId === a);
      const versions = (await homeroom.request({ method: 'GET', url: `/api/students/${a}/records` })).json().versions;
      const single = await homeroom.request({ method: 'GET', url: `/api/record-versions/${versions[0].id}/pdf` });
      assert.ok(readFileSync(join(out, pdfFile.path)).equals(single.rawPayload), 'the same PDF as the single download');
      const xml = (await homeroom.request({ method: 'GET', url: `/api/record-versions/${versions[0].id}/xml` })).body;
      assert.equal(readFileSync(join(out, pdfFile.path.replace(/\.pdf$/, '.xml')), 'utf8'), xml);
      const info = tool('pdfinfo', [join(out, pdfFile.path)]);
      if (info) {
        assert.ok(info.ok, info.out);
        assert.match(info.out, /Pages:\s+[1-9]/);
      }
      // Nothing silently dropped: the third student is listed with the reason.
      assert.deepEqual(manifest.counts, { students: 3, records: 2, missing: 1 });
      assert.equal(manifest.missing.length, 1);
      assert.equal(manifest.missing[0].studentId, c3);
      assert.equal(manifest.missing[0].reason, 'not_frozen');
      assert.equal(manifest.missing[0].message.vi, 'Chưa chốt học bạ năm học 2025-2026.');
      const csv = readFileSync(join(out, 'manifest.csv'), 'utf8');
      assert.ok(csv.startsWith('\ufeff'), 'a BOM, for Excel');
      assert.match(csv, /Trần Đức Cường,,,,,,Chưa chốt học bạ năm học 2025-2026\./);

      const audit = await t.database.query<{ action: string }>(`select action from audit_log where target_id = $1 order by seq`, [started.id]);
      assert.deepEqual(audit.map((r) => r.action), ['record_export.requested', 'record_export.completed', 'record_export.downloaded']);
      await homeroom.request({ method: 'GET', url: fin.downloadUrl as string });
      const downloads = await t.database.query<{ n: number }>(`select count(*)::int as n from audit_log where target_id = $1 and action = 'record_export.downloaded'`, [started.id]);
      assert.equal(downloads[0]!.n, 2, 'each download is audited');
    });

    test('who may export and see an export; another school’s export is invisible', async () => {
      const cls = { scope: 'class', classId: t.school.classId };
      const post = async (role: keyof TestApp['school']['users'], payload: object) =>
        (await (await sessionFor(t, t.school.users[role].id, t.school.schoolId)).request({ method: 'POST', url: '/api/record-exports', payload })).statusCode;
      assert.equal(await post('subject_teacher', cls), 403, 'a subject teacher cannot export a class');
      assert.equal(await post('department_head', cls), 403);
      assert.equal(await post('clerk', { scope: 'school' }), 403);
      assert.equal(await post('homeroom_teacher', { scope: 'class', classId: t.school.otherClassId }), 403, 'a GVCN exports their own class only');
      assert.equal(await post('homeroom_teacher', { scope: 'school' }), 403);
      assert.equal(await post('student', cls), 403);

      const mine = (await homeroom.request({ method: 'GET', url: '/api/record-exports' })).json();
      const id = mine.exports[0].id;
      assert.equal(mine.canExportSchool, false);
      const vice = await sessionFor(t, t.school.users.vice_principal.id, t.school.schoolId);
      assert.equal((await vice.request({ method: 'GET', url: `/api/record-exports/${id}` })).statusCode, 404, 'someone else’s export');
      assert.equal((await vice.request({ method: 'GET', url: `/api/record-exports/${id}/download` })).statusCode, 404);
      assert.equal((await vice.request({ method: 'GET', url: '/api/record-exports' })).json().exports.length, 0);
      assert.equal((await principal.request({ method: 'GET', url: `/api/record-exports/${id}` })).statusCode, 200, 'the principal sees every export');
      assert.equal((await principal.request({ method: 'GET', url: `/api/record-exports/${id}/download` })).statusCode, 200);
      const otherPrincipal = await sessionFor(t, t.other.users.principal.id, t.other.schoolId);
      assert.equal((await otherPrincipal.request({ method: 'GET', url: `/api/record-exports/${id}` })).statusCode, 404, 'another school');
      assert.equal((await otherPrincipal.request({ method: 'GET', url: `/api/record-exports/${id}/download` })).statusCode, 404);
      assert.equal((await otherPrincipal.request({ method: 'GET', url: '/api/record-exports' })).json().exports.length, 0);
      assert.equal((await otherPrincipal.request({ method: 'POST', url: '/api/record-exports', payload: cls })).statusCode, 404, 'another school’s class does not exist there');
    });

    test('the principal exports the whole school: a folder per class, every student accounted for', async () => {
      // A superseded latest version is not exported either, and the manifest says so.
      await t.database.db.update(recordVersions).set({ state: 'superseded' }).where(eq(recordVersions.studentId, b));
      const start = await principal.request({ method: 'POST', url: '/api/record-exports', payload: { scope: 'school' } });
      assert.equal(start.statusCode, 202, start.body);
      const fin = await waitForExport(principal, start.json().id);
      assert.equal(fin.status, 'done', String(fin.error));
      assert.deepEqual([fin.done, fin.total, fin.fileCount, fin.missingCount], [4, 4, 1, 3]);
      writeFileSync(join(dir, 'school.zip'), (await principal.request({ method: 'GET', url: fin.downloadUrl as string })).rawPayload);
      const manifest = JSON.parse(readFileSync(await extract(join(dir, 'school.zip'), join(dir, 'school')), 'utf8'));
      assert.deepEqual(manifest.scope, { kind: 'school', classes: 2 });
      assert.deepEqual(
        manifest.missing.map((m: { className: string; reason: string; studentId: string }) => [m.className, m.reason, m.studentId]),
        [['10A1', 'superseded', b], ['10A1', 'not_frozen', c3], ['10A2', 'not_frozen', t.school.studentIds[3]]].sort((x, y) => (x[0] === y[0] ? 0 : x[0]! < y[0]! ? -1 : 1)),
      );
      const states = (await homeroom.request({ method: 'GET', url: `/api/classes/${t.school.classId}/records` })).json();
      assert.equal(states.students.find((s: { studentId: string }) => s.studentId === b).record.state, 'superseded');
      await t.database.db.update(recordVersions).set({ state: 'frozen' }).where(eq(recordVersions.studentId, b));
    });
  });
}

/** Extracts with Python's zipfile (or, without Python outside CI, our own reader); the manifest's path. */
async function extract(zipPath: string, out: string): Promise<string> {
  const r = tool('python3', ['-m', 'zipfile', '-e', zipPath, out]);
  if (r) assert.ok(r.ok, r.out);
  else {
    const { unzipSync } = await import('fflate');
    for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zipPath)))) {
      const { mkdirSync } = await import('node:fs');
      const { dirname } = await import('node:path');
      mkdirSync(dirname(join(out, name)), { recursive: true });
      writeFileSync(join(out, name), bytes);
    }
  }
  assert.ok(readdirSync(out).includes('manifest.json'), readdirSync(out).join(', '));
  return join(out, 'manifest.json');
}
