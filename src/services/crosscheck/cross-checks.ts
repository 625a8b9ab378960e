/**
 * Cross-checking between departments (kiểm tra chéo, DOMAIN.md §1 "cross-check data between
 * subject departments"): leadership assigns each class-subject to a department head of
 * another department; the reviewer marks it checked or issue found; the teacher answers.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem, type Tx } from '../../db/scope.ts';
import { classes, classSubjects, crossChecks, roleGrants, schoolYears, staff, subjects } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { canTeachClassSubject, hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import type { CrossCheckView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

/** Assigns every not-yet-assigned class-subject of the current year for a semester. Returns how many were assigned. */
export async function assignCrossChecks(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; semester: 1 | 2 }): Promise<{ assigned: number }> {
  if (!hasPermission(opts.actor.roles, 'crosscheck.assign')) throw new DomainError('forbidden');
  const headUserIds = (
    await inSystem(opts.db, (tx) => tx.select({ userId: roleGrants.userId }).from(roleGrants).where(and(eq(roleGrants.schoolId, opts.schoolId), eq(roleGrants.role, 'department_head'))))
  ).map((r) => r.userId);
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const heads = headUserIds.length
      ? await tx.select({ id: staff.id, department: staff.department }).from(staff).where(inArray(staff.userId, headUserIds)).orderBy(asc(staff.fullName))
      : [];
    if (!heads.length) throw new DomainError('validation', { summary: 'no department heads' }, [{ path: 'department_head', message: 'Trường chưa có tổ trưởng chuyên môn nào.' }]);
    const teacher = staff;
    const rows = await tx
      .select({ id: classSubjects.id, department: teacher.department })
      .from(classSubjects)
      .innerJoin(classes, eq(classes.id, classSubjects.classId))
      .innerJoin(schoolYears, and(eq(schoolYears.id, classes.schoolYearId), eq(schoolYears.isCurrent, true)))
      .leftJoin(teacher, eq(teacher.id, classSubjects.teacherStaffId))
      .where(sql`not exists (select 1 from ${crossChecks} c where c.class_subject_id = ${classSubjects.id} and c.semester = ${opts.semester})`)
      .orderBy(asc(classes.grade), asc(classes.name));
    let turn = 0;
    const values = [];
    for (const r of rows) {
      const others = heads.filter((h) => h.department !== r.department);
      const pool = others.length ? others : heads;
      values.push({ schoolId: opts.schoolId, classSubjectId: r.id, semester: opts.semester, reviewerStaffId: pool[turn++ % pool.length]!.id });
    }
    for (let i = 0; i < values.length; i += 500) await tx.insert(crossChecks).values(values.slice(i, i + 500));
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'crosscheck.assigned', targetType: 'semester', targetId: String(opts.semester), after: { assigned: values.length } });
    return { assigned: values.length };
  });
}

async function present(tx: Tx, actor: ActorScope, where: ReturnType<typeof and>): Promise<CrossCheckView[]> {
  const reviewer = sql<string>`(select full_name from staff r where r.id = ${crossChecks.reviewerStaffId})`;
  const reviewerUser = sql<string | null>`(select user_id::text from staff r where r.id = ${crossChecks.reviewerStaffId})`;
  const rows = await tx
    .select({ c: crossChecks, className: classes.name, subjectName: subjects.name, teacher: staff.fullName, reviewer, reviewerUser })
    .from(crossChecks)
    .innerJoin(classSubjects, eq(classSubjects.id, crossChecks.classSubjectId))
    .innerJoin(classes, eq(classes.id, classSubjects.classId))
    .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
    .leftJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
    .where(where)
    .orderBy(asc(classes.grade), sql`length(${classes.name})`, asc(classes.name), asc(subjects.sortOrder));
  return rows.map((r) => ({
    id: r.c.id,
    classSubjectId: r.c.classSubjectId,
    className: r.className,
    subjectName: r.subjectName,
    semester: r.c.semester as 1 | 2,
    teacher: r.teacher,
    reviewer: r.reviewer,
    status: r.c.status as CrossCheckView['status'],
    note: r.c.note,
    answer: r.c.answer,
    updatedAt: r.c.updatedAt.toISOString(),
    can: { review: r.reviewerUser === actor.userId, answer: canTeachClassSubject(actor, r.c.classSubjectId) && r.c.status === 'issue_found' },
  }));
}

