/**
 * End-of-year awards (khen thưởng), Điều 15 [H; article number as given in our brief]. There
 * is no overall average: Xuất sắc counts subjects with ĐTBmcn ≥ 9.0.
 */
import type { Tenths } from './decimal.ts';
import type { Level } from './levels.ts';
import { CIRCULAR_22 } from './rules.ts';

export type Award = 'xuat_sac' | 'gioi';

export const AWARD_LABELS: Record<Award, { vi: string; en: string }> = {
  xuat_sac: { vi: 'Học sinh Xuất sắc', en: 'Outstanding student' },
  gioi: { vi: 'Học sinh Giỏi', en: 'Excellent student' },
};

/**
 * Học sinh Xuất sắc: year conduct Tốt, year learning Tốt and at least 6 score subjects with
 * ĐTBmcn ≥ 9.0; Học sinh Giỏi: year conduct Tốt and year learning Tốt otherwise; else none.
 * `yearAverages` are the ĐTBmcn of the (non-exempt) score subjects, in tenths.
 */
export function decideAward(conduct: Level, learning: Level, yearAverages: readonly Tenths[]): Award | null {
  if (conduct !== 'tot' || learning !== 'tot') return null;
  const { countAt, minCount } = CIRCULAR_22.excellentAward;
  const high = yearAverages.filter((a) => a >= countAt).length;
  return high >= minCount ? 'xuat_sac' : 'gioi';
}
