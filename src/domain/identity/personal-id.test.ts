import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePersonalId, makePersonalId, validatePersonalId, type PersonalIdExpectations } from './personal-id.ts';
import { PROVINCES_PRE_2025, findPre2025Province } from './provinces-pre2025.ts';

interface Case {
  name: string;
  value: string;
  expected?: PersonalIdExpectations;
  codes: string[];
}

const cases: Case[] = [
  { name: 'valid male born 2010 in Thanh Hóa', value: '038210123456', expected: { birthDate: '2010-03-15', gender: 'male' }, codes: [] },
  { name: 'valid female born 2009 in Hà Nội', value: '001309000001', expected: { birthDate: '2009-12-31', gender: 'female' }, codes: [] },
  { name: 'valid male born 1999 (G=0)', value: '079099000000', expected: { birthDate: '1999-01-01', gender: 'male' }, codes: [] },
  { name: 'valid female born 1900 (G=1, first year)', value: '096100999999', expected: { birthYear: 1900, gender: 'female' }, codes: [] },
  { name: 'valid male born 2000 (G=2, century boundary)', value: '038200000000', expected: { birthYear: 2000, gender: 'male' }, codes: [] },
  { name: 'valid female born 2099 (G=3, last year of century)', value: '038399000000', expected: { birthYear: 2099, gender: 'female' }, codes: [] },
  { name: 'valid male born 2100 (G=4)', value: '038400000000', expected: { birthYear: 2100, gender: 'male' }, codes: [] },
  { name: 'valid female born 2199 (G=5, last encodable year)', value: '038599000000', expected: { birthYear: 2199, gender: 'female' }, codes: [] },
  { name: 'structure only, no expectations', value: '038210123456', codes: [] },
  { name: 'birthDate wins over birthYear', value: '038210123456', expected: { birthDate: '2010-01-01', birthYear: 2009 }, codes: [] },
  { name: 'invalid birthDate is ignored, birthYear used', value: '038210123456', expected: { birthDate: '2010-02-30', birthYear: 2009 }, codes: ['identity.personal_id_year'] },
  { name: '11 digits', value: '03821012345', codes: ['identity.personal_id_format'] },
  { name: '13 digits', value: '0382101234567', codes: ['identity.personal_id_format'] },
  { name: 'empty', value: '', codes: ['identity.personal_id_format'] },
  { name: 'letter inside', value: '03821012345A', codes: ['identity.personal_id_format'] },
  { name: 'spaces inside are not silently removed', value: '038 210 123 456', codes: ['identity.personal_id_format'] },
  { name: 'leading space', value: ' 038210123456', codes: ['identity.personal_id_format'] },
  { name: 'full-width digits', value: '０３８２１０１２３４５６', codes: ['identity.personal_id_format'] },
  { name: 'malformed number reports only the format problem', value: '99921012345', expected: { birthYear: 1980, gender: 'female' }, codes: ['identity.personal_id_format'] },
  { name: 'province 000 does not exist', value: '000210123456', codes: ['identity.personal_id_province'] },
  { name: 'province 003 is a gap in the table', value: '003210123456', codes: ['identity.personal_id_province'] },
  { name: 'province 097 is past the table', value: '097210123456', codes: ['identity.personal_id_province'] },
  { name: 'gender: G=2 (male) for a female', value: '038210123456', expected: { gender: 'female' }, codes: ['identity.personal_id_gender'] },
  { name: 'gender: G=3 (female) for a male', value: '038310123456', expected: { gender: 'male' }, codes: ['identity.personal_id_gender'] },
  { name: 'gender: G=0 (male) for a female', value: '038080123456', expected: { gender: 'female' }, codes: ['identity.personal_id_gender'] },
  { name: 'century: G=0 (1900s) for a 2010 birth', value: '038010123456', expected: { birthDate: '2010-05-05', gender: 'male' }, codes: ['identity.personal_id_century'] },
  { name: 'century: G=2 (2000s) for a 1999 birth', value: '038299123456', expected: { birthYear: 1999, gender: 'male' }, codes: ['identity.personal_id_century'] },
  { name: 'century: G=4 (2100s) for a 2010 birth', value: '038410123456', expected: { birthYear: 2010 }, codes: ['identity.personal_id_century'] },
  { name: 'century: G=6 is beyond 2199, even without expectations', value: '038610123456', codes: ['identity.personal_id_century'] },
  { name: 'century: G=9 is beyond 2199', value: '038910123456', expected: { gender: 'female' }, codes: ['identity.personal_id_century'] },
  { name: 'century: birth year 1899 cannot be encoded', value: '038099123456', expected: { birthYear: 1899 }, codes: ['identity.personal_id_century'] },
  { name: 'year: YY 09 for a 2010 birth', value: '038209123456', expected: { birthDate: '2010-05-05' }, codes: ['identity.personal_id_year'] },
  { name: 'year: YY 10 for a 2008 birth', value: '038310123456', expected: { birthYear: 2008, gender: 'female' }, codes: ['identity.personal_id_year'] },
  { name: 'several problems at once', value: '000009123456', expected: { birthDate: '2010-05-05', gender: 'female' },
    codes: ['identity.personal_id_province', 'identity.personal_id_gender', 'identity.personal_id_century', 'identity.personal_id_year'] },
];

