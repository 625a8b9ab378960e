/**
 * Grade-book cell values as they are stored and sent over the API: scores "8.5" / "10"
 * (dot, no trailing zero), comment results "D" (Đạt) / "CD" (Chưa đạt). One place
 * converts between these, what people type ("8,5", "đ") and the engine's types.
 */
import type { Tenths } from './decimal.ts';
import type { CommentResult } from './levels.ts';
import { parseCommentResult, parseMark, type ParseResult } from './marks.ts';

export type SheetForm = 'score' | 'comment';

/** Tenths → "8.5" / "10". */
export function tenthsToCanonical(t: Tenths): string {
  return t % 10 === 0 ? String(t / 10) : `${Math.trunc(t / 10)}.${t % 10}`;
}

export function commentToCanonical(r: CommentResult): string {
  return r === 'dat' ? 'D' : 'CD';
}

/** Parses what a person typed (or a stored canonical value) into the canonical form. */
export function parseSheetValue(form: SheetForm, input: string | number): ParseResult<string> {
  if (form === 'score') {
    const r = parseMark(input);
    return r.ok ? { ok: true, value: tenthsToCanonical(r.value) } : r;
  }
  const r = parseCommentResult(String(input));
  return r.ok ? { ok: true, value: commentToCanonical(r.value) } : r;
}

/** A stored canonical score → tenths (null when empty). */
export function canonicalToTenths(v: string | null): Tenths | null {
  if (v === null) return null;
  const r = parseMark(v);
  return r.ok ? r.value : null;
}

/** A stored canonical comment result → the engine's value (null when empty). */
export function canonicalToComment(v: string | null): CommentResult | null {
  return v === 'D' ? 'dat' : v === 'CD' ? 'chua_dat' : null;
}
