import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adjustedLevel, computeLearningResult, thresholdLevel } from './learning-result.ts';
import type { CommentResult, Level } from './levels.ts';
import { POLICY } from './rules.ts';
import { rep } from './test-fixtures.ts';
import type { LevelEntry, SubjectValue } from './types.ts';

/** Score averages (tenths) then comment results; three comment subjects Đạt by default. */
const v = (scores: number[], comments: CommentResult[] = ['dat', 'dat', 'dat']): SubjectValue[] => [
  ...scores.map((average): SubjectValue => ({ form: 'score', average })),
  ...comments.map((result): SubjectValue => ({ form: 'comment', result })),
];
const CD: CommentResult = 'chua_dat';

// Điều 9 khoản 3: the four levels, at their boundaries (6.5 / 8.0 / 5.0 / 3.5, exactly six).
const thresholdCases: Array<[string, SubjectValue[], Level]> = [
  ['Tốt: exactly six ≥ 8.0, the rest exactly 6.5', v([...rep(80, 6), 65, 65]), 'tot'],
  ['Tốt needs six ≥ 8.0: five ≥ 8.0 and a 7.9 → Khá', v([...rep(80, 5), 79, 65, 65]), 'kha'],
  ['Tốt floor: a 6.4 with seven 9.0 → Khá', v([...rep(90, 7), 64]), 'kha'],
  ['Tốt needs every comment subject Đạt: one Chưa đạt → Đạt', v(rep(90, 8), ['dat', CD, 'dat']), 'dat'],
  ['Khá: exactly six ≥ 6.5, the rest exactly 5.0', v([...rep(65, 6), 50, 50]), 'kha'],
  ['Khá needs six ≥ 6.5: five ≥ 6.5 and a 6.4 → Đạt', v([...rep(65, 5), 64, 50, 50]), 'dat'],
  ['Khá floor: a 4.9 with seven 6.5 → Đạt', v([...rep(65, 7), 49]), 'dat'],
  ['Đạt: exactly six ≥ 5.0, the rest exactly 3.5', v([...rep(50, 6), 35, 35]), 'dat'],
  ['Đạt needs six ≥ 5.0: five ≥ 5.0 → Chưa đạt', v([...rep(50, 5), 49, 40, 40]), 'chua_dat'],
  ['Đạt floor: a 3.4 → Chưa đạt', v([...rep(50, 7), 34]), 'chua_dat'],
  ['Đạt allows one comment subject Chưa đạt', v(rep(50, 8), [CD, 'dat', 'dat']), 'dat'],
  ['two comment subjects Chưa đạt → Chưa đạt', v(rep(90, 8), [CD, CD, 'dat']), 'chua_dat'],
  ['all 10.0 → Tốt', v(rep(100, 8)), 'tot'],
  ['all 0.0 → Chưa đạt', v(rep(0, 8)), 'chua_dat'],
  ['fewer than six score subjects can never reach Đạt (literal rule)', v(rep(100, 5)), 'chua_dat'],
  ['no overall average: a high mean does not lift a 3.4', v([...rep(100, 7), 34]), 'chua_dat'],
];
for (const [name, values, expected] of thresholdCases) {
  test(`thresholdLevel: ${name}`, () => assert.equal(thresholdLevel(values), expected));
}

