/**
 * The streamed ZIP: entries cut into fixed-size chunks reassemble into a ZIP that Python's
 * zipfile reads back (names in UTF-8, Vietnamese kept, CRCs right); path segments are safe.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { manifestCsv, safeSegment, sha256Sums, ZipStreamWriter, type ExportManifest } from './export-zip.ts';

test('path segments: NFC, no separators or control characters, never empty or hidden', () => {
  const decomposed = 'Nguye\u0302\u0303n Thi\u0323 Lan';
  const cases: Array<[string, string]> = [
    [decomposed, 'Nguyễn Thị Lan'],
    ['10A1/../etc', '10A1_.._etc'],
    ['a\\b:c*d?e"f<g>h|i', 'a_b_c_d_e_f_g_h_i'],
    ['  ..hidden  ', '_hidden'],
    ['tab\there\nnew', 'tab_here_new'],
    ['', '_'],
  ];
  for (const [input, expected] of cases) assert.equal(safeSegment(input), expected, JSON.stringify(input));
  assert.equal(safeSegment('x'.repeat(300)).length, 120);
});

test('a ZIP written in 1 KiB chunks reads back whole, by fflate and by Python', async () => {
  const chunks: Buffer[] = [];
  const zip = new ZipStreamWriter(async (c) => {
    chunks.push(c);
  }, 1024);
  const pdf = randomBytes(5000); // incompressible, like a PDF's streams
  const xml = Buffer.from('<hocBa>Trần Đức Cường</hocBa>'.repeat(200), 'utf8');
  const at = new Date('2026-05-31T09:00:00Z');
  const e1 = await zip.add('10A1/3800000001 Trần Đức Cường.pdf', pdf, { compress: false, mtime: at });
  const e2 = await zip.add('10A1/3800000001 Trần Đức Cường.xml', xml, { compress: true, mtime: at });
  const { bytes, sha256 } = await zip.end();
  assert.ok(chunks.slice(0, -1).every((c) => c.length === 1024), 'full chunks but the last');
  const whole = Buffer.concat(chunks);
  assert.equal(whole.length, bytes);
  assert.equal(createHash('sha256').update(whole).digest('hex'), sha256);
  assert.equal(e1.sha256, createHash('sha256').update(pdf).digest('hex'));
  assert.equal(e2.bytes, xml.length);
  assert.ok(whole.length < pdf.length + xml.length, 'the XML is deflated');
  const back = unzipSync(whole);
  assert.ok(Buffer.from(back['10A1/3800000001 Trần Đức Cường.pdf']!).equals(pdf));
  assert.ok(Buffer.from(back['10A1/3800000001 Trần Đức Cường.xml']!).equals(xml));

  const dir = mkdtempSync(join(tmpdir(), 'hocba-zip-'));
  try {
    writeFileSync(join(dir, 'x.zip'), whole);
    const r = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist()))', join(dir, 'x.zip')], { encoding: 'utf8' });
    if (r.error) {
      assert.ok(!process.env.CI, 'python3 is missing although CI is set');
      return;
    }
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['10A1/3800000001 Trần Đức Cường.pdf', '10A1/3800000001 Trần Đức Cường.xml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SHA256SUMS and the CSV list every student, in the ZIP or not', () => {
  const common = { studentId: 's1', studentCode: '3800000001', fullName: 'Lê Thị "Bình"', className: '10A1', version: 1, recordState: 'frozen' };
  const m: ExportManifest = {
    format: 'hocba.record-export/1',
    exportId: 'e',
    school: { code: 'S', name: 'Trường' },
    schoolYear: '2025-2026',
    scope: { kind: 'class', className: '10A1' },
    createdAt: '2026-06-01T00:00:00.000Z',
    requestedBy: 'x',
    counts: { students: 2, records: 1, missing: 1 },
    files: [
      { ...common, path: '10A1/a.pdf', kind: 'pdf', sha256: 'aa', bytes: 1 },
      { ...common, path: '10A1/a.xml', kind: 'xml', sha256: 'bb', bytes: 1 },
    ],
    missing: [{ className: '10A1', studentId: 's2', studentCode: null, fullName: 'Trần An', reason: 'not_frozen', message: { vi: 'Chưa chốt học bạ năm học 2025-2026.', en: '…' } }],
  };
  assert.equal(sha256Sums(m.files), 'aa  10A1/a.pdf\nbb  10A1/a.xml\n');
  const lines = manifestCsv(m).split('\r\n');
  assert.equal(lines[1], '10A1,3800000001,"Lê Thị ""Bình""",v1,10A1/a.pdf,aa,10A1/a.xml,bb,');
  assert.equal(lines[2], '10A1,,Trần An,,,,,,Chưa chốt học bạ năm học 2025-2026.');
});
