import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, enrolments, studentSemesters, studentYearNotes } from '../../db/schema.ts';
import { isLevel } from '../../domain/assessment/levels.ts';
import { DomainError } from '../../domain/errors.ts';
import { isHomeroomOf, type ActorScope } from '../../domain/policies/permissions.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

export interface HomeroomUpdate {
  semester?: 1 | 2 | undefined;
  conduct?: string | null | undefined;
  comment?: string | null | undefined;
}

/** The homeroom teacher records a student's conduct for a semester, or the year comment. Audited with before/after. (Absences come from the daily register.) */
export async function updateHomeroomStudent(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; classId: string; studentId: string; update: HomeroomUpdate }): Promise<void> {
  if (!isHomeroomOf(opts.actor, opts.classId)) throw new DomainError('forbidden');
  const u = opts.update;
  if (u.conduct !== undefined && u.conduct !== null && !isLevel(u.conduct)) throw new DomainError('validation', { summary: 'conduct' }, [{ path: 'conduct', message: 'tot | kha | dat | chua_dat' }]);
  const semesterFields = u.conduct !== undefined;
  if (semesterFields && !u.semester) throw new DomainError('validation', { summary: 'semester' }, [{ path: 'semester', message: 'Chọn học kỳ 1 hoặc 2.' }]);
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cls] = await tx.select().from(classes).where(eq(classes.id, opts.classId));
    const [enr] = await tx.select().from(enrolments).where(and(eq(enrolments.classId, opts.classId), eq(enrolments.studentId, opts.studentId), eq(enrolments.status, 'active')));
    if (!cls || !enr) throw new DomainError('not_found', { what: 'học sinh trong lớp / student in class' });
    const key = { schoolId: opts.schoolId, studentId: opts.studentId, schoolYearId: cls.schoolYearId };
    let before: unknown = null;
    let after: unknown = null;
    if (semesterFields) {
      const [old] = await tx.select().from(studentSemesters).where(and(eq(studentSemesters.studentId, opts.studentId), eq(studentSemesters.schoolYearId, cls.schoolYearId), eq(studentSemesters.semester, u.semester!)));
      const next = { conduct: u.conduct ?? null };
      await tx
        .insert(studentSemesters)
        .values({ ...key, semester: u.semester!, ...next })
        .onConflictDoUpdate({ target: [studentSemesters.studentId, studentSemesters.schoolYearId, studentSemesters.semester], set: { ...next, updatedAt: new Date() } });
      before = old ? { conduct: old.conduct } : null;
      after = { semester: u.semester, ...next };
    }
    if (u.comment !== undefined) {
      const comment = u.comment === null ? null : u.comment.normalize('NFC').trim().slice(0, 1000) || null;
      const [old] = await tx.select().from(studentYearNotes).where(and(eq(studentYearNotes.studentId, opts.studentId), eq(studentYearNotes.schoolYearId, cls.schoolYearId)));
      await tx
        .insert(studentYearNotes)
        .values({ ...key, comment })
        .onConflictDoUpdate({ target: [studentYearNotes.studentId, studentYearNotes.schoolYearId], set: { comment, updatedAt: new Date() } });
      before = { ...(before as object | null), comment: old?.comment ?? null };
      after = { ...(after as object | null), comment };
    }
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'homeroom.student_updated', targetType: 'student', targetId: opts.studentId, before, after });
  });
}
