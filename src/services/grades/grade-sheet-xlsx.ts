/**
 * Spreadsheet exchange for one class-subject-semester grade sheet, in the layout teachers
 * already use: STT | Mã học sinh | Họ và tên | TX1 … TXn | GK | CK | ĐTBmhk | Nhận xét.
 * Export builds the XLSX; import reads it back, validates every cell against the Circular 22
 * mark rules and the class roster, and is all-or-nothing: either every row is returned or
 * no row is, with the full list of problems (row, column, header, value, code, vi/en message).
 * Pure apart from the XLSX libraries: no database, no HTTP.
 */
import writeXlsxFile, { type Cell, type Row, type SheetData } from 'write-excel-file/node';
import readXlsxFile from 'read-excel-file/node';
import { checkXlsxGrid } from '../files/xlsx-guard.ts';
import { parseCommentResult, parseMark } from '../../domain/assessment/index.ts';
import { foldVietnamese } from '../../domain/identity/index.ts';
import {
  cellText,
  columnLetter,
  isBlank,
  readCommentCell,
  readCommentResultCell,
  readScoreCell,
  toRawCell,
  type CellRead,
  type NumberCell,
  type RawCell,
} from './grade-sheet-xlsx-cells.ts';
import { classifyHeader, headerScore, mergeSubHeader } from './grade-sheet-xlsx-headers.ts';
import { gradeSheetMessage, type GradeSheetErrorCode } from './grade-sheet-xlsx-messages.ts';

export { MAX_COMMENT_LENGTH } from './grade-sheet-xlsx-cells.ts';
export type { GradeSheetErrorCode } from './grade-sheet-xlsx-messages.ts';

/** What the sheet is for; `regularCount` is the number of TX (ĐĐGtx) columns of the subject. */
export interface SheetLayout {
  schoolName: string;
  schoolYear: string;
  className: string;
  subjectName: string;
  semester: 1 | 2;
  assessment: 'score' | 'comment';
  regularCount: number;
}

/** Canonical values: scores "8.5" / "10" (dot), comment subjects "D" / "CD"; null = empty. */
export interface SheetRowData {
  studentCode: string;
  fullName: string;
  regular: Array<string | null>;
  midterm: string | null;
  final: string | null;
  average: string | null;
  comment: string | null;
}

/** One student's marks read from a sheet, in canonical strings as in `SheetRowData`; null = empty cell. */
export interface ImportedRow {
  studentCode: string;
  regular: Array<string | null>;
  midterm: string | null;
  final: string | null;
  comment: string | null;
}

/**
 * One problem found in an imported sheet. `row` is the 1-based Excel row and `column` the
 * column letter; a problem not tied to a row (unreadable file, a roster student absent from
 * the file) has `row` 0, and one not tied to a column (a missing column) has `column` ''.
 */
export interface ImportCellError {
  row: number;
  column: string;
  header: string;
  value: string;
  code: string;
  message: { vi: string; en: string };
}

export type GradeSheetImportResult = { ok: true; rows: ImportedRow[] } | { ok: false; errors: ImportCellError[] };

const COLUMN_WIDTHS = { stt: 5, code: 14, name: 28, mark: 7, computed: 10, comment: 50 };
// Number format for marks. The decimal separator in a format code follows the reader's
// locale, so Excel/LibreOffice set to Vietnamese shows "8,5" and English shows "8.5".
const MARK_FORMAT = '0.0';
const BORDER = { borderStyle: 'thin', borderColor: '#808080' } as const;

