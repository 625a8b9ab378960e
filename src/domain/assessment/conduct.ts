/**
 * Conduct (kết quả rèn luyện): the homeroom teacher (GVCN) assesses each semester at one of
 * the four levels; the year level follows from the two semesters (Điều 8 [H]; the year
 * table is in its khoản 2 as we recall it — clause number unverified).
 */
import type { Level, Semester } from './levels.ts';

/**
 * Year conduct, indexed [semester II][semester I] (DOMAIN.md §2.5 [H]):
 * Tốt — II Tốt and I ≥ Khá;
 * Khá — II Khá and I ≥ Đạt; or II Đạt and I Tốt; or II Tốt and I Đạt / Chưa đạt;
 * Đạt — II Đạt and I Khá / Đạt / Chưa đạt; or II Khá and I Chưa đạt;
 * Chưa đạt — otherwise (i.e. II Chưa đạt).
 */
export const YEAR_CONDUCT_TABLE: Readonly<Record<Level, Readonly<Record<Level, Level>>>> = {
  tot: { tot: 'tot', kha: 'tot', dat: 'kha', chua_dat: 'kha' },
  kha: { tot: 'kha', kha: 'kha', dat: 'kha', chua_dat: 'dat' },
  dat: { tot: 'kha', kha: 'dat', dat: 'dat', chua_dat: 'dat' },
  chua_dat: { tot: 'chua_dat', kha: 'chua_dat', dat: 'chua_dat', chua_dat: 'chua_dat' },
};

export type ConductResult = { status: 'complete'; level: Level } | { status: 'incomplete'; missing: Semester[] };

/** Year conduct from the two semester levels (`null` = not assessed yet). */
export function yearConduct(I: Level | null, II: Level | null): ConductResult {
  if (I === null || II === null) {
    return { status: 'incomplete', missing: [...(I === null ? (['I'] as const) : []), ...(II === null ? (['II'] as const) : [])] };
  }
  return { status: 'complete', level: YEAR_CONDUCT_TABLE[II][I] };
}

/** A semester's conduct as a result (`null` = not assessed yet). */
export function semesterConduct(level: Level | null, semester: Semester): ConductResult {
  return level === null ? { status: 'incomplete', missing: [semester] } : { status: 'complete', level };
}
