import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toVNI } from 'vietnamese-conversion';
import { normalizePersonName } from '../../domain/identity/index.ts';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, numberText, readTable, type ReadTableResult } from './read-table.ts';
import {
  EXPECTED_ROWS,
  EXPECTED_ROWS_TCVN3,
  HEADER,
  NAME_COLUMN,
  STUDENTS,
  iconv,
  legacyText,
  randomBytes,
  storedZip,
  studentXlsx,
  textXlsx,
  toCsv,
  utf16,
  vn3Case,
} from './test-fixtures.ts';

const CSV = toCsv(EXPECTED_ROWS);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The rows with names normalised, the form every fixture must agree on. */
function canonical(rows: string[][]): string[][] {
  return rows.map((row, i) => (i === 0 ? row : row.map((cell, c) => (c === NAME_COLUMN ? normalizePersonName(cell) : cell))));
}

function rowsOf(result: ReadTableResult): string[][] {
  assert.equal(result.ok, true, result.ok ? '' : `${result.code}: ${result.message.en}`);
  return result.ok ? result.rows : [];
}

interface FixtureCase {
  name: string;
  file: () => Promise<Buffer> | Buffer;
  fileName: string;
  format: 'csv' | 'xlsx';
  encoding: string;
  legacyFont: 'tcvn3' | 'vni' | null;
  rows: string[][];
}

const fixtures: FixtureCase[] = [
  { name: 'UTF-8', file: () => Buffer.from(CSV, 'utf8'), fileName: 'lop10a1.csv', format: 'csv', encoding: 'utf-8', legacyFont: null, rows: EXPECTED_ROWS },
  { name: 'UTF-8 with BOM ("CSV UTF-8" from Excel)', file: () => Buffer.concat([UTF8_BOM, Buffer.from(CSV, 'utf8')]), fileName: 'lop10a1.csv', format: 'csv', encoding: 'utf-8-bom', legacyFont: null, rows: EXPECTED_ROWS },
  { name: 'UTF-8 decomposed (NFD)', file: () => Buffer.from(CSV.normalize('NFD'), 'utf8'), fileName: 'nfd.csv', format: 'csv', encoding: 'utf-8', legacyFont: null, rows: EXPECTED_ROWS },
  { name: 'Windows-1258 (iconv CP1258)', file: () => iconv(CSV, 'CP1258'), fileName: 'ansi.csv', format: 'csv', encoding: 'windows-1258', legacyFont: null, rows: EXPECTED_ROWS },
  // glibc's TCVN5712-1 is VN1: it would give "Á" a code .VnTime never writes, so the text is
  // first put in the case VN3 can hold (see legacy-fonts.test.ts); the rest is byte-identical.
  { name: 'TCVN3 bytes (iconv TCVN5712-1)', file: () => iconv(vn3Case(CSV), 'TCVN5712-1'), fileName: 'vntime.csv', format: 'csv', encoding: 'tcvn3', legacyFont: 'tcvn3', rows: EXPECTED_ROWS_TCVN3 },
  { name: 'VNI-Windows bytes', file: () => Buffer.from(legacyText(CSV, 'vni'), 'latin1'), fileName: 'vni.csv', format: 'csv', encoding: 'vni', legacyFont: 'vni', rows: EXPECTED_ROWS },
  { name: 'UTF-16LE with BOM (Excel "Unicode Text", tab-separated)', file: () => utf16(toCsv(EXPECTED_ROWS, '\t'), 'le'), fileName: 'unicode.txt', format: 'csv', encoding: 'utf-16le', legacyFont: null, rows: EXPECTED_ROWS },
  { name: 'UTF-16BE with BOM', file: () => utf16(CSV, 'be'), fileName: 'be.csv', format: 'csv', encoding: 'utf-16be', legacyFont: null, rows: EXPECTED_ROWS },
  { name: 'semicolon-separated (commas inside places)', file: () => Buffer.from(toCsv(EXPECTED_ROWS, ';'), 'utf8'), fileName: 'semicolon.csv', format: 'csv', encoding: 'utf-8', legacyFont: null, rows: EXPECTED_ROWS },
  { name: 'UTF-8 CSV saved from a .VnTime sheet (TCVN3-looking text)', file: () => Buffer.from(legacyText(CSV, 'tcvn3'), 'utf8'), fileName: 'csv-utf8-vntime.csv', format: 'csv', encoding: 'utf-8', legacyFont: 'tcvn3', rows: EXPECTED_ROWS_TCVN3 },
  { name: 'UTF-8 CSV saved from a VNI-Times sheet (VNI-looking text)', file: () => Buffer.concat([UTF8_BOM, Buffer.from(legacyText(CSV, 'vni'), 'utf8')]), fileName: 'csv-utf8-vni.csv', format: 'csv', encoding: 'utf-8-bom', legacyFont: 'vni', rows: EXPECTED_ROWS },
  { name: 'XLSX in Unicode', file: () => studentXlsx(), fileName: 'danh-sach.xlsx', format: 'xlsx', encoding: 'unicode', legacyFont: null, rows: EXPECTED_ROWS },
  { name: 'XLSX typed in .VnTime (TCVN3-looking text cells)', file: () => studentXlsx((s) => legacyText(s, 'tcvn3')), fileName: 'vntime.xlsx', format: 'xlsx', encoding: 'unicode', legacyFont: 'tcvn3', rows: EXPECTED_ROWS_TCVN3 },
  { name: 'XLSX typed in VNI-Times', file: () => studentXlsx((s) => legacyText(s, 'vni')), fileName: 'vni.xlsx', format: 'xlsx', encoding: 'unicode', legacyFont: 'vni', rows: EXPECTED_ROWS },
  { name: 'XLSX named .csv (content decides)', file: () => studentXlsx(), fileName: 'misnamed.csv', format: 'xlsx', encoding: 'unicode', legacyFont: null, rows: EXPECTED_ROWS },
];

