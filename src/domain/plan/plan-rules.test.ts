import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultPlan, HAU_LOC_1_PLAN_2025_2026, shiftYears, type PlanRow } from './plan-template.ts';
import { daysOverdue, deadlineInstant, escalates, reminderFor, rowFor, semesterLocks, stageStatus, validatePlan, vnDay } from './plan-rules.ts';

const YEAR = { startsOn: '2025-09-05', endsOn: '2026-05-31' };
const S = { remindDaysBefore: 3, escalateAfterDays: 2 };
const vn = (local: string) => new Date(`${local}+07:00`);

describe('plan rules', () => {
  test('the Hậu Lộc I template is valid and has grade 12 earlier, with the dates of the source plan', () => {
    assert.deepEqual(validatePlan(HAU_LOC_1_PLAN_2025_2026, YEAR), []);
    assert.equal(rowFor(HAU_LOC_1_PLAN_2025_2026, 'seal', 12)!.dueOn, '2026-05-20');
    assert.equal(rowFor(HAU_LOC_1_PLAN_2025_2026, 'seal', 11)!.dueOn, '2026-06-30');
    assert.equal(rowFor(HAU_LOC_1_PLAN_2025_2026, 'sign_subject', 10)!.dueOn, '2026-06-15');
    assert.equal(rowFor(HAU_LOC_1_PLAN_2025_2026, 'sign_homeroom', 10)!.dueOn, '2026-06-20');
    assert.equal(rowFor(HAU_LOC_1_PLAN_2025_2026, 'sign_principal', 10)!.dueOn, '2026-06-25');
  });

  test('another year gets the template shifted by whole years', () => {
    const p = defaultPlan(2027);
    assert.equal(rowFor(p, 'seal', 12)!.dueOn, '2027-05-20');
    assert.equal(shiftYears('2024-02-29', 1), '2025-02-28');
    assert.deepEqual(validatePlan(p, { startsOn: '2026-09-05', endsOn: '2027-05-31' }), []);
  });

  test('validation names the stage, the grade and the rule', () => {
    const bad: PlanRow[] = HAU_LOC_1_PLAN_2025_2026.map((r) => (r.stage === 'sign_homeroom' && r.grade === null ? { ...r, startsOn: '2026-06-05', dueOn: '2026-06-10' } : r));
    const problems = validatePlan(bad, YEAR);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.code, 'plan.out_of_order');
    assert.match(problems[0]!.message.vi, /Giáo viên chủ nhiệm ký.*2026-06-10.*Giáo viên bộ môn ký/);
    const outside = HAU_LOC_1_PLAN_2025_2026.map((r) => (r.stage === 'sync' ? { ...r, dueOn: '2026-09-30' } : r));
    assert.deepEqual(validatePlan(outside, YEAR).map((p) => p.code), ['plan.outside_year']);
    const reversed = HAU_LOC_1_PLAN_2025_2026.map((r) => (r.stage === 'freeze' && r.grade === 12 ? { ...r, startsOn: '2026-05-12' } : r));
    assert.deepEqual(validatePlan(reversed, YEAR).map((p) => p.code), ['plan.start_after_due']);
    assert.deepEqual(validatePlan(HAU_LOC_1_PLAN_2025_2026.filter((r) => !(r.stage === 'seal' && r.grade === null)), YEAR).map((p) => p.code), ['plan.missing_stage']);
    assert.deepEqual(validatePlan([...HAU_LOC_1_PLAN_2025_2026, { stage: 'seal', grade: 12, startsOn: '2026-05-01', dueOn: '2026-05-20' }], YEAR).map((p) => p.code), ['plan.duplicate']);
    assert.deepEqual(validatePlan(HAU_LOC_1_PLAN_2025_2026.map((r) => (r.stage === 'sync' ? { ...r, dueOn: '2026-02-30' } : r)), YEAR).map((p) => p.code), ['plan.bad_date']);
  });

  test('a deadline is the end of its day in Vietnam', () => {
    assert.equal(deadlineInstant('2026-06-15').toISOString(), '2026-06-15T17:00:00.000Z');
    assert.equal(vnDay(new Date('2026-06-15T16:59:59Z')), '2026-06-15');
    assert.equal(vnDay(new Date('2026-06-15T17:00:00Z')), '2026-06-16');
  });

  test('status, reminders and escalation around a deadline', () => {
    const row = { startsOn: '2026-06-01', dueOn: '2026-06-15' };
    assert.equal(stageStatus(vn('2026-05-20T08:00:00'), row, false), 'upcoming');
    assert.equal(stageStatus(vn('2026-06-05T08:00:00'), row, false), 'open');
    assert.equal(stageStatus(vn('2026-06-12T08:00:00'), row, false), 'due_soon');
    assert.equal(stageStatus(vn('2026-06-15T23:59:00'), row, false), 'due_soon');
    assert.equal(stageStatus(vn('2026-06-16T00:00:00'), row, false), 'overdue');
    assert.equal(stageStatus(vn('2026-06-16T00:00:00'), row, true), 'done');
    assert.equal(reminderFor(vn('2026-06-11T08:00:00'), row.dueOn, S), null);
    assert.equal(reminderFor(vn('2026-06-12T08:00:00'), row.dueOn, S), 'before');
    assert.equal(reminderFor(vn('2026-06-16T08:00:00'), row.dueOn, S), 'overdue');
    assert.equal(daysOverdue(vn('2026-06-16T08:00:00'), row.dueOn), 1);
    assert.equal(escalates(vn('2026-06-16T08:00:00'), row.dueOn, S), false);
    assert.equal(escalates(vn('2026-06-17T08:00:00'), row.dueOn, S), true);
  });

  test('the grade book locks each semester at the latest marks deadline of the plan', () => {
    const l = semesterLocks(HAU_LOC_1_PLAN_2025_2026);
    assert.equal(l.semester1!.toISOString(), '2026-01-17T17:00:00.000Z');
    assert.equal(l.semester2!.toISOString(), '2026-05-25T17:00:00.000Z');
  });
});
