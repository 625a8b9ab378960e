import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import readXlsxFile from 'read-excel-file/node';
import writeXlsxFile, { type Cell, type SheetData } from 'write-excel-file/node';
import {
  buildGradeSheetXlsx,
  parseGradeSheetXlsx,
  sheetName,
  sheetTitle,
  type ImportCellError,
  type SheetLayout,
  type SheetRowData,
} from './grade-sheet-xlsx.ts';

const mathLayout: SheetLayout = {
  schoolName: 'Trường THPT Chu Văn An',
  schoolYear: '2025-2026',
  className: '10A1',
  subjectName: 'Toán',
  semester: 1,
  assessment: 'score',
  regularCount: 4,
};
const peLayout: SheetLayout = { ...mathLayout, subjectName: 'Giáo dục thể chất', semester: 2, assessment: 'comment', regularCount: 2 };

const roster = [
  { studentCode: '0100000001', fullName: 'Nguyễn Văn An' },
  { studentCode: '0100000002', fullName: 'Trần Thị Bích' },
  { studentCode: '0100000003', fullName: 'Lê Hoàng Cường' },
  { studentCode: '0100000004', fullName: 'Phạm Thu Dung' },
  { studentCode: '0100000005', fullName: 'Hoàng Minh Đức' },
  { studentCode: '0100000006', fullName: 'Vũ Thị Hà' },
  { studentCode: '0100000007', fullName: 'Đặng Quốc Huy' },
  { studentCode: '0100000008', fullName: 'Bùi Ngọc Lan' },
  { studentCode: '0100000009', fullName: "H'Hen Niê" },
];
const code = (n: number) => roster[n - 1]!.studentCode;
const name = (n: number) => roster[n - 1]!.fullName;

/** Writes a one-sheet XLSX from plain cell values, the way a teacher's own file would look. */
async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const data: SheetData = rows.map((r) =>
    r.map((v): Cell => (v instanceof Date ? { value: v, format: 'dd/mm/yyyy' } : (v as Cell))),
  );
  return writeXlsxFile(data).toBuffer();
}

function expectErrors(result: Awaited<ReturnType<typeof parseGradeSheetXlsx>>): ImportCellError[] {
  assert.equal(result.ok, false, `expected errors, got ${JSON.stringify(result)}`);
  assert.ok(!('rows' in result), 'a failed import returns no rows');
  return result.ok ? [] : result.errors;
}

function expectRows(result: Awaited<ReturnType<typeof parseGradeSheetXlsx>>) {
  if (!result.ok) assert.fail(`expected success, got:\n${result.errors.map((e) => `${e.code} ${e.message.en}`).join('\n')}`);
  return result.rows;
}

// ---------------------------------------------------------------------------------------
// Round trips

const mathRows: SheetRowData[] = [
  { studentCode: code(1), fullName: name(1), regular: ['8.5', '10', '0', '7'], midterm: '6.5', final: '9.8', average: '7.9', comment: 'Chăm chỉ, tiến bộ rõ.' },
  { studentCode: code(2), fullName: name(2), regular: ['9', null, '7.3', null], midterm: null, final: null, average: null, comment: null },
  { studentCode: code(3), fullName: name(3), regular: [null, null, null, null], midterm: null, final: null, average: null, comment: 'Cần cố gắng hơn.\nHay quên bài tập.' },
];

test('round trip: a score subject with 4 TX comes back with the same values', async () => {
  const file = await buildGradeSheetXlsx(mathLayout, mathRows);
  const rows = expectRows(await parseGradeSheetXlsx(file, mathLayout, roster.slice(0, 3)));
  assert.deepEqual(
    rows,
    mathRows.map(({ studentCode, regular, midterm, final, comment }) => ({ studentCode, regular, midterm, final, comment })),
  );
});

