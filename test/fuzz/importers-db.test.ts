/**
 * Fuzzing the importers end to end, through the HTTP API on PGlite: student list import
 * (preview + commit), grade-sheet XLSX import, file uploads (PDF/PNG/JPEG) and the
 * signature-image upload. Properties: never a 5xx (only domain/validation refusals), and a
 * refused import writes nothing — row counts of the tables it touches and the audit log are
 * unchanged afterwards.
 * Longer runs: HOCBA_FUZZ_CASES=500 npm test -- test/fuzz/importers-db
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import { signatureTestPng } from '../../src/documents/pdf/test-png.ts';
import { renderRecordPdf } from '../../src/documents/pdf/render-record.ts';
import { fullSnapshot } from '../../src/documents/hbs-xml/test-snapshots.ts';
import { EXPECTED_ROWS, studentXlsx, toCsv } from '../../src/services/import/test-fixtures.ts';
import { sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';
import { multipart } from '../helpers/multipart.ts';
import { fuzz, hostileCell, mutate, type Rand } from './mutator.ts';

const TABLES = ['students', 'enrolments', 'student_imports', 'grade_entries', 'grade_events', 'files', 'signature_images', 'audit_log'] as const;

function mutateXlsxEntry(r: Rand, xlsx: Buffer): Buffer {
  const files = unzipSync(xlsx);
  const names = Object.keys(files).filter((n) => n.endsWith('.xml'));
  const name = r.pick(names);
  files[name] = new Uint8Array(mutate(r, Buffer.from(files[name]!), 2).out);
  return Buffer.from(zipSync(files));
}

describe('fuzz: importers through the API (pglite)', () => {
  let t: TestApp;
  let homeroom: Client;
  let teacher: Client;
  let sheetId: string;
  let sheetXlsx: Buffer;

  type Counts = Record<(typeof TABLES)[number], number>;
  async function counts(): Promise<Counts> {
    const out = {} as Counts;
    for (const table of TABLES) out[table] = (await t.database.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;
    return out;
  }

  /** A 5xx is a crash; a 4xx must carry the error envelope; after a refusal nothing changed. */
  async function expectCleanRefusalOrSuccess(what: string, before: Counts, res: { statusCode: number; body: string }, ok: number[]): Promise<boolean> {
    assert.ok(res.statusCode < 500, `${what}: server error ${res.statusCode} ${res.body.slice(0, 300)}`);
    if (ok.includes(res.statusCode)) return true;
    assert.ok(res.statusCode >= 400, `${what}: unexpected status ${res.statusCode}`);
    const body = JSON.parse(res.body) as { error?: { code?: string } };
    assert.ok(body.error?.code, `${what}: a refusal names its code: ${res.body.slice(0, 200)}`);
    assert.deepEqual(await counts(), before, `${what}: a refused request wrote rows`);
    return false;
  }

  before(async () => {
    t = await startTestApp('pglite');
    homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
    teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
    const sheet = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${t.school.classSubjectId}/1` })).json();
    sheetId = sheet.id;
    const sid = t.school.studentIds;
    const put = await teacher.request({ method: 'PUT', url: `/api/grade-sheets/${sheetId}/cells`, payload: { cells: [{ studentId: sid[0], field: 'midterm', value: '7' }, { studentId: sid[1], field: 'final', value: '8.5' }] } });
    assert.equal(put.statusCode, 200, put.body);
    sheetXlsx = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${sheetId}/export.xlsx` })).rawPayload;
  });
  after(() => t.close());

  test('student list import: preview then commit "all" — a refusal at either step writes nothing', async () => {
    const csv = Buffer.from(toCsv(EXPECTED_ROWS), 'utf8');
    const xlsx = await studentXlsx();
    await fuzz('db-student-import', 25, async (r) => {
      let file: Buffer;
      let name = 'ds.csv';
      const k = r.next();
      if (k < 0.4) file = Buffer.from(toCsv(EXPECTED_ROWS.map((row, i) => (i === 0 ? row : row.map((c) => hostileCell(r, c))))), 'utf8');
      else if (k < 0.7) file = mutate(r, csv, 3).out;
      else {
        file = r.chance(0.7) ? mutateXlsxEntry(r, xlsx) : mutate(r, xlsx).out;
        name = 'ds.xlsx';
      }
      const c0 = await counts();
      const up = await homeroom.request({ method: 'POST', url: `/api/classes/${t.school.classId}/student-imports`, ...multipart(name, file) });
      if (!(await expectCleanRefusalOrSuccess('upload', c0, up, [201]))) return;
      const c1 = await counts();
      assert.equal(c1.student_imports, c0.student_imports + 1);
      assert.equal(c1.students, c0.students, 'a preview creates no student');
      const commit = await homeroom.request({ method: 'POST', url: `/api/student-imports/${up.json().id}/commit`, payload: { mode: 'all' } });
      if (await expectCleanRefusalOrSuccess('commit', c1, commit, [200])) {
        const after = await counts();
        assert.equal(after.students - c1.students, commit.json().created, 'every created student is counted');
        assert.equal(after.audit_log, c1.audit_log + 1, 'one audit entry per commit');
      }
    });
  });

  test('grade-sheet XLSX import: all or nothing — a refused import leaves marks, events and audit unchanged', async () => {
    await fuzz('db-grade-import', 25, async (r) => {
      const file = r.chance(0.8) ? mutateXlsxEntry(r, sheetXlsx) : mutate(r, sheetXlsx).out;
      const c0 = await counts();
      const res = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${sheetId}/import`, ...multipart('bang-diem.xlsx', file) });
      await expectCleanRefusalOrSuccess('grade import', c0, res, [200]);
    });
  });

  test('file uploads and signature images: only PDF/PNG/JPEG by content; mutated images refused cleanly', async () => {
    const pdf = Buffer.from(await renderRecordPdf(fullSnapshot()));
    const png = signatureTestPng();
    await fuzz('db-uploads', 30, async (r) => {
      const src = r.chance(0.5) ? pdf : png;
      const m = mutate(r, src, 3).out;
      const c0 = await counts();
      const up = await teacher.request({ method: 'POST', url: '/api/uploads', ...multipart(r.pick(['a.pdf', 'a.png', 'x.exe', '..\\..\\a.pdf']), m, r.pick(['application/pdf', 'image/png', 'text/html'])) });
      if (await expectCleanRefusalOrSuccess('upload', c0, up, [200, 201])) {
        const head = m.subarray(0, 8);
        assert.ok(head.subarray(0, 5).toString('latin1') === '%PDF-' || head[0] === 0x89 || (head[0] === 0xff && head[1] === 0xd8), 'only accepted types are stored');
      }
      if (src === png) {
        const c1 = await counts();
        const img = await teacher.request({ method: 'PUT', url: '/api/me/signature-image', ...multipart('chu-ky.png', m, 'image/png') });
        await expectCleanRefusalOrSuccess('signature image', c1, img, [200, 201]);
      }
    });
  });
});
