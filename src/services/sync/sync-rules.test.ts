/** The small rules of the sync: backoff delays, who fixes a rejection, which base URLs are allowed. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../domain/errors.ts';
import { rejectionOwner } from './rejection-owners.ts';
import { backoffDelay } from './run-sync.ts';
import { checkBaseUrl } from './sync-settings.ts';

describe('backoff', () => {
  test('doubles from the base, capped at 60 s, with ±20 % jitter', () => {
    const table: Array<[number, number, number, number]> = [
      // attempt, base, random, expected
      [0, 1000, 0.5, 1000],
      [1, 1000, 0.5, 2000],
      [3, 1000, 0.5, 8000],
      [3, 1000, 0, 6400],
      [3, 1000, 1, 9600],
      [10, 1000, 0.5, 60_000],
      [20, 1000, 1, 72_000],
    ];
    for (const [attempt, base, random, expected] of table) assert.equal(backoffDelay(attempt, base, () => random), expected, `attempt ${attempt}, random ${random}`);
  });
});

describe('who fixes a rejection', () => {
  test('identity → GVCN, marks → subject teacher, seal → clerk, the rest → IT', () => {
    const table: Array<[string | null, string]> = [
      ['HBS-E101', 'homeroom'],
      ['HBS-E103', 'homeroom'],
      ['VNEID-E101', 'homeroom'],
      ['HBS-E201', 'subject_teacher'],
      ['HBS-E301', 'clerk'],
      ['HBS-E401', 'it'],
      ['HBS-E409', 'it'],
      ['XYZ', 'it'],
      [null, 'it'],
    ];
    for (const [code, owner] of table) assert.equal(rejectionOwner(code), owner, String(code));
  });
});

describe('base URL of a target', () => {
  test('https anywhere, http only to this machine, no credentials in the URL', () => {
    assert.equal(checkBaseUrl('https://hbs.moet.gov.vn/api/'), 'https://hbs.moet.gov.vn/api');
    assert.equal(checkBaseUrl('http://127.0.0.1:9911'), 'http://127.0.0.1:9911');
    assert.equal(checkBaseUrl('http://localhost:9911/x'), 'http://localhost:9911/x');
    for (const bad of ['http://hbs.example.org', 'ftp://127.0.0.1', 'not a url', 'https://user:pw@hbs.example.org']) {
      assert.throws(() => checkBaseUrl(bad), (e: unknown) => e instanceof DomainError && e.code === 'validation', bad);
    }
  });
});
