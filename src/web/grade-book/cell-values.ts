/**
 * What a teacher types into a cell, checked with the same pure rules the server uses
 * (domain/assessment/marks.ts), and canonical values shown the Vietnamese way ("8,5", "Đ").
 */
import type { Locale } from '../../server/api-types.ts';
import { localizeAssessmentError } from '../../domain/assessment/errors.ts';
import { formatCommentResult, formatMark, parseCommentResult, parseMark } from '../../domain/assessment/marks.ts';
import type { CellKind } from './columns.ts';

export type CellInput = { ok: true; value: string | null } | { ok: false; message: string };

/** Longest comment (nhận xét) accepted in one cell. */
export const MAX_COMMENT_LENGTH = 1000;

/**
 * Typed text → canonical value ("8.5", "10", "D", "CD", free text) or a localised message.
 * Empty text clears the cell (null).
 */
export function parseCellInput(kind: CellKind, text: string, locale: Locale, messages: { tooLong: string }): CellInput {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  if (kind === 'text') {
    return trimmed.length > MAX_COMMENT_LENGTH ? { ok: false, message: messages.tooLong } : { ok: true, value: trimmed };
  }
  if (kind === 'result') {
    const parsed = parseCommentResult(trimmed);
    if (!parsed.ok) return { ok: false, message: localizeAssessmentError(parsed, locale) };
    return { ok: true, value: parsed.value === 'dat' ? 'D' : 'CD' };
  }
  const parsed = parseMark(trimmed);
  if (!parsed.ok) return { ok: false, message: localizeAssessmentError(parsed, locale) };
  return { ok: true, value: formatMark(parsed.value, { lang: 'en', fixed: false }) };
}

/** Canonical value → what the cell shows: "8,5" (vi) / "8.5" (en), "Đ" / "CĐ", text as is. */
export function displayCell(kind: CellKind | 'average', value: string | null, locale: Locale): string {
  if (value === null) return '';
  // The grade book's abbreviations Đ / CĐ in both languages: "Pass" would not fit a cell.
  if (kind !== 'text' && (value === 'D' || value === 'CD')) return formatCommentResult(value === 'D' ? 'dat' : 'chua_dat', { lang: 'vi' });
  if (kind === 'text') return value;
  const parsed = parseMark(value);
  if (!parsed.ok) return value;
  // Averages are recorded with their decimal ("8,0"); entered marks as typed ("8").
  return formatMark(parsed.value, { lang: locale, fixed: kind === 'average' });
}
