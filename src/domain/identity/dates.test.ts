import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dayNumberFromIsoDate,
  formatVietnameseDate,
  isoDateFromDayNumber,
  isValidIsoDate,
  parseExcelSerialDate,
  parseVietnameseDate,
} from './dates.ts';

const parseCases: Array<{ name: string; input: string | number; date?: string; code?: string }> = [
  { name: 'dd/mm/yyyy', input: '15/03/2010', date: '2010-03-15' },
  { name: 'd/m/yyyy', input: '5/9/2010', date: '2010-09-05' },
  { name: 'dd-mm-yyyy', input: '05-09-2010', date: '2010-09-05' },
  { name: 'dd.mm.yyyy', input: '05.09.2010', date: '2010-09-05' },
  { name: 'ISO yyyy-mm-dd', input: '2010-09-05', date: '2010-09-05' },
  { name: 'surrounding spaces', input: ' 01/01/2008 ', date: '2008-01-01' },
  { name: '29/02 of a leap year', input: '29/02/2008', date: '2008-02-29' },
  { name: '29/02/2000 (divisible by 400)', input: '29/02/2000', date: '2000-02-29' },
  { name: '31/12 end of year', input: '31/12/2009', date: '2009-12-31' },
  { name: '30/04', input: '30/04/2010', date: '2010-04-30' },
  { name: '31/02/2010 is impossible', input: '31/02/2010', code: 'identity.date_impossible' },
  { name: '29/02/2009 is impossible (not a leap year)', input: '29/02/2009', code: 'identity.date_impossible' },
  { name: '29/02/1900 is impossible (century not divisible by 400)', input: '29/02/1900', code: 'identity.date_impossible' },
  { name: '31/04 is impossible', input: '31/04/2010', code: 'identity.date_impossible' },
  { name: 'day 0', input: '00/01/2010', code: 'identity.date_impossible' },
  { name: 'month 13', input: '01/13/2010', code: 'identity.date_impossible' },
  { name: 'month 0', input: '01/00/2010', code: 'identity.date_impossible' },
  { name: 'US order mm/dd is caught as month 31', input: '12/31/2010', code: 'identity.date_impossible' },
  { name: 'ISO with an impossible day', input: '2010-02-30', code: 'identity.date_impossible' },
  { name: 'year 0000', input: '01/01/0000', code: 'identity.date_impossible' },
  { name: 'two-digit year is ambiguous', input: '15/03/10', code: 'identity.date_format' },
  { name: 'mixed separators', input: '15/03-2010', code: 'identity.date_format' },
  { name: 'ISO without padding', input: '2010-3-5', code: 'identity.date_format' },
  { name: 'words', input: 'ngày 15 tháng 3 năm 2010', code: 'identity.date_format' },
  { name: 'empty', input: '', code: 'identity.date_format' },
  { name: 'bare year is not a serial', input: '2010', code: 'identity.date_format' },
  { name: 'date with a time', input: '15/03/2010 00:00', code: 'identity.date_format' },
  { name: 'Excel serial as number', input: 40252, date: '2010-03-15' },
  { name: 'Excel serial with a time fraction', input: 40252.75, date: '2010-03-15' },
  { name: 'Excel serial as 5-digit text', input: '40252', date: '2010-03-15' },
  { name: 'Excel serial text with fraction', input: '40252.5', date: '2010-03-15' },
  { name: 'Excel serial 1 is 01/01/1900', input: 1, date: '1900-01-01' },
  { name: 'Excel serial 59 is 28/02/1900', input: 59, date: '1900-02-28' },
  { name: 'Excel serial 60 is the fake 29/02/1900', input: 60, code: 'identity.date_impossible' },
  { name: 'Excel serial 61 is 01/03/1900', input: 61, date: '1900-03-01' },
  { name: 'Excel serial 25569 is 01/01/1970', input: 25569, date: '1970-01-01' },
  { name: 'Excel serial 36526 is 01/01/2000', input: 36526, date: '2000-01-01' },
  { name: 'Excel serial 39507 is 29/02/2008', input: 39507, date: '2008-02-29' },
  { name: 'largest Excel serial', input: 2958465, date: '9999-12-31' },
  { name: 'Excel serial 0', input: 0, code: 'identity.date_out_of_range' },
  { name: 'negative serial', input: -5, code: 'identity.date_out_of_range' },
  { name: 'serial past 9999', input: 2958466, code: 'identity.date_out_of_range' },
  { name: 'NaN', input: Number.NaN, code: 'identity.date_format' },
  { name: 'Infinity', input: Number.POSITIVE_INFINITY, code: 'identity.date_format' },
];

