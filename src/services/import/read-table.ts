/**
 * The reading layer of student-list imports: an uploaded XLSX or CSV becomes a grid of
 * trimmed Unicode NFC strings, whatever encoding or legacy font the school's file used.
 * It knows nothing about columns or students; later steps map headers and validate rows.
 * It never throws on bad input: every failure is an `ok: false` with a Vietnamese and an
 * English message.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/node';
import { formatVietnameseDate, isoDateFromDayNumber } from '../../domain/identity/index.ts';
import {
  convertLegacy,
  convertLegacyCell,
  decodeAsLatin,
  decodeText,
  detectLegacyFont,
  type LegacyFont,
  type TextEncoding,
} from './text-encoding.ts';
import { readZipDirectory } from '../files/zip-directory.ts';
import { checkXlsxGrid } from '../files/xlsx-guard.ts';

/** Largest accepted upload. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Most rows accepted in one file, the header row included. */
export const MAX_IMPORT_ROWS = 20_000;
/** Most bytes an XLSX may declare once unpacked: a full 20,000-row list is far below it. */
export const MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024;

/**
 * How the text of the file was stored: a `TextEncoding` for CSV; 'tcvn3' or 'vni' for a
 * CSV saved as raw legacy-font bytes; 'unicode' for XLSX, which always stores Unicode.
 */
export type TableEncoding = TextEncoding | LegacyFont | 'unicode';

export type ReadTableErrorCode = 'import.not_a_table' | 'import.too_large' | 'import.empty';

/** A bilingual user-facing message. */
export interface ImportMessage {
  vi: string;
  en: string;
}

/**
 * A file read as a grid. `legacyFont` names the legacy font converted (in some or all
 * columns); `sheetName` is the sheet read from an XLSX (always its first sheet). Rows keep
 * their lengths as found (ragged CSV rows stay ragged) and blank rows inside the table stay,
 * so row numbers match the file; blank rows at the end are dropped.
 */
export type ReadTableResult =
  | { ok: true; format: 'xlsx' | 'csv'; encoding: TableEncoding; legacyFont: LegacyFont | null; sheetName?: string; rows: string[][] }
  | { ok: false; code: ReadTableErrorCode; message: ImportMessage };

type Failure = Extract<ReadTableResult, { ok: false }>;

/**
 * Reads an uploaded XLSX or CSV file into rows of cell strings. XLSX is recognised by its
 * ZIP signature whatever the file is called; anything else is read as delimited text.
 * Number cells read as plain decimal text without float noise ("7.3", "1234567890"), date
 * cells as dd/mm/yyyy, text cells exactly as typed (leading zeros kept). Every cell is
 * trimmed and NFC; text typed in the TCVN3 or VNI legacy fonts is converted per column.
 */
export async function readTable(file: Buffer, fileName: string): Promise<ReadTableResult> {
  const name = displayName(fileName);
  try {
    if (file.length === 0) return emptyFile(name);
    if (file.length > MAX_IMPORT_BYTES) return tooLargeBytes(name, file.length);
    if (hasPrefix(file, ZIP_SIGNATURE) || hasPrefix(file, EMPTY_ZIP_SIGNATURE)) return await readXlsx(file, name);
    if (hasPrefix(file, OLE2_SIGNATURE)) return oldExcel(name);
    return readCsv(file, name);
  } catch {
    // Libraries may throw on input nobody foresaw; the caller still gets a clear answer.
    return notATable(name);
  }
}

