import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StudentYearResult } from '../assessment/student-year.ts';
import type { RecordProblem } from '../identity/student-record.ts';
import { freezeBlockers } from './freeze.ts';

const complete = {
  subjects: [],
  learning: { I: { status: 'complete', level: 'tot', computedLevel: 'tot', adjustedFor: null }, II: { status: 'complete', level: 'tot', computedLevel: 'tot', adjustedFor: null }, year: { status: 'complete', level: 'tot', computedLevel: 'tot', adjustedFor: null }, yearAfterReassessment: null },
  conduct: { I: { status: 'complete', level: 'tot' }, II: { status: 'complete', level: 'tot' }, year: { status: 'complete', level: 'tot' }, afterTraining: null },
  absentSessions: 0,
  promotion: { status: 'complete', outcome: { kind: 'promoted' } },
  award: { status: 'complete', award: 'gioi' },
  missing: [],
  problems: [],
  complete: true,
} as unknown as StudentYearResult;

const blocking: RecordProblem = { field: 'personalId', code: 'record.missing_field', severity: 'blocking', message: { vi: '', en: '' }, value: null };
const warning: RecordProblem = { field: 'parents', code: 'record.no_parent', severity: 'warning', message: { vi: '', en: '' }, value: null };

const cases: Array<[string, RecordProblem[], Partial<StudentYearResult>, string[]]> = [
  ['a clean, complete, promoted year can be frozen', [], {}, []],
  ['warnings do not block', [warning], {}, []],
  ['a blocking identity problem blocks', [blocking], {}, ['freeze.identity']],
  ['a missing mark blocks', [], { missing: [{ subject: 'TOAN', semester: 'II', kind: 'final' }] } as Partial<StudentYearResult>, ['freeze.results_incomplete']],
  ['missing conduct blocks', [], { missing: [{ kind: 'conduct', semester: 'II' }] } as Partial<StudentYearResult>, ['freeze.results_incomplete']],
  ['a pending summer re-assessment blocks', [], { promotion: { status: 'complete', outcome: { kind: 'pending_reassessment', eligibleSubjects: ['TOAN'], pendingSubjects: ['TOAN'] } } }, ['freeze.summer_pending']],
  ['not promoted is a final outcome: it is frozen', [], { promotion: { status: 'complete', outcome: { kind: 'not_promoted', reasons: [] } } } as Partial<StudentYearResult>, []],
];
for (const [name, problems, patch, expected] of cases) {
  test(`freeze: ${name}`, () => assert.deepEqual(freezeBlockers(problems, { ...complete, ...patch }).map((b) => b.code), expected));
}
