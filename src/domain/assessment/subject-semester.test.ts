import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POLICY } from './rules.ts';
import { commentSemester, computeSemesterResult, requiredRegularMarks, scoreSemester } from './subject-semester.ts';
import { scoreSubject } from './test-fixtures.ts';
import type { CommentSemesterMarks, ScoreSemesterMarks, SemesterSubjectResult } from './types.ts';

// Điều 7 khoản 1: ≤35 → 2; >35 to 70 → 3; >70 → 4; a topic cluster adds one [L–M].
const countCases: Array<[string, number, boolean, number | null]> = [
  ['35 periods (GDQP&AN) → 2', 35, false, 2],
  ['36 periods → 3', 36, false, 3],
  ['52 periods (Lịch sử) → 3', 52, false, 3],
  ['70 periods (elective) → 3', 70, false, 3],
  ['71 periods → 4', 71, false, 4],
  ['105 periods (Toán, Ngữ văn) → 4', 105, false, 4],
  ['1 period → 2', 1, false, 2],
  ['35 periods + topic cluster → 3', 35, true, 3],
  ['70 periods + topic cluster → 4', 70, true, 4],
  ['105 periods + topic cluster → 5', 105, true, 5],
  ['0 periods is invalid', 0, false, null],
  ['negative periods are invalid', -35, false, null],
  ['fractional periods are invalid', 52.5, false, null],
];
for (const [name, periods, cluster, expected] of countCases) {
  test(`requiredRegularMarks: ${name}`, () => assert.equal(requiredRegularMarks(periods, cluster), expected));
}

const complete = (average: number): SemesterSubjectResult => ({ status: 'complete', form: 'score', average });
const m = (regular: (number | null)[], midterm: number | null, final: number | null): ScoreSemesterMarks => ({ regular, midterm, final });

// ĐTBmhk = (ΣĐĐGtx + 2·GK + 3·CK) / (n + 5), half up to one decimal (Điều 9 khoản 2).
const scoreCases: Array<[string, ScoreSemesterMarks, number, boolean, SemesterSubjectResult]> = [
  ['brief example: 8, 9 | GK 7 | CK 8 → 55/7 = 7.857… → 7.9', m([80, 90], 70, 80), 35, false, complete(79)],
  ['x.x5 rounds up: 8, 8, 8 | 8 | 7.6 → 62.8/8 = 7.85 → 7.9', m([80, 80, 80], 80, 76), 70, false, complete(79)],
  ['x.x5 rounds up: 8, 8, 8 | 9 | 8 → 8.25 → 8.3', m([80, 80, 80], 90, 80), 70, false, complete(83)],
  ['4.95 → 5.0 (re-assessment boundary)', m([50, 50, 50], 48, 50), 70, false, complete(50)],
  ['6.45 → 6.5 (Tốt floor)', m([60, 60, 60], 60, 72), 70, false, complete(65)],
  ['just below .x5 rounds down: 8, 8, 8 | 8 | 7.5 → 7.8125 → 7.8', m([80, 80, 80], 80, 75), 70, false, complete(78)],
  ['four ĐĐGtx (105 periods): 7, 8, 9, 10 | 8 | 9 → 77/9 = 8.555… → 8.6', m([70, 80, 90, 100], 80, 90), 105, false, complete(86)],
  ['topic cluster: 4 ĐĐGtx for 70 periods', m([80, 80, 80, 60], 80, 80), 70, true, complete(78)],
  ['all 10 → 10.0', m([100, 100], 100, 100), 35, false, complete(100)],
  ['all 0 → 0.0', m([0, 0], 0, 0), 35, false, complete(0)],
  [
    'missing ĐĐGtx 2 and the mid-term are listed (0-based index)',
    m([80, 90, null], null, 80),
    70,
    false,
    { status: 'incomplete', missing: [{ kind: 'regular', index: 2 }, { kind: 'midterm' }] },
  ],
  [
    'too few ĐĐGtx entered: the absent positions are missing',
    m([80], 70, null),
    70,
    false,
    { status: 'incomplete', missing: [{ kind: 'regular', index: 1 }, { kind: 'regular', index: 2 }, { kind: 'final' }] },
  ],
  [
    'topic cluster makes a 4th ĐĐGtx required',
    m([80, 80, 80], 80, 80),
    70,
    true,
    { status: 'incomplete', missing: [{ kind: 'regular', index: 3 }] },
  ],
];
for (const [name, marks, periods, cluster, expected] of scoreCases) {
  test(`scoreSemester: ${name}`, () => assert.deepEqual(scoreSemester(marks, periods, cluster), expected));
}