/** Leadership: all, with coverage; a reviewer: theirs; a teacher: checks of their sheets. */
export async function listCrossChecks(opts: { db: Db; actor: ActorScope; schoolId: string; semester?: 1 | 2 | undefined }) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const sem = opts.semester ? eq(crossChecks.semester, opts.semester) : undefined;
    let checks: CrossCheckView[];
    if (hasPermission(opts.actor.roles, 'crosscheck.assign')) checks = await present(tx, opts.actor, and(sem));
    else {
      const mine = await tx.select({ id: staff.id }).from(staff).where(eq(staff.userId, opts.actor.userId));
      const taught = [...opts.actor.classSubjectIds];
      const conds = [
        ...(mine.length ? [inArray(crossChecks.reviewerStaffId, mine.map((m) => m.id))] : []),
        ...(taught.length ? [inArray(crossChecks.classSubjectId, taught)] : []),
      ];
      checks = conds.length ? await present(tx, opts.actor, and(sem, sql`(${sql.join(conds, sql` or `)})`)) : [];
    }
    const coverage = { total: checks.length, checked: checks.filter((c) => c.status !== 'assigned').length, issues: checks.filter((c) => c.status === 'issue_found').length };
    return { checks, coverage };
  });
}

export async function reviewCrossCheck(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; id: string; status: 'checked' | 'issue_found'; note?: string | undefined }) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [c] = await tx.select({ c: crossChecks, userId: staff.userId }).from(crossChecks).innerJoin(staff, eq(staff.id, crossChecks.reviewerStaffId)).where(eq(crossChecks.id, opts.id));
    if (!c) throw new DomainError('not_found', { what: 'kiểm tra chéo / cross-check' });
    if (c.userId !== opts.actor.userId || !hasPermission(opts.actor.roles, 'crosscheck.review')) throw new DomainError('forbidden');
    const note = opts.note?.normalize('NFC').trim() || null;
    if (opts.status === 'issue_found' && !note) throw new DomainError('validation', { summary: 'note' }, [{ path: 'note', message: 'Ghi rõ sai sót tìm thấy.' }]);
    await tx.update(crossChecks).set({ status: opts.status, note, updatedAt: new Date() }).where(eq(crossChecks.id, opts.id));
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'crosscheck.reviewed', targetType: 'cross_check', targetId: opts.id, before: { status: c.c.status }, after: { status: opts.status, note } });
    return (await present(tx, opts.actor, and(eq(crossChecks.id, opts.id))))[0]!;
  });
}

export async function answerCrossCheck(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; id: string; answer: string }) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [c] = await tx.select().from(crossChecks).where(and(eq(crossChecks.id, opts.id), eq(crossChecks.status, 'issue_found')));
    if (!c) throw new DomainError('not_found', { what: 'kiểm tra chéo / cross-check' });
    if (!canTeachClassSubject(opts.actor, c.classSubjectId)) throw new DomainError('forbidden');
    const answer = opts.answer.normalize('NFC').trim();
    if (!answer) throw new DomainError('validation', { summary: 'answer' }, [{ path: 'answer', message: 'Nhập nội dung trả lời.' }]);
    await tx.update(crossChecks).set({ status: 'answered', answer, updatedAt: new Date() }).where(eq(crossChecks.id, opts.id));
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'crosscheck.answered', targetType: 'cross_check', targetId: opts.id, after: { answer } });
    return (await present(tx, opts.actor, and(eq(crossChecks.id, opts.id))))[0]!;
  });
}
