import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdentityIndex } from './matching.ts';

const people = [
  { id: 'a', personalId: '038210000001', studentCode: '3800000001', fullName: 'Nguyễn Văn An', birthDate: '2010-03-01' },
  { id: 'b', personalId: null, studentCode: '3800000002', fullName: 'Lê Thị Bình', birthDate: '2010-03-02' },
  { id: 'c1', personalId: null, studentCode: null, fullName: 'Trần Văn Cường', birthDate: '2010-01-01' },
  { id: 'c2', personalId: null, studentCode: null, fullName: 'Trần Văn Cường', birthDate: '2010-01-01' },
];
const index = new IdentityIndex(people, (p) => p);

const cases: Array<[string, Parameters<typeof index.match>[0], string]> = [
  ['personal ID first, even if the code points elsewhere', { personalId: '038210000001', studentCode: '3800000002' }, 'matched:personalId:a'],
  ['then the student code', { personalId: '038210999999', studentCode: '3800000002' }, 'matched:studentCode:b'],
  ['then name + birth date, accents and case ignored', { fullName: 'le thi  binh', birthDate: '2010-03-02' }, 'matched:nameBirthDate:b'],
  ['the same birth date is required', { fullName: 'Lê Thị Bình', birthDate: '2010-03-03' }, 'none'],
  ['several hits are reported, not guessed', { fullName: 'Trần Văn Cường', birthDate: '2010-01-01' }, 'several:nameBirthDate:c1,c2'],
  ['nothing known', {}, 'none'],
];
for (const [name, keys, expected] of cases) {
  test(`matching: ${name}`, () => {
    const r = index.match(keys);
    const got = r.status === 'matched' ? `matched:${r.by}:${r.record.id}` : r.status === 'several' ? `several:${r.by}:${r.records.map((x) => x.id).join(',')}` : 'none';
    assert.equal(got, expected);
  });
}
