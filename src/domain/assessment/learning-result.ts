/**
 * Learning result (kết quả học tập) of a semester or the year: Điều 9 khoản 3 (the four
 * levels) and khoản 4 (the one-subject adjustment) [H; khoản numbers unverified]. There is
 * no overall average: the levels count subjects over thresholds.
 */
import type { Tenths } from './decimal.ts';
import { atLeast, levelFromRank, levelRank, type Level } from './levels.ts';
import { CIRCULAR_22, POLICY } from './rules.ts';
import type { LearningResult, LevelEntry, SubjectValue } from './types.ts';

const L = CIRCULAR_22.learning;

/**
 * The level the thresholds give, before any adjustment (Điều 9 khoản 3):
 * Tốt — every comment subject Đạt, every score subject ≥ 6.5, at least 6 ≥ 8.0;
 * Khá — every comment subject Đạt, every score subject ≥ 5.0, at least 6 ≥ 6.5;
 * Đạt — at most 1 comment subject Chưa đạt, at least 6 score subjects ≥ 5.0, none < 3.5;
 * Chưa đạt — otherwise.
 */
export function thresholdLevel(values: readonly SubjectValue[]): Level {
  let commentChuaDat = 0;
  let min: Tenths = Number.POSITIVE_INFINITY;
  let atTotCount = 0;
  let atKhaCount = 0;
  let atDatCount = 0;
  for (const v of values) {
    if (v.form === 'comment') {
      if (v.result === 'chua_dat') commentChuaDat++;
      continue;
    }
    if (v.average < min) min = v.average;
    if (v.average >= L.tot.countAt) atTotCount++;
    if (v.average >= L.kha.countAt) atKhaCount++;
    if (v.average >= L.dat.countAt) atDatCount++;
  }
  if (commentChuaDat === 0 && min >= L.tot.floor && atTotCount >= L.tot.minCount) return 'tot';
  if (commentChuaDat === 0 && min >= L.kha.floor && atKhaCount >= L.kha.minCount) return 'kha';
  if (commentChuaDat <= L.dat.maxCommentChuaDat && atDatCount >= L.dat.minCount && min >= L.dat.noneBelow) return 'dat';
  return 'chua_dat';
}

/** A level with the one-subject adjustment applied; `adjustedFor` is the index of the subject. */
export interface AdjustedLevel {
  level: Level;
  computedLevel: Level;
  adjustedFor: number | null;
}

/**
 * Điều 9 khoản 4 [H]: when the level is two or more levels below Tốt or Khá only because of
 * one single subject, it is raised to the adjacent level. Asked as: would the student reach
 * Tốt (then Khá) if that one subject met the level's per-subject threshold (6.5 / 5.0 /
 * Đạt)? The subject is raised only to the threshold, so the other subjects must meet the
 * "at least 6" counts on their own (POLICY.adjustmentRaisesSubjectTo [M]); two subjects
 * below the threshold mean no adjustment ("duy nhất 01 môn học").
 */
export function adjustedLevel(values: readonly SubjectValue[]): AdjustedLevel {
  const computedLevel = thresholdLevel(values);
  for (const target of ['tot', 'kha'] as const) {
    if (levelRank(target) - levelRank(computedLevel) < 2) continue;
    const floor = L[target].floor;
    let culprit = -1;
    let count = 0;
    values.forEach((v, i) => {
      if (v.form === 'comment' ? v.result === 'chua_dat' : v.average < floor) {
        culprit = i;
        count++;
      }
    });
    if (count !== 1) continue;
    const raised = values.map((v, i): SubjectValue => (i !== culprit ? v : v.form === 'comment' ? { form: 'comment', result: 'dat' } : { form: 'score', average: floor }));
    if (!atLeast(thresholdLevel(raised), target)) continue;
    const level =
      POLICY.oneSubjectAdjustment === 'raise_computed_by_one'
        ? levelFromRank(levelRank(computedLevel) + 1)
        : levelFromRank(levelRank(target) - 1);
    return { level, computedLevel, adjustedFor: culprit };
  }
  return { level: computedLevel, computedLevel, adjustedFor: null };
}

/**
 * Learning result from the subjects' results of one semester or the year. Exempt subjects
 * are left out (DOMAIN.md §2.8 [L]); any subject without a result (missing marks or invalid
 * input) makes the result incomplete, listing those subjects.
 */
export function computeLearningResult(entries: readonly LevelEntry[]): LearningResult {
  const blocked: string[] = [];
  const codes: string[] = [];
  const values: SubjectValue[] = [];
  for (const { code, result } of entries) {
    if (result.status === 'exempt') continue;
    if (result.status !== 'complete') {
      blocked.push(code);
      continue;
    }
    codes.push(code);
    values.push(result.form === 'score' ? { form: 'score', average: result.average } : { form: 'comment', result: result.result });
  }
  if (blocked.length > 0) return { status: 'incomplete', subjects: blocked };
  const { level, computedLevel, adjustedFor } = adjustedLevel(values);
  return { status: 'complete', level, computedLevel, adjustedFor: adjustedFor === null ? null : (codes[adjustedFor] ?? null) };
}
