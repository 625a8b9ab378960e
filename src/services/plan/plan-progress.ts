/**
 * Where each class stands on each stage of the plan: how many units are done out of how
 * many, and the pending ones with the person responsible and the record (for the board's
 * drill-down, the reminders' escalation and the daily snapshot).
 *
 * Units per stage: data cleaning — students without a blocking data problem; marks —
 * class-subject sheets submitted; freeze — students with a record version; signing steps —
 * students whose latest version has passed that step; sync — latest versions accepted by
 * the sector database (sync_items).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, classSubjects, enrolments, gradeSheets, homeroomAssignments, recordSignatures, recordVersions, staff, students, subjects, syncItems } from '../../db/schema.ts';
import type { PlanRow, PlanStage } from '../../domain/plan/plan-template.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { latestVersions } from '../records/record-states.ts';
import { dataQualityBoard } from '../students/data-quality.ts';
import { currentSchoolYear, ensurePlan, type SchoolYearRow } from './plan-store.ts';

export interface PendingItem {
  /** The person who must act (name), and their user id when known. */
  who: string | null;
  whoUserId: string | null;
  /** What is pending: a student's name, a subject's sheet. */
  what: string;
  /** The page that does it. */
  link: string | null;
  versionId?: string;
}

export interface ProgressCell {
  stage: PlanStage;
  classId: string;
  className: string;
  grade: number;
  done: number;
  total: number;
  pending: PendingItem[];
}

export interface SchoolProgress {
  year: SchoolYearRow | null;
  plan: PlanRow[];
  cells: ProgressCell[];
  /** The data-quality service's school totals (reconciled students included). */
  quality: { reconciled: number; percentReconciled: number };
}

/** Reads every class's standing as a school leader would (the board is school-wide). */
function leaderScope(schoolId: string): ActorScope {
  const none = new Set<string>();
  return { userId: '00000000-0000-0000-0000-000000000000', schoolId, roles: new Set(['principal']), homeroomClassIds: none, classSubjectIds: none, taughtClassIds: none, studentIds: none };
}

const STATE_RANK: Record<string, number> = { returned: -1, frozen: 0, subjects_signed: 1, homeroom_signed: 2, approved: 3, sealed: 4, superseded: 4 };
const SIGN_RANK: Partial<Record<PlanStage, number>> = { sign_subject: 1, sign_homeroom: 2, sign_principal: 3, seal: 4 };

