/**
 * The four levels Circular 22 uses for both conduct (kết quả rèn luyện, Điều 8) and
 * learning (kết quả học tập, Điều 9), and the two comment results (Đạt / Chưa đạt) of a
 * comment-only subject (Điều 9 khoản 1). Identifiers are stable: they go into the signed record.
 */
export const LEVELS = ['tot', 'kha', 'dat', 'chua_dat'] as const; // best first
export type Level = (typeof LEVELS)[number];

/** Vietnamese and English labels of each level. */
export const LEVEL_LABELS: Record<Level, { vi: string; en: string }> = {
  tot: { vi: 'Tốt', en: 'Good' },
  kha: { vi: 'Khá', en: 'Fairly good' },
  dat: { vi: 'Đạt', en: 'Satisfactory' },
  chua_dat: { vi: 'Chưa đạt', en: 'Not yet satisfactory' },
};

export const COMMENT_RESULTS = ['dat', 'chua_dat'] as const;
/** Result of one comment assessment or of a comment-only subject: Đạt (Đ) / Chưa đạt (CĐ). */
export type CommentResult = (typeof COMMENT_RESULTS)[number];

/** Vietnamese (full and abbreviated, as written in the grade book) and English labels. */
export const COMMENT_RESULT_LABELS: Record<CommentResult, { vi: string; short: string; en: string }> = {
  dat: { vi: 'Đạt', short: 'Đ', en: 'Pass' },
  chua_dat: { vi: 'Chưa đạt', short: 'CĐ', en: 'Not yet passed' },
};

export type Semester = 'I' | 'II'; // học kì I / học kì II
export const SEMESTERS: readonly Semester[] = ['I', 'II'];

/** 3 for Tốt down to 0 for Chưa đạt, so levels compare as numbers. */
export function levelRank(level: Level): number {
  return 3 - LEVELS.indexOf(level);
}

/** The level with the given rank (0–3); out-of-range ranks clamp. */
export function levelFromRank(rank: number): Level {
  const r = Math.max(0, Math.min(3, rank));
  return LEVELS[3 - r] as Level;
}

/** True when `level` is `min` or better. */
export function atLeast(level: Level, min: Level): boolean {
  return levelRank(level) >= levelRank(min);
}

/** True for one of the four level identifiers. */
export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** True for 'dat' or 'chua_dat'. */
export function isCommentResult(value: unknown): value is CommentResult {
  return value === 'dat' || value === 'chua_dat';
}