for (const c of fixtures) {
  test(`readTable: ${c.name}`, async () => {
    const result = await readTable(await c.file(), c.fileName);
    const rows = rowsOf(result);
    assert.ok(result.ok);
    assert.equal(result.format, c.format);
    assert.equal(result.encoding, c.encoding);
    assert.equal(result.legacyFont, c.legacyFont);
    assert.deepEqual(rows, c.rows);
    assert.deepEqual(canonical(rows), canonical(EXPECTED_ROWS), 'same list once names are normalised');
    for (const cell of rows.flat()) assert.equal(cell, cell.normalize('NFC').trim());
    if (c.format === 'xlsx') assert.equal(result.sheetName, 'Danh sách');
    else assert.equal('sheetName' in result, false);
  });
}

test('fixtures are really in the encodings they claim', () => {
  const cp1258 = iconv(CSV, 'CP1258');
  assert.ok(cp1258.includes(0xde), 'Windows-1258 uses the combining tilde');
  const tcvn3 = iconv(vn3Case(CSV), 'TCVN5712-1');
  assert.deepEqual(tcvn3, Buffer.from(legacyText(CSV, 'tcvn3'), 'latin1'), 'glibc VN1 bytes equal our VN3 table for this text');
  assert.ok(tcvn3.toString('latin1').includes('NguyÔn ThÞ Lan'));
  const vni = legacyText(CSV, 'vni');
  assert.equal(vni, toVNI(CSV, 'unicode'), 'our VNI encoder agrees with vietnamese-conversion here');
  assert.ok(vni.includes('Nguyeãn Thò Lan'));
});

test('readTable: TCVN3 cannot hold "Ánh"; normalizePersonName restores the capital', async () => {
  const result = await readTable(iconv(vn3Case(CSV), 'TCVN5712-1'), 'vntime.csv');
  const rows = rowsOf(result);
  assert.equal(rows[3]![NAME_COLUMN], 'Lê Ngọc ánh');
  assert.equal(normalizePersonName(rows[3]![NAME_COLUMN]!), 'Lê Ngọc Ánh');
});

