/**
 * Loads everything a grade-sheet action needs inside a school scope: the sheet (created on
 * first use), its class-subject, class, subject, teacher, roster, entries and lock state.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/scope.ts';
import { classes, classSubjects, crossChecks, enrolments, exemptions, gradeEntries, gradeSheets, schoolYears, staff, students, subjects } from '../../db/schema.ts';
import type { Exemption } from '../../domain/assessment/types.ts';
import { requiredCommentRegularMarks, requiredRegularMarks } from '../../domain/assessment/subject-semester.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadSheet, sheetLock, type SheetLock } from '../../domain/policies/grade-sheet.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';

export type Semester = 1 | 2;

export interface SheetContext {
  sheet: typeof gradeSheets.$inferSelect;
  classSubjectId: string;
  classId: string;
  className: string;
  subject: { code: string; name: string; assessment: 'score' | 'comment'; periodsPerYear: number; topicCluster: boolean };
  teacherStaffId: string | null;
  teacherName: string | null;
  schoolYearId: string;
  deadline: Date | null;
  lock: SheetLock;
  regularCount: number;
  roster: Array<{ studentId: string; studentCode: string | null; fullName: string }>;
  /** key `${studentId}|${field}|${idx}` → canonical value */
  entries: Map<string, string>;
  /** Students exempt from this subject (or its practical part), in the engine's terms. */
  exemptions: Map<string, Exemption>;
}

export const cellKey = (studentId: string, field: string, idx: number) => `${studentId}|${field}|${idx}`;

/** By class-subject and semester, creating the sheet row the first time it is opened. */
export async function loadSheetByClassSubject(tx: Tx, classSubjectId: string, semester: Semester): Promise<SheetContext> {
  let [sheet] = await tx.select().from(gradeSheets).where(and(eq(gradeSheets.classSubjectId, classSubjectId), eq(gradeSheets.semester, semester)));
  if (!sheet) {
    const [cs] = await tx.select({ schoolId: classSubjects.schoolId }).from(classSubjects).where(eq(classSubjects.id, classSubjectId));
    if (!cs) throw new DomainError('not_found', { what: 'môn học của lớp / class-subject' });
    [sheet] = await tx.insert(gradeSheets).values({ schoolId: cs.schoolId, classSubjectId, semester }).onConflictDoNothing().returning();
    sheet ??= (await tx.select().from(gradeSheets).where(and(eq(gradeSheets.classSubjectId, classSubjectId), eq(gradeSheets.semester, semester))))[0];
  }
  return loadSheet(tx, sheet!.id);
}

/**
 * Loads a sheet for writing: every writer (save, import, submit, change-request decision)
 * takes the same transaction-level lock first, so their checks and writes never interleave.
 */
export async function loadSheetForWrite(tx: Tx, sheetId: string): Promise<SheetContext> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sheet:${sheetId}`}))`);
  return loadSheet(tx, sheetId);
}

/** By sheet id. */
export async function loadSheet(tx: Tx, sheetId: string, now = new Date()): Promise<SheetContext> {
  const [row] = await tx
    .select({
      sheet: gradeSheets,
      classId: classes.id,
      className: classes.name,
      schoolYearId: classes.schoolYearId,
      s1: schoolYears.semester1LockAt,
      s2: schoolYears.semester2LockAt,
      code: subjects.code,
      name: subjects.name,
      assessment: subjects.assessment,
      periods: subjects.periodsPerYear,
      topicCluster: classSubjects.topicCluster,
      teacherStaffId: classSubjects.teacherStaffId,
      teacherName: staff.fullName,
    })
    .from(gradeSheets)
    .innerJoin(classSubjects, eq(classSubjects.id, gradeSheets.classSubjectId))
    .innerJoin(classes, eq(classes.id, classSubjects.classId))
    .innerJoin(schoolYears, eq(schoolYears.id, classes.schoolYearId))
    .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
    .leftJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
    .where(eq(gradeSheets.id, sheetId));
  if (!row) throw new DomainError('not_found', { what: 'bảng điểm / grade sheet' });
  const assessment = row.assessment === 'comment' ? 'comment' : 'score';
  const regularCount =
    assessment === 'score' ? (requiredRegularMarks(row.periods, row.topicCluster) ?? 0) : requiredCommentRegularMarks(row.topicCluster);
  const deadline = row.sheet.semester === 1 ? row.s1 : row.s2;
  const roster = await tx
    .select({ studentId: students.id, studentCode: students.studentCode, fullName: students.fullName })
    .from(enrolments)
    .innerJoin(students, eq(students.id, enrolments.studentId))
    .where(and(eq(enrolments.classId, row.classId), eq(enrolments.status, 'active')))
    .orderBy(asc(students.fullName));
  roster.sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
  const entryRows = await tx.select().from(gradeEntries).where(eq(gradeEntries.sheetId, sheetId));
  const exemptionRows = await tx.select().from(exemptions).where(eq(exemptions.classSubjectId, row.sheet.classSubjectId));
  return {
    sheet: row.sheet,
    classSubjectId: row.sheet.classSubjectId,
    classId: row.classId,
    className: row.className,
    subject: { code: row.code, name: row.name, assessment, periodsPerYear: row.periods, topicCluster: row.topicCluster },
    teacherStaffId: row.teacherStaffId,
    teacherName: row.teacherName,
    schoolYearId: row.schoolYearId,
    deadline,
    lock: sheetLock({ status: row.sheet.status === 'submitted' ? 'submitted' : 'open', reopened: row.sheet.reopened, deadline, now }),
    regularCount,
    roster,
    entries: new Map(entryRows.map((e) => [cellKey(e.studentId, e.field, e.idx), e.value])),
    exemptions: new Map(exemptionRows.map((e) => [e.studentId, toEngineExemption(e)])),
  };
}

/** Throws `forbidden` unless the actor may read this sheet. */
export async function assertCanRead(tx: Tx, actor: ActorScope, ctx: SheetContext): Promise<void> {
  const reviewer = await tx
    .select({ id: crossChecks.id })
    .from(crossChecks)
    .innerJoin(staff, eq(staff.id, crossChecks.reviewerStaffId))
    .where(and(eq(crossChecks.classSubjectId, ctx.classSubjectId), eq(crossChecks.semester, ctx.sheet.semester), eq(staff.userId, actor.userId)));
  if (!canReadSheet(actor, ctx.classSubjectId, ctx.classId, reviewer.length > 0)) throw new DomainError('forbidden');
}

/** A stored exemption in the engine's terms (semesters 1/2 → 'I'/'II'). */
export function toEngineExemption(e: { kind: string; semesters: number[] }): Exemption {
  return { kind: e.kind === 'practical_part' ? 'practical_part' : 'whole_subject', semesters: e.semesters.map((n) => (n === 1 ? 'I' : 'II')) };
}
