/** English UI strings for the backup panel (keys as in vi-backup.ts). */
import type { viBackup } from './vi-backup.ts';

export const enBackup: Record<keyof typeof viBackup, string> = {
  'nav.backup': 'Backups',
  'backup.title': 'Backups',
  'backup.subtitle': 'Daily encrypted backups of the whole database and the data directory (keys, certificates). Restore with hocba restore.',
  'backup.notConfigured': 'Scheduled backups are off',
  'backup.notConfiguredHint': 'Set HOCBA_BACKUP_DIR and HOCBA_BACKUP_PASSPHRASE (or HOCBA_BACKUP_KEY_FILE) for the server and restart it. Reason: {problem}',
  'backup.lastOk': 'The last backup succeeded',
  'backup.failing': 'The last backup failed ({count} in a row)',
  'backup.never': 'No backup yet',
  'backup.lastSuccess': 'Last success',
  'backup.lastSize': 'Size',
  'backup.lastDuration': 'Duration',
  'backup.nextRun': 'Next run',
  'backup.lastError': 'Last error',
  'backup.dir': 'Directory',
  'backup.key': 'Encryption key',
  'backup.key.passphrase': 'Passphrase (HOCBA_BACKUP_PASSPHRASE)',
  'backup.key.key-file': 'Key file (HOCBA_BACKUP_KEY_FILE)',
  'backup.retention': 'Retention',
  'backup.retentionValue': '{daily} daily, {weekly} weekly',
  'backup.files': 'Backups ({total})',
  'backup.file': 'File',
  'backup.at': 'Time',
  'backup.size': 'Size',
  'backup.keyWarning': 'Keep the passphrase or key file apart from the backups: without it nothing can be restored.',
};
