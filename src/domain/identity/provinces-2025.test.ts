import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressProvince, PROVINCES_2025 } from './provinces-2025.ts';

test('34 provinces since July 2025, unique codes', () => {
  assert.equal(PROVINCES_2025.length, 34);
  assert.equal(new Set(PROVINCES_2025.map((p) => p.code)).size, 34);
});

const cases: Array<[string, string, string | null]> = [
  ['Thôn 1, Xã Hậu Lộc, Tỉnh Thanh Hóa', 'current', 'Thanh Hóa'],
  ['Phường Bến Nghé, TP Hồ Chí Minh', 'current', 'TP Hồ Chí Minh'],
  ['Phường Bến Nghé, Thành phố Hồ Chí Minh', 'current', 'TP Hồ Chí Minh'],
  ['Xã A, tinh thanh hoa', 'current', 'Thanh Hóa'],
  ['Xã Quảng Ninh, Huyện Quảng Ninh, Tỉnh Quảng Bình', 'pre2025', 'Quảng Bình'],
  ['Phường 1, Thị xã Kiến Tường, Long An', 'pre2025', 'Long An'],
  ['Số 5 ngõ 3', 'unknown', null],
  ['', 'unknown', null],
];
for (const [address, kind, name] of cases) {
  test(`address province: "${address}"`, () => {
    const r = addressProvince(address);
    assert.equal(r.kind, kind);
    assert.equal('name' in r ? r.name : null, name);
  });
}