/** Progress of every class of the current year on every stage. */
export async function schoolProgress(db: Db, schoolId: string, now?: Date): Promise<SchoolProgress> {
  const quality = await dataQualityBoard({ db, actor: leaderScope(schoolId), schoolId });
  const q = { reconciled: quality.totals.reconciled, percentReconciled: quality.totals.percentReconciled };
  return inSchool(db, schoolId, async (tx) => {
    const year = await currentSchoolYear(tx);
    if (!year) return { year: null, plan: [], cells: [], quality: q };
    const plan = await ensurePlan(tx, year, now);
    const cls = (
      await tx
        .select({ id: classes.id, name: classes.name, grade: classes.grade, homeroom: staff.fullName, homeroomUserId: staff.userId })
        .from(classes)
        .leftJoin(homeroomAssignments, eq(homeroomAssignments.classId, classes.id))
        .leftJoin(staff, eq(staff.id, homeroomAssignments.staffId))
        .where(eq(classes.schoolYearId, year.id))
        .orderBy(asc(classes.grade), sql`length(${classes.name})`, asc(classes.name))
    );
    if (cls.length === 0) return { year, plan, cells: [], quality: q };
    const classIds = cls.map((c) => c.id);
    const roster = await tx
      .select({ studentId: students.id, name: students.fullName, classId: enrolments.classId })
      .from(enrolments)
      .innerJoin(students, eq(students.id, enrolments.studentId))
      .where(and(inArray(enrolments.classId, classIds), eq(enrolments.status, 'active')));
    roster.sort((a, b) => compareVietnameseNames(a.name, b.name));
    const sheets = await tx
      .select({ csId: classSubjects.id, classId: classSubjects.classId, subject: subjects.name, code: subjects.code, teacher: staff.fullName, teacherUserId: staff.userId, semester: gradeSheets.semester, status: gradeSheets.status })
      .from(classSubjects)
      .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
      .leftJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
      .leftJoin(gradeSheets, eq(gradeSheets.classSubjectId, classSubjects.id))
      .where(inArray(classSubjects.classId, classIds))
      .orderBy(asc(subjects.sortOrder));
    const latest = await latestVersions(tx, year.id, roster.map((r) => r.studentId));
    const versionIds = [...latest.values()].map((v) => v.id);
    const signed = versionIds.length
      ? await tx.select({ versionId: recordSignatures.versionId, subjects: recordSignatures.subjects }).from(recordSignatures).where(and(inArray(recordSignatures.versionId, versionIds), eq(recordSignatures.step, 'subject')))
      : [];
    const signedCodes = new Map<string, Set<string>>();
    for (const s of signed) signedCodes.set(s.versionId, new Set([...(signedCodes.get(s.versionId) ?? []), ...s.subjects]));
    const synced = versionIds.length
      ? new Set((await tx.select({ versionId: syncItems.versionId }).from(syncItems).where(and(inArray(syncItems.versionId, versionIds), eq(syncItems.status, 'accepted')))).map((r) => r.versionId))
      : new Set<string>();
    const blockingByStudent = new Map<string, number>();
    for (const p of quality.problems) if (p.severity === 'blocking') blockingByStudent.set(p.studentId, (blockingByStudent.get(p.studentId) ?? 0) + 1);

    const cells: ProgressCell[] = [];
    for (const c of cls) {
      const kids = roster.filter((r) => r.classId === c.id);
      const homeroom = { who: c.homeroom, whoUserId: c.homeroomUserId };
      const cell = (stage: PlanStage, total: number, pending: PendingItem[]) => cells.push({ stage, classId: c.id, className: c.name, grade: c.grade, done: total - pending.length, total, pending });
      cell(
        'data_cleaning',
        kids.length,
        kids.filter((k) => blockingByStudent.has(k.studentId)).map((k) => ({ ...homeroom, what: `${k.name} (${blockingByStudent.get(k.studentId)} lỗi dữ liệu)`, link: `/students/${k.studentId}` })),
      );
      const classSheets = sheets.filter((s) => s.classId === c.id);
      const csIds = [...new Set(classSheets.map((s) => s.csId))];
      for (const semester of [1, 2] as const) {
        const pending: PendingItem[] = [];
        for (const csId of csIds) {
          const rows = classSheets.filter((s) => s.csId === csId);
          if (rows.some((s) => s.semester === semester && s.status === 'submitted')) continue;
          const r = rows[0]!;
          pending.push({ who: r.teacher, whoUserId: r.teacherUserId, what: `${r.subject} – HK${semester === 1 ? 'I' : 'II'}`, link: `/grade-sheets/${csId}/${semester}` });
        }
        cell(semester === 1 ? 'marks_s1' : 'marks_s2', csIds.length, pending);
      }
      cell('freeze', kids.length, kids.filter((k) => !latest.has(k.studentId) || latest.get(k.studentId)!.state === 'returned').map((k) => ({ ...homeroom, what: k.name, link: `/homeroom/${c.id}` })));
      for (const stage of ['sign_subject', 'sign_homeroom', 'sign_principal', 'seal'] as const) {
        const pending: PendingItem[] = [];
        for (const k of kids) {
          const v = latest.get(k.studentId);
          if (v && (STATE_RANK[v.state] ?? -1) >= SIGN_RANK[stage]!) continue;
          let who: Pick<PendingItem, 'who' | 'whoUserId'> = { who: null, whoUserId: null };
          if (stage === 'sign_subject') {
            const done = signedCodes.get(v?.id ?? '') ?? new Set<string>();
            const waiting = classSheets.filter((s, i, all) => all.findIndex((x) => x.csId === s.csId) === i && !done.has(s.code));
            const names = [...new Set(waiting.map((s) => s.teacher).filter((n): n is string => !!n))];
            who = { who: names.join(', ') || null, whoUserId: waiting.length === 1 ? waiting[0]!.teacherUserId : null };
          } else if (stage === 'sign_homeroom') who = homeroom;
          pending.push({ ...who, what: k.name, link: v ? `/students/${k.studentId}` : `/homeroom/${c.id}`, ...(v ? { versionId: v.id } : {}) });
        }
        cell(stage, kids.length, pending);
      }
      cell('sync', kids.length, kids.filter((k) => !synced.has(latest.get(k.studentId)?.id ?? '')).map((k) => ({ who: null, whoUserId: null, what: k.name, link: `/students/${k.studentId}` })));
    }
    return { year, plan, cells, quality: q };
  });
}
