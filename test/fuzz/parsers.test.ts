/**
 * Fuzzing the parsers behind every importer, without a database: the student list reader
 * (CSV/XLSX), the grade-sheet XLSX reader, the HBS XML reader, the upload type sniffer and
 * the signature-image PNG validator. Property: generated and mutated inputs only ever give
 * the documented answer — a result or a DomainError — never another exception, and
 * documents carrying a DTD or an entity are always refused.
 * Longer runs: HOCBA_FUZZ_CASES=5000 npm test -- test/fuzz/parsers
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import { DomainError } from '../../src/domain/errors.ts';
import { parseHbsV1, serializeHbsV1 } from '../../src/documents/hbs-xml/hbs-v1.ts';
import { readXml } from '../../src/documents/hbs-xml/xml-reader.ts';
import { fullSnapshot, trickySnapshot } from '../../src/documents/hbs-xml/test-snapshots.ts';
import { decodePng, inspectPng } from '../../src/documents/pdf/png-image.ts';
import { signatureTestPng, sealTestPng } from '../../src/documents/pdf/test-png.ts';
import { buildGradeSheetXlsx, parseGradeSheetXlsx, type SheetLayout } from '../../src/services/grades/grade-sheet-xlsx.ts';
import { sniffType } from '../../src/services/files/store-file.ts';
import { readTable } from '../../src/services/import/read-table.ts';
import { EXPECTED_ROWS, studentXlsx, textXlsx, toCsv } from '../../src/services/import/test-fixtures.ts';
import { fuzz, hostileCell, mutate, type Rand } from './mutator.ts';

/** Anything but a DomainError is a crash. */
function onlyDomain(err: unknown, what: string): void {
  if (err instanceof DomainError) return;
  throw new Error(`${what} threw a non-domain error: ${(err as Error)?.stack ?? String(err)}`);
}

/** Mutates one entry of an XLSX (a ZIP) and packs it again, so the CRCs stay right and the parser sees the damage. */
function mutateXlsxEntry(r: Rand, xlsx: Buffer): { out: Buffer; how: string[] } {
  const files = unzipSync(xlsx);
  const names = Object.keys(files).filter((n) => n.endsWith('.xml'));
  const name = r.pick(names);
  const m = mutate(r, Buffer.from(files[name]!), 2);
  files[name] = new Uint8Array(m.out);
  return { out: Buffer.from(zipSync(files)), how: [`entry ${name}`, ...m.how] };
}

const layout: SheetLayout = { schoolName: 'Trường THPT Chu Văn An', schoolYear: '2025-2026', className: '10A1', subjectName: 'Toán', semester: 1, assessment: 'score', regularCount: 4 };
const roster = [
  { studentCode: '0100000001', fullName: 'Nguyễn Văn An' },
  { studentCode: '0100000002', fullName: 'Trần Thị Bích' },
  { studentCode: '0100000003', fullName: "H'Hen Niê" },
];

