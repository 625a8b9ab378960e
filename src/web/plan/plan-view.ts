/** Pure helpers for the plan pages: status colours, percentages, the chart's series. */
import type { StageStatus } from '../../domain/plan/plan-rules.ts';
import type { PlanStage } from '../../domain/plan/plan-template.ts';

export const STATUS_COLOR: Record<StageStatus, string> = { done: 'success', overdue: 'error', due_soon: 'warning', open: 'processing', upcoming: 'default' };

export const percent = (done: number, total: number): number => (total ? Math.floor((1000 * done) / total) / 10 : 100);

/** Days since 1970 of a YYYY-MM-DD day (for the chart's x axis). */
export function dayNumber(day: string): number {
  return Math.round(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000);
}

/** The planned line of a stage (0 % at its start, 100 % at its deadline) and the actual points from the snapshots. */
export function chartSeries(
  stage: PlanStage,
  plan: ReadonlyArray<{ stage: PlanStage; grade: number | null; startsOn: string; dueOn: string }>,
  snapshots: ReadonlyArray<{ day: string; stage: PlanStage; done: number; total: number }>,
): { planned: Array<[string, number]>; actual: Array<[string, number]> } {
  const rows = plan.filter((r) => r.stage === stage);
  const start = rows.map((r) => r.startsOn).sort()[0];
  const due = rows.map((r) => r.dueOn).sort().at(-1);
  const planned: Array<[string, number]> = start && due ? [[start, 0], [due, 100]] : [];
  const actual = snapshots.filter((s) => s.stage === stage).map((s): [string, number] => [s.day, percent(s.done, s.total)]);
  return { planned, actual };
}
