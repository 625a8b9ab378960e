import assert from 'node:assert/strict';
import { test } from 'node:test';
import { floorDiv, isTenths, roundHalfUpDiv, weightedAverageTenths } from './decimal.ts';

// Half up to one decimal, exact (Điều 9 khoản 2): results in tenths.
const roundCases: Array<[string, number, number, number]> = [
  // numerator/denominator is the value in tenths: 785/10 = 78.5 tenths = 7.85
  ['7.85 → 7.9', 785, 10, 79],
  ['7.849 → 7.8', 7849, 100, 78],
  ['55/7 = 7.857… → 7.9', 550, 7, 79],
  ['8.25 → 8.3 (half up, not half even)', 825, 10, 83],
  ['8.35 → 8.4 (half up, not half even)', 835, 10, 84],
  ['4.95 → 5.0', 495, 10, 50],
  ['6.45 → 6.5', 645, 10, 65],
  ['3.45 → 3.5', 345, 10, 35],
  ['8.95 → 9.0', 895, 10, 90],
  ['7.95 → 8.0', 795, 10, 80],
  ['7.9499… → 7.9', 79499, 1000, 79],
  ['x/3 with remainder 1 rounds down: 250/3 → 83', 250, 3, 83],
  ['x/3 with remainder 2 rounds up: 251/3 → 84', 251, 3, 84],
  ['exact value unchanged', 900, 10, 90],
  ['zero', 0, 7, 0],
  ['ten', 1000, 10, 100],
];
for (const [name, n, d, expected] of roundCases) {
  test(`roundHalfUpDiv: ${name}`, () => assert.equal(roundHalfUpDiv(n, d), expected));
}

test('roundHalfUpDiv: 7.85 where binary floating point rounds the wrong way', () => {
  // 7.85 is stored as 7.8499999… in an IEEE 754 double, so toFixed gives 7.8.
  assert.equal((7.85).toFixed(1), '7.8');
  assert.equal(roundHalfUpDiv(785, 10), 79);
});

const floorCases: Array<[string, number, number, number]> = [
  ['positive', 7, 2, 3],
  ['exact', 8, 2, 4],
  ['negative rounds towards −∞', -7, 2, -4],
  ['large safe integers', 9007199254740991, 3, 3002399751580330],
];
for (const [name, a, b, expected] of floorCases) {
  test(`floorDiv: ${name}`, () => assert.equal(floorDiv(a, b), expected));
}

test('floorDiv refuses a non-positive divisor and unsafe integers', () => {
  assert.throws(() => floorDiv(1, 0), RangeError);
  assert.throws(() => floorDiv(1.5, 1), RangeError);
});

const averageCases: Array<[string, Array<[number, number]>, number]> = [
  ['brief example: ĐĐGtx 8, 9; GK 7; CK 8 → 7.9', [[80, 1], [90, 1], [70, 2], [80, 3]], 79],
  ['brief example: HK I 7.9, HK II 8.5 → 8.3', [[79, 1], [85, 2]], 83],
];
for (const [name, terms, expected] of averageCases) {
  test(`weightedAverageTenths: ${name}`, () => assert.equal(weightedAverageTenths(terms), expected));
}

const tenthsCases: Array<[string, unknown, boolean]> = [
  ['0', 0, true],
  ['100', 100, true],
  ['85', 85, true],
  ['101', 101, false],
  ['-1', -1, false],
  ['8.5 (a float, not tenths)', 8.5, false],
  ['NaN', Number.NaN, false],
  ['string', '85', false],
];
for (const [name, value, expected] of tenthsCases) {
  test(`isTenths: ${name}`, () => assert.equal(isTenths(value), expected));
}
