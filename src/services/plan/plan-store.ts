/**
 * The school year's plan in the database: read (copying the default template the first time,
 * so every school year — and the demo school — has one), and the principal's edit, which
 * also moves the grade book's semester lock instants (domain/plan/plan-rules.ts semesterLocks).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { planStages, schoolYears } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { planWindow, semesterLocks, validatePlan } from '../../domain/plan/plan-rules.ts';
import { defaultPlan, PLAN_STAGES, type PlanRow, type PlanStage } from '../../domain/plan/plan-template.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

export type SchoolYearRow = typeof schoolYears.$inferSelect;

/** The school's current year, or null. */
export async function currentSchoolYear(tx: Tx): Promise<SchoolYearRow | null> {
  const [y] = await tx.select().from(schoolYears).where(eq(schoolYears.isCurrent, true));
  return y ?? null;
}

const order = (r: PlanRow) => PLAN_STAGES.indexOf(r.stage) * 100 + (r.grade ?? 0);

/** The year's plan rows in stage order, created from the template when the year has none. */
export async function ensurePlan(tx: Tx, year: SchoolYearRow, now: Date = new Date()): Promise<PlanRow[]> {
  let rows = await tx.select().from(planStages).where(eq(planStages.schoolYearId, year.id));
  if (rows.length === 0) {
    const plan = defaultPlan(Number(String(year.endsOn).slice(0, 4)));
    await tx
      .insert(planStages)
      .values(plan.map((r) => ({ schoolId: year.schoolId, schoolYearId: year.id, stage: r.stage, grade: r.grade, startsOn: r.startsOn, dueOn: r.dueOn, updatedBy: 'mẫu kế hoạch / template' })))
      .onConflictDoNothing();
    // A school that set its own lock instants keeps them until the principal saves the plan. The
    // template never locks a sheet retroactively: a deadline already past when the plan is first
    // read (a school starting mid-year, the demo's past year) locks only once the principal saves it.
    const locks = semesterLocks(plan);
    const ahead = (d: Date | null) => (d && d.getTime() > now.getTime() ? d : null);
    const s1 = year.semester1LockAt ?? ahead(locks.semester1);
    const s2 = year.semester2LockAt ?? ahead(locks.semester2);
    if (s1 !== year.semester1LockAt || s2 !== year.semester2LockAt) {
      await tx.update(schoolYears).set({ semester1LockAt: s1, semester2LockAt: s2 }).where(eq(schoolYears.id, year.id));
    }
    rows = await tx.select().from(planStages).where(eq(planStages.schoolYearId, year.id));
  }
  return rows.map((r) => ({ stage: r.stage as PlanStage, grade: r.grade as PlanRow['grade'], startsOn: r.startsOn, dueOn: r.dueOn })).sort((a, b) => order(a) - order(b));
}

export interface PlanView {
  schoolYear: { id: string; name: string; startsOn: string; endsOn: string } | null;
  window: { from: string; to: string } | null;
  rows: PlanRow[];
  locks: { semester1: string | null; semester2: string | null };
  canEdit: boolean;
}

function view(year: SchoolYearRow | null, rows: PlanRow[], canEdit: boolean, locks?: { semester1: Date | null; semester2: Date | null }): PlanView {
  return {
    schoolYear: year ? { id: year.id, name: year.name, startsOn: String(year.startsOn), endsOn: String(year.endsOn) } : null,
    window: year ? planWindow({ startsOn: String(year.startsOn), endsOn: String(year.endsOn) }) : null,
    rows,
    locks: { semester1: (locks?.semester1 ?? year?.semester1LockAt)?.toISOString() ?? null, semester2: (locks?.semester2 ?? year?.semester2LockAt)?.toISOString() ?? null },
    canEdit,
  };
}

/** The current year's plan (any staff member). */
export async function getPlan(opts: { db: Db; actor: ActorScope; schoolId: string; now?: Date }): Promise<PlanView> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const year = await currentSchoolYear(tx);
    if (!year) return view(null, [], false);
    const rows = await ensurePlan(tx, year, opts.now);
    const [fresh] = await tx.select().from(schoolYears).where(eq(schoolYears.id, year.id));
    return view(fresh ?? year, rows, hasPermission(opts.actor.roles, 'plan.manage'));
  });
}

/**
 * The principal's edit: the whole plan at once, validated (dates, order of stages for each
 * grade, within the school year); replaces the rows, moves the grade book's semester locks
 * to the plan's marks deadlines, and is audited with the old and new rows.
 */
export async function savePlan(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; rows: PlanRow[] }): Promise<PlanView> {
  if (!hasPermission(opts.actor.roles, 'plan.manage')) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const year = await currentSchoolYear(tx);
    if (!year) throw new DomainError('not_found', { what: 'năm học hiện tại / current school year' });
    const before = await ensurePlan(tx, year);
    const problems = validatePlan(opts.rows, { startsOn: String(year.startsOn), endsOn: String(year.endsOn) });
    if (problems.length) throw new DomainError('validation', { summary: problems.map((p) => p.message.vi).join(' ') }, problems.map((p) => ({ path: `${p.stage}${p.grade ? `[${p.grade}]` : ''}.${p.field}`, message: p.message.vi })));
    await tx.delete(planStages).where(eq(planStages.schoolYearId, year.id));
    await tx.insert(planStages).values(opts.rows.map((r) => ({ schoolId: opts.schoolId, schoolYearId: year.id, stage: r.stage, grade: r.grade, startsOn: r.startsOn, dueOn: r.dueOn, updatedBy: opts.who.label })));
    const locks = semesterLocks(opts.rows);
    await tx.update(schoolYears).set({ semester1LockAt: locks.semester1, semester2LockAt: locks.semester2 }).where(and(eq(schoolYears.id, year.id)));
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'plan.updated', targetType: 'school_year', targetId: year.id, before: { rows: before }, after: { rows: opts.rows, semester1LockAt: locks.semester1?.toISOString() ?? null, semester2LockAt: locks.semester2?.toISOString() ?? null } });
    return view(year, await ensurePlan(tx, year), true, locks);
  });
}