test('export layout: title block, header row, number cells, sheet name', async () => {
  const file = await buildGradeSheetXlsx(mathLayout, mathRows);
  const [sheet] = await readXlsxFile(file);
  assert.ok(sheet);
  assert.equal(sheet.sheet, '10A1 - Toán - HK1');
  const data = sheet.data as unknown[][];
  assert.equal(data[0]?.[0], 'Trường THPT Chu Văn An');
  assert.equal(data[1]?.[0], 'BẢNG ĐIỂM MÔN TOÁN — LỚP 10A1 — HỌC KỲ I — NĂM HỌC 2025-2026');
  assert.deepEqual(data[4], ['STT', 'Mã học sinh', 'Họ và tên', 'TX1', 'TX2', 'TX3', 'TX4', 'GK', 'CK', 'ĐTBmhk', 'Nhận xét']);
  assert.deepEqual(data[5]?.slice(0, 10), [1, code(1), name(1), 8.5, 10, 0, 7, 6.5, 9.8, 7.9]);
  assert.equal(typeof data[5]?.[1], 'string', 'student codes stay text so leading zeros survive');
  // The number format shows one decimal (Vietnamese locale: "8,5").
  const styles = await unzipEntry(file, 'xl/styles.xml');
  assert.match(styles, /formatCode="0\.0"/);
  const sheetXml = await unzipEntry(file, 'xl/worksheets/sheet1.xml');
  assert.match(sheetXml, /<cols>/, 'column widths are set');
  assert.match(sheetXml, /<mergeCell ref="A2:K2"\/>/, 'the title spans the table');
});

test('round trip: a comment-only subject (Đ/CĐ) comes back with the same values', async () => {
  const rows: SheetRowData[] = [
    { studentCode: code(1), fullName: name(1), regular: ['D', 'D'], midterm: 'D', final: 'CD', average: 'CD', comment: 'Cần rèn thêm sức bền.' },
    { studentCode: code(2), fullName: name(2), regular: ['CD', null], midterm: null, final: null, average: null, comment: null },
  ];
  const file = await buildGradeSheetXlsx(peLayout, rows);
  const [sheet] = await readXlsxFile(file);
  assert.deepEqual((sheet?.data as unknown[][])[5]?.slice(3, 8), ['Đ', 'Đ', 'Đ', 'CĐ', 'CĐ']);
  assert.deepEqual(
    expectRows(await parseGradeSheetXlsx(file, peLayout, roster.slice(0, 2))),
    rows.map(({ studentCode, regular, midterm, final, comment }) => ({ studentCode, regular, midterm, final, comment })),
  );
});

test('export refuses a value that is not a canonical mark (a programming error, not user input)', async () => {
  const bad = { ...mathRows[0]!, midterm: '8.55' };
  await assert.rejects(buildGradeSheetXlsx(mathLayout, [bad]), /not a mark/);
  await assert.rejects(buildGradeSheetXlsx(peLayout, [{ ...bad, regular: ['D'], midterm: '8' }]), /not Đ\/CĐ/);
  await assert.rejects(buildGradeSheetXlsx(mathLayout, [{ ...mathRows[0]!, regular: ['1', '2', '3', '4', '5'] }]), /5 regular marks/);
});

// ---------------------------------------------------------------------------------------
// The must-show: one file with every kind of bad cell; each is reported, nothing imported.

