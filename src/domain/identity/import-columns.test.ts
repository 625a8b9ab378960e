import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSDL_NGANH_HEADERS, detectColumns, fieldOfHeader, headerSignature, unmappedHeaders } from './import-columns.ts';

const headerCases: Array<[string, string | null]> = [
  ['Họ tên', 'fullName'],
  ['HỌ VÀ TÊN', 'fullName'],
  ['Ngày sinh', 'birthDate'],
  ['Mã định danh Bộ GD&ĐT', 'studentCode'],
  ['Mã HS', 'studentCode'],
  ['Số định danh cá nhân', 'personalId'],
  ['CCCD', 'personalId'],
  ['Dân tộc', 'ethnicityCode'],
  ['Chỗ ở hiện nay', 'address'],
  ['Tên mẹ', 'motherName'],
  ['Ghi chú', null],
];
for (const [h, f] of headerCases) test(`header "${h}"`, () => assert.equal(fieldOfHeader(h), f));

test('the sector-database export is recognised, below a title block', () => {
  const d = detectColumns([['DANH SÁCH HỌC SINH'], [], [...CSDL_NGANH_HEADERS]])!;
  assert.equal(d.headerRow, 2);
  assert.equal(d.layout, 'csdl_nganh');
  assert.equal(d.mapping.studentCode, 1);
  assert.equal(d.mapping.personalId, 24);
  assert.equal(d.mapping.hometown, 10);
  assert.equal(d.communeColumn, 11);
  assert.equal(d.classColumn, 22);
  assert.deepEqual(unmappedHeaders(d.headers, d.mapping), []);
});

test('a school sheet: custom layout, unknown headers reported, signature stable across spellings', () => {
  const d = detectColumns([['STT', 'Họ và tên', 'Ngày sinh', 'Sở thích']])!;
  assert.equal(d.layout, 'custom');
  assert.deepEqual(unmappedHeaders(d.headers, d.mapping), ['Sở thích']);
  assert.equal(headerSignature(['Họ và tên', 'Ngày sinh']), headerSignature(['HỌ VÀ TÊN', 'Ngay sinh']));
  assert.equal(detectColumns([['a', 'b'], ['1', '2']]), null, 'no header row');
});
