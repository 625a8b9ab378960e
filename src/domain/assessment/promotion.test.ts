import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decidePromotion, type PromotionFacts, type PromotionOutcome } from './promotion.ts';
import { applyReassessment, reassessmentEligible } from './reassessment.ts';
import type { LevelEntry } from './types.ts';

const f = (learning: PromotionFacts['learning'], conduct: PromotionFacts['conduct'], absentSessions: number, extra: Partial<PromotionFacts> = {}): PromotionFacts => ({
  learning,
  conduct,
  absentSessions,
  ...extra,
});

// Điều 12 (conditions) and Điều 13 (summer routes).
const cases: Array<[string, PromotionFacts, PromotionOutcome]> = [
  ['Tốt / Tốt, no absences → promoted', f('tot', 'tot', 0), { kind: 'promoted' }],
  ['Đạt / Đạt, exactly 45 sessions absent → promoted', f('dat', 'dat', 45), { kind: 'promoted' }],
  ['46 sessions absent → not promoted', f('tot', 'tot', 46), { kind: 'not_promoted', reasons: ['absences_over_limit'] }],
  [
    '46 sessions and learning Chưa đạt → not promoted, no re-assessment [M]',
    f('chua_dat', 'tot', 46),
    { kind: 'not_promoted', reasons: ['absences_over_limit', 'learning_chua_dat'] },
  ],
  [
    'conduct and learning both Chưa đạt → not promoted, no summer route [L]',
    f('chua_dat', 'chua_dat', 0),
    { kind: 'not_promoted', reasons: ['learning_chua_dat', 'conduct_chua_dat'] },
  ],
  [
    'learning Chưa đạt, conduct Đạt, re-assessment not entered → pending, all eligible subjects listed',
    f('chua_dat', 'dat', 45, { eligibleForReassessment: ['TOAN', 'LS'] }),
    { kind: 'pending_reassessment', eligibleSubjects: ['TOAN', 'LS'], pendingSubjects: ['TOAN', 'LS'] },
  ],
  [
    'learning Chưa đạt, re-assessment partly marked → pending, listing what is not marked',
    f('chua_dat', 'kha', 0, { eligibleForReassessment: ['TOAN', 'LS'], reassessment: { pending: ['LS'], reassessed: ['TOAN'], learningAfter: 'chua_dat' } }),
    { kind: 'pending_reassessment', eligibleSubjects: ['TOAN', 'LS'], pendingSubjects: ['LS'] },
  ],
  [
    'recomputed learning Đạt → promoted after re-assessment',
    f('chua_dat', 'tot', 3, { reassessment: { pending: [], reassessed: ['TOAN'], learningAfter: 'dat' } }),
    { kind: 'promoted_after_reassessment', reassessedSubjects: ['TOAN'], learningAfter: 'dat' },
  ],
  [
    'recomputed learning still Chưa đạt → not promoted',
    f('chua_dat', 'tot', 3, { reassessment: { pending: [], reassessed: ['TOAN'], learningAfter: 'chua_dat' } }),
    { kind: 'not_promoted', reasons: ['learning_chua_dat_after_reassessment'] },
  ],
  ['conduct Chưa đạt, learning Khá → summer training pending', f('kha', 'chua_dat', 10), { kind: 'pending_training' }],
  [
    'conduct Đạt after training → promoted after training',
    f('kha', 'chua_dat', 10, { conductAfterTraining: 'dat' }),
    { kind: 'promoted_after_training', conductAfter: 'dat' },
  ],
  [
    'conduct still Chưa đạt after training → not promoted',
    f('kha', 'chua_dat', 10, { conductAfterTraining: 'chua_dat' }),
    { kind: 'not_promoted', reasons: ['conduct_chua_dat_after_training'] },
  ],
  ['over the absence limit, training result ignored', f('kha', 'chua_dat', 46, { conductAfterTraining: 'tot' }), { kind: 'not_promoted', reasons: ['absences_over_limit', 'conduct_chua_dat'] }],
];
for (const [name, facts, expected] of cases) {
  test(`decidePromotion: ${name}`, () => assert.deepEqual(decidePromotion(facts), expected));
}

const score = (code: string, average: number): LevelEntry => ({ code, result: { status: 'complete', form: 'score', average } });
const comment = (code: string, result: 'dat' | 'chua_dat'): LevelEntry => ({ code, result: { status: 'complete', form: 'comment', result } });

// Điều 13: ĐTBmcn < 5.0 or Chưa đạt.
const eligibleCases: Array<[string, LevelEntry[], string[]]> = [
  ['ĐTBmcn 4.9 is eligible, 5.0 is not', [score('A', 49), score('B', 50)], ['A']],
  ['comment Chưa đạt is eligible, Đạt is not', [comment('GDTC', 'chua_dat'), comment('HDTN', 'dat')], ['GDTC']],
  ['exempt and incomplete subjects are not eligible', [{ code: 'X', result: { status: 'exempt' } }, { code: 'Y', result: { status: 'incomplete', missing: [] } }], []],
];
for (const [name, entries, expected] of eligibleCases) {
  test(`reassessmentEligible: ${name}`, () => assert.deepEqual(reassessmentEligible(entries), expected));
}

test('applyReassessment: replaces the year result of re-assessed subjects only', () => {
  const entries = [score('TOAN', 30), score('LS', 40), comment('GDTC', 'chua_dat'), score('NV', 80)];
  const r = applyReassessment(entries, { subjects: [{ code: 'TOAN', result: 55 }, { code: 'GDTC', result: 'dat' }] });
  assert.deepEqual(r.reassessed, ['TOAN', 'GDTC']);
  assert.deepEqual(r.pending, []);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.entries, [
    { code: 'TOAN', result: { status: 'complete', from: 'reassessment', form: 'score', average: 55 } },
    score('LS', 40), // not chosen: keeps its year result [M]
    { code: 'GDTC', result: { status: 'complete', from: 'reassessment', form: 'comment', result: 'dat' } },
    score('NV', 80),
  ]);
});

test('applyReassessment: a lower re-assessment mark still replaces the year result', () => {
  const r = applyReassessment([score('TOAN', 45)], { subjects: [{ code: 'TOAN', result: 20 }] });
  assert.deepEqual(r.entries[0], { code: 'TOAN', result: { status: 'complete', from: 'reassessment', form: 'score', average: 20 } });
});

const problemCases: Array<[string, { code: string; result: number | 'dat' | 'chua_dat' | null }, string[], string[]]> = [
  ['not-yet-marked result is pending', { code: 'TOAN', result: null }, [], ['TOAN']],
  ['a subject that passed is not eligible', { code: 'NV', result: 90 }, ['assessment.reassessment_not_eligible'], []],
  ['an unknown subject', { code: 'HOA', result: 90 }, ['assessment.reassessment_unknown_subject'], []],
  ['a comment result for a score subject', { code: 'TOAN', result: 'dat' }, ['assessment.mark_not_tenths'], ['TOAN']],
  ['a mark for a comment subject', { code: 'GDTC', result: 80 }, ['assessment.comment_result_invalid'], ['GDTC']],
];
for (const [name, input, codes, pending] of problemCases) {
  test(`applyReassessment: ${name}`, () => {
    const r = applyReassessment([score('TOAN', 30), score('NV', 80), comment('GDTC', 'chua_dat')], { subjects: [input] });
    assert.deepEqual(r.problems.map((p) => p.code), codes);
    assert.deepEqual(r.pending, pending);
    assert.deepEqual(r.reassessed, []);
  });
}
