/**
 * Enrolling, moving between classes, transferring out, dropping out and graduating. Each
 * is dated, has a reason, and is audited; the ended enrolment rows are the student's class
 * history. A student is never deleted (DOMAIN.md §6b: permanent records).
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, enrolments, schoolYears, students } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { parseVietnameseDate } from '../../domain/identity/dates.ts';
import { leaveProblem, moveProblem, type LeaveKind } from '../../domain/record/enrolment.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { getStudentProfile, normaliseProfileInput, studentUniqueConflict } from './student-profile.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';

function day(v: string, path: string, lang: 'vi' | 'en'): string {
  const d = parseVietnameseDate(v);
  if (!d.ok) throw new DomainError('validation', { summary: path }, [{ path, message: d.problem.message[lang] }]);
  return d.date;
}

async function classInfo(tx: Tx, classId: string) {
  const [c] = await tx
    .select({ classId: classes.id, name: classes.name, grade: classes.grade, schoolYearId: classes.schoolYearId, startsOn: schoolYears.startsOn, endsOn: schoolYears.endsOn })
    .from(classes)
    .innerJoin(schoolYears, eq(schoolYears.id, classes.schoolYearId))
    .where(eq(classes.id, classId));
  if (!c) throw new DomainError('not_found', { what: 'lớp / class' });
  return c;
}

async function activeEnrolment(tx: Tx, studentId: string) {
  const [e] = await tx
    .select({ e: enrolments, grade: classes.grade, className: classes.name })
    .from(enrolments)
    .innerJoin(classes, eq(classes.id, enrolments.classId))
    .innerJoin(schoolYears, and(eq(schoolYears.id, enrolments.schoolYearId), eq(schoolYears.isCurrent, true)))
    .where(and(eq(enrolments.studentId, studentId), eq(enrolments.status, 'active')))
    .for('update', { of: enrolments });
  if (!e) throw new DomainError('not_found', { what: 'học sinh đang học / active student' });
  return e;
}

function inYear(date: string, c: { startsOn: string; endsOn: string }, lang: 'vi' | 'en') {
  if (date < c.startsOn || date > c.endsOn) {
    throw new DomainError('validation', { summary: 'on' }, [{ path: 'on', message: lang === 'vi' ? `Ngày ${date} nằm ngoài năm học (${c.startsOn} – ${c.endsOn}).` : `${date} is outside the school year.` }]);
  }
}

/** A new student (tuyển mới) or one transferred in from another school (chuyển đến). */
export async function enrolStudent(opts: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  classId: string;
  on: string;
  joinedAs: 'new' | 'transfer_in';
  note?: string | undefined;
  values: Record<string, string | null>;
  lang: 'vi' | 'en';
}) {
  const values = normaliseProfileInput(opts.values, opts.lang);
  for (const f of ['fullName', 'gender', 'birthDate'] as const) {
    if (!values[f]) throw new DomainError('validation', { summary: f }, [{ path: `values.${f}`, message: opts.lang === 'vi' ? 'Bắt buộc khi nhập học.' : 'Required to enrol.' }]);
  }
  const on = day(opts.on, 'on', opts.lang);
  const id = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const c = await classInfo(tx, opts.classId);
    inYear(on, c, opts.lang);
    let s;
    try {
      [s] = await tx.insert(students).values({ ...(values as Record<string, string>), schoolId: opts.schoolId, fullName: values.fullName!, gender: values.gender!, birthDate: values.birthDate! }).returning();
    } catch (err) {
      throw studentUniqueConflict(err, opts.lang);
    }
    await tx.insert(enrolments).values({ schoolId: opts.schoolId, studentId: s!.id, schoolYearId: c.schoolYearId, classId: c.classId, enrolledOn: on, joinedAs: opts.joinedAs, note: opts.note ?? null });
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: opts.joinedAs === 'transfer_in' ? 'student.transferred_in' : 'student.enrolled', targetType: 'student', targetId: s!.id, after: { class: c.name, on, note: opts.note ?? null, ...values } });
    return s!.id;
  });
  return getStudentProfile({ db: opts.db, actor: opts.actor, schoolId: opts.schoolId, studentId: id });
}

/** Moves a student to another class of the same year, from a date. */
export async function moveStudent(opts: { db: Db; who: Actor; schoolId: string; studentId: string; toClassId: string; on: string; reason: string; lang: 'vi' | 'en' }) {
  const on = day(opts.on, 'on', opts.lang);
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    const cur = await activeEnrolment(tx, opts.studentId);
    const to = await classInfo(tx, opts.toClassId);
    const problem = moveProblem({ classId: cur.e.classId, schoolYearId: cur.e.schoolYearId }, to);
    if (problem) throw new DomainError('validation', { summary: 'toClassId' }, [{ path: 'toClassId', message: problem[opts.lang] }]);
    inYear(on, to, opts.lang);
    await tx.update(enrolments).set({ status: 'moved', leftOn: on, note: opts.reason }).where(eq(enrolments.id, cur.e.id));
    await tx.insert(enrolments).values({ schoolId: opts.schoolId, studentId: opts.studentId, schoolYearId: to.schoolYearId, classId: to.classId, enrolledOn: on, joinedAs: 'moved', note: opts.reason });
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'student.moved', targetType: 'student', targetId: opts.studentId, before: { class: cur.className }, after: { class: to.name, on, reason: opts.reason } });
  });
}

/** Ends the student's enrolment: transferred to another school, dropped out, or graduated. */
export async function leaveSchool(opts: { db: Db; who: Actor; schoolId: string; studentId: string; kind: LeaveKind; on: string; reason: string; lang: 'vi' | 'en' }) {
  const on = day(opts.on, 'on', opts.lang);
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    const cur = await activeEnrolment(tx, opts.studentId);
    const problem = leaveProblem(opts.kind, cur.grade);
    if (problem) throw new DomainError('validation', { summary: 'kind' }, [{ path: 'kind', message: problem[opts.lang] }]);
    if (cur.e.enrolledOn && on < cur.e.enrolledOn) throw new DomainError('validation', { summary: 'on' }, [{ path: 'on', message: opts.lang === 'vi' ? 'Ngày rời trường trước ngày vào lớp.' : 'Leaving before joining the class.' }]);
    await tx.update(enrolments).set({ status: opts.kind, leftOn: on, note: opts.reason }).where(eq(enrolments.id, cur.e.id));
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: `student.${opts.kind}`, targetType: 'student', targetId: opts.studentId, before: { class: cur.className, status: 'active' }, after: { status: opts.kind, on, reason: opts.reason } });
  });
}

/** The student's classes over time, oldest first. */
export async function classHistory(tx: Tx, studentId: string) {
  return tx
    .select({ schoolYear: schoolYears.name, className: classes.name, enrolledOn: enrolments.enrolledOn, leftOn: enrolments.leftOn, status: enrolments.status, joinedAs: enrolments.joinedAs, note: enrolments.note })
    .from(enrolments)
    .innerJoin(classes, eq(classes.id, enrolments.classId))
    .innerJoin(schoolYears, eq(schoolYears.id, enrolments.schoolYearId))
    .where(eq(enrolments.studentId, studentId))
    .orderBy(asc(schoolYears.startsOn), asc(enrolments.enrolledOn), asc(enrolments.createdAt));
}