/** Builds the XLSX of one class-subject-semester grade sheet (title block, header row, one row per student). */
export async function buildGradeSheetXlsx(layout: SheetLayout, rows: SheetRowData[]): Promise<Buffer> {
  assertLayout(layout);
  const headers = exportHeaders(layout);
  const width = headers.length;
  const span = (value: string, style: Partial<Record<string, unknown>>): Row => [
    { value, columnSpan: width, ...style } as Cell,
    ...Array<Cell>(width - 1).fill(null),
  ];
  const data: SheetData = [
    span(layout.schoolName, { fontWeight: 'bold' }),
    span(sheetTitle(layout), { fontWeight: 'bold', fontSize: 13, align: 'center' }),
    span(layout.assessment === 'score' ? SCORE_NOTE : COMMENT_NOTE, { fontStyle: 'italic', wrap: true, height: 30 }),
    [],
    headers.map((h) => ({ value: h, fontWeight: 'bold', align: 'center', alignVertical: 'center', wrap: true, backgroundColor: '#DDEBF7', ...BORDER }) as Cell),
  ];
  rows.forEach((row, i) => data.push(exportRow(layout, row, i + 1)));
  return writeXlsxFile(data, {
    sheet: sheetName(layout),
    columns: exportWidths(layout),
    stickyRowsCount: HEADER_ROW,
    stickyColumnsCount: 3,
    orientation: 'landscape',
  }, { fontFamily: 'Times New Roman', fontSize: 12 }).toBuffer(); // the usual font of Vietnamese school documents
}

// 1-based Excel row of the header in exported files (title, title, note, blank, header).
const HEADER_ROW = 5;

const SCORE_NOTE =
  'Điểm đánh giá thường xuyên (TX), giữa kỳ (GK), cuối kỳ (CK) theo thang điểm 10, lấy đến một chữ số thập phân; ô trống = chưa có điểm. Cột ĐTBmhk do hệ thống tính, không cần nhập.';
const COMMENT_NOTE = 'Môn đánh giá bằng nhận xét: ghi Đ (Đạt) hoặc CĐ (Chưa đạt); ô trống = chưa đánh giá. Cột kết quả do hệ thống tính, không cần nhập.';

/** "BẢNG ĐIỂM MÔN TOÁN — LỚP 10A1 — HỌC KỲ I — NĂM HỌC 2025-2026": the title the importer also checks. */
export function sheetTitle(layout: SheetLayout): string {
  const semester = layout.semester === 1 ? 'I' : 'II';
  return `BẢNG ĐIỂM MÔN ${layout.subjectName.normalize('NFC').toLocaleUpperCase('vi')} — LỚP ${layout.className} — HỌC KỲ ${semester} — NĂM HỌC ${layout.schoolYear}`;
}

/** "10A1 - Toán - HK1", cut to Excel's 31 characters without the characters it forbids ([]:*?/\). */
export function sheetName(layout: SheetLayout): string {
  const clean = (s: string) => s.normalize('NFC').replace(/[[\]:*?/\\]/g, '-').replace(/\s+/g, ' ').trim();
  const cls = clean(layout.className);
  const tail = ` - HK${layout.semester}`;
  let subject = clean(layout.subjectName);
  // Shorten the subject first: the class and semester are what tell sheets apart.
  const room = 31 - cls.length - ' - '.length - tail.length;
  if (subject.length > room) subject = subject.slice(0, Math.max(0, room)).trim();
  let name = subject ? `${cls} - ${subject}${tail}` : `${cls}${tail}`;
  name = name.slice(0, 31).replace(/^'+|'+$/g, '').trim(); // Excel also forbids a leading/trailing apostrophe
  return name || 'Bảng điểm';
}

function exportHeaders(layout: SheetLayout): string[] {
  const tx = Array.from({ length: layout.regularCount }, (_, i) => `TX${i + 1}`);
  const computed = layout.assessment === 'score' ? 'ĐTBmhk' : 'Kết quả HK';
  return ['STT', 'Mã học sinh', 'Họ và tên', ...tx, 'GK', 'CK', computed, 'Nhận xét'];
}

function exportWidths(layout: SheetLayout): Array<{ width: number }> {
  const w = COLUMN_WIDTHS;
  return [w.stt, w.code, w.name, ...Array<number>(layout.regularCount + 2).fill(w.mark), w.computed, w.comment].map((width) => ({ width }));
}