test('import: a file with every kind of bad cell reports each one and imports nothing', async () => {
  const long = 'x'.repeat(501);
  const H = ['STT', 'Mã HS', 'Họ và tên', 'TX1', 'TX2', 'TX4', 'TX5', 'GK', 'CK', 'CK', 'ĐTBmhk', 'Nhận xét', null];
  //         A      B       C            D      E      F      G      H     I     J     K         L           M
  const file = await xlsx([
    ['Trường THPT Chu Văn An'],
    [sheetTitle(mathLayout)],
    H, // row 3: TX3 missing, TX5 beyond regularCount 4, CK twice, M has no header
    [1, code(1), name(1), '8,5', 9, ' 9 ', null, 7.300000000000001, '10', 'ignored', 'anything', 'Tốt', null], // row 4: good
    [2, code(2), name(2), 11, 8, 8, null, 7, 7, null, null, null, null], // 5: out of range
    [3, code(3), name(3), new Date(Date.UTC(2025, 9, 8)), -1, 8, null, 7, 7, null, null, null, null], // 6: date cell, negative
    [4, code(4), name(4), true, 8, 8, null, 8.25, 7, null, null, null, null], // 7: boolean cell, two decimals (number)
    [5, code(5), name(5), 8, 8, 8, null, 7, 'tám', null, null, null, 'lệch'], // 8: text not a mark, value without header
    [6, code(6), name(6), '7,55', 8, 7.30000001, null, 7, 7, null, null, null, null], // 9: two decimals (text), not float noise
    [7, code(7), name(7), 8, 8, 8, null, 7, 7, null, null, long, null], // 10: comment too long
    [8, '9999999999', 'Người Lạ', 8, 8, 8, null, 7, 7, null, null, null, null], // 11: unknown student
    [9, code(1), name(1), 8, 8, 8, null, 7, 7, null, null, null, null], // 12: the same student twice
    [10, code(8), 'Bùi Ngọc Lâm', 8, 8, 8, null, 7, 7, null, null, null, null], // 13: name does not match the roster
    [], // 14: blank row, skipped
    [11, null, 'Không có mã', 8, null, null, null, null, null, null, null, null, null], // 15: marks without a student code
    // roster student 9 is not in the file at all
  ]);
  const errors = expectErrors(await parseGradeSheetXlsx(file, mathLayout, roster));
  const got = errors.map((e) => [e.row, e.column, e.header, e.code, e.value]);
  const expected: Array<[number, string, string, string, string]> = [
    [3, 'G', 'TX5', 'import.unexpected_column', 'TX5'],
    [3, 'J', 'CK', 'import.duplicate_column', 'CK'],
    [3, '', 'TX3', 'import.missing_column', ''],
    [5, 'D', 'TX1', 'assessment.mark_out_of_range', '11'],
    [6, 'D', 'TX1', 'assessment.mark_not_a_number', '08/10/2025'],
    [6, 'E', 'TX2', 'assessment.mark_out_of_range', '-1'],
    [7, 'D', 'TX1', 'assessment.mark_not_a_number', 'TRUE'],
    [7, 'H', 'GK', 'assessment.mark_too_many_decimals', '8.25'],
    [8, 'I', 'CK', 'assessment.mark_not_a_number', 'tám'],
    [8, 'M', '', 'import.value_without_header', 'lệch'],
    [9, 'D', 'TX1', 'assessment.mark_too_many_decimals', '7,55'],
    [9, 'F', 'TX4', 'assessment.mark_too_many_decimals', '7.30000001'],
    [10, 'L', 'Nhận xét', 'import.comment_too_long', long],
    [11, 'B', 'Mã HS', 'import.unknown_student', '9999999999'],
    [12, 'B', 'Mã HS', 'import.duplicate_student', code(1)],
    [13, 'C', 'Họ và tên', 'import.name_mismatch', 'Bùi Ngọc Lâm'],
    [15, 'B', 'Mã HS', 'import.missing_student_code', ''],
    [0, '', 'Mã HS', 'import.missing_student', code(9)],
  ];
  assert.deepEqual(got, expected);
  for (const e of errors) {
    assert.ok(e.message.vi.length > 0 && e.message.en.length > 0, `${e.code} has both messages`);
    if (e.row > 0 && e.column) {
      assert.ok(e.message.vi.startsWith(`Dòng ${e.row}, cột ${e.column}`), e.message.vi);
      assert.ok(e.message.en.startsWith(`Row ${e.row}, column ${e.column}`), e.message.en);
    }
  }
  const byCode = (c: string) => errors.find((e) => e.code === c)!;
  assert.match(byCode('import.duplicate_student').message.vi, /đã có ở dòng 4/);
  assert.match(byCode('import.duplicate_column').message.en, /already in column I/);
  assert.match(byCode('import.name_mismatch').message.vi, /"Bùi Ngọc Lan"/);
  assert.match(byCode('import.missing_student').message.en, /H'Hen Niê/);
  assert.match(byCode('import.comment_too_long').message.vi, /501 ký tự, tối đa 500/);
  assert.match(byCode('assessment.mark_out_of_range').message.vi, /Dòng 5, cột D \(TX1\): Điểm 11 nằm ngoài thang điểm 10/);
});

test('import: comment-only subject cells other than Đ/CĐ/Đạt/Chưa đạt are each reported', async () => {
  const H = ['STT', 'Mã học sinh', 'Họ và tên', 'TX1', 'TX2', 'GK', 'CK', 'Kết quả HK', 'Nhận xét'];
  const file = await xlsx([
    H,
    [1, code(1), name(1), 'd', 'đ', 'dat', 'Đạt', 'anything', null],
    [2, code(2), name(2), 'CĐ', 'cd', 'chua dat', ' Chưa  đạt ', null, null],
    [3, code(3), name(3), 'X', 8, 'Đạt rồi', null, null, null],
    [4, code(4), name(4), null, null, 'C', 'Tốt', null, null],
  ]);
  const errors = expectErrors(await parseGradeSheetXlsx(file, peLayout, roster.slice(0, 4)));
  assert.deepEqual(
    errors.map((e) => [e.row, e.column, e.code, e.value]),
    [
      [4, 'D', 'assessment.comment_result_invalid', 'X'],
      [4, 'E', 'assessment.comment_result_invalid', '8'],
      [4, 'F', 'assessment.comment_result_invalid', 'Đạt rồi'],
      [5, 'F', 'assessment.comment_result_invalid', 'C'],
      [5, 'G', 'assessment.comment_result_invalid', 'Tốt'],
    ],
  );
  // The same file without the bad rows imports, every spelling canonicalised.
  const good = await xlsx([H, [1, code(1), name(1), 'd', 'đ', 'dat', 'Đạt', null, null], [2, code(2), name(2), 'CĐ', 'cd', 'chua dat', ' Chưa  đạt ', null, null]]);
  assert.deepEqual(expectRows(await parseGradeSheetXlsx(good, peLayout, roster.slice(0, 2))), [
    { studentCode: code(1), regular: ['D', 'D'], midterm: 'D', final: 'D', comment: null },
    { studentCode: code(2), regular: ['CD', 'CD'], midterm: 'CD', final: 'CD', comment: null },
  ]);
});

// ---------------------------------------------------------------------------------------
// Header variants

const twoTx: SheetLayout = { ...mathLayout, regularCount: 2 };
type Field = 'stt' | 'code' | 'name' | 'family' | 'given' | 'tx1' | 'tx2' | 'gk' | 'ck' | 'avg' | 'comment' | 'note';
/** Header row(s) as written, and which field sits in each column. */
const headerVariants: Array<[string, unknown[][], Field[]]> = [
  ['short labels with spaces', [['STT', 'Mã HS', 'Họ tên', 'TX 1', 'TX 2', 'Giữa kỳ', 'Cuối kỳ', 'ĐTBmhk', 'Nhận xét']],
    ['stt', 'code', 'name', 'tx1', 'tx2', 'gk', 'ck', 'avg', 'comment']],
  ['no diacritics, upper case, ĐĐG prefix', [['stt', 'Ma hoc sinh', 'HO VA TEN', 'ĐĐGtx1', 'ĐĐGtx2', 'ĐĐGgk', 'ĐĐGck', 'ĐTB môn HK', 'nhan xet']],
    ['stt', 'code', 'name', 'tx1', 'tx2', 'gk', 'ck', 'avg', 'comment']],
  ['"kì" spelling, other order, no STT/ĐTB, extra spaces', [['  Mã  học sinh ', 'Họ và tên', 'Điểm TX1', 'ddgtx2', 'cuối kì', 'GIỮA KÌ', 'Nhận xét của GV']],
    ['code', 'name', 'tx1', 'tx2', 'ck', 'gk', 'comment']],
  ['decomposed Unicode labels (NFD)', [['STT', 'Mã học sinh'.normalize('NFD'), 'Họ và tên'.normalize('NFD'), 'TX1', 'TX2', 'GK', 'CK', 'Nhận xét'.normalize('NFD')]],
    ['stt', 'code', 'name', 'tx1', 'tx2', 'gk', 'ck', 'comment']],
  ['two-row header: ĐĐGtx over 1 2', [['STT', 'Mã học sinh', 'Họ và tên', 'ĐĐGtx', null, 'ĐĐGgk', 'ĐĐGck', 'Nhận xét'], [null, null, null, 1, 2, null, null, null]],
    ['stt', 'code', 'name', 'tx1', 'tx2', 'gk', 'ck', 'comment']],
  ['name split into Họ đệm + Tên', [['STT', 'Mã học sinh', 'Họ đệm', 'Tên', 'TX1', 'TX2', 'GK', 'CK', 'Nhận xét']],
    ['stt', 'code', 'family', 'given', 'tx1', 'tx2', 'gk', 'ck', 'comment']],
  ['a teacher column "Ghi chú" is ignored', [['STT', 'Mã học sinh', 'Họ và tên', 'TX1', 'TX2', 'GK', 'CK', 'Nhận xét', 'Ghi chú']],
    ['stt', 'code', 'name', 'tx1', 'tx2', 'gk', 'ck', 'comment', 'note']],
];
for (const [label, headerRows, fields] of headerVariants) {
  test(`header variant accepted: ${label}`, async () => {
    const row = (n: number, values: Partial<Record<Field, unknown>>) =>
      fields.map((f) => {
        if (f === 'stt') return n;
        if (f === 'code') return code(n);
        if (f === 'name') return name(n);
        if (f === 'family') return name(n).split(' ').slice(0, -1).join(' ');
        if (f === 'given') return name(n).split(' ').at(-1);
        return values[f] ?? null;
      });
    const file = await xlsx([
      [mathLayout.schoolName],
      ...headerRows,
      // number cells and text cells, with either decimal separator and stray spaces
      row(1, { tx1: 8.5, tx2: '8,5', gk: ' 9 ', ck: '10', avg: 9.1, comment: 'Tốt', note: 'riêng' }),
      row(2, { tx1: '8.5', tx2: 7, ck: 6.5 }),
    ]);
    assert.deepEqual(expectRows(await parseGradeSheetXlsx(file, twoTx, roster.slice(0, 2))), [
      { studentCode: code(1), regular: ['8.5', '8.5'], midterm: '9', final: '10', comment: 'Tốt' },
      { studentCode: code(2), regular: ['8.5', '7'], midterm: null, final: '6.5', comment: null },
    ]);
  });
}

test('header: a sheet without a recognisable header row is reported', async () => {
  const file = await xlsx([['Danh sách'], ['a', 'b', 'c'], [1, 2, 3]]);
  assert.deepEqual(expectErrors(await parseGradeSheetXlsx(file, mathLayout, roster)).map((e) => e.code), ['import.header_not_found']);
});

test('header: a missing name column is reported with the rest', async () => {
  const file = await xlsx([['Mã học sinh', 'TX1', 'TX2', 'GK', 'CK'], [code(1), 8, 8, 8, 8]]);
  const errors = expectErrors(await parseGradeSheetXlsx(file, twoTx, roster.slice(0, 1)));
  assert.deepEqual(errors.map((e) => [e.row, e.header, e.code]), [
    [1, 'Họ và tên', 'import.missing_column'],
    [1, 'Nhận xét', 'import.missing_column'],
  ]);
});

// ---------------------------------------------------------------------------------------
// Not an XLSX

const notXlsx: Array<[string, Buffer]> = [
  ['a CSV file', Buffer.from('\uFEFFSTT,Mã học sinh,Họ và tên,TX1\n1,0100000001,Nguyễn Văn An,"8,5"\n', 'utf8')],
  ['random bytes', Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 73 + 11) % 256))],
  ['an empty file', Buffer.alloc(0)],
  ['a broken ZIP', Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(64, 7)])],
  ['an old .xls (OLE2) header', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)])],
];
for (const [label, bytes] of notXlsx) {
  test(`not an XLSX: ${label} → import.not_xlsx`, async () => {
    const errors = expectErrors(await parseGradeSheetXlsx(bytes, mathLayout, roster));
    assert.deepEqual(errors.map((e) => [e.row, e.column, e.code]), [[0, '', 'import.not_xlsx']]);
    assert.match(errors[0]!.message.vi, /không phải là tệp Excel \.xlsx/);
  });
}

