import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStudentCode, validateStudentCode } from './student-code.ts';

const cases = [
  { name: '10 digits', value: '3800123456', valid: true },
  { name: 'leading zeros are kept', value: '0000000001', valid: true },
  { name: '9 digits', value: '380012345', valid: false },
  { name: '11 digits', value: '38001234567', valid: false },
  { name: 'empty', value: '', valid: false },
  { name: 'letter', value: '38001234S6', valid: false },
  { name: 'surrounding space', value: ' 3800123456', valid: false },
  { name: 'decimal from a spreadsheet', value: '3800123456.0', valid: false },
  { name: 'scientific notation from a spreadsheet', value: '3.800123456E9', valid: false },
];

for (const c of cases) {
  test(`validateStudentCode: ${c.name}`, () => {
    const problems = validateStudentCode(c.value);
    assert.equal(isStudentCode(c.value), c.valid);
    if (c.valid) {
      assert.deepEqual(problems, []);
    } else {
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.code, 'identity.student_code_format');
      assert.equal(problems[0]!.value, c.value);
      assert.match(problems[0]!.message.vi, /10 chữ số/);
      assert.match(problems[0]!.message.en, /10 digits/);
    }
  });
}
