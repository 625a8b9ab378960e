/**
 * The province board (bảng tiến độ toàn tỉnh): for every school of a province, its records of
 * the current school year by state, where it stands on the plan's signing deadlines, its
 * sync to the sector database and its certificate problems — aggregates only, never a
 * student's name, mark or id.
 *
 * All of it comes from six grouped SQL queries over every school at once (not one query per
 * school), so the board stays fast at 100 schools × 1,500 students; they run in one read-only
 * system-scope transaction on the handle given, which may be a read replica.
 * Certificates are judged from the registry (status, validity dates), not by OCSP: the
 * school's own certificate board does the live revocation checks.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { daysOverdue, rowFor, stageStatus, vnDay, type StageStatus } from '../../domain/plan/plan-rules.ts';
import { defaultPlan, PLAN_STAGE_LABELS, type PlanRow, type PlanStage } from '../../domain/plan/plan-template.ts';
import type { ProvinceBoard, ProvinceBoardSchool, ProvinceBoardStage } from '../../server/api-types.ts';
import { schoolsOfProvince, type Province } from './province-scope.ts';

/** Record states counted on the board (every version of the current year, superseded ones included). */
export const BOARD_STATES = ['frozen', 'subjects_signed', 'homeroom_signed', 'approved', 'sealed', 'returned', 'superseded'] as const;
export type BoardState = (typeof BOARD_STATES)[number];

/** The plan stages the board judges, and how far a student's latest version must have gone to count as done. */
export const BOARD_STAGES = ['freeze', 'sign_subject', 'sign_homeroom', 'sign_principal', 'seal', 'sync'] as const;
type BoardStage = ProvinceBoardStage['stage'];
const RANK: Record<string, number> = { none: -2, returned: -1, frozen: 0, subjects_signed: 1, homeroom_signed: 2, approved: 3, sealed: 4, superseded: 4 };
const NEEDED: Record<Exclude<BoardStage, 'sync'>, number> = { freeze: 0, sign_subject: 1, sign_homeroom: 2, sign_principal: 3, seal: 4 };

/** Days before expiry from which an active certificate counts as "expiring". */
export const EXPIRING_DAYS = 30;

export type BoardStageCell = ProvinceBoardStage;
export type BoardSchoolRow = ProvinceBoardSchool;
export type { ProvinceBoard };

const SEVERITY: Record<StageStatus, number> = { overdue: 4, due_soon: 3, open: 2, upcoming: 1, done: 0 };

