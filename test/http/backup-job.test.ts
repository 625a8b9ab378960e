/**
 * The scheduled backup: the pg-boss job queued by housekeeping writes a backup that
 * restores-checks clean, records its status, and the IT officer's panel route shows it; a
 * failing run is recorded as a failure (and shown), the route says why backups are off when
 * they are not configured, and only the IT officer / operator may read it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { backupHousekeeping, backupSettingsFromEnv, runScheduledBackup } from '../../src/jobs/backup-job.ts';
import { createJobRunner } from '../../src/jobs/job-runner.ts';
import type { BackupStatusView } from '../../src/server/api-types.ts';
import { listBackups, readBackupStatus } from '../../src/services/backup/backup-schedule.ts';
import { verifyBackup } from '../../src/services/backup/restore-backup.ts';
import { sessionFor, startTestApp, type TestApp } from '../helpers/app.ts';

const ENV = ['HOCBA_BACKUP_DIR', 'HOCBA_BACKUP_PASSPHRASE', 'HOCBA_BACKUP_KEY_FILE', 'HOCBA_BACKUP_HOUR_UTC'] as const;

describe('scheduled backups: job, status, panel route (pglite)', { concurrency: 1 }, () => {
  let t: TestApp;
  let dir: string;
  const saved: Partial<Record<(typeof ENV)[number], string | undefined>> = {};

  before(async () => {
    for (const k of ENV) saved[k] = process.env[k];
    for (const k of ENV) delete process.env[k];
    t = await startTestApp('pglite');
    dir = await mkdtemp(join(tmpdir(), 'hocba-backup-job-'));
  });
  after(async () => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const status = async (role: 'school_admin' | 'principal') => {
    const c = await sessionFor(t, t.school.users[role].id, t.school.schoolId);
    return c.request({ method: 'GET', url: '/api/backup/status' });
  };

  test('not configured: the panel says what to set', async () => {
    const r = await status('school_admin');
    assert.equal(r.statusCode, 200, r.body);
    const v = r.json() as BackupStatusView;
    assert.equal(v.configured, false);
    assert.match(v.problem!, /HOCBA_BACKUP_DIR/);
    assert.equal((await status('principal')).statusCode, 403);
  });

  test('the job queued by housekeeping writes a verifiable backup and the panel shows it', async () => {
    const keyFile = join(dir, 'backup.key');
    await writeFile(keyFile, randomBytes(32), { mode: 0o600 });
    process.env.HOCBA_BACKUP_DIR = join(dir, 'backups');
    process.env.HOCBA_BACKUP_KEY_FILE = keyFile;
    const runner = createJobRunner({ database: t.database, publicUrl: 'http://127.0.0.1', housekeeping: [backupHousekeeping], pollingIntervalSeconds: 1, log: () => undefined });
    try {
      await runner.start(); // housekeeping runs at start: nothing was ever backed up, so one is due
      for (let i = 0; i < 600 && !readBackupStatus(process.env.HOCBA_BACKUP_DIR).lastSuccessAt; i++) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await runner.stop();
    }
    const s = readBackupStatus(process.env.HOCBA_BACKUP_DIR);
    assert.ok(s.lastSuccessAt, JSON.stringify(s));
    const files = listBackups(process.env.HOCBA_BACKUP_DIR);
    assert.equal(files.length, 1);
    const { manifest } = await verifyBackup(join(process.env.HOCBA_BACKUP_DIR, files[0]!.name), { keyFile: readFileSync(keyFile) });
    assert.equal(manifest.tables.find((x) => x.name === 'schools')!.rows, 2);

    const v = (await status('school_admin')).json() as BackupStatusView;
    assert.equal(v.configured, true);
    assert.equal(v.keyKind, 'key-file');
    assert.equal(v.backups.length, 1);
    assert.equal(v.backups[0]!.bytes, files[0]!.bytes);
    assert.equal(v.status!.lastError, null);
    assert.ok(Date.parse(v.nextRunAt!) > Date.now());
  });

  test('a failing run is recorded, counted and shown; the next success clears it', async () => {
    const { settings } = backupSettingsFromEnv();
    const broken = {
      ...settings!,
      key: (): never => {
        throw new Error('cannot read the key file /nonexistent/backup.key');
      },
    };
    const bad = await runScheduledBackup({ database: t.database, dataDir: null, settings: broken, now: new Date('2030-01-01T18:00:00Z') });
    assert.equal(bad.file, null);
    assert.ok(bad.error);
    const v = (await status('school_admin')).json() as BackupStatusView;
    assert.equal(v.status!.consecutiveFailures, 1);
    assert.match(v.status!.lastError!, /cannot read the key file/);
    assert.equal(listBackups(settings!.dir).length, 1, 'no file from the failed run');
    const good = await runScheduledBackup({ database: t.database, dataDir: null, settings: settings!, now: new Date('2030-01-02T18:00:00Z') });
    assert.ok(good.file);
    const after_ = readBackupStatus(settings!.dir);
    assert.equal(after_.lastError, null);
    assert.equal(after_.consecutiveFailures, 0);
  });
});