const invalidScoreCases: Array<[string, ScoreSemesterMarks, number, string[]]> = [
  ['more ĐĐGtx than required', m([80, 80, 80], 80, 80), 35, ['assessment.too_many_regular_marks']],
  ['a mark above 100 tenths', m([80, 105], 80, 80), 35, ['assessment.mark_not_tenths']],
  ['a float instead of tenths', m([80, 8.5], 80, 80), 35, ['assessment.mark_not_tenths']],
  ['a negative mark', m([80, 80], -10, 80), 35, ['assessment.mark_not_tenths']],
  ['invalid periods', m([80, 80], 80, 80), 0, ['assessment.invalid_periods']],
];
for (const [name, marks, periods, codes] of invalidScoreCases) {
  test(`scoreSemester rejects ${name}`, () => {
    const r = scoreSemester(marks, periods, false, { subject: 'TOAN', semester: 'I' });
    assert.equal(r.status, 'invalid');
    if (r.status === 'invalid') assert.deepEqual(r.errors.map((e) => e.code), codes);
  });
}

const c = (regular: ('dat' | 'chua_dat' | null)[], midterm: 'dat' | 'chua_dat' | null, final: 'dat' | 'chua_dat' | null): CommentSemesterMarks => ({ regular, midterm, final });
// Comment subject: Đạt when every required assessment exists and is Đạt (Điều 9 khoản 1).
const commentCases: Array<[string, CommentSemesterMarks, boolean, SemesterSubjectResult]> = [
  ['all Đạt → Đạt', c(['dat', 'dat'], 'dat', 'dat'), false, { status: 'complete', form: 'comment', result: 'dat' }],
  ['end-of-term Chưa đạt → Chưa đạt', c(['dat', 'dat'], 'dat', 'chua_dat'), false, { status: 'complete', form: 'comment', result: 'chua_dat' }],
  ['one regular Chưa đạt → Chưa đạt', c(['chua_dat', 'dat'], 'dat', 'dat'), false, { status: 'complete', form: 'comment', result: 'chua_dat' }],
  ['more than the minimum regular assessments is fine', c(['dat', 'dat', 'dat', 'dat'], 'dat', 'dat'), false, { status: 'complete', form: 'comment', result: 'dat' }],
  ['fewer than 2 regular → missing', c(['dat'], 'dat', 'dat'), false, { status: 'incomplete', missing: [{ kind: 'regular', index: 1 }] }],
  ['a blank among extra regular ones → missing', c(['dat', 'dat', null], 'dat', 'dat'), false, { status: 'incomplete', missing: [{ kind: 'regular', index: 2 }] }],
  ['topic cluster needs 3 regular', c(['dat', 'dat'], 'dat', 'dat'), true, { status: 'incomplete', missing: [{ kind: 'regular', index: 2 }] }],
  [
    'Chưa đạt does not hide a missing assessment',
    c(['chua_dat', 'dat'], null, 'dat'),
    false,
    { status: 'incomplete', missing: [{ kind: 'midterm' }] },
  ],
];
for (const [name, marks, cluster, expected] of commentCases) {
  test(`commentSemester: ${name}`, () => assert.deepEqual(commentSemester(marks, cluster), expected));
}

test('commentSemester rejects a value that is not Đạt / Chưa đạt', () => {
  const r = commentSemester({ regular: ['dat', 'tot' as never], midterm: 'dat', final: 'dat' }, false);
  assert.equal(r.status, 'invalid');
});

const exemptionCases: Array<[string, Parameters<typeof scoreSubject>[3], 'I' | 'II', SemesterSubjectResult]> = [
  ['whole-subject exemption, both semesters', { kind: 'whole_subject' }, 'I', { status: 'exempt' }],
  ['whole-subject exemption in semester II only: semester I assessed', { kind: 'whole_subject', semesters: ['II'] }, 'I', complete(70)],
  ['whole-subject exemption in semester II only: semester II exempt', { kind: 'whole_subject', semesters: ['II'] }, 'II', { status: 'exempt' }],
  ['practical-part exemption: assessed on theory, flagged', { kind: 'practical_part' }, 'I', { status: 'complete', form: 'score', average: 70, practicalPartExempt: true }],
  ['no exemption', null, 'II', complete(70)],
];
for (const [name, exemption, semester, expected] of exemptionCases) {
  test(`computeSemesterResult: ${name}`, () => assert.deepEqual(computeSemesterResult(scoreSubject('X', 70, 70, exemption), semester), expected));
}

test('computeSemesterResult: POLICY.practicalPartExemption = exclude treats a practical-part exemption as whole-subject', () => {
  const saved = POLICY.practicalPartExemption;
  POLICY.practicalPartExemption = 'exclude';
  try {
    assert.deepEqual(computeSemesterResult(scoreSubject('GDTC', 70, 70, { kind: 'practical_part' }), 'I'), { status: 'exempt' });
  } finally {
    POLICY.practicalPartExemption = saved;
  }
});
