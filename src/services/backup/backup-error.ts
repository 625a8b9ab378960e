/**
 * Why a backup or restore stopped. The message is bilingual ("Vietnamese / English") and
 * names the file, chunk, table or path; it never contains the passphrase or key.
 */
export type BackupErrorCode =
  | 'backup.not_a_backup'
  | 'backup.unsupported'
  | 'backup.corrupt'
  | 'backup.truncated'
  | 'backup.wrong_key'
  | 'backup.target_not_empty'
  | 'backup.schema_mismatch'
  | 'backup.no_key'
  | 'backup.failed';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}
