/**
 * The data-quality board ("Đúng – Đủ – Sạch – Sống"): per class, how many students have no
 * blocking problem, and every problem with the person responsible (the homeroom teacher).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, enrolments, homeroomAssignments, schoolYears, staff, students } from '../../db/schema.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { nameBirthKey } from '../../domain/identity/matching.ts';
import { reconciledByClass } from './reconciliation.ts';
import { loadCommunes } from '../reference/admin-units.ts';
import { checkStudentRecord, type RecordProblem } from '../../domain/identity/student-record.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadClass, hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { factsOf, mandatoryFields } from './student-profile.ts';

export interface QualityBoard {
  classes: Array<{ classId: string; className: string; homeroomTeacher: string | null; students: number; clean: number; percentClean: number; reconciled: number; percentReconciled: number; blocking: number; warnings: number }>;
  problems: Array<Omit<RecordProblem, 'field'> & { field: RecordProblem['field'] | 'duplicate'; studentId: string; studentName: string; className: string; responsible: string | null }>;
  totals: { students: number; clean: number; percentClean: number; reconciled: number; percentReconciled: number };
}

export async function dataQualityBoard(opts: { db: Db; actor: ActorScope; schoolId: string; classId?: string | undefined }): Promise<QualityBoard> {
  const all = hasPermission(opts.actor.roles, 'classes.read_all');
  if (opts.classId && !canReadClass(opts.actor, opts.classId)) throw new DomainError('forbidden');
  const visible = opts.classId ? [opts.classId] : all ? null : [...opts.actor.homeroomClassIds, ...opts.actor.taughtClassIds];
  if (visible && !visible.length) return { classes: [], problems: [], totals: { students: 0, clean: 0, percentClean: 100, reconciled: 0, percentReconciled: 100 } };
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const mandatory = await mandatoryFields(tx, opts.schoolId);
    const communes = await loadCommunes(tx);
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
    // Possible duplicates within the school: the same name and birth date twice.
    const twins = new Map<string, string[]>();
    for (const r of await tx.select({ id: students.id, name: students.fullName, dob: students.birthDate }).from(students)) {
      const k = nameBirthKey(r.name, r.dob);
      twins.set(k, [...(twins.get(k) ?? []), r.id]);
    }
    const byClass = new Map<string, QualityBoard['classes'][number]>();
    const problems: QualityBoard['problems'] = [];
    let clean = 0;
    const sorted = [...rows].sort((a, b) => a.grade - b.grade || a.className.length - b.className.length || a.className.localeCompare(b.className) || compareVietnameseNames(a.s.fullName, b.s.fullName));
    for (const r of sorted) {
      const c = byClass.get(r.classId) ?? { classId: r.classId, className: r.className, homeroomTeacher: r.teacher, students: 0, clean: 0, percentClean: 0, reconciled: 0, percentReconciled: 0, blocking: 0, warnings: 0 };
      const ps: QualityBoard['problems'][number][] = checkStudentRecord(factsOf(r.s), mandatory, { communes }).map((p) => ({ ...p, studentId: r.s.id, studentName: r.s.fullName, className: r.className, responsible: r.teacher }));
      const same = twins.get(nameBirthKey(r.s.fullName, r.s.birthDate)) ?? [];
      if (same.length > 1) {
        ps.push({ field: 'duplicate', code: 'record.possible_duplicate', severity: 'warning', message: { vi: `Có ${same.length} học sinh cùng họ tên và ngày sinh: kiểm tra có trùng không.`, en: `${same.length} students share this name and birth date: check for a duplicate.` }, value: r.s.fullName, studentId: r.s.id, studentName: r.s.fullName, className: r.className, responsible: r.teacher });
      }
      c.students++;
      const blocking = ps.filter((p) => p.severity === 'blocking').length;
      if (!blocking) {
        c.clean++;
        clean++;
      }
      c.blocking += blocking;
      c.warnings += ps.length - blocking;
      problems.push(...ps);
      byClass.set(r.classId, c);
    }
    const pct = (n: number, d: number) => (d ? Math.floor((1000 * n) / d) / 10 : 100);
    const reconciled = await reconciledByClass(tx, [...byClass.keys()]);
    const list = [...byClass.values()].map((c) => ({ ...c, percentClean: pct(c.clean, c.students), reconciled: reconciled.get(c.classId) ?? 0, percentReconciled: pct(reconciled.get(c.classId) ?? 0, c.students) }));
    const totalReconciled = list.reduce((n, c) => n + c.reconciled, 0);
    return { classes: list, problems, totals: { students: rows.length, clean, percentClean: pct(clean, rows.length), reconciled: totalReconciled, percentReconciled: pct(totalReconciled, rows.length) } };
  });
}
