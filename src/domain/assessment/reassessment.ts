/**
 * Summer re-assessment (kiểm tra, đánh giá lại trong kì nghỉ hè): Điều 13 [H for the route;
 * M for "replaces the year result, then recompute"; article number as given in our brief].
 */
import { isTenths, type Tenths } from './decimal.ts';
import { assessmentError, type AssessmentError } from './errors.ts';
import { isCommentResult, type CommentResult } from './levels.ts';
import { CIRCULAR_22, POLICY } from './rules.ts';
import type { LevelEntry, YearSubjectResult } from './types.ts';

/** A re-assessment result: a mark in tenths for a score subject, Đạt / Chưa đạt for a comment subject. */
export type ReassessmentMark = Tenths | CommentResult;

/**
 * The subjects the student registered for re-assessment, with their results (`null` = the
 * re-assessment has not been marked yet). An empty list means the student sits none.
 */
export interface ReassessmentInput {
  subjects: readonly { code: string; result: ReassessmentMark | null }[];
}

/**
 * Subjects eligible for re-assessment: year result ĐTBmcn < 5.0, or Chưa đạt for a comment
 * subject (Điều 13 [H]). Exempt and incomplete subjects are not eligible.
 */
export function reassessmentEligible(entries: readonly LevelEntry[]): string[] {
  return entries.filter(({ result }) => isBelowPass(result)).map((e) => e.code);
}

function isBelowPass(result: LevelEntry['result']): boolean {
  if (result.status !== 'complete') return false;
  return result.form === 'score' ? result.average < CIRCULAR_22.reassessmentBelow : result.result === 'chua_dat';
}

/** The year entries with re-assessment results applied, and what is still pending. */
export interface AppliedReassessment {
  entries: LevelEntry[];
  reassessed: string[]; // subjects whose year result was replaced
  pending: string[]; // eligible subjects registered (or required) whose result is not entered
  problems: AssessmentError[];
}

/**
 * Replaces each re-assessed subject's year result with its re-assessment result (DOMAIN.md
 * §2.6 [M]), so the year learning result can be recomputed with the same rule. Results for
 * subjects that are not eligible or not known are reported and ignored. Which eligible
 * subjects must be sat follows POLICY.reassessmentSubjects [M].
 */
export function applyReassessment(entries: readonly LevelEntry[], input: ReassessmentInput): AppliedReassessment {
  const eligible = new Set(reassessmentEligible(entries));
  const byCode = new Map(entries.map((e) => [e.code, e] as const));
  const replaced = new Map<string, YearSubjectResult>();
  const pending: string[] = [];
  const problems: AssessmentError[] = [];
  for (const { code, result } of input.subjects) {
    const entry = byCode.get(code);
    if (!entry) {
      problems.push(assessmentError('assessment.reassessment_unknown_subject', { subject: code }));
      continue;
    }
    if (!eligible.has(code)) {
      problems.push(assessmentError('assessment.reassessment_not_eligible', { subject: code }));
      continue;
    }
    if (result === null) {
      pending.push(code);
      continue;
    }
    const form = entry.result.status === 'complete' ? entry.result.form : 'score';
    if (form === 'score' && !isTenths(result)) {
      problems.push(assessmentError('assessment.mark_not_tenths', { subject: code, semester: 'hè', value: String(result) }));
      pending.push(code);
    } else if (form === 'comment' && !isCommentResult(result)) {
      problems.push(assessmentError('assessment.comment_result_invalid', { subject: code, value: String(result) }));
      pending.push(code);
    } else {
      replaced.set(code, yearFromReassessment(result));
    }
  }
  if (POLICY.reassessmentSubjects === 'all_eligible') {
    const listed = new Set(input.subjects.map((s) => s.code));
    for (const code of eligible) if (!listed.has(code)) pending.push(code);
  }
  return {
    entries: entries.map((e) => {
      const r = replaced.get(e.code);
      return r ? { code: e.code, result: r } : e;
    }),
    reassessed: [...replaced.keys()],
    pending,
    problems,
  };
}

/** A re-assessment result as a year result. */
export function yearFromReassessment(result: ReassessmentMark): YearSubjectResult {
  return typeof result === 'number'
    ? { status: 'complete', from: 'reassessment', form: 'score', average: result }
    : { status: 'complete', from: 'reassessment', form: 'comment', result };
}