// ---------------------------------------------------------------------------------------
// Number cells: binary float noise

const floatCases: Array<[string, number, { value: string } | { code: string }]> = [
  ['7.300000000000001 (formula noise) is 7.3', 7.300000000000001, { value: '7.3' }],
  ['0.1 + 0.2 is 0.3', 0.1 + 0.2, { value: '0.3' }],
  ['10.000000000000002 is 10', 10.000000000000002, { value: '10' }],
  ['-1e-12 is 0', -1e-12, { value: '0' }],
  ['8.5 is 8.5', 8.5, { value: '8.5' }],
  ['7.3000001 is not noise', 7.3000001, { code: 'assessment.mark_too_many_decimals' }],
  ['8.25 has two decimals', 8.25, { code: 'assessment.mark_too_many_decimals' }],
  ['10.05 is out of range', 10.05, { code: 'assessment.mark_out_of_range' }],
  ['-0.5 is out of range', -0.5, { code: 'assessment.mark_out_of_range' }],
];
for (const [label, value, expected] of floatCases) {
  test(`number cell: ${label}`, async () => {
    const file = await xlsx([
      ['Mã học sinh', 'Họ và tên', 'TX1', 'TX2', 'GK', 'CK', 'Nhận xét'],
      [code(1), name(1), value, null, null, null, null],
    ]);
    const result = await parseGradeSheetXlsx(file, twoTx, roster.slice(0, 1));
    if ('value' in expected) assert.deepEqual(expectRows(result)[0]?.regular, [expected.value, null]);
    else assert.deepEqual(expectErrors(result).map((e) => [e.row, e.column, e.code]), [[2, 'C', expected.code]]);
  });
}

