import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalToComment, canonicalToTenths, parseSheetValue, tenthsToCanonical } from './sheet-values.ts';

const cases: Array<[string, 'score' | 'comment', string | number, string | null]> = [
  ['decimal comma', 'score', '8,5', '8.5'],
  ['decimal point', 'score', '8.5', '8.5'],
  ['integer', 'score', '10', '10'],
  ['zero', 'score', '0', '0'],
  ['number from a spreadsheet', 'score', 7.3, '7.3'],
  ['trailing zero dropped', 'score', '9,0', '9'],
  ['above 10 refused', 'score', '11', null],
  ['two decimals refused', 'score', '8,55', null],
  ['text refused', 'score', 'abc', null],
  ['Đ', 'comment', 'Đ', 'D'],
  ['lower-case d', 'comment', 'd', 'D'],
  ['CĐ', 'comment', 'CĐ', 'CD'],
  ['chưa đạt in words', 'comment', 'Chưa đạt', 'CD'],
  ['a score in a comment subject', 'comment', '8', null],
];
for (const [name, form, input, expected] of cases) {
  test(`sheet value: ${name}`, () => {
    const r = parseSheetValue(form, input);
    assert.equal(r.ok ? r.value : null, expected);
  });
}

test('canonical round trips', () => {
  for (let t = 0; t <= 100; t++) assert.equal(canonicalToTenths(tenthsToCanonical(t)), t);
  assert.equal(canonicalToComment('D'), 'dat');
  assert.equal(canonicalToComment('CD'), 'chua_dat');
  assert.equal(canonicalToComment(null), null);
});
