/**
 * One subject, one semester: how many regular marks are required, and the semester
 * average (ĐTBmhk) or the comment result. A result is never computed while a required
 * mark is missing (DOMAIN.md §2.2 [H]); the result says which marks are missing.
 */
import { isTenths, roundHalfUpDiv, type Tenths } from './decimal.ts';
import { assessmentError, type AssessmentError } from './errors.ts';
import { exemptionEffect } from './exemptions.ts';
import { isCommentResult, type Semester } from './levels.ts';
import { CIRCULAR_22 } from './rules.ts';
import type { CommentSemesterMarks, MissingMark, ScoreSemesterMarks, SemesterSubjectResult, SubjectInput } from './types.ts';

/**
 * Number of regular assessments (ĐĐGtx) a score subject records per semester:
 * Điều 7 khoản 1 by periods per year (≤35 → 2, ≤70 → 3, more → 4), plus one for a
 * learning-topic cluster [L–M]. Returns null for a periods value that is not a positive integer.
 */
export function requiredRegularMarks(periodsPerYear: number, topicCluster: boolean): number | null {
  if (!Number.isSafeInteger(periodsPerYear) || periodsPerYear <= 0) return null;
  const band = CIRCULAR_22.regularMarksByPeriods.find((b) => periodsPerYear <= b.maxPeriods);
  return (band?.count ?? 0) + (topicCluster ? CIRCULAR_22.topicClusterExtraRegularMarks : 0);
}

/**
 * Minimum number of regular assessments of a comment-only subject per semester: at least 2
 * [M] (DOMAIN.md §2.2), plus one for a topic cluster [L–M].
 */
export function requiredCommentRegularMarks(topicCluster: boolean): number {
  return CIRCULAR_22.commentMinRegularMarks + (topicCluster ? CIRCULAR_22.topicClusterExtraRegularMarks : 0);
}

/** The subject's result for one semester, honouring its exemption. */
export function computeSemesterResult(subject: SubjectInput, semester: Semester): SemesterSubjectResult {
  const effect = exemptionEffect(subject.exemption, semester);
  if (effect === 'excluded') return { status: 'exempt' };
  const result =
    subject.form === 'score'
      ? scoreSemester(subject.semesters[semester], subject.periodsPerYear, subject.topicCluster, { subject: subject.code, semester })
      : commentSemester(subject.semesters[semester], subject.topicCluster, { subject: subject.code, semester });
  return effect === 'theory_only' && result.status === 'complete' ? { ...result, practicalPartExempt: true } : result;
}

interface Context {
  subject: string;
  semester: Semester;
}

/**
 * ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (n + 5), half up to one decimal
 * (Điều 9 khoản 2 điểm a [H]); n must equal the required number of ĐĐGtx (Điều 7 khoản 1).
 */
export function scoreSemester(
  marks: ScoreSemesterMarks,
  periodsPerYear: number,
  topicCluster: boolean,
  ctx: Context = { subject: '?', semester: 'I' },
): SemesterSubjectResult {
  const required = requiredRegularMarks(periodsPerYear, topicCluster);
  if (required === null) return invalid(assessmentError('assessment.invalid_periods', { subject: ctx.subject, value: String(periodsPerYear) }));
  const errors: AssessmentError[] = [];
  if (marks.regular.length > required) {
    errors.push(assessmentError('assessment.too_many_regular_marks', { ...ctx, given: marks.regular.length, required }));
  }
  for (const v of badValues(marks, isTenths)) errors.push(assessmentError('assessment.mark_not_tenths', { value: String(v), ...ctx }));
  if (errors.length > 0) return { status: 'invalid', errors };
  const missing = missingMarks(marks, required);
  if (missing.length > 0) return { status: 'incomplete', missing };
  // Integer sums of tenths, one exact rounding at the end (loops, not arrays: this runs for
  // every subject of every student).
  const w = CIRCULAR_22.semesterWeights;
  let sum = 0;
  for (const v of marks.regular) sum += (v as Tenths) * w.regular;
  sum += (marks.midterm as Tenths) * w.midterm + (marks.final as Tenths) * w.final;
  const weights = marks.regular.length * w.regular + w.midterm + w.final;
  return { status: 'complete', form: 'score', average: roundHalfUpDiv(sum, weights) };
}

/**
 * Comment-only subject: Đạt when every required assessment exists and is Đạt, else Chưa
 * đạt (Điều 9 khoản 1 điểm a [H, as transcribed in DOMAIN.md §2.3]).
 */
export function commentSemester(
  marks: CommentSemesterMarks,
  topicCluster: boolean,
  ctx: Context = { subject: '?', semester: 'I' },
): SemesterSubjectResult {
  const bad = badValues(marks, isCommentResult);
  if (bad.length > 0) return { status: 'invalid', errors: bad.map((v) => assessmentError('assessment.comment_result_invalid', { value: String(v), ...ctx })) };
  // Comment subjects may record more than the minimum, so only a shortfall is missing.
  const required = Math.max(requiredCommentRegularMarks(topicCluster), marks.regular.length);
  const missing = missingMarks(marks, required);
  if (missing.length > 0) return { status: 'incomplete', missing };
  const allDat = marks.midterm === 'dat' && marks.final === 'dat' && marks.regular.every((r) => r === 'dat');
  return { status: 'complete', form: 'comment', result: allDat ? 'dat' : 'chua_dat' };
}

const NONE: readonly unknown[] = [];

/** Entered values (not null) that fail `valid`; allocates nothing when all are fine. */
function badValues(marks: { regular: readonly unknown[]; midterm: unknown; final: unknown }, valid: (v: unknown) => boolean): readonly unknown[] {
  let bad: unknown[] | null = null;
  for (const v of marks.regular) if (v !== null && !valid(v)) (bad ??= []).push(v);
  if (marks.midterm !== null && !valid(marks.midterm)) (bad ??= []).push(marks.midterm);
  if (marks.final !== null && !valid(marks.final)) (bad ??= []).push(marks.final);
  return bad ?? NONE;
}

function missingMarks(marks: { regular: readonly unknown[]; midterm: unknown; final: unknown }, required: number): MissingMark[] {
  const missing: MissingMark[] = [];
  for (let i = 0; i < required; i++) {
    if (marks.regular[i] === null || marks.regular[i] === undefined) missing.push({ kind: 'regular', index: i });
  }
  if (marks.midterm === null || marks.midterm === undefined) missing.push({ kind: 'midterm' });
  if (marks.final === null || marks.final === undefined) missing.push({ kind: 'final' });
  return missing;
}

function invalid(error: AssessmentError): SemesterSubjectResult {
  return { status: 'invalid', errors: [error] };
}
