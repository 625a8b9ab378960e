/**
 * Everything Circular 22 derives for one student and one school year, in one call: per
 * subject semester and year results, semester and year learning results, year conduct,
 * promotion (with the summer routes), awards, and the list of what is still missing.
 */
import { decideAward, type Award } from './awards.ts';
import { semesterConduct, yearConduct, type ConductResult } from './conduct.ts';
import { assessmentError, type AssessmentError } from './errors.ts';
import { computeLearningResult } from './learning-result.ts';
import { isLevel, type Level, type Semester } from './levels.ts';
import { decidePromotion, type PromotionFacts, type PromotionOutcome } from './promotion.ts';
import { applyReassessment, reassessmentEligible, type AppliedReassessment, type ReassessmentInput } from './reassessment.ts';
import { computeSubjectResults, type SubjectResults } from './subject-year.ts';
import type { LearningResult, LevelEntry, SemesterMissingMark, SubjectInput, YearSubjectResult } from './types.ts';

export interface StudentYearInput {
  subjects: readonly SubjectInput[];
  conduct: Record<Semester, Level | null>; // KQRL per semester, by the GVCN
  absences: { excused: number; unexcused: number } | null; // buổi nghỉ có phép / không phép
  reassessment?: ReassessmentInput | null; // kiểm tra lại (summer)
  summerTraining?: { conduct: Level | null } | null; // conduct re-assessed after rèn luyện hè
}

/** A subject's results, plus its re-assessment when there was one. */
export interface SubjectReport extends SubjectResults {
  reassessment: YearSubjectResult | null; // replaces `year` in the recomputed learning result
}

/** Something required that is not entered yet. */
export type MissingItem =
  | ({ subject: string } & SemesterMissingMark)
  | { kind: 'conduct'; semester: Semester }
  | { kind: 'absences' };

export type PromotionResult =
  | { status: 'complete'; outcome: PromotionOutcome }
  | { status: 'incomplete'; blockedBy: ('learning' | 'conduct' | 'absences')[] };

export type AwardResult = { status: 'complete'; award: Award | null } | { status: 'incomplete' };

export interface StudentYearResult {
  subjects: SubjectReport[];
  learning: { I: LearningResult; II: LearningResult; year: LearningResult; yearAfterReassessment: LearningResult | null };
  conduct: { I: ConductResult; II: ConductResult; year: ConductResult; afterTraining: Level | null };
  absentSessions: number | null;
  promotion: PromotionResult;
  award: AwardResult;
  missing: MissingItem[];
  problems: AssessmentError[];
  /** True when nothing is missing and no input was rejected (a summer route may still be pending). */
  complete: boolean;
}

/** Computes every Circular 22 result for one student's school year. */
export function computeStudentYear(input: StudentYearInput): StudentYearResult {
  const problems: AssessmentError[] = duplicateSubjects(input.subjects);
  const results = input.subjects.map(computeSubjectResults);
  const missing: MissingItem[] = [];
  for (const r of results) {
    if (r.year.status === 'incomplete') for (const m of r.year.missing) missing.push({ subject: r.code, ...m });
    if (r.year.status === 'invalid') problems.push(...r.year.errors);
  }
  const yearEntries = levelEntries(results, 'year');
  const learning = {
    I: computeLearningResult(levelEntries(results, 'I')),
    II: computeLearningResult(levelEntries(results, 'II')),
    year: computeLearningResult(yearEntries),
  };
  const conductI = validLevel(input.conduct.I, problems);
  const conductII = validLevel(input.conduct.II, problems);
  const conduct = { I: semesterConduct(conductI, 'I'), II: semesterConduct(conductII, 'II'), year: yearConduct(conductI, conductII) };
  for (const semester of ['I', 'II'] as const) if (input.conduct[semester] === null) missing.push({ kind: 'conduct', semester });
  const absentSessions = totalAbsences(input.absences, problems);
  if (input.absences === null) missing.push({ kind: 'absences' });
  const afterTraining = validLevel(input.summerTraining?.conduct ?? null, problems);

  let summer: Summer;
  if (learning.year.status === 'complete' && conduct.year.status === 'complete' && absentSessions !== null) {
    summer = promotionWithSummer(input, { learning: learning.year.level, conduct: conduct.year.level, absentSessions }, yearEntries, afterTraining, problems);
  } else {
    const blockedBy: ('learning' | 'conduct' | 'absences')[] = [];
    if (learning.year.status !== 'complete') blockedBy.push('learning');
    if (conduct.year.status !== 'complete') blockedBy.push('conduct');
    if (absentSessions === null) blockedBy.push('absences');
    summer = { promotion: { status: 'incomplete', blockedBy }, reassessment: null, yearAfterReassessment: null };
  }
  const { reassessment } = summer;
  const replaced = reassessment ? new Map(reassessment.entries.map((e) => [e.code, e.result] as const)) : null;
  const subjects: SubjectReport[] = results.map((r) => ({
    code: r.code,
    form: r.form,
    semesters: r.semesters,
    year: r.year,
    reassessment: reassessment?.reassessed.includes(r.code) ? ((replaced?.get(r.code) as YearSubjectResult | undefined) ?? null) : null,
  }));

  // Awards are decided on the year results, before any summer route (Điều 15).
  let award: AwardResult = { status: 'incomplete' };
  if (learning.year.status === 'complete' && conduct.year.status === 'complete') {
    const averages = yearEntries.flatMap(({ result }) => (result.status === 'complete' && result.form === 'score' ? [result.average] : []));
    award = { status: 'complete', award: decideAward(conduct.year.level, learning.year.level, averages) };
  }
  return {
    subjects,
    learning: { I: learning.I, II: learning.II, year: learning.year, yearAfterReassessment: summer.yearAfterReassessment },
    conduct: { I: conduct.I, II: conduct.II, year: conduct.year, afterTraining },
    absentSessions,
    promotion: summer.promotion,
    award,
    missing,
    problems,
    complete: missing.length === 0 && problems.length === 0,
  };
}