function idList(ids: readonly string[]): SQL {
  return sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `);
}

type Rows<T> = { rows: T[] };

/**
 * The board of a province on `now`; with `schoolId`, only that school, its stages broken
 * down by grade (the drill-down). Takes any db handle (primary or read replica).
 */
export async function provinceBoard(opts: { db: Db; province: Province; now: Date; schoolId?: string }): Promise<ProvinceBoard> {
  const { db, province, now } = opts;
  let list = await schoolsOfProvince(db, province.code);
  if (opts.schoolId) list = list.filter((s) => s.id === opts.schoolId);
  const today = vnDay(now);
  const empty = (): Record<BoardState, number> => Object.fromEntries(BOARD_STATES.map((s) => [s, 0])) as Record<BoardState, number>;
  if (!list.length) {
    return { province, today, schools: [], totals: { schools: 0, lateSchools: 0, students: 0, states: empty(), sync: { accepted: 0, rejected: 0, pending: 0 }, certificates: { expired: 0, expiring: 0, revoked: 0 } } };
  }
  const ids = idList(list.map((s) => s.id));
  const expiringBefore = new Date(now.getTime() + EXPIRING_DAYS * 86_400_000);

  const q = await inSystem(db, async (tx) => {
    await tx.execute(sql`set transaction read only`);
    // The grouped queries hash ~150k rows at 100 schools: enough memory to keep them off disk.
    await tx.execute(sql`set local work_mem = '32MB'`);
    const years = (await tx.execute(sql`select id, school_id, name from school_years where is_current and school_id in (${ids})`)) as unknown as Rows<{ id: string; school_id: string; name: string }>;
    // Each active student's latest version (by number) in the current year, with whether it is accepted by a sync target.
    const progress = (await tx.execute(sql`
      with yr as (select id, school_id from school_years where is_current and school_id in (${ids})),
      latest as (
        select rv.student_id, rv.id, rv.state from record_versions rv
        join yr on yr.id = rv.school_year_id
        where not exists (select 1 from record_versions n where n.student_id = rv.student_id and n.school_year_id = rv.school_year_id and n.version > rv.version)
      ),
      accepted as (select distinct version_id from sync_items where status = 'accepted' and school_id in (${ids}))
      select e.school_id, c.grade::int as grade, coalesce(l.state, 'none') as state,
        count(*)::int as n, count(a.version_id)::int as synced
      from enrolments e
      join yr on yr.id = e.school_year_id
      join classes c on c.id = e.class_id
      left join latest l on l.student_id = e.student_id
      left join accepted a on a.version_id = l.id
      where e.status = 'active'
      group by 1, 2, 3`)) as unknown as Rows<{ school_id: string; grade: number; state: string; n: number; synced: number }>;
    const states = (await tx.execute(sql`
      select rv.school_id, rv.state, count(*)::int as n from record_versions rv
      join school_years y on y.id = rv.school_year_id and y.is_current
      where rv.school_id in (${ids}) group by 1, 2`)) as unknown as Rows<{ school_id: string; state: string; n: number }>;
    const plans = (await tx.execute(sql`
      select ps.school_id, ps.stage, ps.grade::int as grade, ps.starts_on::text as starts_on, ps.due_on::text as due_on from plan_stages ps
      join school_years y on y.id = ps.school_year_id and y.is_current
      where ps.school_id in (${ids})`)) as unknown as Rows<{ school_id: string; stage: string; grade: number | null; starts_on: string; due_on: string }>;
    const runs = (await tx.execute(sql`
      select distinct on (school_id) school_id, target, status, coalesce(finished_at, created_at) as at from sync_runs
      where school_id in (${ids}) order by school_id, created_at desc`)) as unknown as Rows<{ school_id: string; target: string; status: string; at: Date | string }>;
    const items = (await tx.execute(sql`
      select school_id, status, count(*)::int as n from sync_items where school_id in (${ids}) group by 1, 2`)) as unknown as Rows<{ school_id: string; status: string; n: number }>;
    const certs = (await tx.execute(sql`
      select school_id,
        count(*) filter (where status = 'active')::int as active,
        count(*) filter (where status = 'active' and not_after <= ${now})::int as expired,
        count(*) filter (where status = 'active' and not_after > ${now} and not_after <= ${expiringBefore})::int as expiring,
        count(*) filter (where status = 'revoked')::int as revoked
      from signing_certificates where school_id in (${ids}) group by 1`)) as unknown as Rows<{ school_id: string; active: number; expired: number; expiring: number; revoked: number }>;
    return { years: years.rows, progress: progress.rows, states: states.rows, plans: plans.rows, runs: runs.rows, items: items.rows, certs: certs.rows };
  });

  const schools: BoardSchoolRow[] = list.map((s) => {
    const year = q.years.find((y) => y.school_id === s.id) ?? null;
    const stored = q.plans.filter((p) => p.school_id === s.id).map((p) => ({ stage: p.stage as PlanStage, grade: p.grade as PlanRow['grade'], startsOn: p.starts_on, dueOn: p.due_on }));
    // A year whose plan nobody has opened yet follows the default template (as the school's own board would create it).
    const plan: PlanRow[] = stored.length ? stored : year ? defaultPlan(Number(year.name.slice(5))) : [];
    const mine = q.progress.filter((p) => p.school_id === s.id);
    const grades = [...new Set(mine.map((p) => Number(p.grade)))].sort();
    const stages: BoardStageCell[] = [];
    for (const stage of BOARD_STAGES) {
      const perGrade = grades.flatMap((grade) => {
        const row = rowFor(plan, stage, grade);
        if (!row) return [];
        const g = mine.filter((p) => Number(p.grade) === grade);
        const total = g.reduce((n, p) => n + Number(p.n), 0);
        const done = stage === 'sync' ? g.reduce((n, p) => n + Number(p.synced), 0) : g.filter((p) => (RANK[p.state] ?? -2) >= NEEDED[stage]).reduce((n, p) => n + Number(p.n), 0);
        const status = stageStatus(now, row, done >= total);
        return [{ grade, dueOn: row.dueOn, done, total, status, daysOverdue: status === 'overdue' ? daysOverdue(now, row.dueOn) : 0 }];
      });
      if (!perGrade.length) continue;
      const worst = perGrade.reduce((a, b) => (SEVERITY[b.status] > SEVERITY[a.status] ? b : a));
      stages.push({
        stage,
        label: PLAN_STAGE_LABELS[stage],
        dueOn: perGrade.map((g) => g.dueOn).sort().at(-1) ?? null,
        done: perGrade.reduce((n, g) => n + g.done, 0),
        total: perGrade.reduce((n, g) => n + g.total, 0),
        status: worst.status,
        daysOverdue: Math.max(...perGrade.map((g) => g.daysOverdue)),
        ...(opts.schoolId ? { grades: perGrade } : {}),
      });
    }
    const states = empty();
    for (const r of q.states.filter((r) => r.school_id === s.id)) if (r.state in states) states[r.state as BoardState] += Number(r.n);
    const run = q.runs.find((r) => r.school_id === s.id);
    const item = (status: string) => Number(q.items.find((i) => i.school_id === s.id && i.status === status)?.n ?? 0);
    const cert = q.certs.find((c) => c.school_id === s.id);
    return {
      schoolId: s.id,
      code: s.code,
      name: s.name,
      commune: s.commune,
      schoolYear: year?.name ?? null,
      students: mine.reduce((n, p) => n + Number(p.n), 0),
      states,
      stages,
      lateStages: stages.filter((c) => c.status === 'overdue').length,
      sync: {
        lastRunAt: run ? new Date(run.at).toISOString() : null,
        lastStatus: run?.status ?? null,
        lastTarget: run?.target ?? null,
        accepted: item('accepted'),
        rejected: item('rejected') + item('invalid'),
        pending: item('queued') + item('sending') + item('pending'),
      },
      certificates: { active: Number(cert?.active ?? 0), expired: Number(cert?.expired ?? 0), expiring: Number(cert?.expiring ?? 0), revoked: Number(cert?.revoked ?? 0) },
    };
  });

  const sum = (f: (s: BoardSchoolRow) => number) => schools.reduce((n, s) => n + f(s), 0);
  const states = empty();
  for (const s of schools) for (const k of BOARD_STATES) states[k] += s.states[k];
  return {
    province,
    today,
    schools,
    totals: {
      schools: schools.length,
      lateSchools: schools.filter((s) => s.lateStages > 0).length,
      students: sum((s) => s.students),
      states,
      sync: { accepted: sum((s) => s.sync.accepted), rejected: sum((s) => s.sync.rejected), pending: sum((s) => s.sync.pending) },
      certificates: { expired: sum((s) => s.certificates.expired), expiring: sum((s) => s.certificates.expiring), revoked: sum((s) => s.certificates.revoked) },
    },
  };
}