function exportRow(layout: SheetLayout, row: SheetRowData, stt: number): Row {
  if (row.regular.length > layout.regularCount) {
    throw new RangeError(`buildGradeSheetXlsx: student ${row.studentCode} has ${row.regular.length} regular marks, the layout has ${layout.regularCount}`);
  }
  const mark = (value: string | null, what: string): Cell => exportMark(layout, value, `${row.studentCode} ${what}`);
  const regular = Array.from({ length: layout.regularCount }, (_, i) => mark(row.regular[i] ?? null, `TX${i + 1}`));
  return [
    { value: stt, align: 'center', ...BORDER },
    // "@" (text) keeps leading zeros of 10-digit codes if the teacher retypes one.
    { value: row.studentCode, type: String, format: '@', ...BORDER },
    { value: row.fullName.normalize('NFC'), ...BORDER },
    ...regular,
    mark(row.midterm, 'GK'),
    mark(row.final, 'CK'),
    { ...(mark(row.average, 'ĐTB') as object), fontWeight: 'bold' } as Cell,
    { value: row.comment ?? undefined, type: String, wrap: true, ...BORDER },
  ];
}

// Scores become number cells (so teachers' formulas work); Đ/CĐ stay text.
function exportMark(layout: SheetLayout, value: string | null, what: string): Cell {
  if (value === null || value.trim() === '') {
    // Empty cells keep the mark format so what the teacher types later shows like the rest.
    return layout.assessment === 'score'
      ? { value: undefined, type: Number, format: MARK_FORMAT, align: 'center', ...BORDER }
      : { value: undefined, type: String, align: 'center', ...BORDER };
  }
  if (layout.assessment === 'score') {
    const parsed = parseMark(value);
    if (!parsed.ok) throw new TypeError(`buildGradeSheetXlsx: ${what}: "${value}" is not a mark (${parsed.code})`);
    return { value: parsed.value / 10, type: Number, format: MARK_FORMAT, align: 'center', ...BORDER };
  }
  const parsed = parseCommentResult(value);
  if (!parsed.ok) throw new TypeError(`buildGradeSheetXlsx: ${what}: "${value}" is not Đ/CĐ (${parsed.code})`);
  return { value: parsed.value === 'dat' ? 'Đ' : 'CĐ', type: String, align: 'center', ...BORDER };
}

function assertLayout(layout: SheetLayout): void {
  if (!Number.isInteger(layout.regularCount) || layout.regularCount < 0 || layout.regularCount > 20) {
    throw new RangeError(`grade sheet layout: regularCount must be an integer 0–20, got ${layout.regularCount}`);
  }
  if (layout.semester !== 1 && layout.semester !== 2) throw new RangeError(`grade sheet layout: semester must be 1 or 2, got ${String(layout.semester)}`);
}

// ---------------------------------------------------------------------------------------
// Import

/** Where each field of the sheet sits (0-based column indexes) once the header is read. */
interface ColumnMap {
  code?: number;
  name?: number;
  familyName?: number;
  givenName?: number;
  regular: Array<number | undefined>; // index i ↔ TX(i+1)
  midterm?: number;
  final?: number;
  comment?: number;
  /** Columns whose header is empty: data there is probably shifted. */
  unlabelled: number[];
  labels: string[];
}

type Where = { row: number; column: string; header: string };
type Report = (code: GradeSheetErrorCode, where: Where, value: string, params?: Record<string, string | number>) => void;

type SingleKind = 'code' | 'name' | 'familyName' | 'givenName' | 'midterm' | 'final' | 'comment';

/**
 * Reads a grade sheet back and validates it cell by cell against `layout` and the class
 * `roster`. All-or-nothing: `ok: true` with one row per roster student only when nothing
 * at all is wrong; otherwise `ok: false` with every problem found (never just the first).
 */