interface Summer {
  promotion: PromotionResult;
  reassessment: AppliedReassessment | null;
  yearAfterReassessment: LearningResult | null;
}

/**
 * Promotion once the year is complete: decide, and if the year opens a summer route
 * (Điều 13) apply what the summer produced. Summer results entered for a student who is not
 * on that route are reported, not used.
 */
function promotionWithSummer(
  input: StudentYearInput,
  facts: Pick<PromotionFacts, 'learning' | 'conduct' | 'absentSessions'>,
  yearEntries: readonly LevelEntry[],
  afterTraining: Level | null,
  problems: AssessmentError[],
): Summer {
  const route = summerRoute(decidePromotion(facts));
  let reassessment: AppliedReassessment | null = null;
  let reassessmentFacts: PromotionFacts['reassessment'] = null;
  let yearAfterReassessment: LearningResult | null = null;
  if (route === 'reassessment' && input.reassessment) {
    reassessment = applyReassessment(yearEntries, input.reassessment);
    problems.push(...reassessment.problems);
    const after = computeLearningResult(reassessment.entries);
    if (reassessment.pending.length === 0) yearAfterReassessment = after;
    if (after.status === 'complete') {
      reassessmentFacts = { pending: reassessment.pending, reassessed: reassessment.reassessed, learningAfter: after.level };
    }
  }
  if ((input.reassessment?.subjects.length ?? 0) > 0 && route !== 'reassessment') problems.push(notApplicable('kiểm tra lại / re-assessment'));
  if (afterTraining !== null && route !== 'training') problems.push(notApplicable('rèn luyện hè / summer training'));
  const outcome = decidePromotion({
    learning: facts.learning,
    conduct: facts.conduct,
    absentSessions: facts.absentSessions,
    eligibleForReassessment: route === 'reassessment' ? reassessmentEligible(yearEntries) : [],
    reassessment: reassessmentFacts,
    conductAfterTraining: route === 'training' ? afterTraining : null,
  });
  return { promotion: { status: 'complete', outcome }, reassessment, yearAfterReassessment };
}

/** A problem for every subject code that appears again (a pairwise scan: no Set for 15 codes). */
function duplicateSubjects(subjects: readonly SubjectInput[]): AssessmentError[] {
  const problems: AssessmentError[] = [];
  for (let i = 1; i < subjects.length; i++) {
    const code = subjects[i]?.code;
    for (let j = 0; j < i; j++) {
      if (subjects[j]?.code !== code) continue;
      problems.push(assessmentError('assessment.duplicate_subject', { subject: String(code) }));
      break;
    }
  }
  return problems;
}

function levelEntries(results: readonly SubjectResults[], period: Semester | 'year'): LevelEntry[] {
  return results.map((r) => ({ code: r.code, result: period === 'year' ? r.year : r.semesters[period] }));
}

function totalAbsences(absences: StudentYearInput['absences'], problems: AssessmentError[]): number | null {
  if (absences === null) return null;
  let ok = true;
  for (const n of [absences.excused, absences.unexcused]) {
    if (Number.isSafeInteger(n) && n >= 0) continue;
    problems.push(assessmentError('assessment.invalid_absences', { value: String(n) }));
    ok = false;
  }
  if (!ok) return null;
  return absences.excused + absences.unexcused; // both count (Điều 12 [H])
}

/** The level, or null (with a problem recorded) when the value is not one of the four levels. */
function validLevel(value: Level | null, problems: AssessmentError[]): Level | null {
  if (value === null || isLevel(value)) return value;
  problems.push(assessmentError('assessment.invalid_level', { value: String(value) }));
  return null;
}

/** Which summer route the year's outcome opens, if any. */
function summerRoute(outcome: PromotionOutcome): 'reassessment' | 'training' | null {
  if (outcome.kind === 'pending_reassessment') return 'reassessment';
  if (outcome.kind === 'pending_training') return 'training';
  return null;
}

function notApplicable(route: string): AssessmentError {
  return assessmentError('assessment.summer_route_not_applicable', { route });
}