// ---------------------------------------------------------------------------------------
// Other behaviour

test('import: a sheet for another subject or semester is refused by its title', async () => {
  const file = await buildGradeSheetXlsx({ ...mathLayout, subjectName: 'Ngữ văn' }, mathRows);
  const errors = expectErrors(await parseGradeSheetXlsx(file, mathLayout, roster.slice(0, 3)));
  assert.deepEqual(errors.map((e) => [e.row, e.column, e.code]), [[2, 'A', 'import.sheet_mismatch']]);
  const hk2 = await buildGradeSheetXlsx({ ...mathLayout, semester: 2 }, mathRows);
  assert.deepEqual(expectErrors(await parseGradeSheetXlsx(hk2, mathLayout, roster.slice(0, 3))).map((e) => e.code), ['import.sheet_mismatch']);
});

test('import: a student code Excel turned into a number (leading zero lost) still matches', async () => {
  const file = await xlsx([
    ['Mã học sinh', 'Họ và tên', 'TX1', 'TX2', 'GK', 'CK', 'Nhận xét'],
    [100000001, name(1), 8, 8, 8, 8, null],
  ]);
  assert.deepEqual(expectRows(await parseGradeSheetXlsx(file, twoTx, roster.slice(0, 1)))[0]?.studentCode, code(1));
});

