/**
 * Error codes and Vietnamese + English messages for the grade-sheet XLSX import. Mark and
 * comment-result problems reuse the assessment engine's codes (`assessment.*`); the
 * structural problems a spreadsheet adds (columns, roster, file) are `import.*` here, in
 * the same `{ vi, en }` + `{param}` shape so both tables can be merged into one later.
 */
import { ASSESSMENT_ERROR_MESSAGES, type AssessmentErrorCode } from '../../domain/assessment/index.ts';

export const IMPORT_ERROR_MESSAGES = {
  'import.not_xlsx': {
    vi: 'Không đọc được tệp: đây không phải là tệp Excel .xlsx hợp lệ (tệp .xls hoặc .csv cần mở bằng Excel và lưu lại dạng .xlsx).',
    en: 'The file cannot be read: it is not a valid Excel .xlsx file (open an .xls or .csv file in Excel and save it as .xlsx).',
  },
  'import.header_not_found': {
    vi: 'Không tìm thấy dòng tiêu đề cột (cần có các cột "Mã học sinh", "Họ và tên", TX1…, GK, CK).',
    en: 'No column header row found (it needs the columns "Mã học sinh", "Họ và tên", TX1…, GK, CK).',
  },
  'import.missing_column': { vi: 'Thiếu cột "{column}".', en: 'The column "{column}" is missing.' },
  'import.unexpected_column': {
    vi: 'Cột "{value}" không thuộc bảng điểm này (môn này có {regularCount} cột điểm thường xuyên: {expected}).',
    en: 'The column "{value}" does not belong to this sheet (this subject has {regularCount} regular-assessment columns: {expected}).',
  },
  'import.duplicate_column': {
    vi: 'Cột "{value}" bị lặp (đã có ở cột {firstColumn}).',
    en: 'The column "{value}" appears twice (already in column {firstColumn}).',
  },
  'import.value_without_header': {
    vi: 'Ô có dữ liệu "{value}" nhưng cột không có tiêu đề (có thể dữ liệu bị lệch cột).',
    en: 'The cell holds "{value}" but its column has no header (the data may be shifted).',
  },
  'import.sheet_mismatch': {
    vi: 'Tệp là bảng điểm "{value}", không phải bảng điểm đang nhập ({expected}).',
    en: 'The file is the grade sheet "{value}", not the one being imported ({expected}).',
  },
  'import.missing_student_code': {
    vi: 'Dòng có dữ liệu nhưng không có mã học sinh.',
    en: 'The row holds data but no student code.',
  },
  'import.unknown_student': {
    vi: 'Mã học sinh "{value}" không có trong danh sách lớp.',
    en: 'The student code "{value}" is not on the class roster.',
  },
  'import.missing_student': {
    vi: 'Học sinh {name} (mã {value}) có trong danh sách lớp nhưng không có trong tệp.',
    en: 'The student {name} (code {value}) is on the class roster but not in the file.',
  },
  'import.duplicate_student': {
    vi: 'Học sinh mã "{value}" xuất hiện lần nữa (đã có ở dòng {firstRow}).',
    en: 'The student code "{value}" appears again (already on row {firstRow}).',
  },
  'import.name_mismatch': {
    vi: 'Họ tên "{value}" không khớp với học sinh mã {code} trong danh sách lớp ("{expected}"); có thể các dòng bị lệch.',
    en: 'The name "{value}" does not match student {code} on the roster ("{expected}"); the rows may be shifted.',
  },
  'import.comment_too_long': {
    vi: 'Nhận xét dài {length} ký tự, tối đa {max} ký tự.',
    en: 'The comment is {length} characters long; at most {max} are allowed.',
  },
} as const satisfies Record<string, { vi: string; en: string }>;

export type ImportErrorCode = keyof typeof IMPORT_ERROR_MESSAGES;

/** Every code the grade-sheet import can report. */
export type GradeSheetErrorCode = ImportErrorCode | AssessmentErrorCode;

/**
 * The message for `code` in both languages, params filled in, prefixed with the cell's
 * location when it has one ("Dòng 7, cột D (TX2): …") so a list of errors reads on its own.
 */
export function gradeSheetMessage(
  code: GradeSheetErrorCode,
  params: Record<string, string | number>,
  where: { row: number; column: string; header: string },
): { vi: string; en: string } {
  const template = code in IMPORT_ERROR_MESSAGES
    ? IMPORT_ERROR_MESSAGES[code as ImportErrorCode]
    : ASSESSMENT_ERROR_MESSAGES[code as AssessmentErrorCode];
  const vi = fill(template.vi, params);
  const en = fill(template.en, params);
  const label = where.header ? ` (${where.header})` : '';
  if (where.row > 0 && where.column) return { vi: `Dòng ${where.row}, cột ${where.column}${label}: ${vi}`, en: `Row ${where.row}, column ${where.column}${label}: ${en}` };
  if (where.row > 0) return { vi: `Dòng ${where.row}: ${vi}`, en: `Row ${where.row}: ${en}` };
  return { vi, en };
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}
