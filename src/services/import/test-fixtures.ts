/**
 * Test data for the import reading layer: one small student list and the ways schools
 * hand it over (encodings, legacy fonts, delimiters, XLSX). Test-only: glibc `iconv`
 * makes the Windows-1258 and TCVN3 bytes, so our own tables are checked against an
 * independent converter instead of against themselves.
 */
import { spawnSync } from 'node:child_process';
import writeXlsxFile, { type Cell, type SheetData } from 'write-excel-file/node';
import { encodeLegacy, type LegacyFont } from './legacy-fonts.ts';

/** Header of the sector-database export (DOMAIN.md §6), trimmed to the identity columns. */
export const HEADER = ['STT', 'Mã định danh Bộ GD&ĐT', 'Họ tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Nơi sinh'];

/** Five students; codes keep their leading zeros, two places contain a comma. */
export const STUDENTS: string[][] = [
  ['1', '0123456789', 'Nguyễn Thị Lan', '05/09/2010', 'Nữ', 'Kinh', 'Hà Nội'],
  ['2', '0198765432', 'Trần Đức Mạnh', '17/03/2010', 'Nam', 'Tày', 'Thừa Thiên Huế'],
  ['3', '7912345678', 'Lê Ngọc Ánh', '28/12/2010', 'Nữ', 'Mường', 'Phường Bến Nghé, TP Hồ Chí Minh'],
  ['4', '4801234567', 'Phạm Thuỳ Dương', '01/01/2010', 'Nữ', 'Kinh', 'Đà Nẵng'],
  ['5', '0312345678', 'Đặng Văn Ước', '31/08/2010', 'Nam', 'Thái', 'Xã Quảng Ninh, Quảng Bình'],
];

/** The list as every reader must return it. */
export const EXPECTED_ROWS: string[][] = [HEADER, ...STUDENTS];

/** Index of the name column. */
export const NAME_COLUMN = 2;

/**
 * TCVN3 (VN3) has no capitals with a tone mark: .VnTime text holds the lowercase letter
 * ("Lê Ngọc ánh"). This is what a TCVN3 file must read to before name normalisation.
 */
export function vn3Case(text: string): string {
  return [...text].map((ch) => (ch !== ch.toLowerCase() && ch.normalize('NFD').length > 1 && !'ĂÂÊÔƠƯ'.includes(ch) ? ch.toLowerCase() : ch)).join('');
}

/** EXPECTED_ROWS as a TCVN3 file reads. */
export const EXPECTED_ROWS_TCVN3: string[][] = EXPECTED_ROWS.map((row) => row.map(vn3Case));

/** Writes rows as CSV text, quoting fields that need it. */
export function toCsv(rows: string[][], delimiter = ','): string {
  const field = (v: string) => (v.includes(delimiter) || /["\r\n]/u.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return `${rows.map((r) => r.map(field).join(delimiter)).join('\r\n')}\r\n`;
}

/** Converts UTF-8 text with glibc iconv (test data only). Throws when iconv cannot. */
export function iconv(text: string, to: string): Buffer {
  const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', to], { input: Buffer.from(text, 'utf8') });
  if (r.status !== 0) throw new Error(`iconv -t ${to} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Decodes bytes to text with glibc iconv (test data only). */
export function iconvDecode(bytes: Buffer, from: string): string {
  const r = spawnSync('iconv', ['-f', from, '-t', 'UTF-8'], { input: bytes });
  if (r.status !== 0) throw new Error(`iconv -f ${from} failed: ${r.stderr.toString()}`);
  return r.stdout.toString('utf8');
}

/** Text in a legacy font as Windows shows it (Latin-1 characters), from our own table. */
export function legacyText(text: string, font: LegacyFont): string {
  return encodeLegacy(text, font);
}

/** UTF-16 bytes with a BOM. */
export function utf16(text: string, endian: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return endian === 'le' ? le : le.swap16();
}

/**
 * The list as an XLSX: STT as numbers, birth dates as real date cells, codes as text.
 * `text` maps every text cell (e.g. to TCVN3-looking strings, as typed in .VnTime).
 */
export async function studentXlsx(text: (s: string) => string = (s) => s, header: string[] = HEADER): Promise<Buffer> {
  const dateCell = (dmy: string): Cell => {
    const [d, m, y] = dmy.split('/').map(Number);
    return { value: new Date(Date.UTC(y!, m! - 1, d!)), type: Date, format: 'dd/mm/yyyy' };
  };
  const data: SheetData = [
    header.map((h) => ({ value: text(h), type: String })),
    ...STUDENTS.map(([stt, code, name, born, gender, ethnicity, place]) => [
      { value: Number(stt), type: Number },
      { value: code!, type: String },
      { value: text(name!), type: String },
      dateCell(born!),
      { value: text(gender!), type: String },
      { value: text(ethnicity!), type: String },
      { value: text(place!), type: String },
    ] as Cell[]),
  ];
  return writeXlsxFile(data, { sheet: 'Danh sách' }).toBuffer();
}

/** Any rows as a one-sheet XLSX of text cells. */
export async function textXlsx(rows: Array<Array<string | number | Date | null>>, sheet = 'Sheet1'): Promise<Buffer> {
  const data: SheetData = rows.map((row) =>
    row.map((v): Cell => {
      if (v === null) return null;
      if (v instanceof Date) return { value: v, type: Date, format: 'dd/mm/yyyy' };
      return typeof v === 'number' ? { value: v, type: Number } : { value: v, type: String };
    }),
  );
  return writeXlsxFile(data, { sheet }).toBuffer();
}

/**
 * A minimal ZIP archive with stored (uncompressed) members, for archives that are not
 * workbooks or that declare absurd sizes. `declaredSize` overrides the unpacked size
 * written in the central directory.
 */
export function storedZip(files: Array<{ name: string; content: string; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const data = Buffer.from(f.content, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(f.declaredSize ?? data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Deterministic pseudo-random bytes (xorshift), so a failure can be reproduced. */
export function randomBytes(length: number, seed = 12345): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
