/**
 * The homeroom teacher's daily attendance register (sổ điểm danh): for each day and session
 * (sáng / chiều), who was absent, with or without permission. Absences per semester — the
 * count promotion depends on (≤ 45 sessions, Circular 22) — are derived from it.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { attendance, classes, enrolments, schoolYears, students } from '../../db/schema.ts';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { canReadClass, isHomeroomOf, type ActorScope } from '../../domain/policies/permissions.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

export type AttendanceStatus = 'present' | 'excused' | 'unexcused';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

async function classAndYear(tx: Tx, classId: string) {
  const [row] = await tx.select({ cls: classes, year: schoolYears }).from(classes).innerJoin(schoolYears, eq(schoolYears.id, classes.schoolYearId)).where(eq(classes.id, classId));
  if (!row) throw new DomainError('not_found', { what: 'lớp / class' });
  return row;
}

async function roster(tx: Tx, classId: string) {
  const rows = await tx
    .select({ studentId: students.id, fullName: students.fullName })
    .from(enrolments)
    .innerJoin(students, eq(students.id, enrolments.studentId))
    .where(and(eq(enrolments.classId, classId), eq(enrolments.status, 'active')));
  return rows.sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
}

function checkDate(date: string, year: { startsOn: string; endsOn: string }, today: string): ErrorDetail | null {
  if (!ISO_DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    return { path: 'date', message: `Ngày không hợp lệ: ${date}` };
  }
  if (date < year.startsOn || date > year.endsOn) return { path: 'date', message: `Ngày ${date} nằm ngoài năm học (${year.startsOn} – ${year.endsOn}).` };
  if (date > today) return { path: 'date', message: `Chưa thể điểm danh cho ngày ${date} (sau hôm nay).` };
  return null;
}

/** The register of one day for a class. */
export async function getAttendanceDay(opts: { db: Db; actor: ActorScope; schoolId: string; classId: string; date: string }) {
  if (!canReadClass(opts.actor, opts.classId)) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const { cls } = await classAndYear(tx, opts.classId);
    const list = await roster(tx, opts.classId);
    const ids = list.map((s) => s.studentId);
    const rows = ids.length ? await tx.select().from(attendance).where(and(eq(attendance.on, opts.date), inArray(attendance.studentId, ids))) : [];
    const status = new Map(rows.map((r) => [`${r.studentId}|${r.session}`, r.excused ? 'excused' : 'unexcused']));
    return {
      class: { id: cls.id, name: cls.name },
      date: opts.date,
      canEdit: isHomeroomOf(opts.actor, opts.classId),
      students: list.map((s) => ({
        ...s,
        sessions: { '1': (status.get(`${s.studentId}|1`) ?? 'present') as AttendanceStatus, '2': (status.get(`${s.studentId}|2`) ?? 'present') as AttendanceStatus },
      })),
    };
  });
}

/** Saves one day's register for the listed students and sessions, all or nothing (audited). */
export async function saveAttendanceDay(opts: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  classId: string;
  date: string;
  entries: Array<{ studentId: string; session: 1 | 2; status: AttendanceStatus }>;
  today?: string;
}): Promise<void> {
  if (!isHomeroomOf(opts.actor, opts.classId)) throw new DomainError('forbidden');
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    const { cls, year } = await classAndYear(tx, opts.classId);
    const details: ErrorDetail[] = [];
    const bad = checkDate(opts.date, year, opts.today ?? vietnamToday());
    if (bad) details.push(bad);
    const onRoster = new Set((await roster(tx, opts.classId)).map((s) => s.studentId));
    opts.entries.forEach((e, i) => {
      if (!onRoster.has(e.studentId)) details.push({ path: `entries.${i}.studentId`, message: 'Học sinh không thuộc lớp này.' });
    });
    if (details.length) throw new DomainError('validation', { summary: details.map((d) => d.message).join('; ') }, details);
    const changes = [];
    for (const e of opts.entries) {
      const where = and(eq(attendance.studentId, e.studentId), eq(attendance.on, opts.date), eq(attendance.session, e.session));
      const [old] = await tx.select().from(attendance).where(where);
      const before = old ? (old.excused ? 'excused' : 'unexcused') : 'present';
      if (before === e.status) continue;
      if (e.status === 'present') await tx.delete(attendance).where(where);
      else {
        const excused = e.status === 'excused';
        await tx
          .insert(attendance)
          .values({ schoolId: opts.schoolId, studentId: e.studentId, schoolYearId: cls.schoolYearId, on: opts.date, session: e.session, excused, recordedBy: opts.who.userId })
          .onConflictDoUpdate({ target: [attendance.studentId, attendance.on, attendance.session], set: { excused, recordedBy: opts.who.userId, updatedAt: new Date() } });
      }
      changes.push({ studentId: e.studentId, session: e.session, old: before, new: e.status });
    }
    if (changes.length) {
      await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'attendance.recorded', targetType: 'class', targetId: opts.classId, after: { date: opts.date, changes } });
    }
  });
}

/** Absent sessions per student and semester, from the register. */
export async function absencesByStudent(tx: Tx, studentIds: string[], year: { id: string; semester2StartsOn: string | null }) {
  const out = new Map<string, Record<1 | 2, { excused: number; unexcused: number }>>();
  if (!studentIds.length) return out;
  const split = year.semester2StartsOn ?? '9999-12-31';
  const rows = await tx
    .select({
      studentId: attendance.studentId,
      semester: sql<number>`case when ${attendance.on} < ${split} then 1 else 2 end`,
      excused: attendance.excused,
      n: sql<number>`count(*)::int`,
    })
    .from(attendance)
    .where(and(eq(attendance.schoolYearId, year.id), inArray(attendance.studentId, studentIds)))
    .groupBy(attendance.studentId, sql`2`, attendance.excused);
  for (const r of rows) {
    const e = out.get(r.studentId) ?? { 1: { excused: 0, unexcused: 0 }, 2: { excused: 0, unexcused: 0 } };
    const sem = Number(r.semester) === 1 ? 1 : 2;
    e[sem][r.excused ? 'excused' : 'unexcused'] += Number(r.n);
    out.set(r.studentId, e);
  }
  return out;
}

/** Today's date in Vietnam (UTC+7), as YYYY-MM-DD. */
export function vietnamToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

