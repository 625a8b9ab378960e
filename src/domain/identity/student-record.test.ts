import assert from 'node:assert/strict';
import { test } from 'node:test';
import { communeKey } from './provinces-2025.ts';
import { checkStudentRecord, DEFAULT_MANDATORY_FIELDS, isClean, type StudentFacts } from './student-record.ts';

const good: StudentFacts = {
  fullName: 'Nguyễn Thị Lan',
  gender: 'female',
  birthDate: '2010-03-04',
  birthPlace: 'Xã Hậu Lộc, Thanh Hóa',
  ethnicityCode: '01',
  nationality: 'Việt Nam',
  personalId: '038310123456',
  studentCode: '3812345678',
  address: 'Thôn 1, Xã Hậu Lộc, Tỉnh Thanh Hóa',
  motherName: 'Lê Thị Hoa',
};

const cases: Array<[string, Partial<StudentFacts>, string[]]> = [
  ['a complete, consistent record has no problem', {}, []],
  ['missing personal ID blocks', { personalId: null }, ['personalId:record.missing_field']],
  ['blank birth place blocks', { birthPlace: '  ' }, ['birthPlace:record.missing_field']],
  ['ID century digit against a 2010 birth', { personalId: '038110123456' }, ['personalId:identity.personal_id_century']],
  ['ID gender digit against a girl', { personalId: '038210123456' }, ['personalId:identity.personal_id_gender']],
  ['ID year digits against the birth year', { personalId: '038309123456' }, ['personalId:identity.personal_id_year']],
  ['unknown province prefix', { personalId: '003310123456' }, ['personalId:identity.personal_id_province']],
  ['student code of 9 digits', { studentCode: '381234567' }, ['studentCode:identity.student_code_format']],
  ['unknown ethnicity code', { ethnicityCode: '55' }, ['ethnicityCode:record.unknown_ethnicity']],
  ['a name with double spaces is a warning', { fullName: 'Nguyễn  Thị Lan' }, ['fullName:record.name_not_clean']],
  ['no parent or guardian is a warning', { motherName: null }, ['parents:record.no_parent']],
  ['a current address in a pre-2025 province is a warning', { address: 'Xã Quảng Ninh, Huyện Quảng Ninh, Tỉnh Quảng Bình' }, ['address:record.old_province']],
  ['a current address without a province is a warning', { address: 'Thôn 1' }, ['address:record.address_no_province']],
  ['an old province as the place of birth is history, not a problem', { birthPlace: 'Tỉnh Hà Tây' }, []],
];
for (const [name, patch, expected] of cases) {
  test(`student record: ${name}`, () => {
    const got = checkStudentRecord({ ...good, ...patch }).map((p) => `${p.field}:${p.code}`);
    assert.deepEqual(got, expected);
  });
}

test('the mandatory list is data: a school may require the home town', () => {
  const p = checkStudentRecord(good, ['fullName', 'hometown']);
  assert.deepEqual(p.map((x) => x.field), ['hometown']);
  assert.equal(isClean(p), false);
  assert.equal(isClean(checkStudentRecord({ ...good, fullName: 'nguyễn thị lan' })), true, 'warnings do not block');
});

test('with the official commune list loaded, an unknown commune of a current address is flagged', () => {
  const communes = new Set([communeKey('Xã Hậu Lộc', 'Thanh Hóa')]);
  assert.deepEqual(checkStudentRecord(good, DEFAULT_MANDATORY_FIELDS, { communes }).map((p) => p.code), []);
  const bad = checkStudentRecord({ ...good, address: 'Thôn 1, Xã Hậu Lọc, Tỉnh Thanh Hóa' }, DEFAULT_MANDATORY_FIELDS, { communes });
  assert.deepEqual(bad.map((p) => p.code), ['record.unknown_commune']);
  assert.deepEqual(checkStudentRecord({ ...good, address: 'Thôn 1, Xã Hậu Lọc, Tỉnh Thanh Hóa' }).map((p) => p.code), [], 'without a list, communes are not judged');
});
