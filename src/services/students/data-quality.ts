/**
 * The data-quality board ("Đúng – Đủ – Sạch – Sống"): per class, how many students have no
 * blocking problem, and every problem with the person responsible (the homeroom teacher).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, enrolments, homeroomAssignments, schoolYears, staff, students } from '../../db/schema.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { checkStudentRecord, type RecordProblem } from '../../domain/identity/student-record.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadClass, hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { factsOf, mandatoryFields } from './student-profile.ts';

export interface QualityBoard {
  classes: Array<{ classId: string; className: string; homeroomTeacher: string | null; students: number; clean: number; percentClean: number; blocking: number; warnings: number }>;
  problems: Array<RecordProblem & { studentId: string; studentName: string; className: string; responsible: string | null }>;
  totals: { students: number; clean: number; percentClean: number };
}

export async function dataQualityBoard(opts: { db: Db; actor: ActorScope; schoolId: string; classId?: string | undefined }): Promise<QualityBoard> {
  const all = hasPermission(opts.actor.roles, 'classes.read_all');
  if (opts.classId && !canReadClass(opts.actor, opts.classId)) throw new DomainError('forbidden');
  const visible = opts.classId ? [opts.classId] : all ? null : [...opts.actor.homeroomClassIds, ...opts.actor.taughtClassIds];
  if (visible && !visible.length) return { classes: [], problems: [], totals: { students: 0, clean: 0, percentClean: 100 } };
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const mandatory = await mandatoryFields(tx, opts.schoolId);
    const rows = await tx
      .select({ s: students, classId: classes.id, className: classes.name, grade: classes.grade, teacher: staff.fullName })
      .from(enrolments)
      .innerJoin(students, eq(students.id, enrolments.studentId))
      .innerJoin(classes, eq(classes.id, enrolments.classId))
      .innerJoin(schoolYears, and(eq(schoolYears.id, classes.schoolYearId), eq(schoolYears.isCurrent, true)))
      .leftJoin(homeroomAssignments, eq(homeroomAssignments.classId, classes.id))
      .leftJoin(staff, eq(staff.id, homeroomAssignments.staffId))
      .where(and(eq(enrolments.status, 'active'), visible ? inArray(classes.id, visible) : undefined))
      .orderBy(asc(classes.grade), sql`length(${classes.name})`, asc(classes.name));
    const byClass = new Map<string, QualityBoard['classes'][number]>();
    const problems: QualityBoard['problems'] = [];
    let clean = 0;
    const sorted = [...rows].sort((a, b) => a.grade - b.grade || a.className.length - b.className.length || a.className.localeCompare(b.className) || compareVietnameseNames(a.s.fullName, b.s.fullName));
    for (const r of sorted) {
      const c = byClass.get(r.classId) ?? { classId: r.classId, className: r.className, homeroomTeacher: r.teacher, students: 0, clean: 0, percentClean: 0, blocking: 0, warnings: 0 };
      const ps = checkStudentRecord(factsOf(r.s), mandatory);
      c.students++;
      const blocking = ps.filter((p) => p.severity === 'blocking').length;
      if (!blocking) {
        c.clean++;
        clean++;
      }
      c.blocking += blocking;
      c.warnings += ps.length - blocking;
      for (const p of ps) problems.push({ ...p, studentId: r.s.id, studentName: r.s.fullName, className: r.className, responsible: r.teacher });
      byClass.set(r.classId, c);
    }
    const pct = (n: number, d: number) => (d ? Math.floor((1000 * n) / d) / 10 : 100);
    const list = [...byClass.values()].map((c) => ({ ...c, percentClean: pct(c.clean, c.students) }));
    return { classes: list, problems, totals: { students: rows.length, clean, percentClean: pct(clean, rows.length) } };
  });
}
