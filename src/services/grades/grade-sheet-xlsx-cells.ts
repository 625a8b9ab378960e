/**
 * Reading one grade-sheet cell into a canonical value ("8.5", "10", "D", "CD", a comment)
 * or an assessment error code. Cells come from read-excel-file with numbers kept as the
 * exact text stored in the file (`{ num: '7.3000000000000007' }`), so a number cell and a
 * text cell that look alike stay distinguishable and no precision is lost before we look.
 */
import {
  formatMark,
  parseCommentResult,
  parseMark,
  type AssessmentErrorCode,
} from '../../domain/assessment/index.ts';
import type { ImportErrorCode } from './grade-sheet-xlsx-messages.ts';

/** A number cell, as the decimal text stored in the XLSX. */
export interface NumberCell {
  num: string;
}

/** One cell as read: text, number, boolean, date (a number with a date format) or empty. */
export type RawCell = string | NumberCell | boolean | Date | null;

export type CellRead =
  | { ok: true; value: string | null }
  | { ok: false; code: AssessmentErrorCode | ImportErrorCode; params: Record<string, string | number> };

/** A cell is a number within this distance of a one-decimal value only through binary float noise (e.g. a formula's 7.300000000000001). */
export const FLOAT_NOISE = 1e-9;

/** Longest teacher comment accepted, in characters (Unicode code points). */
export const MAX_COMMENT_LENGTH = 500;

/** Narrows what read-excel-file returns (typed loosely) to a `RawCell`. */
export function toRawCell(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object' && typeof (value as { num?: unknown }).num === 'string') return { num: (value as NumberCell).num };
  return String(value);
}

/** The cell as the user would see it written: text as is, numbers as stored, dates dd/mm/yyyy. */
export function cellText(cell: RawCell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${pad(cell.getUTCDate())}/${pad(cell.getUTCMonth() + 1)}/${cell.getUTCFullYear()}`;
  }
  return cell.num;
}

/** True for an empty cell or one holding only whitespace. */
export function isBlank(cell: RawCell): boolean {
  return cellText(cell).trim() === '';
}

/** A mark cell of a score subject → canonical "8.5" / "10", or null when empty. */
export function readScoreCell(cell: RawCell): CellRead {
  if (isBlank(cell)) return { ok: true, value: null };
  if (cell === null || typeof cell === 'boolean' || cell instanceof Date) {
    return { ok: false, code: 'assessment.mark_not_a_number', params: { value: cellText(cell) } };
  }
  if (typeof cell === 'string') {
    const parsed = parseMark(cell);
    if (parsed.ok) return { ok: true, value: canonicalMark(parsed.value) };
    return { ok: false, code: parsed.code, params: { value: cell.trim() } };
  }
  return readNumberMark(cell.num);
}

// A number cell: accept float noise around a one-decimal value, judge range before decimals
// so that 10.25 reads as "out of range" rather than "too many decimals".
function readNumberMark(raw: string): CellRead {
  const n = Number(raw);
  if (!Number.isFinite(n)) return { ok: false, code: 'assessment.mark_not_a_number', params: { value: raw } };
  const tenths = Math.round(n * 10) + 0; // + 0 turns -0 (from -1e-12) into 0
  const onGrid = Math.abs(n - tenths / 10) <= FLOAT_NOISE;
  if (onGrid && tenths >= 0 && tenths <= 100) return { ok: true, value: canonicalMark(tenths) };
  if (n < 0 || n > 10) return { ok: false, code: 'assessment.mark_out_of_range', params: { value: raw } };
  return { ok: false, code: 'assessment.mark_too_many_decimals', params: { value: raw } };
}

/** A cell of a comment-only subject → "D" / "CD", or null when empty. Accepts Đ, Đạt, d, dat, CĐ, cd, chua dat… */
export function readCommentResultCell(cell: RawCell): CellRead {
  if (isBlank(cell)) return { ok: true, value: null };
  if (typeof cell !== 'string') return { ok: false, code: 'assessment.comment_result_invalid', params: { value: cellText(cell) } };
  const parsed = parseCommentResult(cell);
  if (parsed.ok) return { ok: true, value: parsed.value === 'dat' ? 'D' : 'CD' };
  return { ok: false, code: 'assessment.comment_result_invalid', params: { value: cell.trim() } };
}

/** The free-text "Nhận xét" cell: NFC, trimmed, line ends unified; null when empty. */
export function readCommentCell(cell: RawCell): CellRead {
  const text = cellText(cell).normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (text === '') return { ok: true, value: null };
  const length = [...text].length;
  if (length > MAX_COMMENT_LENGTH) return { ok: false, code: 'import.comment_too_long', params: { length, max: MAX_COMMENT_LENGTH } };
  return { ok: true, value: text };
}

/** Tenths → the canonical exchange text: "8.5", "10", "8" (dot, no padding). */
export function canonicalMark(tenths: number): string {
  return formatMark(tenths, { lang: 'en', fixed: false });
}

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function columnLetter(index: number): string {
  let s = '';
  let n = index + 1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
