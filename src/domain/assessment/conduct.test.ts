import assert from 'node:assert/strict';
import { test } from 'node:test';
import { YEAR_CONDUCT_TABLE, semesterConduct, yearConduct } from './conduct.ts';
import { LEVELS, type Level } from './levels.ts';

// Điều 8: every one of the 16 (HK I, HK II) combinations, read off DOMAIN.md §2.5.
const cases: Array<[Level, Level, Level, string]> = [
  ['tot', 'tot', 'tot', 'II Tốt and I ≥ Khá'],
  ['kha', 'tot', 'tot', 'II Tốt and I ≥ Khá'],
  ['dat', 'tot', 'kha', 'II Tốt and I Đạt'],
  ['chua_dat', 'tot', 'kha', 'II Tốt and I Chưa đạt'],
  ['tot', 'kha', 'kha', 'II Khá and I ≥ Đạt'],
  ['kha', 'kha', 'kha', 'II Khá and I ≥ Đạt'],
  ['dat', 'kha', 'kha', 'II Khá and I ≥ Đạt'],
  ['chua_dat', 'kha', 'dat', 'II Khá and I Chưa đạt'],
  ['tot', 'dat', 'kha', 'II Đạt and I Tốt'],
  ['kha', 'dat', 'dat', 'II Đạt and I Khá'],
  ['dat', 'dat', 'dat', 'II Đạt and I Đạt'],
  ['chua_dat', 'dat', 'dat', 'II Đạt and I Chưa đạt'],
  ['tot', 'chua_dat', 'chua_dat', 'II Chưa đạt'],
  ['kha', 'chua_dat', 'chua_dat', 'II Chưa đạt'],
  ['dat', 'chua_dat', 'chua_dat', 'II Chưa đạt'],
  ['chua_dat', 'chua_dat', 'chua_dat', 'II Chưa đạt'],
];
for (const [I, II, expected, rule] of cases) {
  test(`yearConduct: HK I ${I}, HK II ${II} → ${expected} (${rule})`, () => {
    assert.deepEqual(yearConduct(I, II), { status: 'complete', level: expected });
  });
}

test('yearConduct: the table covers all 16 combinations', () => {
  assert.equal(cases.length, 16);
  for (const II of LEVELS) for (const I of LEVELS) assert.ok(YEAR_CONDUCT_TABLE[II][I]);
});

const missingCases: Array<[string, Level | null, Level | null, ('I' | 'II')[]]> = [
  ['semester I not assessed', null, 'tot', ['I']],
  ['semester II not assessed', 'tot', null, ['II']],
  ['neither assessed', null, null, ['I', 'II']],
];
for (const [name, I, II, missing] of missingCases) {
  test(`yearConduct: ${name} → incomplete`, () => assert.deepEqual(yearConduct(I, II), { status: 'incomplete', missing }));
}

test('semesterConduct: a level or missing', () => {
  assert.deepEqual(semesterConduct('kha', 'I'), { status: 'complete', level: 'kha' });
  assert.deepEqual(semesterConduct(null, 'II'), { status: 'incomplete', missing: ['II'] });
});
