/**
 * A class's subject set (elective combination, topic clusters) and its teaching
 * assignments, edited by the school administrator. Changes that would alter recorded
 * results once marks exist (removing a subject, switching its topic cluster) are refused.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, classSubjects, gradeEntries, gradeSheets, staff, subjects } from '../../db/schema.ts';
import { THPT_SUBJECTS, TOPIC_CLUSTERS_PER_STUDENT } from '../../domain/assessment/catalogue.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadClass, type ActorScope } from '../../domain/policies/permissions.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

async function marksExist(tx: Tx, classSubjectId: string): Promise<boolean> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(gradeEntries)
    .innerJoin(gradeSheets, eq(gradeSheets.id, gradeEntries.sheetId))
    .where(and(eq(gradeSheets.classSubjectId, classSubjectId), sql`${gradeEntries.field} <> 'comment'`));
  return Number(r?.n ?? 0) > 0;
}

export async function listClassSubjects(opts: { db: Db; actor: ActorScope; schoolId: string; classId: string }) {
  if (!canReadClass(opts.actor, opts.classId)) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cls] = await tx.select({ id: classes.id, name: classes.name, electiveCombination: classes.electiveCombination }).from(classes).where(eq(classes.id, opts.classId));
    if (!cls) throw new DomainError('not_found', { what: 'lớp / class' });
    const rows = await tx
      .select({ id: classSubjects.id, subjectId: subjects.id, code: subjects.code, name: subjects.name, kind: subjects.kind, teacherStaffId: classSubjects.teacherStaffId, teacherName: staff.fullName, topicCluster: classSubjects.topicCluster })
      .from(classSubjects)
      .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
      .leftJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
      .where(eq(classSubjects.classId, cls.id))
      .orderBy(asc(subjects.sortOrder));
    const out = [];
    for (const r of rows) out.push({ ...r, hasMarks: await marksExist(tx, r.id) });
    return { class: cls, subjects: out };
  });
}

/** Adds a subject to the class or changes its teacher / topic cluster. */
export async function setClassSubject(opts: { db: Db; who: Actor; schoolId: string; classId: string; subjectId: string; teacherStaffId?: string | null | undefined; topicCluster?: boolean | undefined; electiveCombination?: string | undefined }) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cls] = await tx.select().from(classes).where(eq(classes.id, opts.classId));
    const [subject] = await tx.select().from(subjects).where(eq(subjects.id, opts.subjectId));
    if (!cls || !subject) throw new DomainError('not_found', { what: 'lớp hoặc môn / class or subject' });
    if (opts.teacherStaffId) {
      const [t] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, opts.teacherStaffId));
      if (!t) throw new DomainError('not_found', { what: 'giáo viên / teacher' });
    }
    const [old] = await tx.select().from(classSubjects).where(and(eq(classSubjects.classId, cls.id), eq(classSubjects.subjectId, subject.id)));
    const topicCluster = opts.topicCluster ?? old?.topicCluster ?? false;
    if (topicCluster) {
      // A topic cluster (cụm chuyên đề) is only for subjects that have one, at most three per class (CTGDPT 2018).
      if (!THPT_SUBJECTS.find((c) => c.code === subject.code)?.topicClusterAllowed) {
        throw new DomainError('validation', { summary: 'topicCluster' }, [{ path: 'topicCluster', message: `Môn ${subject.name} không có cụm chuyên đề học tập.` }]);
      }
      const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(classSubjects).where(and(eq(classSubjects.classId, cls.id), eq(classSubjects.topicCluster, true), sql`${classSubjects.subjectId} <> ${subject.id}`));
      if (Number(n?.n ?? 0) >= TOPIC_CLUSTERS_PER_STUDENT) {
        throw new DomainError('validation', { summary: 'topicCluster' }, [{ path: 'topicCluster', message: `Mỗi lớp có tối đa ${TOPIC_CLUSTERS_PER_STUDENT} cụm chuyên đề.` }]);
      }
    }
    if (old && old.topicCluster !== topicCluster && (await marksExist(tx, old.id))) {
      throw new DomainError('validation', { summary: 'topicCluster' }, [{ path: 'topicCluster', message: 'Môn đã có điểm: không thể đổi cụm chuyên đề (làm thay đổi số cột TX).' }]);
    }
    const values = { teacherStaffId: opts.teacherStaffId === undefined ? (old?.teacherStaffId ?? null) : opts.teacherStaffId, topicCluster };
    const [row] = old
      ? await tx.update(classSubjects).set(values).where(eq(classSubjects.id, old.id)).returning()
      : await tx.insert(classSubjects).values({ schoolId: opts.schoolId, classId: cls.id, subjectId: subject.id, ...values }).returning();
    if (opts.electiveCombination !== undefined) await tx.update(classes).set({ electiveCombination: opts.electiveCombination.trim() || null }).where(eq(classes.id, cls.id));
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: old ? 'class_subject.updated' : 'class_subject.added',
      targetType: 'class_subject',
      targetId: row!.id,
      before: old ? { teacherStaffId: old.teacherStaffId, topicCluster: old.topicCluster } : null,
      after: { class: cls.name, subject: subject.code, ...values },
    });
    return row!;
  });
}

/** Removes a subject from the class — only while no marks exist for it. */
export async function removeClassSubject(opts: { db: Db; who: Actor; schoolId: string; classSubjectId: string }) {
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cs] = await tx.select().from(classSubjects).where(eq(classSubjects.id, opts.classSubjectId));
    if (!cs) throw new DomainError('not_found', { what: 'môn học của lớp / class-subject' });
    if (await marksExist(tx, cs.id)) throw new DomainError('validation', { summary: 'marks' }, [{ path: 'classSubjectId', message: 'Môn đã có điểm: không thể bỏ khỏi lớp.' }]);
    const sheets = await tx.select({ id: gradeSheets.id }).from(gradeSheets).where(eq(gradeSheets.classSubjectId, cs.id));
    for (const s of sheets) {
      await tx.delete(gradeEntries).where(eq(gradeEntries.sheetId, s.id)); // comments only, if any
    }
    // Sheets keep their history (grade_events): a subject with any event stays.
    const [events] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from grade_events e join grade_sheets s on s.id = e.sheet_id where s.class_subject_id = ${cs.id}`).then((r) => r.rows);
    if (Number(events?.n ?? 0) > 0) throw new DomainError('validation', { summary: 'history' }, [{ path: 'classSubjectId', message: 'Môn đã có lịch sử bảng điểm: không thể bỏ khỏi lớp.' }]);
    for (const s of sheets) await tx.delete(gradeSheets).where(eq(gradeSheets.id, s.id));
    await tx.execute(sql`delete from cross_checks where class_subject_id = ${cs.id}`);
    await tx.execute(sql`delete from exemptions where class_subject_id = ${cs.id}`);
    await tx.delete(classSubjects).where(eq(classSubjects.id, cs.id));
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'class_subject.removed', targetType: 'class_subject', targetId: cs.id, before: { classId: cs.classId, subjectId: cs.subjectId, teacherStaffId: cs.teacherStaffId, topicCluster: cs.topicCluster } });
  });
}
