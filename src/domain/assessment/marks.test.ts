import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localizeAssessmentError } from './errors.ts';
import { formatCommentResult, formatMark, parseCommentResult, parseMark } from './marks.ts';

const okCases: Array<[string, string | number, number]> = [
  ['decimal comma', '8,5', 85],
  ['decimal point', '8.5', 85],
  ['ten', '10', 100],
  ['zero', '0', 0],
  ['ten with decimal', '10,0', 100],
  ['surrounding spaces', ' 7,2 ', 72],
  ['padded trailing zero from a spreadsheet', '8,50', 85],
  ['leading zero', '08', 80],
  ['0,5', '0,5', 5],
  ['number cell 8.5', 8.5, 85],
  ['number cell 10', 10, 100],
  ['number cell 9.1 (exact shortest text)', 9.1, 91],
];
for (const [name, input, expected] of okCases) {
  test(`parseMark accepts ${name}`, () => assert.deepEqual(parseMark(input), { ok: true, value: expected }));
}

const errorCases: Array<[string, string | number, string]> = [
  ['above 10', '10,5', 'assessment.mark_out_of_range'],
  ['above 10 with a second decimal', '10,05', 'assessment.mark_out_of_range'],
  ['11', '11', 'assessment.mark_out_of_range'],
  ['a huge number', '123456789012345678901234567890', 'assessment.mark_out_of_range'],
  ['negative', '-1', 'assessment.mark_out_of_range'],
  ['negative decimal', '-0,5', 'assessment.mark_out_of_range'],
  ['two decimals', '8,55', 'assessment.mark_too_many_decimals'],
  ['two decimals with point', '7.85', 'assessment.mark_too_many_decimals'],
  ['number cell with two decimals', 8.25, 'assessment.mark_too_many_decimals'],
  ['text', 'tám', 'assessment.mark_not_a_number'],
  ['letters and digits', '8a', 'assessment.mark_not_a_number'],
  ['thousands-like', '8,5,0', 'assessment.mark_not_a_number'],
  ['trailing separator', '8,', 'assessment.mark_not_a_number'],
  ['leading separator', ',5', 'assessment.mark_not_a_number'],
  ['NaN cell', Number.NaN, 'assessment.mark_not_a_number'],
  ['empty', '', 'assessment.mark_empty'],
  ['blank', '   ', 'assessment.mark_empty'],
];
for (const [name, input, code] of errorCases) {
  test(`parseMark rejects ${name} with ${code}`, () => {
    const r = parseMark(input);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.code, code);
  });
}

test('parseMark error names the value, in Vietnamese and English', () => {
  const r = parseMark('10,5');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.message, 'The mark 10,5 is outside the 10-point scale (0 to 10).');
  assert.equal(localizeAssessmentError(r, 'vi'), 'Điểm 10,5 nằm ngoài thang điểm 10 (từ 0 đến 10).');
});

const formatCases: Array<[string, number, Parameters<typeof formatMark>[1], string]> = [
  ['vi decimal comma', 85, {}, '8,5'],
  ['en decimal point', 85, { lang: 'en' }, '8.5'],
  ['whole number keeps its decimal (averages)', 80, {}, '8,0'],
  ['whole number without decimal', 80, { fixed: false }, '8'],
  ['ten', 100, {}, '10,0'],
  ['ten, not fixed', 100, { fixed: false }, '10'],
  ['zero', 0, {}, '0,0'],
  ['below one', 5, {}, '0,5'],
];
for (const [name, tenths, options, expected] of formatCases) {
  test(`formatMark: ${name}`, () => assert.equal(formatMark(tenths, options), expected));
}

test('parseMark ∘ formatMark round-trips every mark 0,0 … 10,0', () => {
  for (let t = 0; t <= 100; t++) {
    assert.deepEqual(parseMark(formatMark(t)), { ok: true, value: t });
    assert.deepEqual(parseMark(formatMark(t, { lang: 'en', fixed: false })), { ok: true, value: t });
  }
});

const commentCases: Array<[string, string, 'dat' | 'chua_dat' | null]> = [
  ['Đ', 'Đ', 'dat'],
  ['Đạt', 'Đạt', 'dat'],
  ['lower-case đạt', 'đạt', 'dat'],
  ['ASCII D', 'D', 'dat'],
  ['CĐ', 'CĐ', 'chua_dat'],
  ['Chưa đạt', 'Chưa đạt', 'chua_dat'],
  ['ASCII CD', 'cd', 'chua_dat'],
  ['decomposed Unicode Chưa đạt', 'Chưa đạt'.normalize('NFD'), 'chua_dat'],
  ['extra spaces', '  Chưa   đạt ', 'chua_dat'],
  ['a mark is not a comment result', '8', null],
  ['Khá is a level, not a comment result', 'Khá', null],
];
for (const [name, input, expected] of commentCases) {
  test(`parseCommentResult: ${name}`, () => {
    const r = parseCommentResult(input);
    if (expected === null) {
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.code, 'assessment.comment_result_invalid');
    } else assert.deepEqual(r, { ok: true, value: expected });
  });
}

test('formatCommentResult: grade-book abbreviations, full labels, English', () => {
  assert.equal(formatCommentResult('dat'), 'Đ');
  assert.equal(formatCommentResult('chua_dat'), 'CĐ');
  assert.equal(formatCommentResult('chua_dat', { full: true }), 'Chưa đạt');
  assert.equal(formatCommentResult('dat', { lang: 'en' }), 'Pass');
});