test('readTable: all-caps .VnTimeH names convert and normalise', async () => {
  const rows = [['Họ tên'], ...STUDENTS.map((s) => [s[NAME_COLUMN]!.toUpperCase()])];
  const csv = Buffer.from(legacyText(toCsv(rows), 'tcvn3').replace(/^.*\r\n/u, 'Họ tên\r\n'), 'utf8');
  const got = rowsOf(await readTable(csv, 'vntimeh.csv'));
  assert.equal(got[0]![0], 'Họ tên', 'Unicode header left alone');
  assert.deepEqual(got.slice(1).map((r) => normalizePersonName(r[0]!)), STUDENTS.map((s) => vn3Case(s[NAME_COLUMN]!)).map(normalizePersonName));
  assert.equal(normalizePersonName(got[1]![0]!), 'Nguyễn Thị Lan');
});

test('readTable: English header row above TCVN3 data; only legacy columns convert', async () => {
  const header = ['No', 'Student code', 'Full name', 'Date of birth', 'Sex', 'Ethnicity', 'Place of birth'];
  const xlsx = await studentXlsx((s) => legacyText(s, 'tcvn3'), header.map((h) => h));
  // studentXlsx converts the header too; English has nothing to convert.
  const rows = rowsOf(await readTable(xlsx, 'english-header.xlsx'));
  assert.deepEqual(rows[0], header);
  assert.deepEqual(rows.slice(1), EXPECTED_ROWS_TCVN3.slice(1));
});

test('readTable: a file mixing a Unicode column and a TCVN3 column converts only the TCVN3 one', async () => {
  const rows = [
    ['Họ tên', 'Ghi chú'],
    ['Nguyễn Thị Lan', legacyText('Chuyển trường từ Hà Nội', 'tcvn3')],
    ['Trần Đức Mạnh', legacyText('Học lực giỏi', 'tcvn3')],
    ['Lê Hà', legacyText('Miễn thể dục', 'tcvn3')],
    ['Café Müller', ''],
  ];
  const got = rowsOf(await readTable(await textXlsx(rows), 'mixed.xlsx'));
  assert.deepEqual(got, [
    ['Họ tên', 'Ghi chú'],
    ['Nguyễn Thị Lan', 'Chuyển trường từ Hà Nội'],
    ['Trần Đức Mạnh', 'Học lực giỏi'],
    ['Lê Hà', 'Miễn thể dục'],
    ['Café Müller', ''],
  ]);
});

const headerCases = [
  {
    name: 'a Unicode header whose words also read as TCVN3 ("Tên cha", "Ghi chú") stays',
    header: ['Tên cha', 'Ghi chú', 'Mã'],
    want: ['Tên cha', 'Ghi chú', 'Mã'],
  },
  {
    name: 'a header row typed in .VnTime converts, ambiguous words included',
    header: [legacyText('Tên cha', 'tcvn3'), legacyText('Ghi chú', 'tcvn3'), legacyText('Họ tên', 'tcvn3')],
    want: ['Tên cha', 'Ghi chú', 'Họ tên'],
  },
];
for (const c of headerCases) {
  test(`readTable: ${c.name}`, async () => {
    const data = [
      ['Nguyễn Văn Hùng', 'Chuyển trường từ Hà Nội', 'x'],
      ['Trần Đức Mạnh', 'Học lực giỏi', 'y'],
      ['Lê Văn Tám', 'Miễn thể dục', 'z'],
    ].map((r) => r.map((v) => legacyText(v, 'tcvn3')));
    const got = rowsOf(await readTable(await textXlsx([c.header, ...data]), 'header.xlsx'));
    assert.deepEqual(got[0], c.want);
    assert.deepEqual(got[2], ['Trần Đức Mạnh', 'Học lực giỏi', 'y']);
  });
}

