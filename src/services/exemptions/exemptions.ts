/**
 * Exemptions (miễn học) decided by the school for health reasons: a whole subject, or the
 * practical part of GDTC. The engine leaves an exempt subject out of the level computation
 * (domain/assessment/exemptions.ts); the grade sheet stops asking for its marks.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { loadSheetByClassSubject } from '../grades/sheet-context.ts';
import { classSubjects, classes, enrolments, exemptions, students, subjects } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadClass, hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

/** An exemption changes what a sheet requires: not on a locked sheet (that needs an unlock request first). */
async function assertSheetsOpen(tx: Tx, classSubjectId: string, semesters: number[]): Promise<void> {
  for (const semester of semesters) {
    const ctx = await loadSheetByClassSubject(tx, classSubjectId, semester === 1 ? 1 : 2);
    if (ctx.lock.locked) throw new DomainError('grade.locked', { reason: `HK${semester}: ${ctx.lock.reason}` });
  }
}

export async function listExemptions(opts: { db: Db; actor: ActorScope; schoolId: string; classId: string }) {
  if (!canReadClass(opts.actor, opts.classId)) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, (tx) =>
    tx
      .select({
        id: exemptions.id,
        studentId: exemptions.studentId,
        studentName: students.fullName,
        classSubjectId: exemptions.classSubjectId,
        subjectName: subjects.name,
        kind: exemptions.kind,
        semesters: exemptions.semesters,
        reason: exemptions.reason,
        decidedBy: exemptions.decidedByLabel,
      })
      .from(exemptions)
      .innerJoin(students, eq(students.id, exemptions.studentId))
      .innerJoin(classSubjects, eq(classSubjects.id, exemptions.classSubjectId))
      .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
      .where(eq(classSubjects.classId, opts.classId)),
  );
}

export async function setExemption(opts: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  studentId: string;
  classSubjectId: string;
  kind: 'whole_subject' | 'practical_part';
  semesters: Array<1 | 2>;
  reason: string;
}) {
  if (!hasPermission(opts.actor.roles, 'exemptions.manage')) throw new DomainError('forbidden');
  const reason = opts.reason.normalize('NFC').trim();
  if (reason.length < 5) throw new DomainError('validation', { summary: 'reason' }, [{ path: 'reason', message: 'Ghi rõ lý do và căn cứ (ít nhất 5 ký tự).' }]);
  const semesters = [...new Set(opts.semesters)].sort();
  if (!semesters.length) throw new DomainError('validation', { summary: 'semesters' }, [{ path: 'semesters', message: 'Chọn học kỳ được miễn.' }]);
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cs] = await tx
      .select({ classId: classSubjects.classId, code: subjects.code })
      .from(classSubjects)
      .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
      .where(eq(classSubjects.id, opts.classSubjectId));
    if (!cs) throw new DomainError('not_found', { what: 'môn học của lớp / class-subject' });
    if (opts.kind === 'practical_part' && cs.code !== 'GDTC') {
      throw new DomainError('validation', { summary: 'kind' }, [{ path: 'kind', message: 'Chỉ miễn phần thực hành với môn Giáo dục thể chất.' }]);
    }
    const [enr] = await tx.select({ id: enrolments.id }).from(enrolments).innerJoin(classes, eq(classes.id, enrolments.classId)).where(and(eq(enrolments.studentId, opts.studentId), eq(enrolments.classId, cs.classId)));
    if (!enr) throw new DomainError('not_found', { what: 'học sinh trong lớp / student in class' });
    const [old] = await tx.select().from(exemptions).where(and(eq(exemptions.studentId, opts.studentId), eq(exemptions.classSubjectId, opts.classSubjectId)));
    await assertSheetsOpen(tx, opts.classSubjectId, [...new Set([...semesters, ...((old?.semesters ?? []) as number[])])]);
    const values = { kind: opts.kind, semesters, reason, decidedByLabel: opts.who.label };
    const [row] = old
      ? await tx.update(exemptions).set(values).where(eq(exemptions.id, old.id)).returning()
      : await tx.insert(exemptions).values({ schoolId: opts.schoolId, studentId: opts.studentId, classSubjectId: opts.classSubjectId, ...values }).returning();
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: 'exemption.set',
      targetType: 'student',
      targetId: opts.studentId,
      before: old ? { kind: old.kind, semesters: old.semesters, reason: old.reason } : null,
      after: { classSubjectId: opts.classSubjectId, ...values },
    });
    return row!;
  });
}

export async function removeExemption(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; id: string }) {
  if (!hasPermission(opts.actor.roles, 'exemptions.manage')) throw new DomainError('forbidden');
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [existing] = await tx.select().from(exemptions).where(eq(exemptions.id, opts.id));
    if (!existing) throw new DomainError('not_found', { what: 'miễn học / exemption' });
    await assertSheetsOpen(tx, existing.classSubjectId, existing.semesters);
    await tx.delete(exemptions).where(eq(exemptions.id, opts.id));
    const old = existing;
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'exemption.removed', targetType: 'student', targetId: old.studentId, before: { classSubjectId: old.classSubjectId, kind: old.kind, semesters: old.semesters, reason: old.reason } });
  });
}
