/**
 * Scheduled backups: file names carry their UTC time, retention keeps the newest backup of
 * each of the last 7 days and of each of the last 4 weeks, and a small status file in the
 * backup directory records the last run (the IT officer's panel reads it).
 */
import { readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupStatus } from '../../server/api-types.ts';

export const BACKUP_EXT = '.hbak';
const NAME = /^hocba-backup-(\d{8})T(\d{6})Z\.hbak$/;
export const STATUS_FILE = 'backup-status.json';

/** hocba-backup-20261129T010000Z.hbak */
export function backupFileName(at: Date): string {
  const iso = at.toISOString();
  return `hocba-backup-${iso.slice(0, 10).replace(/-/g, '')}T${iso.slice(11, 19).replace(/:/g, '')}Z${BACKUP_EXT}`;
}

export interface BackupFileInfo {
  name: string;
  at: Date;
  bytes: number;
}

/** The complete backups in a directory (never the `.partial` files of a running or killed backup), newest first. */
export function listBackups(dir: string): BackupFileInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: BackupFileInfo[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const d = m[1]!;
    const t = m[2]!;
    const at = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`);
    if (Number.isNaN(at.getTime())) continue;
    out.push({ name, at, bytes: statSync(join(dir, name)).size });
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime());
}

export interface RetentionPolicy {
  daily: number;
  weekly: number;
}
export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4 };

/** Monday of the UTC week of d, as YYYY-MM-DD. */
function weekOf(d: Date): string {
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  x.setUTCDate(x.getUTCDate() - ((x.getUTCDay() + 6) % 7));
  return x.toISOString().slice(0, 10);
}

/** Which backups to keep: the newest of each of the last `daily` days and of each of the last `weekly` weeks. */
export function backupsToKeep(files: BackupFileInfo[], policy: RetentionPolicy = DEFAULT_RETENTION): Set<string> {
  const newestFirst = [...files].sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<string>();
  const days = new Set<string>();
  const weeks = new Set<string>();
  for (const f of newestFirst) {
    const day = f.at.toISOString().slice(0, 10);
    if (!days.has(day) && days.size < policy.daily) {
      days.add(day);
      keep.add(f.name);
    }
    const week = weekOf(f.at);
    if (!weeks.has(week) && weeks.size < policy.weekly) {
      weeks.add(week);
      keep.add(f.name);
    }
  }
  return keep;
}

/** Deletes what retention does not keep, and `.partial` leftovers older than a day; returns the deleted names. */
export function applyRetention(dir: string, policy: RetentionPolicy = DEFAULT_RETENTION, now = new Date()): string[] {
  const files = listBackups(dir);
  const keep = backupsToKeep(files, policy);
  const deleted: string[] = [];
  for (const f of files) {
    if (keep.has(f.name)) continue;
    unlinkSync(join(dir, f.name));
    deleted.push(f.name);
  }
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.partial')) continue;
    const p = join(dir, name);
    if (now.getTime() - statSync(p).mtimeMs > 24 * 3600_000) {
      unlinkSync(p);
      deleted.push(name);
    }
  }
  return deleted;
}

export type { BackupStatus };

const EMPTY_STATUS: BackupStatus = { lastRunAt: null, lastSuccessAt: null, lastFile: null, lastBytes: null, lastDurationMs: null, lastError: null, lastErrorAt: null, consecutiveFailures: 0 };

export function readBackupStatus(dir: string): BackupStatus {
  try {
    return { ...EMPTY_STATUS, ...(JSON.parse(readFileSync(join(dir, STATUS_FILE), 'utf8')) as Partial<BackupStatus>) };
  } catch {
    return { ...EMPTY_STATUS };
  }
}

export function writeBackupStatus(dir: string, s: BackupStatus): void {
  const tmp = join(dir, `.${STATUS_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(s, null, 2), { mode: 0o600 });
  renameSync(tmp, join(dir, STATUS_FILE));
}

/** The next daily run at `hourUtc`:00 UTC after `now`. */
export function nextRunAt(now: Date, hourUtc: number): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/** Whether a daily backup is due: none succeeded since the last scheduled time (a failed run is retried after an hour). */
export function backupDue(status: BackupStatus, now: Date, hourUtc: number): boolean {
  const lastScheduled = new Date(nextRunAt(now, hourUtc).getTime() - 24 * 3600_000).getTime();
  const success = status.lastSuccessAt ? new Date(status.lastSuccessAt).getTime() : 0;
  if (success >= lastScheduled) return false;
  const run = status.lastRunAt ? new Date(status.lastRunAt).getTime() : 0;
  return run < lastScheduled || now.getTime() - run >= 3600_000;
}
