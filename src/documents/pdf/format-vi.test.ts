import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { viAverage, viDateLine, viEthnicity, viGender, viResult, viSchoolYear, vietnamTime } from './format-vi.ts';

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

  it('writes the signature date line in Vietnam time, zero-padding days below 10 and months 1–2 (Decree 30)', () => {
    assert.equal(viDateLine('2026-06-25T02:19:01Z'), 'Ngày 25 tháng 6 năm 2026');
    assert.equal(viDateLine('2026-02-04T18:00:00Z'), 'Ngày 05 tháng 02 năm 2026', 'after 17:00 UTC it is already the next day in Vietnam');
    assert.equal(viDateLine('2026-01-10T00:00:00Z'), 'Ngày 10 tháng 01 năm 2026');
    assert.equal(viDateLine('2026-12-31T17:00:00Z'), 'Ngày 01 tháng 01 năm 2027');
    assert.equal(viDateLine('2026-11-09T08:00:00+07:00'), 'Ngày 09 tháng 11 năm 2026');
  });
});