test('readTable: a column with a single legacy word converts when the file is clearly TCVN3', async () => {
  const rows = [
    ['Họ tên', 'Dân tộc'],
    ...['Nguyễn Thị Lan', 'Trần Đức Mạnh', 'Phạm Thuỳ Dương'].map((n, i) => [legacyText(n, 'tcvn3'), i === 1 ? legacyText('Tày', 'tcvn3') : 'Kinh']),
  ];
  const got = rowsOf(await readTable(Buffer.from(toCsv(rows), 'utf8'), 'x.csv'));
  assert.deepEqual(got.map((r) => r[1]), ['Dân tộc', 'Kinh', 'Tày', 'Kinh']);
  assert.deepEqual(got.map((r) => r[0]), ['Họ tên', 'Nguyễn Thị Lan', 'Trần Đức Mạnh', 'Phạm Thuỳ Dương']);
});

test('readTable: Unicode Vietnamese with French and English names is left untouched', async () => {
  const rows = [
    ['Họ tên', 'Tên tiếng Pháp', 'Note'],
    ['Lê Hà', 'Loïc', 'Café'],
    ['Võ Tú', 'Loïc', 'naïve'],
    ['Ngô Bảo Châu', 'Zoé Noël', 'résumé'],
    ['Lâm Thị Mỹ Dung', 'François Hélène', 'Où'],
  ];
  const result = await readTable(Buffer.from(toCsv(rows), 'utf8'), 'foreign.csv');
  assert.deepEqual(rowsOf(result), rows);
  assert.ok(result.ok);
  assert.equal(result.legacyFont, null);
});

test('readTable: XLSX numbers without float noise, dates as dd/mm/yyyy, text with leading zeros, blank rows', async () => {
  const rows = [
    [null, null, null],
    ['STT', 'Mã', 'Ngày sinh'],
    [1, '0012345678', new Date(Date.UTC(2010, 8, 5))],
    [7.300000000000001, '  001  ', new Date(Date.UTC(1999, 11, 31))],
    [1234567890, 'x', 40123],
    [null, null, null],
  ];
  const got = rowsOf(await readTable(await textXlsx(rows), 'numbers.xlsx'));
  assert.deepEqual(got, [
    ['', '', ''],
    ['STT', 'Mã', 'Ngày sinh'],
    ['1', '0012345678', '05/09/2010'],
    ['7.3', '001', '31/12/1999'],
    // A serial in a plain number cell stays a number; the date parser reads 5-digit serials.
    ['1234567890', 'x', '40123'],
  ]);
});

const numberCases = [
  { stored: '7.3000000000000007', want: '7.3' },
  { stored: '0.30000000000000004', want: '0.3' },
  { stored: '1234567890', want: '1234567890' },
  { stored: '1E+20', want: '100000000000000000000' },
  { stored: '-0', want: '0' },
  { stored: '8.5', want: '8.5' },
  { stored: 'abc', want: 'abc' },
];
for (const c of numberCases) {
  test(`numberText: ${c.stored} → ${c.want}`, () => assert.equal(numberText(c.stored), c.want));
}

test('readTable: a CSV with a ragged row keeps the row as it is', async () => {
  const csv = 'STT,Họ tên,Ngày sinh\r\n1,Nguyễn Thị Lan,05/09/2010\r\n2,Trần Đức Mạnh\r\n3,Lê Ngọc Ánh,28/12/2010,extra\r\n\r\n';
  const got = rowsOf(await readTable(Buffer.from(csv, 'utf8'), 'ragged.csv'));
  assert.deepEqual(got, [
    ['STT', 'Họ tên', 'Ngày sinh'],
    ['1', 'Nguyễn Thị Lan', '05/09/2010'],
    ['2', 'Trần Đức Mạnh'],
    ['3', 'Lê Ngọc Ánh', '28/12/2010', 'extra'],
  ]);
});

test('readTable: blank lines inside a CSV stay so that row numbers match lines', async () => {
  const got = rowsOf(await readTable(Buffer.from('a,b\n\n c , "d, e" \n', 'utf8'), 'blank.csv'));
  assert.deepEqual(got, [['a', 'b'], [''], ['c', 'd, e']]);
});

