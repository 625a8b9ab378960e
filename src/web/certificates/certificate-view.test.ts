import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { vi } from '../i18n/vi.ts';
import { STANDINGS, STANDING_COLOR, daysLeft, dutyKey, nameMatches, standingKey } from './certificate-view.ts';

describe('certificate view helpers', () => {
  test('days left count whole days and go negative once expired', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    assert.equal(daysLeft('2026-06-11T00:00:00Z', now), 10);
    assert.equal(daysLeft('2026-06-11T23:59:59Z', now), 10);
    assert.equal(daysLeft('2026-06-01T12:00:00Z', now), 0);
    assert.equal(daysLeft('2026-05-31T12:00:00Z', now), -1);
  });

  test('the name search ignores case, spaces and Vietnamese diacritics (đ included)', () => {
    assert.ok(nameMatches('Đặng Thị Ánh', 'dang thi'));
    assert.ok(nameMatches('Đặng Thị Ánh', '  ĐẶNG   thị '));
    assert.ok(nameMatches('Nguyễn Văn Toán', 'toan'));
    assert.ok(nameMatches('Anyone', ''));
    assert.ok(!nameMatches('Lê Văn Nam', 'nguyen'));
  });

  test('every standing and duty has a label and a colour', () => {
    for (const s of STANDINGS) {
      assert.ok(standingKey(s) in vi, s);
      assert.ok(STANDING_COLOR[s], s);
    }
    assert.equal(STANDINGS.length, Object.keys(STANDING_COLOR).length, 'the filters list every standing');
    for (const d of ['gvbm', 'gvcn', 'principal', 'vice_principal', 'seal']) assert.ok(dutyKey(d)! in vi, d);
    assert.equal(dutyKey('librarian'), null);
  });
});
