/**
 * Input and result shapes of the Circular 22 engine. Results are plain JSON-safe objects
 * (no Map, no BigInt, no class): they go into the frozen, signed record as they are.
 */
import type { AssessmentForm } from './catalogue.ts';
import type { Tenths } from './decimal.ts';
import type { AssessmentError } from './errors.ts';
import type { CommentResult, Level, Semester } from './levels.ts';

export type { AssessmentForm };

/** A score subject's marks in one semester; `null` = not entered yet. */
export interface ScoreSemesterMarks {
  regular: readonly (Tenths | null)[]; // ĐĐGtx, weight 1
  midterm: Tenths | null; // ĐĐGgk, weight 2
  final: Tenths | null; // ĐĐGck, weight 3
}

/** A comment-only subject's assessments in one semester (each Đạt / Chưa đạt). */
export interface CommentSemesterMarks {
  regular: readonly (CommentResult | null)[];
  midterm: CommentResult | null;
  final: CommentResult | null;
}

export type ExemptionKind =
  | 'whole_subject' // miễn học cả môn (health reasons) — not assessed, left out of the level
  | 'practical_part'; // miễn phần thực hành (GDTC in practice) — see POLICY.practicalPartExemption

/** An exemption decided by the school; `semesters` defaults to both. */
export interface Exemption {
  kind: ExemptionKind;
  semesters?: readonly Semester[];
}

interface SubjectInputBase {
  code: string;
  periodsPerYear: number; // số tiết/năm (catalogue), decides the number of ĐĐGtx
  topicCluster: boolean; // carries a cụm chuyên đề học tập: +1 ĐĐGtx per semester
  exemption?: Exemption | null;
}

export interface ScoreSubjectInput extends SubjectInputBase {
  form: 'score';
  semesters: Record<Semester, ScoreSemesterMarks>;
}

export interface CommentSubjectInput extends SubjectInputBase {
  form: 'comment';
  semesters: Record<Semester, CommentSemesterMarks>;
}

export type SubjectInput = ScoreSubjectInput | CommentSubjectInput;

/** One mark that is required and not there yet; `index` is the 0-based position in `regular`. */
export type MissingMark = { kind: 'regular'; index: number } | { kind: 'midterm' } | { kind: 'final' };

/** A missing mark, with the semester it belongs to. */
export type SemesterMissingMark = MissingMark & { semester: Semester };

/** The value of a subject for a semester or the year: ĐTBmhk / ĐTBmcn, or Đạt / Chưa đạt. */
export type SubjectValue = { form: 'score'; average: Tenths } | { form: 'comment'; result: CommentResult };

/** A subject's result for one semester. */
export type SemesterSubjectResult =
  | ({ status: 'complete'; practicalPartExempt?: true } & SubjectValue)
  | { status: 'incomplete'; missing: MissingMark[] }
  | { status: 'invalid'; errors: AssessmentError[] }
  | { status: 'exempt' };

/** A subject's result for the year (cả năm). `from` says what it was computed from (both semesters, one, or the summer re-assessment). */
export type YearSubjectResult =
  | ({ status: 'complete'; from: 'both' | Semester | 'reassessment'; practicalPartExempt?: true } & SubjectValue)
  | { status: 'incomplete'; missing: SemesterMissingMark[] }
  | { status: 'invalid'; errors: AssessmentError[] }
  | { status: 'exempt' };

/** What the learning-level rule needs from one subject. */
export interface LevelEntry {
  code: string;
  result: SemesterSubjectResult | YearSubjectResult;
}

/** A learning result (kết quả học tập) for a semester or the year. */
export type LearningResult =
  | {
      status: 'complete';
      level: Level;
      /** The level before the one-subject adjustment (Điều 9 khoản 4). */
      computedLevel: Level;
      /** The subject whose result alone dragged the level down, when the adjustment applied. */
      adjustedFor: string | null;
    }
  | { status: 'incomplete'; subjects: string[] };
