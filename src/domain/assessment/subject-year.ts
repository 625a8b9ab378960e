/**
 * One subject, the whole year (cả năm): ĐTBmcn of a score subject, or the year result of a
 * comment-only subject, from the two recorded semester results.
 */
import { roundHalfUpDiv } from './decimal.ts';
import type { Semester } from './levels.ts';
import { CIRCULAR_22 } from './rules.ts';
import { computeSemesterResult } from './subject-semester.ts';
import type { AssessmentError } from './errors.ts';
import type { SemesterMissingMark, SemesterSubjectResult, SubjectInput, YearSubjectResult } from './types.ts';

/** Both semester results and the year result of one subject. */
export interface SubjectResults {
  code: string;
  form: SubjectInput['form'];
  semesters: Record<Semester, SemesterSubjectResult>;
  year: YearSubjectResult;
}

/** Computes a subject's semester I, semester II and year results. */
export function computeSubjectResults(subject: SubjectInput): SubjectResults {
  const I = computeSemesterResult(subject, 'I');
  const II = computeSemesterResult(subject, 'II');
  return { code: subject.code, form: subject.form, semesters: { I, II }, year: yearResult(I, II) };
}

/**
 * Year result from the two semester results:
 * - score subject: ĐTBmcn = (ĐTBmhk I + 2·ĐTBmhk II) / 3 from the recorded (rounded)
 *   semester averages, half up to one decimal (Điều 9 khoản 2 điểm b [H]);
 * - comment subject: the semester II result (Điều 9 khoản 1 điểm b [H]);
 * - wholly exempt in one semester only: the other semester's result (POLICY.exemptOneSemester [L]);
 *   exempt in both: exempt.
 * Both semesters must be complete (or exempt): the year is never computed over a gap.
 */
export function yearResult(I: SemesterSubjectResult, II: SemesterSubjectResult): YearSubjectResult {
  if (!isSettled(I) || !isSettled(II)) return unsettled(I, II);
  if (I.status === 'exempt' && II.status === 'exempt') return { status: 'exempt' };
  // [L] POLICY.exemptOneSemester = 'year_from_other_semester'.
  if (I.status === 'exempt') return II.status === 'complete' ? { ...II, from: 'II' } : { status: 'exempt' };
  if (II.status === 'exempt') return { ...I, from: 'I' };
  let year: YearSubjectResult;
  if (I.form === 'score' && II.form === 'score') {
    const w = CIRCULAR_22.yearWeights;
    const average = roundHalfUpDiv(I.average * w.I + II.average * w.II, w.I + w.II);
    year = { status: 'complete', from: 'both', form: 'score', average };
  } else if (I.form === 'comment' && II.form === 'comment') {
    year = { status: 'complete', from: 'both', form: 'comment', result: II.result };
  } else {
    throw new Error('yearResult: the two semesters have different assessment forms');
  }
  if (I.practicalPartExempt || II.practicalPartExempt) year.practicalPartExempt = true; // not spread: hot path
  return year;
}

type Settled = Extract<SemesterSubjectResult, { status: 'complete' | 'exempt' }>;

function isSettled(r: SemesterSubjectResult): r is Settled {
  return r.status === 'complete' || r.status === 'exempt';
}

/** Invalid input wins over missing marks: both semesters' problems are listed. */
function unsettled(I: SemesterSubjectResult, II: SemesterSubjectResult): YearSubjectResult {
  const errors: AssessmentError[] = [...(I.status === 'invalid' ? I.errors : []), ...(II.status === 'invalid' ? II.errors : [])];
  if (I.status === 'invalid' || II.status === 'invalid') return { status: 'invalid', errors };
  const missing: SemesterMissingMark[] = [
    ...(I.status === 'incomplete' ? I.missing.map((m) => ({ ...m, semester: 'I' as const })) : []),
    ...(II.status === 'incomplete' ? II.missing.map((m) => ({ ...m, semester: 'II' as const })) : []),
  ];
  return { status: 'incomplete', missing };
}
