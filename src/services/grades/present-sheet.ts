/** Computes each row's semester average with the Circular 22 engine and shapes the sheet for the API. */
import { computeSemesterResult } from '../../domain/assessment/subject-semester.ts';
import { canonicalToComment, canonicalToTenths, commentToCanonical, tenthsToCanonical } from '../../domain/assessment/sheet-values.ts';
import type { SemesterSubjectResult } from '../../domain/assessment/types.ts';
import { columnLabel } from '../../domain/policies/grade-sheet.ts';
import type { GradeSheetRow } from '../../server/api-types.ts';
import { cellKey, type SheetContext } from './sheet-context.ts';

/** The engine's semester result for one student of the sheet. */
export function rowResult(ctx: SheetContext, studentId: string): SemesterSubjectResult {
  const get = (field: string, idx = 0) => ctx.entries.get(cellKey(studentId, field, idx)) ?? null;
  const regular = Array.from({ length: ctx.regularCount }, (_, i) => get('regular', i));
  const semester = ctx.sheet.semester === 1 ? 'I' : 'II';
  const base = { code: ctx.subject.code, periodsPerYear: ctx.subject.periodsPerYear, topicCluster: ctx.subject.topicCluster, exemption: ctx.exemptions.get(studentId) ?? null };
  const score = { regular: regular.map(canonicalToTenths), midterm: canonicalToTenths(get('midterm')), final: canonicalToTenths(get('final')) };
  const comment = { regular: regular.map(canonicalToComment), midterm: canonicalToComment(get('midterm')), final: canonicalToComment(get('final')) };
  // Only the semester asked for is computed; the other one is never read.
  return ctx.subject.assessment === 'score'
    ? computeSemesterResult({ ...base, form: 'score', semesters: { I: score, II: score } }, semester)
    : computeSemesterResult({ ...base, form: 'comment', semesters: { I: comment, II: comment } }, semester);
}

export function presentRow(ctx: SheetContext, student: SheetContext['roster'][number]): GradeSheetRow {
  const get = (field: string, idx = 0) => ctx.entries.get(cellKey(student.studentId, field, idx)) ?? null;
  const r = rowResult(ctx, student.studentId);
  return {
    studentId: student.studentId,
    studentCode: student.studentCode,
    fullName: student.fullName,
    regular: Array.from({ length: ctx.regularCount }, (_, i) => get('regular', i)),
    midterm: get('midterm'),
    final: get('final'),
    comment: get('comment'),
    exempt: r.status === 'exempt' ? 'whole_subject' : r.status === 'complete' && r.practicalPartExempt ? 'practical_part' : null,
    average: r.status !== 'complete' ? null : r.form === 'score' ? tenthsToCanonical(r.average) : commentToCanonical(r.result),
    missing: r.status === 'incomplete' ? r.missing.map((m) => (m.kind === 'regular' ? columnLabel('regular', m.index) : columnLabel(m.kind))) : [],
  };
}

/** Counts of entered and required marks (comments and wholly exempt students excluded). */
export function progress(ctx: SheetContext): { entered: number; required: number; complete: boolean } {
  const perStudent = ctx.regularCount + 2;
  let entered = 0;
  let assessed = 0;
  for (const s of ctx.roster) {
    if (rowResult(ctx, s.studentId).status === 'exempt') continue;
    assessed++;
    for (let i = 0; i < ctx.regularCount; i++) if (ctx.entries.has(cellKey(s.studentId, 'regular', i))) entered++;
    if (ctx.entries.has(cellKey(s.studentId, 'midterm', 0))) entered++;
    if (ctx.entries.has(cellKey(s.studentId, 'final', 0))) entered++;
  }
  const required = perStudent * assessed;
  return { entered, required, complete: ctx.roster.every((s) => ['complete', 'exempt'].includes(rowResult(ctx, s.studentId).status)) };
}
