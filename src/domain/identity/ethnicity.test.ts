import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ETHNIC_GROUPS, ethnicityByCode, ethnicityKey, findEthnicity } from './ethnicity.ts';

const findCases: Array<{ name: string; input: string; code: string | null }> = [
  { name: 'Kinh', input: 'Kinh', code: '01' },
  { name: 'lowercase kinh', input: 'kinh', code: '01' },
  { name: 'Khmer (international spelling)', input: 'Khmer', code: '05' },
  { name: 'Khơ Me with a space', input: 'Khơ Me', code: '05' },
  { name: 'Khơ-me official', input: 'Khơ-me', code: '05' },
  { name: 'kho me folded', input: 'kho me', code: '05' },
  { name: 'KHƠ-ME caps', input: 'KHƠ-ME', code: '05' },
  { name: 'Mường', input: 'Mường', code: '06' },
  { name: 'muong without accents', input: 'muong', code: '06' },
  { name: 'Thái', input: 'Thái', code: '03' },
  { name: 'H\'Mông with apostrophe', input: "H'Mông", code: '08' },
  { name: 'Mông', input: 'Mông', code: '08' },
  { name: 'Ê Đê: đ folds to d', input: 'Ê Đê', code: '12' },
  { name: 'ede', input: 'ede', code: '12' },
  { name: 'Xơ Đăng', input: 'Xơ Đăng', code: '14' },
  { name: 'Bru - Vân Kiều with spaced hyphen', input: 'Bru - Vân Kiều', code: '23' },
  { name: 'Ơ Đu', input: 'Ơ-đu', code: '53' },
  { name: 'Rơ Măm', input: 'Rơ Măm', code: '54' },
  { name: 'leading "dân tộc"', input: 'Dân tộc Tày', code: '02' },
  { name: 'decomposed Unicode', input: 'Nùng'.normalize('NFD'), code: '07' },
  { name: 'surrounding spaces', input: '  Hoa ', code: '04' },
  { name: 'Co is not Cơ-ho', input: 'Co', code: '30' },
  { name: 'Cơ Ho', input: 'Cơ Ho', code: '16' },
  { name: 'Mạ vs Mảng', input: 'Mảng', code: '45' },
  { name: 'unknown', input: 'Klingon', code: null },
  { name: 'empty', input: '', code: null },
  { name: 'only "dân tộc"', input: 'dân tộc', code: null },
];

for (const c of findCases) {
  test(`findEthnicity: ${c.name}`, () => {
    assert.equal(findEthnicity(c.input)?.code ?? null, c.code);
  });
}

test('ETHNIC_GROUPS: 54 groups coded 01..54 in order', () => {
  assert.equal(ETHNIC_GROUPS.length, 54);
  ETHNIC_GROUPS.forEach((e, i) => assert.equal(e.code, String(i + 1).padStart(2, '0')));
});

test('ETHNIC_GROUPS: names are NFC and no two names or aliases share a matching key', () => {
  const owner = new Map<string, string>();
  for (const e of ETHNIC_GROUPS) {
    for (const n of [e.name, ...e.aliases]) {
      assert.equal(n, n.normalize('NFC'));
      const key = ethnicityKey(n);
      assert.ok(key.length > 0);
      assert.ok(!owner.has(key) || owner.get(key) === e.code, `${n} clashes with ${owner.get(key)}`);
      owner.set(key, e.code);
    }
  }
});

test('every official name finds its own group', () => {
  for (const e of ETHNIC_GROUPS) assert.equal(findEthnicity(e.name)?.code, e.code);
});

const codeCases = [
  { code: '01', name: 'Kinh' },
  { code: '05', name: 'Khơ-me' },
  { code: '54', name: 'Rơ-măm' },
  { code: '55', name: null },
  { code: '1', name: null },
];
for (const c of codeCases) {
  test(`ethnicityByCode: ${c.code}`, () => {
    assert.equal(ethnicityByCode(c.code)?.name ?? null, c.name);
  });
}