// ---------------------------------------------------------------------------------------
// XLSX

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP_SIGNATURE = [0x50, 0x4b, 0x05, 0x06];
// OLE2 compound file: Excel 97–2003 .xls, and also any password-protected .xlsx.
const OLE2_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** A number cell as the decimal text stored in the file (read-excel-file's `parseNumber` hook). */
interface NumberText {
  num: string;
}

async function readXlsx(file: Buffer, name: string): Promise<ReadTableResult> {
  const entries = readZipDirectory(file);
  if (!entries) return damagedXlsx(name);
  if (!entries.some((e) => e.name.startsWith('xl/'))) return notAWorkbook(name);
  const unpacked = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (unpacked > MAX_XLSX_UNPACKED_BYTES) return tooLargeUnpacked(name);
  // Before the library builds its dense grid: a cell addressed at row 10^9 would exhaust memory.
  if (!checkXlsxGrid(file, { maxRows: MAX_IMPORT_ROWS, maxColumns: 1024 }).ok) return tooLargeUnpacked(name);
  let sheets;
  try {
    sheets = await readXlsxFile<NumberText>(file, { parseNumber: (text) => ({ num: text }) });
  } catch {
    return damagedXlsx(name);
  }
  const first = sheets[0];
  if (!first) return emptyFile(name);
  const rows = first.data.map((row) => row.map((cell) => xlsxCellText(cell)));
  return finish(rows, { format: 'xlsx', encoding: 'unicode', fileFont: null, sheetName: first.sheet }, name);
}

/** A cell as a person sees it in Excel (decimal point, dd/mm/yyyy), from read-excel-file's loosely typed value. */
function xlsxCellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) {
    const time = cell.getTime();
    if (!Number.isFinite(time)) return '';
    // read-excel-file gives the day at 00:00 UTC; whole days avoid any time-zone shift.
    return formatVietnameseDate(isoDateFromDayNumber(Math.floor(time / 86_400_000)));
  }
  if (typeof cell === 'object' && typeof (cell as NumberText).num === 'string') return numberText((cell as NumberText).num);
  return String(cell);
}

/** "7.3000000000000007" → "7.3", "1234567890" stays, "1E+20" → "100000000000000000000". */
export function numberText(stored: string): string {
  const n = Number(stored);
  if (!Number.isFinite(n)) return stored.trim();
  // 15 significant digits is what Excel itself displays; it drops binary float noise.
  const shown = Number(n.toPrecision(15));
  if (Number.isInteger(shown) && Math.abs(shown) < 1e21) return shown.toFixed(0);
  return String(shown);
}

// ---------------------------------------------------------------------------------------
// CSV

const CSV_DELIMITERS = [',', ';', '\t'] as const;
type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

function readCsv(file: Buffer, name: string): ReadTableResult {
  const decoded = decodeCsvBytes(file);
  if (looksBinary(decoded.text)) return notATable(name);
  if (decoded.text.trim() === '') return emptyFile(name);
  let records: string[][];
  try {
    records = parseCsv(decoded.text, {
      delimiter: sniffDelimiter(decoded.text),
      bom: true,
      relax_column_count: true, // ragged rows are reported by the row checks, with their row numbers
      relax_quotes: true, // a stray quote inside an unquoted field is just a character
      trim: true, // so that `a, "b, c"` is still a quoted field
      skip_empty_lines: false, // keep row numbers equal to line numbers
    });
  } catch (error) {
    return csvSyntaxError(name, error);
  }
  return finish(records, { format: 'csv', encoding: decoded.encoding, fileFont: decoded.font }, name);
}

/**
 * Decodes CSV bytes. Bytes that are not UTF-8 are either Windows-1258 or raw TCVN3/VNI
 * bytes (an old file saved from a .VnTime or VNI-Times sheet); both look like "ANSI", so
 * the Latin-1 view is judged by the legacy font detector and wins only when it reads as
 * Vietnamese with confidence and better than the Windows-1258 reading does.
 */
function decodeCsvBytes(file: Buffer): { text: string; encoding: TableEncoding; font: LegacyFont | null } {
  const decoded = decodeText(file);
  if (decoded.encoding !== 'windows-1258') return { text: decoded.text, encoding: decoded.encoding, font: null };
  const latin = decodeAsLatin(file);
  const legacy = detectLegacyFont([latin]);
  if (legacy.font === 'tcvn3' || legacy.font === 'vni') {
    const asWindows1258 = detectLegacyFont([decoded.text]);
    if (legacy.support[legacy.font] > asWindows1258.support.unicode) return { text: latin, encoding: legacy.font, font: legacy.font };
  }
  return { text: decoded.text, encoding: 'windows-1258', font: null };
}

// Control characters never occur in a real CSV; random bytes and binary formats are full of them.
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const controls = text.match(/[\u0001-\u0008\u000B\u000E-\u001F\u007F\uFFFD]/gu)?.length ?? 0;
  return controls > Math.max(4, text.length / 200);
}

/**
 * The delimiter that splits the first lines most consistently: for each candidate, the
 * number of lines having its most common (non-zero) count outside quotes. Ties go to the
 * earlier of `,` `;` tab. Semicolons are what Excel writes where the decimal mark is a comma.
 */