for (const c of parseCases) {
  test(`parseVietnameseDate: ${c.name}`, () => {
    const r = parseVietnameseDate(c.input);
    if (c.date !== undefined) {
      assert.deepEqual(r, { ok: true, date: c.date });
    } else {
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.problem.code, c.code);
      assert.equal(r.problem.value, String(c.input));
      assert.ok(r.problem.message.vi.length > 0 && r.problem.message.en.length > 0);
    }
  });
}

test('parseVietnameseDate: the impossible-date message says how many days the month has', () => {
  const r = parseVietnameseDate('31/02/2010');
  assert.ok(!r.ok);
  assert.match(r.problem.message.vi, /tháng 2 năm 2010 có 28 ngày/);
  assert.match(r.problem.message.en, /February 2010 has 28 days/);
});

test('parseExcelSerialDate: every serial from 61 to 73050 maps one-to-one onto consecutive days', () => {
  let prev = parseExcelSerialDate(61);
  assert.ok(prev.ok);
  for (let s = 62; s <= 73050; s++) {
    const r = parseExcelSerialDate(s);
    assert.ok(r.ok && prev.ok);
    assert.equal(dayNumberFromIsoDate(r.date) - dayNumberFromIsoDate(prev.date), 1);
    prev = r;
  }
});

const formatCases = [
  { iso: '2010-03-05', want: '05/03/2010' },
  { iso: '2008-12-31', want: '31/12/2008' },
  { iso: '2000-02-29', want: '29/02/2000' },
];
for (const c of formatCases) {
  test(`formatVietnameseDate: ${c.iso}`, () => {
    assert.equal(formatVietnameseDate(c.iso), c.want);
    assert.deepEqual(parseVietnameseDate(c.want), { ok: true, date: c.iso });
  });
}

for (const bad of ['2010-02-30', '05/03/2010', '2010-3-5', '']) {
  test(`formatVietnameseDate rejects "${bad}"`, () => {
    assert.throws(() => formatVietnameseDate(bad), RangeError);
  });
}

const isoCases = [
  { value: '2010-03-15', valid: true },
  { value: '2008-02-29', valid: true },
  { value: '2009-02-29', valid: false },
  { value: '2010-13-01', valid: false },
  { value: '2010-03-15T00:00:00Z', valid: false },
  { value: '15/03/2010', valid: false },
];
for (const c of isoCases) {
  test(`isValidIsoDate: ${c.value}`, () => assert.equal(isValidIsoDate(c.value), c.valid));
}

const dayNumberCases = [
  { iso: '1970-01-01', n: 0 },
  { iso: '1969-12-31', n: -1 },
  { iso: '2000-03-01', n: 11017 },
  { iso: '1900-01-01', n: -25567 },
  { iso: '2010-03-15', n: 14683 },
];
for (const c of dayNumberCases) {
  test(`day numbers: ${c.iso} ↔ ${c.n}`, () => {
    assert.equal(dayNumberFromIsoDate(c.iso), c.n);
    assert.equal(isoDateFromDayNumber(c.n), c.iso);
  });
}

test('day numbers round-trip over 1899–2101', () => {
  for (let n = dayNumberFromIsoDate('1899-01-01'); n <= dayNumberFromIsoDate('2101-12-31'); n++) {
    assert.equal(dayNumberFromIsoDate(isoDateFromDayNumber(n)), n);
  }
});
