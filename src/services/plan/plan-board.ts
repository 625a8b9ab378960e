/**
 * The progress board (principal, vice principals, school admin): every stage × grade ×
 * class as done / pending / overdue against the plan, the pending items with the person
 * and the record, the certificate problems (the certificate board service), the data-quality
 * totals (the data-quality service) and the daily snapshots for the chart against the plan.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem } from '../../db/scope.ts';
import { planProgressSnapshots, schools } from '../../db/schema.ts';
import type { Lang } from '../../domain/errors.ts';
import { daysOverdue, rowFor, stageStatus, vnDay, type StageStatus } from '../../domain/plan/plan-rules.ts';
import { PLAN_STAGES, PLAN_STAGE_LABELS, type PlanRow, type PlanStage } from '../../domain/plan/plan-template.ts';
import { certificateBoard } from '../certificates/certificate-board.ts';
import type { TrustContext } from '../certificates/signing-certificates.ts';
import { schoolProgress, type PendingItem, type ProgressCell } from './plan-progress.ts';

/** At most this many pending items per class cell go to the client (the count is exact). */
export const PENDING_LIMIT = 50;

export interface BoardClassCell {
  classId: string;
  className: string;
  done: number;
  total: number;
  status: StageStatus;
  daysOverdue: number;
  pending: PendingItem[];
}

export interface BoardStageRow {
  stage: PlanStage;
  label: { vi: string; en: string };
  grade: number;
  startsOn: string;
  dueOn: string;
  done: number;
  total: number;
  status: StageStatus;
  overdueClasses: number;
  classes: BoardClassCell[];
}

export interface PlanBoard {
  schoolName: string;
  schoolYear: string | null;
  today: string;
  plan: PlanRow[];
  rows: BoardStageRow[];
  totals: { done: number; pending: number; overdue: number };
  certificates: { counts: Record<string, number>; problems: Array<{ fullName: string; duties: string[]; standing: string; message: string | null; deadline: string | null }> } | null;
  dataQuality: { students: number; clean: number; percentClean: number; blocking: number; reconciled: number; percentReconciled: number };
  snapshots: Array<{ day: string; stage: PlanStage; done: number; total: number }>;
}

/** Stage × grade rows from class cells, judged against the plan on `now`. */
export function boardRows(plan: readonly PlanRow[], cells: readonly ProgressCell[], now: Date): BoardStageRow[] {
  const rows: BoardStageRow[] = [];
  for (const stage of PLAN_STAGES) {
    for (const grade of [10, 11, 12]) {
      const mine = cells.filter((c) => c.stage === stage && c.grade === grade);
      const row = rowFor(plan, stage, grade);
      if (!mine.length || !row) continue;
      const classes: BoardClassCell[] = mine.map((c) => {
        const status = stageStatus(now, row, c.done >= c.total);
        return { classId: c.classId, className: c.className, done: c.done, total: c.total, status, daysOverdue: status === 'overdue' ? daysOverdue(now, row.dueOn) : 0, pending: c.pending.slice(0, PENDING_LIMIT) };
      });
      const done = mine.reduce((n, c) => n + c.done, 0);
      const total = mine.reduce((n, c) => n + c.total, 0);
      rows.push({ stage, label: PLAN_STAGE_LABELS[stage], grade, startsOn: row.startsOn, dueOn: row.dueOn, done, total, status: stageStatus(now, row, done >= total), overdueClasses: classes.filter((c) => c.status === 'overdue').length, classes });
    }
  }
  return rows;
}

/** The board of the school on `now`; certificates are checked when a trust context is given. */
export async function planBoard(opts: { db: Db; schoolId: string; now: Date; lang: Lang; trust?: TrustContext | null }): Promise<PlanBoard> {
  const { db, schoolId, now } = opts;
  const progress = await schoolProgress(db, schoolId, now);
  const rows = boardRows(progress.plan, progress.cells, now);
  const [school] = await inSystem(db, (tx) => tx.select({ name: schools.name }).from(schools).where(eq(schools.id, schoolId)));
  const snapshots = progress.year
    ? await inSchool(db, schoolId, (tx) =>
        tx
          .select({ day: planProgressSnapshots.day, stage: planProgressSnapshots.stage, done: planProgressSnapshots.done, total: planProgressSnapshots.total })
          .from(planProgressSnapshots)
          .where(and(eq(planProgressSnapshots.schoolYearId, progress.year!.id)))
          .orderBy(asc(planProgressSnapshots.day)),
      )
    : [];
  // Snapshots are per grade: the chart shows the whole school per stage.
  const byDayStage = new Map<string, { day: string; stage: PlanStage; done: number; total: number }>();
  for (const s of snapshots) {
    const k = `${s.day}|${s.stage}`;
    const e = byDayStage.get(k) ?? { day: s.day, stage: s.stage as PlanStage, done: 0, total: 0 };
    e.done += s.done;
    e.total += s.total;
    byDayStage.set(k, e);
  }
  let certificates: PlanBoard['certificates'] = null;
  if (opts.trust) {
    const cb = await certificateBoard({ db, schoolId, trust: opts.trust, lang: opts.lang });
    certificates = { counts: cb.counts, problems: cb.rows.filter((r) => r.standing !== 'valid').map((r) => ({ fullName: r.fullName, duties: r.duties, standing: r.standing, message: r.message, deadline: r.deadline })) };
  }
  const dq = progress.cells.filter((c) => c.stage === 'data_cleaning');
  const students = dq.reduce((n, c) => n + c.total, 0);
  const clean = dq.reduce((n, c) => n + c.done, 0);
  const classCells = rows.flatMap((r) => r.classes);
  return {
    schoolName: school?.name ?? '',
    schoolYear: progress.year?.name ?? null,
    today: vnDay(now),
    plan: progress.plan,
    rows,
    totals: { done: classCells.filter((c) => c.status === 'done').length, pending: classCells.filter((c) => c.status !== 'done' && c.status !== 'overdue').length, overdue: classCells.filter((c) => c.status === 'overdue').length },
    certificates,
    dataQuality: { students, clean, percentClean: students ? Math.floor((1000 * clean) / students) / 10 : 100, blocking: students - clean, reconciled: progress.quality.reconciled, percentReconciled: progress.quality.percentReconciled },
    snapshots: [...byDayStage.values()],
  };
}

/** Writes today's progress per stage and grade (idempotent: the day's row is replaced). */
export async function snapshotProgress(opts: { db: Db; schoolId: string; now: Date }): Promise<number> {
  const progress = await schoolProgress(opts.db, opts.schoolId, opts.now);
  if (!progress.year) return 0;
  const day = vnDay(opts.now);
  const agg = new Map<string, { stage: PlanStage; grade: number; done: number; total: number }>();
  for (const c of progress.cells) {
    const k = `${c.stage}|${c.grade}`;
    const e = agg.get(k) ?? { stage: c.stage, grade: c.grade, done: 0, total: 0 };
    e.done += c.done;
    e.total += c.total;
    agg.set(k, e);
  }
  const values = [...agg.values()].map((e) => ({ schoolId: opts.schoolId, schoolYearId: progress.year!.id, day, ...e }));
  if (!values.length) return 0;
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    for (const v of values) {
      await tx.insert(planProgressSnapshots).values(v).onConflictDoUpdate({ target: [planProgressSnapshots.schoolYearId, planProgressSnapshots.day, planProgressSnapshots.stage, planProgressSnapshots.grade], set: { done: v.done, total: v.total } });
    }
  });
  return values.length;
}
