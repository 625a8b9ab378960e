/**
 * Promotion (xét lên lớp): Điều 12 for the conditions, Điều 13 for the summer routes
 * (re-assessment, conduct training) [H for the rules; article numbers as given in our
 * brief, clause numbers unverified]. The outcome goes into the signed record, so its shape
 * and identifiers are stable.
 */
import { atLeast, type Level } from './levels.ts';
import { CIRCULAR_22, PROMOTION_MIN_LEVEL } from './rules.ts';

/** Why a student is not promoted; several can hold at once. */
export type NotPromotedReason =
  | 'absences_over_limit' // nghỉ quá 45 buổi
  | 'learning_chua_dat' // KQHT cả năm Chưa đạt, no re-assessment route
  | 'conduct_chua_dat' // KQRL cả năm Chưa đạt, no training route
  | 'learning_chua_dat_after_reassessment' // still Chưa đạt after kiểm tra lại
  | 'conduct_chua_dat_after_training'; // still Chưa đạt after rèn luyện hè

/** The promotion outcome recorded in the học bạ. */
export type PromotionOutcome =
  | { kind: 'promoted' } // được lên lớp
  | { kind: 'pending_reassessment'; eligibleSubjects: string[]; pendingSubjects: string[] } // chờ kiểm tra lại
  | { kind: 'promoted_after_reassessment'; reassessedSubjects: string[]; learningAfter: Level } // lên lớp sau kiểm tra lại
  | { kind: 'pending_training' } // chờ rèn luyện hè
  | { kind: 'promoted_after_training'; conductAfter: Level } // lên lớp sau rèn luyện hè
  | { kind: 'not_promoted'; reasons: NotPromotedReason[] }; // không được lên lớp (ở lại lớp)

export const PROMOTION_OUTCOME_LABELS: Record<PromotionOutcome['kind'], { vi: string; en: string }> = {
  promoted: { vi: 'Được lên lớp', en: 'Promoted' },
  pending_reassessment: { vi: 'Kiểm tra lại trong hè', en: 'Summer re-assessment pending' },
  promoted_after_reassessment: { vi: 'Được lên lớp sau kiểm tra lại', en: 'Promoted after re-assessment' },
  pending_training: { vi: 'Rèn luyện trong hè', en: 'Summer conduct training pending' },
  promoted_after_training: { vi: 'Được lên lớp sau rèn luyện trong hè', en: 'Promoted after summer training' },
  not_promoted: { vi: 'Không được lên lớp', en: 'Not promoted' },
};

/** What the year produced, and what the summer produced if it has happened. */
export interface PromotionFacts {
  learning: Level; // KQHT cả năm
  conduct: Level; // KQRL cả năm
  absentSessions: number; // có phép + không phép
  /** Subjects eligible for re-assessment (Điều 13), listed in a pending outcome. */
  eligibleForReassessment?: string[];
  /** Re-assessment state; null or absent = the student's subjects and results are not entered yet. */
  reassessment?: { pending: string[]; reassessed: string[]; learningAfter: Level } | null;
  /** Conduct re-assessed after summer training; null or absent = not yet. */
  conductAfterTraining?: Level | null;
}

/**
 * Decides promotion. Điều 12 [H]: promoted when year conduct ≥ Đạt, year learning ≥ Đạt and
 * at most 45 absent sessions. Điều 13: conduct ≥ Đạt but learning Chưa đạt → summer
 * re-assessment; conduct Chưa đạt (learning ≥ Đạt) → summer training. Both Chưa đạt, or
 * over the absence limit: not promoted, no summer route (POLICY [L]/[M], see rules.ts).
 */
export function decidePromotion(facts: PromotionFacts): PromotionOutcome {
  const learningOk = atLeast(facts.learning, PROMOTION_MIN_LEVEL);
  const conductOk = atLeast(facts.conduct, PROMOTION_MIN_LEVEL);
  const overAbsent = facts.absentSessions > CIRCULAR_22.maxAbsentSessions;
  if (overAbsent || (!learningOk && !conductOk)) {
    const reasons: NotPromotedReason[] = [];
    if (overAbsent) reasons.push('absences_over_limit');
    if (!learningOk) reasons.push('learning_chua_dat');
    if (!conductOk) reasons.push('conduct_chua_dat');
    return { kind: 'not_promoted', reasons };
  }
  if (learningOk && conductOk) return { kind: 'promoted' };
  if (!learningOk) {
    const r = facts.reassessment;
    const eligible = facts.eligibleForReassessment ?? [];
    if (!r || r.pending.length > 0) {
      return { kind: 'pending_reassessment', eligibleSubjects: eligible, pendingSubjects: r ? r.pending : eligible };
    }
    return atLeast(r.learningAfter, PROMOTION_MIN_LEVEL)
      ? { kind: 'promoted_after_reassessment', reassessedSubjects: r.reassessed, learningAfter: r.learningAfter }
      : { kind: 'not_promoted', reasons: ['learning_chua_dat_after_reassessment'] };
  }
  const after = facts.conductAfterTraining;
  if (after === null || after === undefined) return { kind: 'pending_training' };
  return atLeast(after, PROMOTION_MIN_LEVEL)
    ? { kind: 'promoted_after_training', conductAfter: after }
    : { kind: 'not_promoted', reasons: ['conduct_chua_dat_after_training'] };
}
