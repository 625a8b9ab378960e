import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyRetention, backupDue, backupFileName, backupsToKeep, listBackups, nextRunAt, type BackupStatus } from './backup-schedule.ts';

const at = (iso: string) => new Date(iso);
const file = (iso: string) => ({ name: backupFileName(at(iso)), at: at(iso), bytes: 1 });

describe('scheduled backups', () => {
  test('file names carry the UTC time and sort back', () => {
    assert.equal(backupFileName(at('2026-11-29T01:02:03.456Z')), 'hocba-backup-20261129T010203Z.hbak');
  });

  test('retention keeps the newest of each of the last 7 days and of each of the last 4 weeks', () => {
    // 40 daily backups at 18:00 UTC from 2026-10-21 to 2026-11-29, plus a second one on the last day.
    const files = Array.from({ length: 40 }, (_, i) => file(new Date(Date.UTC(2026, 9, 21 + i, 18)).toISOString()));
    files.push(file('2026-11-29T20:00:00Z'));
    const keep = [...backupsToKeep(files)].sort();
    const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28'];
    const expected = [
      ...days.map((d) => backupFileName(at(`${d}T18:00:00Z`))),
      backupFileName(at('2026-11-29T20:00:00Z')), // the newest of the last day, not the 18:00 one
      // Weeks (Monday-based, UTC): the newest of the three weeks before the current one (the current week's newest is already kept).
      backupFileName(at('2026-11-22T18:00:00Z')),
      backupFileName(at('2026-11-15T18:00:00Z')),
      backupFileName(at('2026-11-08T18:00:00Z')),
    ].sort();
    assert.deepEqual(keep, expected);
  });

  test('applyRetention deletes the rest and stale partial files, never a fresh partial', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hocba-retention-'));
    try {
      for (let i = 0; i < 10; i++) writeFileSync(join(dir, backupFileName(new Date(Date.UTC(2026, 10, 1 + i, 18)))), 'x');
      writeFileSync(join(dir, '.old.hbak.abcd.partial'), 'x');
      utimesSync(join(dir, '.old.hbak.abcd.partial'), new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'));
      writeFileSync(join(dir, '.new.hbak.abcd.partial'), 'x');
      writeFileSync(join(dir, 'notes.txt'), 'not a backup');
      const now = at('2026-11-10T19:00:00Z');
      utimesSync(join(dir, '.new.hbak.abcd.partial'), now, now);
      const deleted = applyRetention(dir, { daily: 7, weekly: 4 }, now);
      assert.equal(listBackups(dir).length, 8, 'the last 7 days and one older weekly');
      assert.ok(deleted.includes('.old.hbak.abcd.partial'));
      assert.ok(readdirSync(dir).includes('.new.hbak.abcd.partial'));
      assert.ok(readdirSync(dir).includes('notes.txt'));
      assert.equal(listBackups(dir)[0]!.name, backupFileName(new Date(Date.UTC(2026, 10, 10, 18))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('due once a day after the hour; a failure is retried after an hour', () => {
    const base: BackupStatus = { lastRunAt: null, lastSuccessAt: null, lastFile: null, lastBytes: null, lastDurationMs: null, lastError: null, lastErrorAt: null, consecutiveFailures: 0 };
    assert.equal(nextRunAt(at('2026-11-29T17:59:00Z'), 18).toISOString(), '2026-11-29T18:00:00.000Z');
    assert.equal(nextRunAt(at('2026-11-29T18:00:00Z'), 18).toISOString(), '2026-11-30T18:00:00.000Z');
    assert.equal(backupDue(base, at('2026-11-29T10:00:00Z'), 18), true, 'never backed up');
    const ok = { ...base, lastRunAt: '2026-11-28T18:05:00Z', lastSuccessAt: '2026-11-28T18:05:00Z' };
    assert.equal(backupDue(ok, at('2026-11-29T10:00:00Z'), 18), false, 'yesterday 18:05 covers until today 18:00');
    assert.equal(backupDue(ok, at('2026-11-29T18:01:00Z'), 18), true);
    const failed = { ...ok, lastRunAt: '2026-11-29T18:01:00Z', lastError: 'disk full', consecutiveFailures: 1 };
    assert.equal(backupDue(failed, at('2026-11-29T18:30:00Z'), 18), false, 'not hammering');
    assert.equal(backupDue(failed, at('2026-11-29T19:02:00Z'), 18), true, 'retried after an hour');
  });
});