// Điều 9 khoản 4: one single subject drags the level down two or more levels → raised one.
const adjustCases: Array<[string, SubjectValue[], Level, Level, number | null]> = [
  ['classic: would be Tốt, one comment subject Chưa đạt → Đạt, adjusted to Khá', v(rep(90, 8), ['dat', CD, 'dat']), 'dat', 'kha', 9],
  ['classic: would be Tốt, one 4.0 → Đạt, adjusted to Khá', v([...rep(90, 7), 40]), 'dat', 'kha', 7],
  ['would be Tốt, one 3.0 → Chưa đạt (3 levels), raised one to Đạt', v([...rep(90, 7), 30]), 'chua_dat', 'dat', 7],
  ['would be Khá, one 3.0 → Chưa đạt, adjusted to Đạt', v([...rep(70, 7), 30]), 'chua_dat', 'dat', 7],
  ['would be Khá, one comment Chưa đạt plus one 3.0 → two subjects, no adjustment', v([...rep(70, 7), 30], [CD, 'dat', 'dat']), 'chua_dat', 'chua_dat', null],
  ['only one level down (Tốt → Khá because of a 6.0): no adjustment', v([...rep(90, 7), 60]), 'kha', 'kha', null],
  ['only one level down (Khá → Đạt because of a 4.0): no adjustment', v([...rep(70, 7), 40]), 'dat', 'dat', null],
  ['two subjects below 6.5 (4.0, 4.0): no adjustment', v([...rep(90, 6), 40, 40]), 'dat', 'dat', null],
  ['a comment Chưa đạt and a 6.0: two subjects, no adjustment', v([...rep(90, 7), 60], [CD, 'dat', 'dat']), 'dat', 'dat', null],
  [
    'the dragging subject does not count towards the six ≥ 8.0 (raised only to 6.5)',
    v([...rep(80, 5), 70, 70, 40]),
    'dat',
    'dat',
    null,
  ],
  ['two comment subjects Chưa đạt: no adjustment', v(rep(90, 8), [CD, CD, 'dat']), 'chua_dat', 'chua_dat', null],
  ['already Tốt: nothing to adjust', v(rep(90, 8)), 'tot', 'tot', null],
];
for (const [name, values, computed, level, culprit] of adjustCases) {
  test(`adjustedLevel: ${name}`, () => assert.deepEqual(adjustedLevel(values), { level, computedLevel: computed, adjustedFor: culprit }));
}

test('adjustedLevel: POLICY.oneSubjectAdjustment = would_be_minus_one gives Khá for a Tốt student dragged to Chưa đạt', () => {
  const saved = POLICY.oneSubjectAdjustment;
  POLICY.oneSubjectAdjustment = 'would_be_minus_one';
  try {
    assert.equal(adjustedLevel(v([...rep(90, 7), 30])).level, 'kha');
    assert.equal(adjustedLevel(v([...rep(90, 7), 40])).level, 'kha'); // same as the default for a 2-level drop
  } finally {
    POLICY.oneSubjectAdjustment = saved;
  }
});

const e = (code: string, result: LevelEntry['result']): LevelEntry => ({ code, result });
const score = (code: string, average: number): LevelEntry => e(code, { status: 'complete', form: 'score', average });

test('computeLearningResult: exempt subjects are left out of the level', () => {
  const entries = [...rep(0, 6).map((_, i) => score(`S${i}`, 90)), e('GDTC', { status: 'exempt' }), e('X', { status: 'exempt' })];
  assert.deepEqual(computeLearningResult(entries), { status: 'complete', level: 'tot', computedLevel: 'tot', adjustedFor: null });
});

test('computeLearningResult: names the subject that triggered the adjustment', () => {
  const entries = [...rep(0, 7).map((_, i) => score(`S${i}`, 90)), e('GDTC', { status: 'complete', form: 'comment', result: 'chua_dat' })];
  assert.deepEqual(computeLearningResult(entries), { status: 'complete', level: 'kha', computedLevel: 'dat', adjustedFor: 'GDTC' });
});

test('computeLearningResult: any subject without a result makes it incomplete, listing those subjects', () => {
  const entries = [
    score('TOAN', 90),
    e('NV', { status: 'incomplete', missing: [{ kind: 'final' }] }),
    e('LS', { status: 'invalid', errors: [] }),
    e('GDTC', { status: 'exempt' }),
  ];
  assert.deepEqual(computeLearningResult(entries), { status: 'incomplete', subjects: ['NV', 'LS'] });
});
