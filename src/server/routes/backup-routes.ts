/** The scheduled backups' status for the IT officer (docs/backup.md): read-only; backups are made by the job or `hocba backup`. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/client.ts';
import { backupSettingsFromEnv, registerBackupDataDir } from '../../jobs/backup-job.ts';
import { listBackups, nextRunAt, readBackupStatus } from '../../services/backup/backup-schedule.ts';
import type { BackupStatusView } from '../api-types.ts';

/** Latest backups listed on the panel. */
const LISTED = 12;

export function backupRoutes(app: FastifyInstance, { database, dataDir }: { database: Database; dataDir: string | null }): void {
  // The daily job of this server backs up this data directory's files with the database.
  registerBackupDataDir(database, dataDir);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/backup/status', { config: { access: 'backup.read' }, schema: { tags: ['backup'], summary: 'Scheduled backups: configuration, last run, failures, next run, the latest files' } }, async (): Promise<BackupStatusView> => {
    const { settings, problem } = backupSettingsFromEnv();
    if (!settings) return { configured: false, problem, dir: null, keyKind: null, hourUtc: null, nextRunAt: null, retention: null, status: null, backups: [], totalBytes: 0 };
    const files = listBackups(settings.dir);
    return {
      configured: true,
      problem: null,
      dir: settings.dir,
      keyKind: settings.keyKind,
      hourUtc: settings.hourUtc,
      nextRunAt: nextRunAt(new Date(), settings.hourUtc).toISOString(),
      retention: settings.retention,
      status: readBackupStatus(settings.dir),
      backups: files.slice(0, LISTED).map((f) => ({ name: f.name, at: f.at.toISOString(), bytes: f.bytes })),
      totalBytes: files.reduce((s, f) => s + f.bytes, 0),
    };
  });
}
