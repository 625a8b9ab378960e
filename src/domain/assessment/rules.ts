/**
 * Every number and every interpretation of Circular 22/2021/TT-BGDĐT the engine uses,
 * in one place, with its source and confidence ([H]/[M]/[L] as in shared/DOMAIN.md §2).
 * Marks and thresholds are in tenths of a point (65 = 6.5). Article numbers: Điều 7, 8,
 * 9, 12, 13 and 15 are as our domain reference and brief give them; the khoản (clause)
 * numbers quoted in comments are from memory of the text and are NOT verified against
 * the published circular — treat them as pointers, not citations.
 */
import type { Level } from './levels.ts';

/** Thresholds and counts written in the circular. */
export const CIRCULAR_22 = {
  /**
   * Điều 7 khoản 1 [H]: regular assessments (ĐĐGtx) recorded per semester for a score
   * subject, by the subject's periods per year: ≤35 → 2; >35 to 70 → 3; >70 → 4.
   */
  regularMarksByPeriods: [
    { maxPeriods: 35, count: 2 },
    { maxPeriods: 70, count: 3 },
    { maxPeriods: Number.POSITIVE_INFINITY, count: 4 },
  ],
  /** [L–M] A learning-topic cluster (cụm chuyên đề học tập) adds one ĐĐGtx per semester. */
  topicClusterExtraRegularMarks: 1,
  /** [M] Comment-only subjects: at least this many regular assessments per semester. */
  commentMinRegularMarks: 2,
  /** Điều 9 khoản 2 điểm a [H]: ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (n + 5). */
  semesterWeights: { regular: 1, midterm: 2, final: 3 },
  /** Điều 9 khoản 2 điểm b [H]: ĐTBmcn = (ĐTBmhk I + 2·ĐTBmhk II) / 3. */
  yearWeights: { I: 1, II: 2 },
  /** Điều 9 khoản 3 [H]: learning result levels (tenths). */
  learning: {
    tot: { floor: 65, countAt: 80, minCount: 6 }, // every score ≥ 6.5; ≥ 6 subjects ≥ 8.0; comments all Đạt
    kha: { floor: 50, countAt: 65, minCount: 6 }, // every score ≥ 5.0; ≥ 6 subjects ≥ 6.5; comments all Đạt
    dat: { noneBelow: 35, countAt: 50, minCount: 6, maxCommentChuaDat: 1 },
  },
  /** Điều 13 [H]: re-assessment covers subjects with ĐTBmcn below this, or Chưa đạt. */
  reassessmentBelow: 50,
  /** Điều 12 [H]: promoted only if absent no more than this many sessions (excused + unexcused). */
  maxAbsentSessions: 45,
  /** Điều 15 [H]: Học sinh Xuất sắc needs at least `minCount` score subjects with ĐTBmcn ≥ `countAt`. */
  excellentAward: { countAt: 90, minCount: 6 },
} as const;

/** The minimum conduct and learning level for promotion (Điều 12) [H]. */
export const PROMOTION_MIN_LEVEL: Level = 'dat';

/**
 * Our readings of rules the sources leave open. Each is [M] or [L]; change it here and the
 * tests named after it will tell you what moved.
 */
export const POLICY = {
  /**
   * Điều 9 khoản 4 [H for the rule, M for the reading]: "điều chỉnh lên mức liền kề".
   * 'raise_computed_by_one' (default): the computed level goes up one (Tốt dragged to
   * Chưa đạt → Đạt), as the Circular 58 precedent did. 'would_be_minus_one': the level is
   * the one below what the student would have reached (Tốt → Khá whatever the drop).
   */
  oneSubjectAdjustment: 'raise_computed_by_one' as 'raise_computed_by_one' | 'would_be_minus_one',
  /**
   * [M] In the adjustment, "if that one subject met the threshold" raises the subject to the
   * target level's floor (6.5 for Tốt, 5.0 for Khá, Đạt for a comment subject); it does NOT
   * count towards the "at least 6 subjects ≥ 8.0 / ≥ 6.5" condition, which the other
   * subjects must meet on their own.
   */
  adjustmentRaisesSubjectTo: 'target_floor' as const,
  /**
   * [L] Exemption from the practical part of a subject (GDTC in practice): the student is
   * assessed on the theory part with the same number of assessments, and the subject counts
   * in the level like any other ('assess_theory_only'). 'exclude' would treat it as a whole
   * subject exemption.
   */
  practicalPartExemption: 'assess_theory_only' as 'assess_theory_only' | 'exclude',
  /**
   * [L] A subject wholly exempt in one semester only: the year result is the other
   * semester's result (its ĐTBmhk, or its Đạt / Chưa đạt).
   */
  exemptOneSemester: 'year_from_other_semester' as const,
  /**
   * [M] Circular 58 let the student choose some of the eligible subjects for re-assessment;
   * we assume Circular 22 does too: only the subjects listed in the re-assessment input are
   * re-assessed, the others keep their year result.
   */
  reassessmentSubjects: 'student_chooses' as 'student_chooses' | 'all_eligible',
  /**
   * [L] Year conduct Chưa đạt AND year learning Chưa đạt: not promoted, no summer route
   * (re-assessment needs conduct ≥ Đạt; training alone cannot fix learning).
   */
  conductAndLearningChuaDat: 'not_promoted' as const,
  /**
   * [M] More than 45 absent sessions: not promoted, and no re-assessment or training is
   * offered (neither could lift the absence condition).
   */
  overAbsentSummerRoute: 'none' as const,
};
