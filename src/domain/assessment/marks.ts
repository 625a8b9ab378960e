/**
 * Parsing and formatting marks and comment results as Vietnamese users write them:
 * "8,5" (decimal comma) and "8.5" both mean 8.5; "Đ" / "CĐ" mean Đạt / Chưa đạt.
 */
import { MAX_TENTHS, type Tenths } from './decimal.ts';
import { assessmentError, type AssessmentError } from './errors.ts';
import { COMMENT_RESULT_LABELS, type CommentResult } from './levels.ts';

export type ParseResult<T> = { ok: true; value: T } | AssessmentError;

const MARK_PATTERN = /^([+-]?)(\d+)(?:[.,](\d+))?$/;

/**
 * Parses a mark on the 10-point scale into tenths. Accepts "8", "8,5", "8.5", " 10 ", "0"
 * and a JS number (spreadsheet cell; converted through its exact shortest decimal text).
 * Trailing zeros after the first decimal ("8,50") are accepted because spreadsheets pad
 * them; any other second decimal ("8,55") is rejected, as are values outside 0–10 and text.
 */
export function parseMark(input: string | number): ParseResult<Tenths> {
  const text = (typeof input === 'number' ? String(input) : input).trim();
  if (text === '') return assessmentError('assessment.mark_empty');
  const m = MARK_PATTERN.exec(text);
  if (!m) return assessmentError('assessment.mark_not_a_number', { value: text });
  const [, sign = '', intDigits = '', fracDigits = ''] = m;
  const intPart = intDigits.replace(/^0+(?=\d)/, '');
  const extra = fracDigits.slice(1);
  const extraIsZero = /^0*$/.test(extra);
  // More than 3 integer digits cannot be ≤ 10; check before converting to avoid huge numbers.
  const tenths = intPart.length > 3 ? Number.POSITIVE_INFINITY : Number(intPart) * 10 + Number(fracDigits.slice(0, 1) || '0');
  const negative = sign === '-' && (tenths > 0 || !extraIsZero);
  if (negative || tenths > MAX_TENTHS || (tenths === MAX_TENTHS && !extraIsZero)) {
    return assessmentError('assessment.mark_out_of_range', { value: text });
  }
  if (!extraIsZero) return assessmentError('assessment.mark_too_many_decimals', { value: text });
  return { ok: true, value: tenths };
}

/**
 * Formats tenths as a mark: "8,5" in Vietnamese, "8.5" in English. With `fixed` (the
 * default, how averages are recorded) a whole number keeps its decimal: "8,0"; without it
 * "8".
 */
export function formatMark(tenths: Tenths, options: { lang?: 'vi' | 'en'; fixed?: boolean } = {}): string {
  const { lang = 'vi', fixed = true } = options;
  const whole = Math.trunc(tenths / 10); // exact: tenths is an integer
  const frac = tenths - whole * 10;
  if (!fixed && frac === 0) return String(whole);
  return `${whole}${lang === 'vi' ? ',' : '.'}${frac}`;
}

const COMMENT_ALIASES: Record<string, CommentResult> = {
  d: 'dat',
  dat: 'dat',
  cd: 'chua_dat',
  'chua dat': 'chua_dat',
  chuadat: 'chua_dat',
  chua_dat: 'chua_dat',
};

/** Parses "Đ", "Đạt", "D", "CĐ", "Chưa đạt", "CD" (any case, with or without accents). */
export function parseCommentResult(input: string): ParseResult<CommentResult> {
  const key = input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  const value = COMMENT_ALIASES[key];
  if (value) return { ok: true, value };
  return key === '' ? assessmentError('assessment.mark_empty') : assessmentError('assessment.comment_result_invalid', { value: input.trim() });
}

/** "Đ" / "CĐ" as written in the grade book, or the full label with `full`. */
export function formatCommentResult(result: CommentResult, options: { lang?: 'vi' | 'en'; full?: boolean } = {}): string {
  const { lang = 'vi', full = false } = options;
  const label = COMMENT_RESULT_LABELS[result];
  if (lang === 'en') return label.en;
  return full ? label.vi : label.short;
}
