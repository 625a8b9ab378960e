import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideAward, type Award } from './awards.ts';
import type { Level } from './levels.ts';
import { rep } from './test-fixtures.ts';

// Điều 15: Xuất sắc = Tốt / Tốt and ≥ 6 score subjects with ĐTBmcn ≥ 9.0; Giỏi = Tốt / Tốt otherwise.
const cases: Array<[string, Level, Level, number[], Award | null]> = [
  ['exactly six ≥ 9.0 → Xuất sắc', 'tot', 'tot', [...rep(90, 6), 80, 80], 'xuat_sac'],
  ['five ≥ 9.0 and a 8.9 → Giỏi', 'tot', 'tot', [...rep(90, 5), 89, 80, 80], 'gioi'],
  ['all 10.0 → Xuất sắc', 'tot', 'tot', rep(100, 8), 'xuat_sac'],
  ['conduct Khá → none, whatever the marks', 'kha', 'tot', rep(100, 8), null],
  ['learning Khá → none', 'tot', 'kha', rep(100, 8), null],
  ['Đạt / Đạt → none', 'dat', 'dat', rep(90, 8), null],
];
for (const [name, conduct, learning, averages, expected] of cases) {
  test(`decideAward: ${name}`, () => assert.equal(decideAward(conduct, learning, averages), expected));
}
