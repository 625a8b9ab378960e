/** Labels for the result identifiers the server sends (levels, promotion outcomes, awards). */
import type { Locale } from '../../server/api-types.ts';
import { AWARD_LABELS } from '../../domain/assessment/awards.ts';
import { LEVEL_LABELS } from '../../domain/assessment/levels.ts';
import { PROMOTION_OUTCOME_LABELS } from '../../domain/assessment/promotion.ts';

const ALL: Record<string, { vi: string; en: string }> = { ...LEVEL_LABELS, ...PROMOTION_OUTCOME_LABELS, ...AWARD_LABELS };

/** "tot" → "Tốt", "promoted" → "Được lên lớp", "gioi" → "Học sinh Giỏi"; unknown values as given. */
export function resultLabel(value: string | null | undefined, locale: Locale): string {
  if (!value) return '';
  return ALL[value]?.[locale] ?? value;
}