export async function parseGradeSheetXlsx(
  file: Buffer,
  layout: SheetLayout,
  roster: Array<{ studentCode: string; fullName: string }>,
): Promise<GradeSheetImportResult> {
  assertLayout(layout);
  const errors: ImportCellError[] = [];
  const report: Report = (code, where, value, params = {}) => {
    errors.push({ ...where, value, code, message: gradeSheetMessage(code, { value, ...params }, where) });
  };
  const nowhere = { row: 0, column: '', header: '' };

  let sheets: Array<{ sheet: string; data: RawCell[][] }>;
  // A class has at most a few dozen students: a value addressed far beyond would only make the
  // reader build a huge grid (a cell at row 1e308 exhausted the heap; found by test/fuzz).
  if (!checkXlsxGrid(file, { maxRows: 2000, maxColumns: 200 }).ok) {
    report('import.not_xlsx', nowhere, '');
    return { ok: false, errors };
  }
  try {
    // Numbers stay as their stored decimal text (exact, and distinguishable from text
    // cells); text is not trimmed so errors can quote the cell as written.
    const read = await readXlsxFile<NumberCell>(file, { trim: false, parseNumber: (num: string) => ({ num }) });
    sheets = read.map((s) => ({ sheet: s.sheet, data: (s.data as unknown[][]).map((r) => r.map(toRawCell)) }));
  } catch {
    report('import.not_xlsx', nowhere, '');
    return { ok: false, errors };
  }

  // The first sheet with a recognisable header row is the grade sheet.
  let found: { data: RawCell[][]; headerIndex: number; labels: string[]; dataStart: number } | undefined;
  for (const { data } of sheets) {
    const header = findHeader(data);
    if (header) {
      found = { data, ...header };
      break;
    }
  }
  if (!found) {
    report('import.header_not_found', nowhere, '');
    return { ok: false, errors };
  }
  const { data, headerIndex, labels, dataStart } = found;
  const headerRow = headerIndex + 1;

  checkTitle(data.slice(0, headerIndex), layout, report);
  const cols = mapColumns(labels, layout, headerRow, report);

  const codeCol = cols.code;
  const hasName = cols.name !== undefined || (cols.familyName !== undefined && cols.givenName !== undefined);
  const rosterByCode = new Map(roster.map((s) => [codeKey(s.studentCode), s]));
  const seen = new Map<string, number>(); // roster code → first Excel row
  const rows: ImportedRow[] = [];
  const markCols = [...cols.regular, cols.midterm, cols.final].filter((c): c is number => c !== undefined);
  // Rows below the last student code that hold no mark are the footer ("Người lập bảng",
  // signatures): skipped. Anything above it, or holding a mark, is still checked.
  let lastCodeIndex = -1;
  if (codeCol !== undefined) data.forEach((r, i) => i >= dataStart && !isBlank(r[codeCol] ?? null) && (lastCodeIndex = i));

  for (let i = dataStart; i < data.length; i++) {
    const cells = data[i] ?? [];
    const excelRow = i + 1;
    const at = (col: number) => ({ row: excelRow, column: columnLetter(col), header: (labels[col] ?? '').trim() });
    const cell = (col: number | undefined): RawCell => (col === undefined ? null : (cells[col] ?? null));
    if (isEmptyDataRow(cells, labels)) continue;
    if (i > lastCodeIndex && markCols.every((c) => isBlank(cell(c)))) continue;

    let rowOk = true;
    const take = (col: number | undefined, read: (c: RawCell) => CellRead): string | null => {
      if (col === undefined) return null;
      const result = read(cell(col));
      if (result.ok) return result.value;
      rowOk = false;
      report(result.code, at(col), cellText(cell(col)), result.params);
      return null;
    };

    for (const col of cols.unlabelled) {
      if (!isBlank(cell(col))) {
        rowOk = false;
        report('import.value_without_header', at(col), cellText(cell(col)));
      }
    }

    // Who is this row?
    let student: { studentCode: string; fullName: string } | undefined;
    if (codeCol !== undefined) {
      const written = cellText(cell(codeCol));
      if (written.trim() === '') {
        rowOk = false;
        report('import.missing_student_code', at(codeCol), written);
      } else {
        student = findStudent(cell(codeCol), rosterByCode);
        if (!student) {
          rowOk = false;
          report('import.unknown_student', at(codeCol), written.trim());
        } else if (seen.has(student.studentCode)) {
          rowOk = false;
          report('import.duplicate_student', at(codeCol), written.trim(), { firstRow: seen.get(student.studentCode) ?? 0 });
        } else {
          seen.set(student.studentCode, excelRow);
        }
      }
    }
    if (student && hasName) {
      const nameCol = cols.name ?? cols.givenName ?? 0;
      const written = cols.name !== undefined
        ? cellText(cell(cols.name))
        : `${cellText(cell(cols.familyName))} ${cellText(cell(cols.givenName))}`;
      if (nameKey(written) !== nameKey(student.fullName)) {
        rowOk = false;
        report('import.name_mismatch', at(nameCol), written.trim(), { code: student.studentCode, expected: student.fullName });
      }
    }

    // The marks: every cell is checked even when the row is already known to be bad.
    const readMark = layout.assessment === 'score' ? readScoreCell : readCommentResultCell;
    const regular = cols.regular.map((col) => take(col, readMark));
    const midterm = take(cols.midterm, readMark);
    const final = take(cols.final, readMark);
    const comment = take(cols.comment, readCommentCell);

    if (rowOk && student) rows.push({ studentCode: student.studentCode, regular, midterm, final, comment });
  }

  if (codeCol !== undefined) {
    for (const s of roster) {
      if (!seen.has(s.studentCode)) {
        report('import.missing_student', { row: 0, column: '', header: (labels[codeCol] ?? '').trim() }, s.studentCode, { name: s.fullName });
      }
    }
  }

  return errors.length > 0 ? { ok: false, errors: sortErrors(errors) } : { ok: true, rows };
}

