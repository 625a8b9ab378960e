/**
 * `hocba backup`, `hocba restore` and `hocba restore-check` (docs/backup.md).
 * Exit codes: 0 done (and the restore check passed); 1 refused or failed — nothing was
 * written; 2 usage; 3 restored but the restore check found a failure; 4 restored but some
 * check could not be made (e.g. revocation unreachable).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openDatabase } from '../db/client.ts';
import { loadConfig } from '../server/config.ts';
import { BackupError } from '../services/backup/backup-error.ts';
import { checkKeyFile, type KeySource, type Manifest } from '../services/backup/backup-format.ts';
import { createBackup } from '../services/backup/create-backup.ts';
import { backupFileName } from '../services/backup/backup-schedule.ts';
import { checkRestoredData, formatRestoreCheck, type RestoreCheckReport } from '../services/backup/restore-check.ts';
import { restoreBackup, verifyBackup } from '../services/backup/restore-backup.ts';
import { trustContextFor } from '../services/certificates/trust-context.ts';
import { withDatabase, type GlobalOpts } from './open.ts';
import { ask } from './prompt.ts';

export const RESTORE_EXIT = { ok: 0, refused: 1, checkFailed: 3, checkIndeterminate: 4 } as const;

/** --key-file, else HOCBA_BACKUP_KEY_FILE, else HOCBA_BACKUP_PASSPHRASE, else ask (twice when making a backup). */
async function keySource(keyFile: string | undefined, confirm: boolean): Promise<KeySource> {
  const file = keyFile ?? process.env.HOCBA_BACKUP_KEY_FILE;
  if (file) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new BackupError('backup.no_key', `không đọc được tệp khoá / cannot read the key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    checkKeyFile(bytes, file);
    return { keyFile: bytes };
  }
  const env = process.env.HOCBA_BACKUP_PASSPHRASE;
  if (env) return { passphrase: env };
  if (!process.stdin.isTTY) throw new BackupError('backup.no_key', 'cần khoá: --key-file, HOCBA_BACKUP_KEY_FILE hoặc HOCBA_BACKUP_PASSPHRASE / a key is needed: --key-file, HOCBA_BACKUP_KEY_FILE or HOCBA_BACKUP_PASSPHRASE');
  const passphrase = await ask('Cụm mật khẩu sao lưu / backup passphrase: ', { hidden: true });
  if (passphrase.length < 12) throw new BackupError('backup.no_key', 'cụm mật khẩu cần ít nhất 12 ký tự / the passphrase needs at least 12 characters');
  if (confirm && (await ask('Nhập lại / repeat: ', { hidden: true })) !== passphrase) throw new BackupError('backup.no_key', 'hai lần nhập không khớp / the two entries differ');
  return { passphrase };
}

function fail(err: unknown): void {
  if (err instanceof BackupError) {
    console.error(`Lỗi / error [${err.code}]: ${err.message}`);
    process.exitCode = RESTORE_EXIT.refused;
  } else throw err;
}

const totalRows = (m: Manifest) => m.tables.reduce((s, t) => s + t.rows, 0);

function summary(m: Manifest, file: string): string[] {
  return [
    `  Tệp / file:             ${file} (${statSync(file).size} bytes)`,
    `  Tạo lúc / made at:      ${m.createdAt} from ${m.source.database}${m.source.dataDir ? ` (${m.source.dataDir})` : ''}`,
    `  Cơ sở dữ liệu / data:   ${totalRows(m)} rows in ${m.tables.length} tables, ${m.sequences} sequences, schema ${m.migrations[m.migrations.length - 1] ?? '-'}`,
    `  Tệp thư mục dữ liệu:    ${m.files.length} files (${m.files.map((f) => f.path).slice(0, 6).join(', ')}${m.files.length > 6 ? ', …' : ''})`,
    `  Học bạ / records:       ${m.expected.signedVersions} signed versions, ${m.expected.signatures} signatures, ${m.expected.sealedVersions} sealed PDFs; ${m.expected.auditEntries} audit entries`,
    `  SHA-256 nội dung:       ${m.contentSha256}`,
  ];
}

function exitFor(r: RestoreCheckReport): number {
  return r.status === 'passed' ? RESTORE_EXIT.ok : r.status === 'failed' ? RESTORE_EXIT.checkFailed : RESTORE_EXIT.checkIndeterminate;
}

export function registerBackupCommands(program: Command): void {
  const config = () => {
    const g = program.opts<GlobalOpts>();
    return loadConfig({ ...(g.dataDir ? { dataDir: g.dataDir } : {}), ...(g.databaseUrl ? { databaseUrl: g.databaseUrl } : {}) });
  };

  program
    .command('backup')
    .description('sao lưu mã hoá toàn bộ dữ liệu / make one consistent, encrypted backup file of the database and the data directory (docs/backup.md)')
    .option('--out <file>', 'output file (default: ./hocba-backup-<UTC time>.hbak)')
    .option('--key-file <file>', 'encrypt with this key file (≥ 32 random bytes) instead of a passphrase (HOCBA_BACKUP_PASSPHRASE or asked)')
    .option('--json', 'print the manifest as JSON')
    .addHelpText('after', '\nThe file is written to a temporary name and renamed only when complete.\nKeep the passphrase or key file apart from the backups: without it nothing can be restored.')
    .action(async (o: { out?: string; keyFile?: string; json?: boolean }) => {
      try {
        const key = await keySource(o.keyFile, true);
        const out = resolve(o.out ?? backupFileName(new Date()));
        const c = config();
        await withDatabase(program.opts<GlobalOpts>(), async (database) => {
          const manifest = await createBackup({ database, dataDir: c.dataDir, out, key, excludeDirs: process.env.HOCBA_BACKUP_DIR ? [process.env.HOCBA_BACKUP_DIR] : [] });
          if (o.json) console.log(JSON.stringify({ file: out, bytes: statSync(out).size, manifest }, null, 2));
          else console.log([`✓ Đã sao lưu / backup written`, ...summary(manifest, out)].join('\n'));
        });
      } catch (err) {
        fail(err);
      }
    });

  program
    .command('restore <file>')
    .description('khôi phục từ bản sao lưu vào thư mục dữ liệu trống (--data-dir) hoặc cơ sở dữ liệu trống (--database-url), rồi kiểm tra chữ ký và nhật ký / restore a backup into an empty data directory or database, then verify every signature and the audit chain')
    .option('--key-file <file>', 'the key file the backup was made with (else HOCBA_BACKUP_PASSPHRASE or asked)')
    .option('--check-only', 'verify the whole file (tags, digests, structure) and print what it holds; restore nothing')
    .option('--offline', 'restore check: use only the revocation data embedded in the documents (no OCSP/CRL requests)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExit codes: 0 restored and verified; 1 refused (damaged file, wrong key, target not empty) — nothing written;\n3 restored but the check found a failure; 4 restored but some check could not be made.')
    .action(async (file: string, o: { keyFile?: string; checkOnly?: boolean; offline?: boolean; json?: boolean }) => {
      try {
        const key = await keySource(o.keyFile, false);
        if (o.checkOnly) {
          const { manifest } = await verifyBackup(file, key);
          if (o.json) console.log(JSON.stringify({ file, ok: true, manifest }, null, 2));
          else console.log([`✓ Tệp sao lưu toàn vẹn / the backup file is intact (every chunk authenticated, SHA-256 matches)`, ...summary(manifest, file)].join('\n'));
          return;
        }
        const c = config();
        const target = c.databaseUrl ? ({ kind: 'postgres', url: c.databaseUrl, dataDir: c.dataDir } as const) : ({ kind: 'pglite', dataDir: c.dataDir } as const);
        const restored = await restoreBackup({ file, key, target, log: o.json ? undefined : (m) => console.log(m) });
        const database = await openDatabase({ url: c.databaseUrl, dataDir: c.dataDir, poolSize: 2 });
        try {
          const trust = await trustContextFor({ dataDir: c.dataDir });
          if (o.offline) trust.revocation = 'offline';
          const report = await checkRestoredData({ database, trust, expected: restored.manifest.expected });
          if (o.json) console.log(JSON.stringify({ file, restored: { rows: restored.rows, files: restored.files, relocatedKeys: restored.relocatedKeys }, check: report }, null, 2));
          else console.log(formatRestoreCheck(report).join('\n'));
          process.exitCode = exitFor(report);
        } finally {
          await database.close();
        }
      } catch (err) {
        fail(err);
      }
    });

  program
    .command('restore-check')
    .description('kiểm tra dữ liệu hiện có như sau khôi phục / run the restore check on the configured database: audit chains, every signed XML and sealed PDF')
    .option('--offline', 'use only the revocation data embedded in the documents')
    .option('--json', 'print the report as JSON')
    .action(async (o: { offline?: boolean; json?: boolean }) => {
      await withDatabase(program.opts<GlobalOpts>(), async (database) => {
        const trust = await trustContextFor({ dataDir: config().dataDir });
        if (o.offline) trust.revocation = 'offline';
        const report = await checkRestoredData({ database, trust });
        if (o.json) console.log(JSON.stringify(report, null, 2));
        else console.log(formatRestoreCheck(report).join('\n'));
        process.exitCode = exitFor(report);
      });
    });
}
