/**
 * Small builders for the assessment tests (and the benchmark): a subject whose marks all
 * equal one value has exactly that semester average, which keeps test tables readable.
 * Values are in tenths (65 = 6.5).
 */
import type { Tenths } from './decimal.ts';
import type { CommentResult, Level } from './levels.ts';
import type { StudentYearInput } from './student-year.ts';
import type { CommentSubjectInput, Exemption, ScoreSemesterMarks, ScoreSubjectInput, SubjectInput } from './types.ts';

/** Score-subject marks for one semester, all equal to `value` (so ĐTBmhk = value). */
export function flatScoreMarks(value: Tenths, regularCount: number): ScoreSemesterMarks {
  return { regular: Array.from({ length: regularCount }, () => value), midterm: value, final: value };
}

/** A 70-period score subject (3 ĐĐGtx) with the given semester averages. */
export function scoreSubject(code: string, I: Tenths, II: Tenths, exemption: Exemption | null = null): ScoreSubjectInput {
  return { code, form: 'score', periodsPerYear: 70, topicCluster: false, exemption, semesters: { I: flatScoreMarks(I, 3), II: flatScoreMarks(II, 3) } };
}

/** A 70-period comment subject whose every assessment in a semester has that semester's result. */
export function commentSubject(code: string, I: CommentResult, II: CommentResult, exemption: Exemption | null = null): CommentSubjectInput {
  const sem = (r: CommentResult) => ({ regular: [r, r], midterm: r, final: r });
  return { code, form: 'comment', periodsPerYear: 70, topicCluster: false, exemption, semesters: { I: sem(I), II: sem(II) } };
}

/**
 * A student with score subjects S1…Sn at the given year averages (same in both semesters)
 * and comment subjects C1…Cm, conduct Tốt/Tốt and no absences unless overridden.
 */
export function student(scores: readonly Tenths[], comments: readonly CommentResult[] = ['dat', 'dat', 'dat'], extra: Partial<StudentYearInput> = {}): StudentYearInput {
  const subjects: SubjectInput[] = [
    ...scores.map((v, i) => scoreSubject(`S${i + 1}`, v, v)),
    ...comments.map((r, i) => commentSubject(`C${i + 1}`, r, r)),
  ];
  const conduct: Record<'I' | 'II', Level | null> = { I: 'tot', II: 'tot' };
  return { subjects, conduct, absences: { excused: 0, unexcused: 0 }, ...extra };
}

/** `n` copies of `value`. */
export function rep<T>(value: T, n: number): T[] {
  return Array.from({ length: n }, () => value);
}
