/**
 * The semester result computed in the browser while a save is on its way, with the same
 * pure engine the server uses; the server's answer replaces it.
 */
import type { GradeSheet } from '../../server/api-types.ts';
import { parseMark } from '../../domain/assessment/marks.ts';
import { commentSemester, scoreSemester } from '../../domain/assessment/subject-semester.ts';
import type { CommentResult } from '../../domain/assessment/levels.ts';

export interface RowMarks {
  regular: Array<string | null>;
  midterm: string | null;
  final: string | null;
}

/** "7.9" / "D" / "CD" like the server's `average`, or null while marks are missing. */
export function localAverage(sheet: Pick<GradeSheet, 'subject'>, marks: RowMarks): string | null {
  if (sheet.subject.assessment === 'comment') {
    const result = (v: string | null): CommentResult | null => (v === 'D' ? 'dat' : v === 'CD' ? 'chua_dat' : null);
    const outcome = commentSemester(
      { regular: marks.regular.map(result), midterm: result(marks.midterm), final: result(marks.final) },
      sheet.subject.topicCluster,
    );
    return outcome.status === 'complete' && outcome.form === 'comment' ? (outcome.result === 'dat' ? 'D' : 'CD') : null;
  }
  const tenths = (v: string | null) => {
    if (v === null) return null;
    const parsed = parseMark(v);
    return parsed.ok ? parsed.value : null;
  };
  const outcome = scoreSemester(
    { regular: marks.regular.map(tenths), midterm: tenths(marks.midterm), final: tenths(marks.final) },
    sheet.subject.periodsPerYear,
    sheet.subject.topicCluster,
  );
  if (outcome.status !== 'complete' || outcome.form !== 'score') return null;
  const whole = Math.trunc(outcome.average / 10);
  return `${whole}.${outcome.average - whole * 10}`;
}