const failures: Array<{ name: string; file: () => Promise<Buffer> | Buffer; code: string; mentions?: RegExp }> = [
  { name: 'empty file', file: () => Buffer.alloc(0), code: 'import.empty' },
  { name: 'only a BOM and blank lines', file: () => Buffer.concat([UTF8_BOM, Buffer.from('\r\n \r\n,,\r\n')]), code: 'import.empty' },
  { name: 'random bytes', file: () => randomBytes(4096), code: 'import.not_a_table' },
  { name: 'random bytes after a ZIP signature', file: () => Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(2000, 7)]), code: 'import.not_a_table' },
  { name: 'truncated XLSX', file: async () => (await studentXlsx()).subarray(0, 1500), code: 'import.not_a_table', mentions: /damaged|not uploaded completely/u },
  { name: 'XLSX with a corrupted middle', file: async () => { const b = Buffer.from(await studentXlsx()); b.fill(0x41, 200, 1200); return b; }, code: 'import.not_a_table' },
  { name: 'ZIP that is not a workbook (a .docx)', file: () => storedZip([{ name: 'word/document.xml', content: '<w:document/>' }]), code: 'import.not_a_table', mentions: /not an Excel workbook/u },
  { name: 'XLSX declaring gigabytes once unpacked', file: () => storedZip([{ name: 'xl/worksheets/sheet1.xml', content: '<x/>', declaredSize: 0xfffffff0 }]), code: 'import.too_large' },
  { name: 'Excel 97–2003 .xls', file: () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(1000)]), code: 'import.not_a_table', mentions: /97–2003/u },
  { name: 'a PDF', file: () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000, 99)]), code: 'import.not_a_table' },
  { name: 'CSV with an unclosed quote', file: () => Buffer.from('a,b\n1,"open\n2,3\n'), code: 'import.not_a_table', mentions: /line 4|quote/u },
  { name: `${MAX_IMPORT_BYTES + 1} bytes (10 MB + 1)`, file: () => Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x61), code: 'import.too_large', mentions: /10 MB/u },
  { name: `${MAX_IMPORT_ROWS + 1} rows`, file: () => Buffer.from(`${Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `${i},x`).join('\n')}\n`), code: 'import.too_large', mentions: /20,000 rows/u },
];
for (const c of failures) {
  test(`readTable fails clearly: ${c.name}`, async () => {
    const result = await readTable(await c.file(), 'tai-len.xlsx');
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.code, c.code);
    assert.ok(result.message.vi.length > 0 && result.message.en.length > 0);
    assert.match(result.message.vi, /tai-len\.xlsx/u);
    if (c.mentions) assert.match(result.message.en, c.mentions);
  });
}

test(`readTable accepts exactly ${MAX_IMPORT_ROWS} rows`, async () => {
  const csv = `${Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => `${i},Nguyễn Văn ${i}`).join('\n')}\n`;
  const result = await readTable(Buffer.from(csv), 'big.csv');
  assert.equal(rowsOf(result).length, MAX_IMPORT_ROWS);
});

test('readTable never throws on many kinds of garbage', async () => {
  const xlsx = await studentXlsx();
  const inputs = [
    ...Array.from({ length: 20 }, (_, i) => randomBytes(1 + i * 97, i + 1)),
    ...Array.from({ length: 10 }, (_, i) => xlsx.subarray(0, Math.floor((xlsx.length * i) / 10))),
    Buffer.from([0x50, 0x4b]),
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"'),
  ];
  for (const input of inputs) {
    const result = await readTable(input, '');
    assert.equal(typeof result.ok, 'boolean');
    if (!result.ok) assert.ok(result.message.vi && result.message.en);
  }
});

test('the header of the fixture is the sector export header', () => {
  assert.deepEqual(HEADER, ['STT', 'Mã định danh Bộ GD&ĐT', 'Họ tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Nơi sinh']);
});