function sniffDelimiter(text: string): CsvDelimiter {
  const sample = text.slice(0, 64 * 1024);
  const perLine: Array<Record<CsvDelimiter, number>> = [];
  let counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  let lineHasText = false;
  for (const ch of sample) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (lineHasText) perLine.push(counts);
      counts = { ',': 0, ';': 0, '\t': 0 };
      lineHasText = false;
      if (perLine.length >= 50) break;
      continue;
    } else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
    lineHasText = true;
  }
  if (lineHasText && perLine.length < 50) perLine.push(counts);
  let best: CsvDelimiter = ',';
  let bestScore = [0, 0];
  for (const d of CSV_DELIMITERS) {
    const frequency = new Map<number, number>();
    for (const line of perLine) if (line[d] > 0) frequency.set(line[d], (frequency.get(line[d]) ?? 0) + 1);
    let modeLines = 0;
    let mode = 0;
    for (const [count, lines] of frequency) if (lines > modeLines || (lines === modeLines && count > mode)) [mode, modeLines] = [count, lines];
    if (modeLines > bestScore[0]! || (modeLines === bestScore[0] && mode > bestScore[1]!)) {
      best = d;
      bestScore = [modeLines, mode];
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------
// Common to both formats

interface Origin {
  format: 'xlsx' | 'csv';
  encoding: TableEncoding;
  /** Set when the whole file is in a legacy font (raw TCVN3/VNI bytes). */
  fileFont: LegacyFont | null;
  sheetName?: string;
}

function finish(raw: string[][], origin: Origin, name: string): ReadTableResult {
  const rows = raw.map((row) => row.map(tidy));
  while (rows.length > 0 && rows[rows.length - 1]!.every((c) => c === '')) rows.pop();
  if (rows.length === 0) return emptyFile(name);
  if (rows.length > MAX_IMPORT_ROWS) return tooManyRows(name, rows.length);
  const legacyFont = origin.fileFont ? convertWholeFile(rows, origin.fileFont) : convertLegacyColumns(rows);
  const result: ReadTableResult = { ok: true, format: origin.format, encoding: origin.encoding, legacyFont, rows };
  if (origin.sheetName !== undefined) result.sheetName = origin.sheetName;
  return result;
}

function tidy(cell: string): string {
  return cell.normalize('NFC').trim();
}

// The bytes themselves are TCVN3/VNI, so every cell is in that font.
function convertWholeFile(rows: string[][], font: LegacyFont): LegacyFont {
  for (const row of rows) for (let c = 0; c < row.length; c++) row[c] = tidy(convertLegacy(row[c]!, font));
  return font;
}

/**
 * Converts legacy-font text column by column, since a file can mix an English or Unicode
 * header row, Unicode columns and columns pasted from a .VnTime sheet. A column converts
 * when it is itself detected with confidence, or when the file as a whole is and the
 * column leans the same way (a column holding a single word such as "Tµy"). Within a
 * converted column, cells that read as Unicode Vietnamese stay as they are; in the first
 * non-blank row (the header, usually) a cell whose words read both ways stays too, unless
 * that row as a whole is in the legacy font.
 */
function convertLegacyColumns(rows: string[][]): LegacyFont | null {
  const file = detectLegacyFont(rows.flat());
  const fileFont = file.font === 'tcvn3' || file.font === 'vni' ? file.font : null;
  const headerRow = rows.findIndex((r) => r.some((c) => c !== ''));
  const headerFont = headerRow >= 0 ? detectLegacyFont(rows[headerRow]!).font : null;
  const width = rows.reduce((max, r) => Math.max(max, r.length), 0);
  const converted: Record<LegacyFont, number> = { tcvn3: 0, vni: 0 };
  for (let c = 0; c < width; c++) {
    const column = rows.map((r) => r[c] ?? '');
    const found = detectLegacyFont(column);
    let font: LegacyFont | null = found.font === 'tcvn3' || found.font === 'vni' ? found.font : null;
    if (!font && fileFont && found.support[fileFont] >= 1 && found.words[fileFont] >= found.words.unicode) font = fileFont;
    if (!font) continue;
    rows.forEach((row, r) => {
      const cell = row[c];
      if (cell === undefined || cell === '') return;
      const next = tidy(convertLegacyCell(cell, font, r === headerRow && headerFont !== font));
      if (next !== cell) {
        row[c] = next;
        converted[font]++;
      }
    });
  }
  if (converted.tcvn3 === 0 && converted.vni === 0) return null;
  return converted.tcvn3 >= converted.vni ? 'tcvn3' : 'vni';
}

function hasPrefix(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

// The file name only appears in messages: keep it short and free of control characters.
function displayName(fileName: string): string {
  const clean = String(fileName ?? '').normalize('NFC').replace(/[\u0000-\u001f\u007f]/gu, '').trim();
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean || 'tệp tải lên';
}

// ---------------------------------------------------------------------------------------
// Messages

function fail(code: ReadTableErrorCode, vi: string, en: string): Failure {
  return { ok: false, code, message: { vi, en } };
}

function emptyFile(name: string): Failure {
  return fail('import.empty', `Tệp "${name}" không có dữ liệu.`, `The file "${name}" contains no data.`);
}

function tooLargeBytes(name: string, size: number): Failure {
  const mb = (size / (1024 * 1024)).toFixed(1);
  const limit = MAX_IMPORT_BYTES / (1024 * 1024);
  return fail(
    'import.too_large',
    `Tệp "${name}" quá lớn (${mb.replace('.', ',')} MB); chỉ nhận tệp đến ${limit} MB.`,
    `The file "${name}" is too large (${mb} MB); the limit is ${limit} MB.`,
  );
}

function tooLargeUnpacked(name: string): Failure {
  return fail(
    'import.too_large',
    `Tệp "${name}" chứa quá nhiều dữ liệu khi giải nén; hãy xoá các trang tính không cần thiết hoặc chia nhỏ tệp.`,
    `The file "${name}" holds too much data once unpacked; remove unneeded sheets or split the file.`,
  );
}

function tooManyRows(name: string, rows: number): Failure {
  const limit = MAX_IMPORT_ROWS.toLocaleString('vi-VN');
  return fail(
    'import.too_large',
    `Tệp "${name}" có ${rows.toLocaleString('vi-VN')} dòng; mỗi lần chỉ nhập được tối đa ${limit} dòng. Hãy chia nhỏ tệp.`,
    `The file "${name}" has ${rows.toLocaleString('en-US')} rows; at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} rows can be imported at once. Split the file.`,
  );
}

function notATable(name: string): Failure {
  return fail(
    'import.not_a_table',
    `Không đọc được tệp "${name}": đây không phải bảng tính Excel (.xlsx) hay tệp CSV.`,
    `Cannot read "${name}": it is not an Excel workbook (.xlsx) or a CSV file.`,
  );
}

function oldExcel(name: string): Failure {
  return fail(
    'import.not_a_table',
    `Tệp "${name}" là tệp Excel 97–2003 (.xls) hoặc tệp có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu nếu có, rồi lưu lại dạng "Excel Workbook (.xlsx)" hoặc "CSV UTF-8".`,
    `"${name}" is an Excel 97–2003 file (.xls) or a password-protected file. Open it in Excel, remove any password, and save it as "Excel Workbook (.xlsx)" or "CSV UTF-8".`,
  );
}

function damagedXlsx(name: string): Failure {
  return fail(
    'import.not_a_table',
    `Tệp "${name}" bị hỏng hoặc chưa tải lên đủ, nên không đọc được như một bảng tính .xlsx. Hãy mở lại bằng Excel, lưu lại rồi tải lên lần nữa.`,
    `"${name}" is damaged or was not uploaded completely, so it cannot be read as an .xlsx workbook. Open it in Excel, save it again and upload it again.`,
  );
}

function notAWorkbook(name: string): Failure {
  return fail(
    'import.not_a_table',
    `Tệp "${name}" là tệp nén nhưng không phải bảng tính Excel (.xlsx) (có thể là tệp Word hoặc LibreOffice). Hãy lưu danh sách dạng .xlsx hoặc CSV.`,
    `"${name}" is a ZIP archive but not an Excel workbook (.xlsx) (perhaps a Word or LibreOffice file). Save the list as .xlsx or CSV.`,
  );
}

function csvSyntaxError(name: string, error: unknown): Failure {
  // With relaxed quotes and column counts, an unclosed quote is the one error csv-parse still raises.
  if ((error as { code?: unknown })?.code !== 'CSV_QUOTE_NOT_CLOSED') return notATable(name);
  const line = typeof (error as { lines?: unknown })?.lines === 'number' ? (error as { lines: number }).lines : null;
  const where = { vi: line ? ` (dòng ${line})` : '', en: line ? ` (line ${line})` : '' };
  return fail(
    'import.not_a_table',
    `Không đọc được tệp CSV "${name}"${where.vi}: có dấu ngoặc kép (") mở mà không đóng. Hãy mở tệp bằng Excel và lưu lại.`,
    `Cannot read the CSV file "${name}"${where.en}: a double quote (") is opened but never closed. Open the file in Excel and save it again.`,
  );
}