/** Reading order: by row, then left to right; errors without a row or column come last in their group. */
function sortErrors(errors: ImportCellError[]): ImportCellError[] {
  const rowKey = (e: ImportCellError) => (e.row === 0 ? Number.POSITIVE_INFINITY : e.row);
  const colKey = (e: ImportCellError) => (e.column === '' ? Number.POSITIVE_INFINITY : [...e.column].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0));
  return [...errors].sort((a, b) => rowKey(a) - rowKey(b) || colKey(a) - colKey(b)); // stable: ties keep discovery order
}

/** The header row: the row naming the most required columns (at least 2), merged with a "1 2 3 4" sub-header row if there is one. */
function findHeader(data: RawCell[][]): { headerIndex: number; labels: string[]; dataStart: number } | undefined {
  let best = -1;
  let bestScore = 1;
  data.forEach((row, i) => {
    const score = headerScore(row.map(cellText));
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  if (best < 0) return undefined;
  // Pad to the widest row so data under a header-less column is still seen.
  const width = Math.max(0, ...data.map((r) => r.length));
  const labels = Array.from({ length: width }, (_, i) => cellText(data[best]?.[i] ?? null));
  const merged = mergeSubHeader(labels, (data[best + 1] ?? []).map((c) => cellText(c)));
  return merged ? { headerIndex: best, labels: merged, dataStart: best + 2 } : { headerIndex: best, labels, dataStart: best + 1 };
}

function mapColumns(
  labels: string[],
  layout: SheetLayout,
  headerRow: number,
  report: Report,
): ColumnMap {
  const cols: ColumnMap = { regular: Array<number | undefined>(layout.regularCount).fill(undefined), unlabelled: [], labels };
  const expectedTx = Array.from({ length: layout.regularCount }, (_, i) => `TX${i + 1}`).join(', ') || '—';
  labels.forEach((raw, col) => {
    const label = raw.trim();
    const where = { row: headerRow, column: columnLetter(col), header: label };
    if (!label) {
      cols.unlabelled.push(col);
      return;
    }
    const kind = classifyHeader(label);
    const duplicate = (first: number) => report('import.duplicate_column', where, label, { firstColumn: columnLetter(first) });
    switch (kind.kind) {
      case 'regular': {
        if (kind.index < 1 || kind.index > layout.regularCount) {
          report('import.unexpected_column', where, label, { regularCount: layout.regularCount, expected: expectedTx });
          return;
        }
        const first = cols.regular[kind.index - 1];
        if (first !== undefined) duplicate(first);
        else cols.regular[kind.index - 1] = col;
        return;
      }
      case 'regularUnnumbered':
        report('import.unexpected_column', where, label, { regularCount: layout.regularCount, expected: expectedTx });
        return;
      case 'code':
      case 'name':
      case 'familyName':
      case 'givenName':
      case 'midterm':
      case 'final':
      case 'comment': {
        const key: SingleKind = kind.kind;
        const first = cols[key];
        if (first !== undefined) duplicate(first);
        else cols[key] = col;
        return;
      }
      default:
        return; // STT, ĐTB and the teacher's own columns are not imported
    }
  });

  const missing = (label: string) => report('import.missing_column', { row: headerRow, column: '', header: label }, '', { column: label });
  if (cols.code === undefined) missing('Mã học sinh');
  if (cols.name === undefined && (cols.familyName === undefined || cols.givenName === undefined)) missing('Họ và tên');
  cols.regular.forEach((col, i) => col === undefined && missing(`TX${i + 1}`));
  if (cols.midterm === undefined) missing('GK');
  if (cols.final === undefined) missing('CK');
  // Required although it may be empty: a file without it would silently clear every comment.
  if (cols.comment === undefined) missing('Nhận xét');
  return cols;
}

const TITLE = /^bang diem mon (.+) - lop (.+) - hoc k[yi] (ii|i|1|2) - nam hoc (.+)$/;

/**
 * When the title block names a subject, class, semester or year, it must be this sheet's:
 * a Văn sheet uploaded on the Toán page has the right students and plausible marks, so
 * only the title can catch it. Files without our title are not checked.
 */
function checkTitle(
  rows: RawCell[][],
  layout: SheetLayout,
  report: Report,
): void {
  const fold = (s: string) => foldVietnamese(s).replace(/[—–-]/g, ' - ').replace(/\s+/g, ' ').trim();
  const want = TITLE.exec(fold(sheetTitle(layout)));
  rows.forEach((cells, r) => {
    cells.forEach((c, col) => {
      const text = cellText(c);
      const got = TITLE.exec(fold(text));
      if (!got || !want) return;
      const semester = (s: string) => (s === 'i' || s === '1' ? 1 : 2);
      const same =
        got[1] === want[1] &&
        got[2]?.replace(/\s/g, '') === want[2]?.replace(/\s/g, '') &&
        semester(got[3] ?? '') === layout.semester &&
        got[4]?.replace(/\s/g, '') === want[4]?.replace(/\s/g, '');
      if (!same) report('import.sheet_mismatch', { row: r + 1, column: columnLetter(col), header: '' }, text.trim(), { expected: sheetTitle(layout) });
    });
  });
}

/** A row with nothing but an STT or computed value (pre-numbered blank rows) is skipped. */
function isEmptyDataRow(cells: RawCell[], labels: string[]): boolean {
  return cells.every((c, col) => {
    if (isBlank(c)) return true;
    const kind = classifyHeader(labels[col] ?? '').kind;
    return (labels[col] ?? '').trim() !== '' && (kind === 'stt' || kind === 'computed');
  });
}

function codeKey(code: string): string {
  return code.normalize('NFC').replace(/\s+/g, '').toUpperCase();
}

/**
 * The roster student a code cell names. Excel turns a typed 0123456789 into the number
 * 123456789, so a number cell also matches a digit code that differs only by leading zeros.
 */
function findStudent(cell: RawCell, byCode: Map<string, { studentCode: string; fullName: string }>) {
  const direct = byCode.get(codeKey(cellText(cell)));
  if (direct || cell === null || typeof cell !== 'object' || !('num' in cell) || !/^\d+$/.test(cell.num)) return direct;
  const digits = cell.num.replace(/^0+/, '');
  const matches = [...byCode.values()].filter((s) => /^\d+$/.test(s.studentCode) && s.studentCode.replace(/^0+/, '') === digits);
  return matches.length === 1 ? matches[0] : undefined;
}

// Names compare after NFC, dropping invisible characters, whitespace collapse and case fold;
// diacritics still count (they are the registered spelling).
function nameKey(name: string): string {
  return name.normalize('NFC').replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');
}
