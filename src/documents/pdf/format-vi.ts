/**
 * How snapshot values are written on the printed học bạ (Vietnamese conventions): decimal
 * comma, Đ/CĐ, dd/mm/yyyy, Vietnam time. Pure.
 */
import { COMMENT_RESULT_LABELS } from '../../domain/assessment/levels.ts';
import { formatVietnameseDate } from '../../domain/identity/dates.ts';
import { ethnicityByCode } from '../../domain/identity/ethnicity.ts';
import { GENDER_VI, type Gender } from '../../domain/identity/types.ts';
import type { SubjectResult } from '../../domain/record/snapshot.ts';

/** Written for an exempt subject (miễn học). */
export const EXEMPT_LABEL = 'Miễn';

/** A canonical average "8.5" → "8,5" (Vietnamese decimal comma). */
export function viAverage(canonical: string): string {
  return canonical.replace('.', ',');
}

/** A subject result as printed in the table: "8,5", "Đ", "CĐ" or "Miễn"; null (not re-assessed) → "". */
export function viResult(r: SubjectResult | null): string {
  if (r === null) return '';
  if (r.kind === 'exempt') return EXEMPT_LABEL;
  if (r.kind === 'score') return viAverage(r.average);
  return COMMENT_RESULT_LABELS[r.result === 'D' ? 'dat' : 'chua_dat'].short;
}

/** "Nam" / "Nữ". */
export function viGender(g: Gender): string {
  const s = GENDER_VI[g];
  return s[0]!.toUpperCase() + s.slice(1);
}

/** The ethnic group's name for its code ("01" → "Kinh"); an unknown code is shown as is. */
export function viEthnicity(code: string): string {
  return ethnicityByCode(code)?.name ?? code;
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy'. */
export const viDate = formatVietnameseDate;

/** "2025-2026" → "2025–2026" (en dash, as printed). */
export function viSchoolYear(schoolYear: string): string {
  return schoolYear.replace('-', '–');
}

const VIETNAM_OFFSET_MS = 7 * 3600 * 1000; // UTC+07:00 all year (no daylight saving)

/** An instant in Vietnam time, ISO 8601 to the second: "2026-05-31T16:15:00+07:00" (DOMAIN.md §5). */
export function vietnamTime(instant: string | Date): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an instant: ${String(instant)}`);
  return `${new Date(d.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/**
 * The date line above a signature, from an instant in Vietnam time: "Ngày 25 tháng 6 năm 2026".
 * Decree 30/2020 (appendix I) writes a day below 10 and the months 1 and 2 with a leading zero
 * ("ngày 05 tháng 02 năm 2026") so the line cannot be altered by hand.
 */
export function viDateLine(instant: string | Date): string {
  const [y, m, d] = vietnamTime(instant).slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = d < 10 ? `0${d}` : String(d);
  const month = m <= 2 ? `0${m}` : String(m);
  return `Ngày ${day} tháng ${month} năm ${y}`;
}
