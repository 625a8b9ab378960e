import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { viAverage, viEthnicity, viGender, viResult, viSchoolYear, vietnamTime } from './format-vi.ts';

describe('Vietnamese print formats', () => {
  it('writes averages with a decimal comma', () => {
    for (const [canonical, printed] of [['8.5', '8,5'], ['10.0', '10,0'], ['0.0', '0,0']]) assert.equal(viAverage(canonical!), printed);
  });

  it('writes results as the grade book does', () => {
    const table: [Parameters<typeof viResult>[0], string][] = [
      [{ kind: 'score', average: '7.9' }, '7,9'],
      [{ kind: 'comment', result: 'D' }, 'Đ'],
      [{ kind: 'comment', result: 'CD' }, 'CĐ'],
      [{ kind: 'exempt' }, 'Miễn'],
      [null, ''],
    ];
    for (const [r, printed] of table) assert.equal(viResult(r), printed);
  });

  it('names gender, ethnicity and school year', () => {
    assert.equal(viGender('female'), 'Nữ');
    assert.equal(viGender('male'), 'Nam');
    assert.equal(viEthnicity('01'), 'Kinh');
    assert.equal(viEthnicity('99'), '99');
    assert.equal(viSchoolYear('2025-2026'), '2025–2026');
  });

  it('shows instants in Vietnam time, ISO 8601 with +07:00, across midnight', () => {
    assert.equal(vietnamTime('2026-05-31T09:15:00.000Z'), '2026-05-31T16:15:00+07:00');
    assert.equal(vietnamTime('2026-12-31T20:00:00.999Z'), '2027-01-01T03:00:00+07:00');
    assert.throws(() => vietnamTime('nonsense'), RangeError);
  });
});
