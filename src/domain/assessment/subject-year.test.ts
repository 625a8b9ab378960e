import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeSubjectResults, yearResult } from './subject-year.ts';
import { commentSubject, scoreSubject } from './test-fixtures.ts';
import type { SemesterSubjectResult, YearSubjectResult } from './types.ts';

const s = (average: number): SemesterSubjectResult => ({ status: 'complete', form: 'score', average });
const cm = (result: 'dat' | 'chua_dat'): SemesterSubjectResult => ({ status: 'complete', form: 'comment', result });
const yearScore = (average: number, from: 'both' | 'I' | 'II' = 'both'): YearSubjectResult => ({ status: 'complete', from, form: 'score', average });

// ĐTBmcn = (ĐTBmhk I + 2·ĐTBmhk II) / 3 from the recorded semester averages (Điều 9 khoản 2).
const yearCases: Array<[string, SemesterSubjectResult, SemesterSubjectResult, YearSubjectResult]> = [
  ['brief example: 7.9 and 8.5 → 24.9/3 = 8.3', s(79), s(85), yearScore(83)],
  ['remainder ⅓ rounds down: 8.0 and 8.5 → 8.333… → 8.3', s(80), s(85), yearScore(83)],
  ['remainder ⅔ rounds up: 8.1 and 8.5 → 8.366… → 8.4', s(81), s(85), yearScore(84)],
  ['4.9 and 5.0 → 4.966… → 5.0 (just avoids re-assessment)', s(49), s(50), yearScore(50)],
  ['5.0 and 4.9 → 4.933… → 4.9 (semester II weighs double)', s(50), s(49), yearScore(49)],
  ['6.4 and 6.5 → 6.466… → 6.5', s(64), s(65), yearScore(65)],
  ['8.9 and 9.0 → 8.966… → 9.0 (Xuất sắc threshold)', s(89), s(90), yearScore(90)],
  ['3.4 and 3.5 → 3.466… → 3.5', s(34), s(35), yearScore(35)],
  ['10 and 10 → 10.0', s(100), s(100), yearScore(100)],
  ['comment: year = semester II (Chưa đạt then Đạt → Đạt)', cm('chua_dat'), cm('dat'), { status: 'complete', from: 'both', form: 'comment', result: 'dat' }],
  ['comment: year = semester II (Đạt then Chưa đạt → Chưa đạt)', cm('dat'), cm('chua_dat'), { status: 'complete', from: 'both', form: 'comment', result: 'chua_dat' }],
  ['exempt both semesters → exempt', { status: 'exempt' }, { status: 'exempt' }, { status: 'exempt' }],
  ['exempt in semester I only → year from semester II [L]', { status: 'exempt' }, s(72), yearScore(72, 'II')],
  ['exempt in semester II only → year from semester I [L]', s(68), { status: 'exempt' }, yearScore(68, 'I')],
  [
    'missing marks in both semesters are all listed, tagged by semester',
    { status: 'incomplete', missing: [{ kind: 'final' }] },
    { status: 'incomplete', missing: [{ kind: 'regular', index: 0 }, { kind: 'midterm' }] },
    {
      status: 'incomplete',
      missing: [
        { kind: 'final', semester: 'I' },
        { kind: 'regular', index: 0, semester: 'II' },
        { kind: 'midterm', semester: 'II' },
      ],
    },
  ],
  [
    'semester II complete but semester I missing: no year result',
    { status: 'incomplete', missing: [{ kind: 'midterm' }] },
    s(90),
    { status: 'incomplete', missing: [{ kind: 'midterm', semester: 'I' }] },
  ],
  [
    'comment subject: a missing semester I blocks the year too',
    { status: 'incomplete', missing: [{ kind: 'final' }] },
    cm('dat'),
    { status: 'incomplete', missing: [{ kind: 'final', semester: 'I' }] },
  ],
];
for (const [name, I, II, expected] of yearCases) {
  test(`yearResult: ${name}`, () => assert.deepEqual(yearResult(I, II), expected));
}

test('yearResult: invalid input wins over missing marks', () => {
  const invalid: SemesterSubjectResult = { status: 'invalid', errors: [] };
  assert.equal(yearResult(invalid, { status: 'incomplete', missing: [{ kind: 'final' }] }).status, 'invalid');
});

test('computeSubjectResults: semester and year results of a score subject', () => {
  const r = computeSubjectResults(scoreSubject('TOAN', 79, 85));
  assert.deepEqual(r, { code: 'TOAN', form: 'score', semesters: { I: s(79), II: s(85) }, year: yearScore(83) });
});

test('computeSubjectResults: GDTC with a practical-part exemption keeps the flag on the year result', () => {
  const r = computeSubjectResults(commentSubject('GDTC', 'dat', 'dat', { kind: 'practical_part' }));
  assert.deepEqual(r.year, { status: 'complete', from: 'both', form: 'comment', result: 'dat', practicalPartExempt: true });
});

test('computeSubjectResults: GDTC wholly exempt for the year is exempt', () => {
  assert.deepEqual(computeSubjectResults(commentSubject('GDTC', 'dat', 'dat', { kind: 'whole_subject' })).year, { status: 'exempt' });
});
