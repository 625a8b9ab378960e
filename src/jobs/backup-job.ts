/**
 * The daily backup while the server runs (docs/backup.md): when HOCBA_BACKUP_DIR and a key
 * (HOCBA_BACKUP_PASSPHRASE or HOCBA_BACKUP_KEY_FILE) are set, housekeeping queues one
 * `backup.daily` job per day after HOCBA_BACKUP_HOUR_UTC (default 18 = 01:00 Vietnam time);
 * the job writes `hocba-backup-<UTC time>.hbak`, applies retention (HOCBA_BACKUP_KEEP_DAILY,
 * default 7; HOCBA_BACKUP_KEEP_WEEKLY, default 4) and records the outcome in
 * `<dir>/backup-status.json`, which the IT officer's panel shows. A failure is kept there
 * (and logged) and retried after an hour.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Database } from '../db/client.ts';
import { checkKeyFile, type KeySource } from '../services/backup/backup-format.ts';
import { applyRetention, backupDue, backupFileName, readBackupStatus, writeBackupStatus, type RetentionPolicy } from '../services/backup/backup-schedule.ts';
import { createBackup } from '../services/backup/create-backup.ts';
import type { Housekeeping, JobContext, JobPayloads } from './job-runner.ts';

export interface BackupSettings {
  dir: string;
  key: () => KeySource;
  keyKind: 'passphrase' | 'key-file';
  hourUtc: number;
  retention: RetentionPolicy;
}

/** The scheduled-backup settings from the environment; null when backups are not configured (or why not). */
export function backupSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): { settings: BackupSettings | null; problem: string | null } {
  const dir = env.HOCBA_BACKUP_DIR?.trim();
  if (!dir) return { settings: null, problem: 'HOCBA_BACKUP_DIR is not set' };
  const keyFile = env.HOCBA_BACKUP_KEY_FILE?.trim();
  const passphrase = env.HOCBA_BACKUP_PASSPHRASE;
  if (!keyFile && !passphrase) return { settings: null, problem: 'HOCBA_BACKUP_PASSPHRASE or HOCBA_BACKUP_KEY_FILE is not set' };
  const int = (v: string | undefined, d: number, min: number, max: number) => {
    const n = v === undefined || v === '' ? d : Number(v);
    return Number.isInteger(n) && n >= min && n <= max ? n : d;
  };
  const key = (): KeySource => {
    if (!keyFile) return { passphrase: passphrase! };
    const bytes = readFileSync(keyFile);
    checkKeyFile(bytes, keyFile);
    return { keyFile: bytes };
  };
  return {
    settings: { dir: resolve(dir), key, keyKind: keyFile ? 'key-file' : 'passphrase', hourUtc: int(env.HOCBA_BACKUP_HOUR_UTC, 18, 0, 23), retention: { daily: int(env.HOCBA_BACKUP_KEEP_DAILY, 7, 1, 366), weekly: int(env.HOCBA_BACKUP_KEEP_WEEKLY, 4, 0, 520) } },
    problem: null,
  };
}

/** The data directory of the server using a database (registered by the backup routes at start). */
const DATA_DIRS = new WeakMap<Database, string | null>();
export function registerBackupDataDir(database: Database, dataDir: string | null): void {
  DATA_DIRS.set(database, dataDir);
}

let running = false;

/** Makes one backup into settings.dir now, applies retention and records the status. */
export async function runScheduledBackup(opts: { database: Database; dataDir: string | null; settings: BackupSettings; now?: Date; log?: (m: string) => void }): Promise<{ file: string | null; error: string | null; deleted: string[] }> {
  const { settings } = opts;
  const now = opts.now ?? new Date();
  mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  const status = readBackupStatus(settings.dir);
  status.lastRunAt = now.toISOString();
  writeBackupStatus(settings.dir, status);
  const started = Date.now();
  const file = join(settings.dir, backupFileName(now));
  try {
    await createBackup({ database: opts.database, dataDir: opts.dataDir, out: file, key: settings.key(), now, excludeDirs: [settings.dir] });
    const deleted = applyRetention(settings.dir, settings.retention, now);
    Object.assign(status, { lastSuccessAt: now.toISOString(), lastFile: file, lastBytes: statSync(file).size, lastDurationMs: Date.now() - started, lastError: null, lastErrorAt: null, consecutiveFailures: 0 });
    writeBackupStatus(settings.dir, status);
    opts.log?.(`backup written: ${file} (${status.lastBytes} bytes)${deleted.length ? `; retention removed ${deleted.join(', ')}` : ''}`);
    return { file, error: null, deleted };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    Object.assign(status, { lastError: message, lastErrorAt: new Date().toISOString(), consecutiveFailures: status.consecutiveFailures + 1 });
    writeBackupStatus(settings.dir, status);
    opts.log?.(`backup FAILED: ${message}`);
    return { file: null, error: message, deleted: [] };
  }
}

/** The `backup.daily` job. */
export async function backupJob(_payload: JobPayloads['backup.daily'], ctx: JobContext): Promise<void> {
  const { settings } = backupSettingsFromEnv();
  // A duplicate (queued twice, or by another server of the same database) finds nothing due.
  if (!settings || running || !backupDue(readBackupStatus(settings.dir), new Date(), settings.hourUtc)) return;
  running = true;
  try {
    await runScheduledBackup({ database: ctx.database, dataDir: DATA_DIRS.get(ctx.database) ?? null, settings, log: ctx.log });
  } finally {
    running = false;
  }
}

/** Queues the day's backup when one is due (checked every housekeeping pass). */
export const backupHousekeeping: Housekeeping = async (_ctx, send) => {
  const { settings } = backupSettingsFromEnv();
  if (!settings || running) return;
  const now = new Date();
  if (!backupDue(readBackupStatus(settings.dir), now, settings.hourUtc)) return;
  await send('backup.daily', { day: now.toISOString().slice(0, 10) });
};