describe('fuzz: parsers of uploaded files', () => {
  test('student list reader (CSV): mutated and generated files → a table or ok:false, never a throw', async () => {
    const seedCsv = Buffer.from(toCsv(EXPECTED_ROWS), 'utf8');
    await fuzz('read-table-csv', 300, async (r) => {
      let input: Buffer;
      if (r.chance(0.4)) {
        const rows = EXPECTED_ROWS.map((row, i) => (i === 0 ? row : row.map((c) => hostileCell(r, c))));
        input = Buffer.from(toCsv(rows, r.pick([',', ';', '\t'])), 'utf8');
        if (r.chance(0.3)) input = mutate(r, input).out;
      } else input = mutate(r, seedCsv, 4).out;
      const res = await readTable(input, r.pick(['ds.csv', 'ds.xlsx', '../../etc/passwd', 'a\u0000b.csv']));
      if (res.ok) {
        for (const row of res.rows) for (const c of row) {
          assert.equal(typeof c, 'string');
          assert.equal(c, c.normalize('NFC'), 'cells are NFC');
        }
      } else assert.ok(res.message.vi && res.message.en, 'a refusal has a message in both languages');
    });
  });

  test('student list reader (XLSX): damaged entries and hostile cells → a table or ok:false', async () => {
    const base = await studentXlsx();
    const cells = await textXlsx([['Họ tên', 'Ngày sinh'], ['=cmd|\' /C calc\'!A0', '1e309'], ['\u202Eabc', '\u0000']]);
    await fuzz('read-table-xlsx', 60, async (r) => {
      const src = r.chance(0.5) ? base : cells;
      const m = r.chance(0.7) ? mutateXlsxEntry(r, src) : mutate(r, src);
      const res = await readTable(m.out, 'ds.xlsx');
      if (!res.ok) assert.ok(['import.not_a_table', 'import.too_large', 'import.empty'].includes(res.code), res.code);
    });
  });

  test('grade-sheet XLSX reader: mutated sheets → rows or cell errors, never a throw, never a formula accepted as a mark', async () => {
    const good = await buildGradeSheetXlsx(layout, roster.map((s) => ({ ...s, regular: ['8', '7.5', null, '10'], midterm: '6', final: '9', average: null, comment: null })));
    const clean = await parseGradeSheetXlsx(good, layout, roster);
    assert.equal(clean.ok, true, 'the unmutated sheet reads');
    await fuzz('grade-sheet-xlsx', 60, async (r) => {
      const m = r.chance(0.8) ? mutateXlsxEntry(r, good) : mutate(r, good);
      let res;
      try {
        res = await parseGradeSheetXlsx(m.out, layout, roster);
      } catch (err) {
        onlyDomain(err, 'parseGradeSheetXlsx');
        return;
      }
      if (res.ok) {
        for (const row of res.rows) for (const v of [...row.regular, row.midterm, row.final]) {
          if (v === null) continue;
          assert.match(v, /^(10|\d)(\.\d{1,2})?$/, `an accepted mark is a plain score, got ${JSON.stringify(v)}`);
          assert.ok(Number(v) >= 0 && Number(v) <= 10);
        }
      } else assert.ok(res.errors.length > 0 && res.errors.every((e) => e.message.vi && e.message.en));
    });
  });

  test('regression (found by this fuzzer): a cell addressed at row 1e308 or 10^9 is refused before the reader builds its grid', async () => {
    const good = await buildGradeSheetXlsx(layout, roster.map((s) => ({ ...s, regular: ['8', null, null, null], midterm: '6', final: '9', average: null, comment: null })));
    const students = await studentXlsx();
    for (const [label, edit] of [
      ['row "1e308"', (x: string) => x.replace('<row r="2"', '<row r="1e3082"')],
      ['cell at row 10^9', (x: string) => x.replace(/<c r="A2"/, '<c r="A999999999"')],
      ['cell at column ZZZ', (x: string) => x.replace(/<c r="A2"/, '<c r="ZZZ2"')],
    ] as const) {
      for (const src of [good, students]) {
        const files = unzipSync(src);
        const name = Object.keys(files).find((n) => n.startsWith('xl/worksheets/'))!;
        const xml = Buffer.from(files[name]!).toString('utf8');
        const edited = edit(xml);
        assert.notEqual(edited, xml, label);
        files[name] = new TextEncoder().encode(edited);
        const file = Buffer.from(zipSync(files));
        const grade = await parseGradeSheetXlsx(file, layout, roster);
        assert.equal(grade.ok, false, label);
        const table = await readTable(file, 'ds.xlsx');
        assert.equal(table.ok, false, label);
      }
    }
  });

  test('HBS XML reader: mutations throw only RecordFormatError (a DomainError); DTDs and entities always refused', async () => {
    const docs = [serializeHbsV1(fullSnapshot()), serializeHbsV1(trickySnapshot())].map((x) => Buffer.from(x, 'utf8'));
    const INJECT = [
      '<!DOCTYPE HocBa [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
      '<!DOCTYPE HocBa SYSTEM "http://127.0.0.1:1/x.dtd">',
      '<!ENTITY lol "lol">',
      '<!DOCTYPE a [<!ENTITY a "&b;&b;&b;&b;"><!ENTITY b "&c;&c;&c;&c;">]>',
    ];
    await fuzz('hbs-xml', 300, (r) => {
      const doc = r.pick(docs);
      let text: string;
      let hostile = false;
      if (r.chance(0.2)) {
        const s = doc.toString('utf8');
        const at = s.indexOf('?>') + 2;
        text = s.slice(0, at) + '\n' + r.pick(INJECT) + s.slice(at);
        hostile = true;
      } else if (r.chance(0.05)) {
        text = '<a>'.repeat(40 + r.int(2000)) + '</a>'.repeat(10);
        hostile = true; // deeper than the reader allows
      } else text = mutate(r, doc, 3, docs[0]).out.toString('utf8');
      for (const parse of [() => readXml(text), () => parseHbsV1(text)]) {
        try {
          parse();
          assert.ok(!hostile, 'a DOCTYPE, an entity or an over-deep document was accepted');
        } catch (err) {
          onlyDomain(err, 'HBS XML reader');
        }
      }
    });
    assert.throws(() => readXml('<a>' + 'x'.repeat(100) + '</a>', { maxChars: 50 }), DomainError, 'oversize refused');
  });

  test('upload type sniffing and the signature-image PNG validator: mutated PNGs → a PngImageError or a valid image', async () => {
    const pngs = [signatureTestPng(), sealTestPng()];
    await fuzz('png', 300, (r) => {
      const m = mutate(r, r.pick(pngs), 3);
      const sniffed = sniffType(m.out);
      assert.ok(sniffed === null || ['application/pdf', 'image/png', 'image/jpeg'].includes(sniffed));
      for (const check of [() => inspectPng(m.out), () => decodePng(m.out)]) {
        try {
          const info = check();
          assert.ok(info.width >= 16 && info.height >= 16 && info.width * info.height <= 4_000_000, 'accepted images stay in bounds');
        } catch (err) {
          onlyDomain(err, 'PNG validator');
        }
      }
    });
  });
});
