/**
 * Pure rules of the school-year plan: Vietnam-time days and deadlines, which row applies to
 * a grade, validation of an edited plan, a stage's status on a given day, and when a person
 * is reminded or the principal is told (escalation).
 *
 * Times: every plan date is a day in Vietnam (UTC+7, no daylight saving). A stage is due
 * at the END of its due day, so "by 15 June" still allows signing on 15 June at 23:00.
 */
import { PLAN_STAGES, PLAN_STAGE_LABELS, type PlanRow, type PlanStage } from './plan-template.ts';

const VN_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 24 * 3600_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Vietnam calendar day (YYYY-MM-DD) of an instant. */
export function vnDay(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

function dayStartUtc(day: string): number {
  const m = DAY_RE.exec(day);
  if (!m) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** Whether a string is a real calendar day in YYYY-MM-DD form. */
export function isDay(day: string): boolean {
  if (!DAY_RE.test(day)) return false;
  return new Date(dayStartUtc(day)).toISOString().slice(0, 10) === day;
}

/** The instant a stage due on `dueOn` becomes overdue: 24:00 of that day in Vietnam. */
export function deadlineInstant(dueOn: string): Date {
  return new Date(dayStartUtc(dueOn) + DAY_MS - VN_OFFSET_MS);
}

/** The instant a day starts in Vietnam. */
export function dayStartInstant(day: string): Date {
  return new Date(dayStartUtc(day) - VN_OFFSET_MS);
}

/** Whole days from day `a` to day `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayStartUtc(b) - dayStartUtc(a)) / DAY_MS);
}

/** A day moved by `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(dayStartUtc(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The row of `stage` that applies to `grade`: its own row, else the every-grade row. */
export function rowFor(plan: readonly PlanRow[], stage: PlanStage, grade: number | null): PlanRow | null {
  return plan.find((r) => r.stage === stage && r.grade === grade && grade !== null) ?? plan.find((r) => r.stage === stage && r.grade === null) ?? null;
}

/**
 * Stages whose deadlines must come in this order for each grade (the signing chain cannot
 * be due before the data it signs is complete). Sync runs alongside the seal (1–30 June) and
 * is not ordered.
 */
export const ORDERED_CHAINS: readonly (readonly PlanStage[])[] = [
  ['marks_s1', 'marks_s2', 'freeze', 'sign_subject', 'sign_homeroom', 'sign_principal', 'seal'],
  ['data_cleaning', 'freeze'],
];

export interface PlanProblem {
  stage: PlanStage;
  grade: number | null;
  field: 'startsOn' | 'dueOn' | 'stage';
  code: 'plan.bad_date' | 'plan.start_after_due' | 'plan.outside_year' | 'plan.duplicate' | 'plan.missing_stage' | 'plan.out_of_order';
  message: { vi: string; en: string };
}

/**
 * The span plan dates must fall in: from the first day of the school year to 31 August of
 * the year it ends. The teaching year ends in May, but the records are signed, sealed and
 * synced in June and summer re-assessment follows, so the administrative year runs on.
 */
export function planWindow(year: { startsOn: string; endsOn: string }): { from: string; to: string } {
  const endYear = Number(year.endsOn.slice(0, 4));
  const to = `${endYear}-08-31` > year.endsOn ? `${endYear}-08-31` : year.endsOn;
  return { from: year.startsOn, to };
}

const gradeText = (g: number | null) => (g === null ? { vi: 'mọi khối', en: 'all grades' } : { vi: `khối ${g}`, en: `grade ${g}` });

/** Every problem of an edited plan (empty: valid). */
export function validatePlan(rows: readonly PlanRow[], year: { startsOn: string; endsOn: string }): PlanProblem[] {
  const out: PlanProblem[] = [];
  const label = (s: PlanStage) => PLAN_STAGE_LABELS[s];
  const seen = new Set<string>();
  const win = planWindow(year);
  for (const r of rows) {
    const g = gradeText(r.grade);
    const key = `${r.stage}|${r.grade}`;
    if (seen.has(key)) out.push({ stage: r.stage, grade: r.grade, field: 'stage', code: 'plan.duplicate', message: { vi: `${label(r.stage).vi} (${g.vi}) có hai dòng.`, en: `${label(r.stage).en} (${g.en}) appears twice.` } });
    seen.add(key);
    let ok = true;
    for (const field of ['startsOn', 'dueOn'] as const) {
      if (!isDay(r[field])) {
        ok = false;
        out.push({ stage: r.stage, grade: r.grade, field, code: 'plan.bad_date', message: { vi: `${label(r.stage).vi} (${g.vi}): ngày "${r[field]}" không hợp lệ (YYYY-MM-DD).`, en: `${label(r.stage).en} (${g.en}): "${r[field]}" is not a date (YYYY-MM-DD).` } });
      }
    }
    if (!ok) continue;
    if (r.startsOn > r.dueOn) out.push({ stage: r.stage, grade: r.grade, field: 'startsOn', code: 'plan.start_after_due', message: { vi: `${label(r.stage).vi} (${g.vi}): ngày bắt đầu ${r.startsOn} sau hạn ${r.dueOn}.`, en: `${label(r.stage).en} (${g.en}): starts ${r.startsOn}, after its deadline ${r.dueOn}.` } });
    for (const field of ['startsOn', 'dueOn'] as const) {
      if (r[field] < win.from || r[field] > win.to) {
        out.push({ stage: r.stage, grade: r.grade, field, code: 'plan.outside_year', message: { vi: `${label(r.stage).vi} (${g.vi}): ngày ${r[field]} nằm ngoài năm học (${win.from} – ${win.to}).`, en: `${label(r.stage).en} (${g.en}): ${r[field]} is outside the school year (${win.from} – ${win.to}).` } });
      }
    }
  }
  for (const stage of PLAN_STAGES) {
    if (!rows.some((r) => r.stage === stage && r.grade === null)) out.push({ stage, grade: null, field: 'stage', code: 'plan.missing_stage', message: { vi: `Thiếu hạn chung của "${label(stage).vi}".`, en: `"${label(stage).en}" has no deadline for all grades.` } });
  }
  if (out.length) return out;
  for (const grade of [10, 11, 12]) {
    for (const chain of ORDERED_CHAINS) {
      for (let i = 1; i < chain.length; i++) {
        const before = rowFor(rows, chain[i - 1]!, grade)!;
        const after = rowFor(rows, chain[i]!, grade)!;
        if (before.dueOn > after.dueOn) {
          out.push({ stage: after.stage, grade: after.grade, field: 'dueOn', code: 'plan.out_of_order', message: { vi: `Khối ${grade}: hạn "${label(after.stage).vi}" (${after.dueOn}) sớm hơn hạn "${label(before.stage).vi}" (${before.dueOn}).`, en: `Grade ${grade}: "${label(after.stage).en}" is due ${after.dueOn}, before "${label(before.stage).en}" (${before.dueOn}).` } });
        }
      }
    }
  }
  // The same row can break the order for several grades: report it once.
  return out.filter((p, i) => out.findIndex((q) => q.stage === p.stage && q.grade === p.grade && q.code === p.code) === i);
}

export type StageStatus = 'done' | 'overdue' | 'due_soon' | 'open' | 'upcoming';

/** How a piece of work of a stage stands on `now`: done, overdue, due within `soonDays`, open, not yet open. */
export function stageStatus(now: Date, row: Pick<PlanRow, 'startsOn' | 'dueOn'>, done: boolean, soonDays = 3): StageStatus {
  if (done) return 'done';
  if (now >= deadlineInstant(row.dueOn)) return 'overdue';
  const today = vnDay(now);
  if (daysBetween(today, row.dueOn) <= soonDays) return 'due_soon';
  return today >= row.startsOn ? 'open' : 'upcoming';
}

/** Days a stage is overdue on `now` (0 before or on the due day). */
export function daysOverdue(now: Date, dueOn: string): number {
  return now >= deadlineInstant(dueOn) ? Math.max(1, daysBetween(dueOn, vnDay(now))) : 0;
}

export interface ReminderSettings {
  /** Remind this many days before a deadline (and on the day). */
  remindDaysBefore: number;
  /** Tell the principal when work is this many days overdue. */
  escalateAfterDays: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { remindDaysBefore: 3, escalateAfterDays: 2 };

/** Whether pending work due on `dueOn` goes into today's digest: 'before' the deadline, 'overdue', or not at all. */
export function reminderFor(now: Date, dueOn: string, s: ReminderSettings): 'before' | 'overdue' | null {
  if (now >= deadlineInstant(dueOn)) return 'overdue';
  const left = daysBetween(vnDay(now), dueOn);
  return left <= s.remindDaysBefore ? 'before' : null;
}

/** Whether overdue work is escalated to the principal on `now`. */
export function escalates(now: Date, dueOn: string, s: ReminderSettings): boolean {
  return daysOverdue(now, dueOn) >= s.escalateAfterDays;
}

/**
 * The grade-book lock instants a plan implies. The grade book has one deadline per semester
 * for the whole school (school_years.semesterN_lock_at), not one per grade, so it takes the
 * LATEST marks deadline of the semester: a grade with an earlier date (grade 12) is reminded
 * and shown overdue from its own date but its sheets lock with the others (docs/plan.md).
 */
export function semesterLocks(plan: readonly PlanRow[]): { semester1: Date | null; semester2: Date | null } {
  const latest = (stage: PlanStage) => {
    const days = plan.filter((r) => r.stage === stage).map((r) => r.dueOn).sort();
    return days.length ? deadlineInstant(days[days.length - 1]!) : null;
  };
  return { semester1: latest('marks_s1'), semester2: latest('marks_s2') };
}