for (const c of cases) {
  test(`validatePersonalId: ${c.name}`, () => {
    const problems = validatePersonalId(c.value, c.expected);
    assert.deepEqual(problems.map((p) => p.code), c.codes);
    for (const p of problems) {
      assert.equal(p.value, c.value);
      assert.ok(p.message.vi.length > 0 && p.message.en.length > 0);
    }
  });
}

test('validatePersonalId: messages name the offending digit and the recorded data', () => {
  const [gender] = validatePersonalId('038210123456', { gender: 'female' });
  assert.match(gender!.message.vi, /Chữ số thứ 4 là 2.*nam.*nữ/);
  const [year] = validatePersonalId('038209123456', { birthYear: 2010 });
  assert.match(year!.message.vi, /"09".*2010.*"10"/);
  assert.match(year!.message.en, /"09".*2010.*"10"/);
});

const decodeCases: Array<{ name: string; value: string; want: ReturnType<typeof decodePersonalId> }> = [
  { name: 'Thanh Hóa, male, 2010', value: '038210123456',
    want: { provinceCode: '038', province: { code: '038', name: 'Thanh Hóa' }, gender: 'male', birthYear: 2010, serial: '123456' } },
  { name: 'Hà Nội, female, 1985', value: '001185000042',
    want: { provinceCode: '001', province: { code: '001', name: 'Hà Nội' }, gender: 'female', birthYear: 1985, serial: '000042' } },
  { name: 'Cà Mau, female, 2100s', value: '096507000001',
    want: { provinceCode: '096', province: { code: '096', name: 'Cà Mau' }, gender: 'female', birthYear: 2107, serial: '000001' } },
  { name: 'unknown province still decodes', value: '003200000000',
    want: { provinceCode: '003', province: null, gender: 'male', birthYear: 2000, serial: '000000' } },
  { name: 'malformed', value: '03821012345', want: null },
  { name: 'century digit 6', value: '038610123456', want: null },
];

for (const c of decodeCases) {
  test(`decodePersonalId: ${c.name}`, () => {
    assert.deepEqual(decodePersonalId(c.value), c.want);
  });
}

const makeCases = [
  { name: 'male 2010 Thanh Hóa', input: { provinceCode: '038', gender: 'male', birthYear: 2010, serial: 123456 }, want: '038210123456' },
  { name: 'female 2008 pads serial', input: { provinceCode: '040', gender: 'female', birthYear: 2008, serial: 42 }, want: '040308000042' },
  { name: 'male 1975', input: { provinceCode: '001', gender: 'male', birthYear: 1975, serial: 999999 }, want: '001075999999' },
  { name: 'female 1900', input: { provinceCode: '096', gender: 'female', birthYear: 1900, serial: 0 }, want: '096100000000' },
  { name: 'male 2199', input: { provinceCode: '079', gender: 'male', birthYear: 2199, serial: 7 }, want: '079499000007' },
] as const;

for (const c of makeCases) {
  test(`makePersonalId: ${c.name}`, () => {
    const id = makePersonalId(c.input);
    assert.equal(id, c.want);
    assert.deepEqual(validatePersonalId(id, { birthYear: c.input.birthYear, gender: c.input.gender }), []);
    const decoded = decodePersonalId(id);
    assert.equal(decoded?.birthYear, c.input.birthYear);
    assert.equal(decoded?.gender, c.input.gender);
  });
}

const makeErrors = [
  { name: 'unknown province', input: { provinceCode: '003', gender: 'male', birthYear: 2010, serial: 1 } },
  { name: 'birth year 1899', input: { provinceCode: '038', gender: 'male', birthYear: 1899, serial: 1 } },
  { name: 'birth year 2200', input: { provinceCode: '038', gender: 'male', birthYear: 2200, serial: 1 } },
  { name: 'fractional year', input: { provinceCode: '038', gender: 'male', birthYear: 2010.5, serial: 1 } },
  { name: 'serial too large', input: { provinceCode: '038', gender: 'female', birthYear: 2010, serial: 1_000_000 } },
  { name: 'negative serial', input: { provinceCode: '038', gender: 'female', birthYear: 2010, serial: -1 } },
] as const;

for (const c of makeErrors) {
  test(`makePersonalId rejects ${c.name}`, () => {
    assert.throws(() => makePersonalId(c.input), RangeError);
  });
}

test('province table: 63 provinces, unique 3-digit codes, Thanh Hóa is 038', () => {
  assert.equal(PROVINCES_PRE_2025.length, 63);
  assert.equal(new Set(PROVINCES_PRE_2025.map((p) => p.code)).size, 63);
  for (const p of PROVINCES_PRE_2025) {
    assert.match(p.code, /^0\d\d$/);
    assert.equal(p.name, p.name.normalize('NFC'));
  }
  assert.equal(findPre2025Province('038')?.name, 'Thanh Hóa');
  assert.equal(findPre2025Province('080')?.name, 'Long An');
  assert.equal(findPre2025Province('38'), null);
});