test('import: names match after NFC, spacing and case folding; footer rows under the table are ignored', async () => {
  const file = await xlsx([
    ['Mã học sinh', 'Họ và tên', 'TX1', 'TX2', 'GK', 'CK', 'Nhận xét'],
    [code(1), '  nguyễn   VĂN an '.normalize('NFD'), 8, 8, 8, 8, null],
    [null, null, null, null, null, null, null],
    [null, 'Người lập bảng', null, null, null, null, 'Giáo viên bộ môn'],
  ]);
  assert.equal(expectRows(await parseGradeSheetXlsx(file, twoTx, roster.slice(0, 1))).length, 1);
});

test('sheet names fit Excel: at most 31 characters, none of []:*?/\\', () => {
  assert.equal(sheetName(mathLayout), '10A1 - Toán - HK1');
  const long = sheetName({ ...mathLayout, className: '12C/1', subjectName: 'Giáo dục kinh tế và pháp luật [chuyên]' });
  assert.ok(long.length <= 31, long);
  assert.doesNotMatch(long, /[[\]:*?/\\]/);
  assert.match(long, /^12C-1 - Giáo dục.* - HK1$/);
});

test('render: the built sheet opens in LibreOffice (skipped when it is not installed)', async (t) => {
  const office = ['soffice', 'libreoffice'].find((bin) => spawnSync('which', [bin]).status === 0);
  if (!office) {
    // .ci/run installs it: in CI a missing LibreOffice is a failure, not a skip.
    assert.ok(!process.env.CI, 'LibreOffice is missing although CI is set: .ci/run must install libreoffice-calc-nogui');
    t.skip('libreoffice is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'grade-sheet-'));
  try {
    writeFileSync(join(dir, 'sheet.xlsx'), await buildGradeSheetXlsx(mathLayout, mathRows));
    execFileSync(office, ['--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'sheet.xlsx')], { timeout: 120_000 });
    const pdf = readdirSync(dir).find((f) => f.endsWith('.pdf'));
    assert.ok(pdf && statSync(join(dir, pdf)).size > 1000, 'LibreOffice produced a PDF');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** One file out of the XLSX (a ZIP), via Node's zlib: enough for stored/deflated entries. */
async function unzipEntry(zip: Buffer, path: string): Promise<string> {
  const { inflateRawSync } = await import('node:zlib');
  // Walk the central directory, which holds reliable sizes even when local headers defer them.
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zip.readUInt32LE(eocd + 16);
  const count = zip.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entry = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (entry === path) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(start, start + size);
      return (method === 0 ? raw : inflateRawSync(raw)).toString('utf8');
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${path} not in the XLSX`);
}
