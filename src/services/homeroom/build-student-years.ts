/**
 * Feeds a class's grade sheets, conduct and absences into the Circular 22 engine
 * (computeStudentYear) for every student of the class. Used by the homeroom view (and later
 * by freezing the record).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/scope.ts';
import { classSubjects, schoolYears, studentSemesters, studentYearNotes } from '../../db/schema.ts';
import { absencesByStudent } from '../attendance/attendance.ts';
import { canonicalToComment, canonicalToTenths } from '../../domain/assessment/sheet-values.ts';
import { computeStudentYear, type StudentYearResult } from '../../domain/assessment/student-year.ts';
import type { SubjectInput } from '../../domain/assessment/types.ts';
import { isLevel } from '../../domain/assessment/levels.ts';
import { cellKey, loadSheetByClassSubject, type SheetContext } from '../grades/sheet-context.ts';

export interface ClassYear {
  sheets: Array<{ classSubjectId: string; subjectName: string; teacher: string | null; s1: SheetContext; s2: SheetContext }>;
  students: Array<{
    studentId: string;
    fullName: string;
    studentCode: string | null;
    semesters: Record<1 | 2, { conduct: string | null; absentExcused: number; absentUnexcused: number }>;
    comment: string | null;
    result: StudentYearResult;
  }>;
}

export async function buildClassYear(tx: Tx, classId: string, schoolYearId: string): Promise<ClassYear> {
  const cs = await tx.select({ id: classSubjects.id }).from(classSubjects).where(eq(classSubjects.classId, classId));
  const sheets: ClassYear['sheets'] = [];
  for (const c of cs) {
    const s1 = await loadSheetByClassSubject(tx, c.id, 1);
    const s2 = await loadSheetByClassSubject(tx, c.id, 2);
    sheets.push({ classSubjectId: c.id, subjectName: s1.subject.name, teacher: s1.teacherName, s1, s2 });
  }
  const roster = sheets[0]?.s1.roster ?? [];
  const ids = roster.map((r) => r.studentId);
  const semRows = ids.length
    ? await tx.select().from(studentSemesters).where(and(eq(studentSemesters.schoolYearId, schoolYearId), inArray(studentSemesters.studentId, ids)))
    : [];
  const notes = ids.length
    ? await tx.select().from(studentYearNotes).where(and(eq(studentYearNotes.schoolYearId, schoolYearId), inArray(studentYearNotes.studentId, ids)))
    : [];
  const sem = new Map(semRows.map((r) => [`${r.studentId}|${r.semester}`, r]));
  const [year] = await tx.select({ id: schoolYears.id, semester2StartsOn: schoolYears.semester2StartsOn }).from(schoolYears).where(eq(schoolYears.id, schoolYearId));
  const absences = await absencesByStudent(tx, ids, year!);
  const NONE = { excused: 0, unexcused: 0 };
  const note = new Map(notes.map((n) => [n.studentId, n.comment]));

  const students = roster.map((st) => {
    const subjects: SubjectInput[] = sheets.map(({ s1, s2 }) => {
      const marks = (ctx: SheetContext) => {
        const get = (f: string, i = 0) => ctx.entries.get(cellKey(st.studentId, f, i)) ?? null;
        const regular = Array.from({ length: ctx.regularCount }, (_, i) => get('regular', i));
        return { regular, midterm: get('midterm'), final: get('final') };
      };
      const base = { code: s1.subject.code, periodsPerYear: s1.subject.periodsPerYear, topicCluster: s1.subject.topicCluster, exemption: s1.exemptions.get(st.studentId) ?? null };
      const a = marks(s1);
      const b = marks(s2);
      return s1.subject.assessment === 'score'
        ? {
            ...base,
            form: 'score' as const,
            semesters: {
              I: { regular: a.regular.map(canonicalToTenths), midterm: canonicalToTenths(a.midterm), final: canonicalToTenths(a.final) },
              II: { regular: b.regular.map(canonicalToTenths), midterm: canonicalToTenths(b.midterm), final: canonicalToTenths(b.final) },
            },
          }
        : {
            ...base,
            form: 'comment' as const,
            semesters: {
              I: { regular: a.regular.map(canonicalToComment), midterm: canonicalToComment(a.midterm), final: canonicalToComment(a.final) },
              II: { regular: b.regular.map(canonicalToComment), midterm: canonicalToComment(b.midterm), final: canonicalToComment(b.final) },
            },
          };
    });
    const r1 = sem.get(`${st.studentId}|1`);
    const r2 = sem.get(`${st.studentId}|2`);
    const level = (v: string | null | undefined) => (isLevel(v) ? v : null);
    // Absences come from the daily register: no entry means present.
    const a = absences.get(st.studentId) ?? { 1: NONE, 2: NONE };
    const result = computeStudentYear({
      subjects,
      conduct: { I: level(r1?.conduct), II: level(r2?.conduct) },
      absences: { excused: a[1].excused + a[2].excused, unexcused: a[1].unexcused + a[2].unexcused },
    });
    return {
      studentId: st.studentId,
      fullName: st.fullName,
      studentCode: st.studentCode,
      semesters: {
        1: { conduct: r1?.conduct ?? null, absentExcused: a[1].excused, absentUnexcused: a[1].unexcused },
        2: { conduct: r2?.conduct ?? null, absentExcused: a[2].excused, absentUnexcused: a[2].unexcused },
      },
      comment: note.get(st.studentId) ?? null,
      result,
    };
  });
  return { sheets, students };
}

