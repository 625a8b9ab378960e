/**
 * `hocba backup`: one consistent, encrypted file holding the whole database and the data
 * directory's files (demo PKI, server-held seal keys). The database is read inside ONE
 * read-only REPEATABLE READ transaction, so every table comes from the same snapshot while
 * the server keeps running (PostgreSQL), or between two requests (PGlite, one connection).
 *
 * Content lines (docs/backup.md): `T {table,columns}`, `R <row json>`, `S {sequence}`,
 * `F {file}`, `E {}`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { knownMigrations } from '../../db/client.ts';
import { BackupError } from './backup-error.ts';
import { sha256, type KeySource, type Manifest } from './backup-format.ts';
import { BackupWriter } from './backup-writer.ts';
import { appliedMigrations, listTables, quoteIdent, rowsOf } from './db-tables.ts';

/** Data-directory entries never copied: the PGlite files (dumped logically instead) and the lock. */
const SKIP_TOP = new Set(['pg', 'hocba.lock']);
const FETCH = 500;

export interface CreateBackupOptions {
  database: Database;
  /** The data directory whose files (pki/, keys/, …) go into the backup; null: none. */
  dataDir: string | null;
  out: string;
  key: KeySource;
  now?: Date;
  /** Directories inside dataDir not to copy (e.g. the backup directory itself). */
  excludeDirs?: string[];
  /** Called after each table (progress; tests use it to interrupt a backup). */
  onTable?: (name: string, rows: number) => void;
}

/** Files of the data directory, relative paths with '/', sorted. */
export function dataDirFiles(dataDir: string, excludeDirs: string[] = []): string[] {
  const root = resolve(dataDir);
  const excluded = excludeDirs.map((d) => resolve(d));
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (dir === root && SKIP_TOP.has(e.name)) continue;
      if (excluded.some((x) => full === x || full.startsWith(x + sep))) continue;
      if (e.name.endsWith('.partial') || e.name.endsWith('.hbak')) continue;
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** Makes the backup file; returns its manifest. The file appears at `out` only when complete. */
export async function createBackup(opts: CreateBackupOptions): Promise<Manifest> {
  const now = opts.now ?? new Date();
  const writer = await BackupWriter.open(opts.out, opts.key, now).catch((err: unknown) => {
    throw backupFailure(err, opts.out);
  });
  try {
    const known = knownMigrations();
    const body = await opts.database.db.transaction(
      async (tx) => {
        // Fixed output formats, whatever the server's defaults (restore parses these).
        await tx.execute(sql.raw(`set local bytea_output = 'hex'`));
        await tx.execute(sql.raw(`set local intervalstyle = 'postgres'`));
        await tx.execute(sql.raw(`set local extra_float_digits = 3`));
        await tx.execute(sql.raw(`set local timezone = 'UTC'`));
        const applied = await appliedMigrations(tx);
        const migrations = applied.map((when) => known.find((k) => k.when === when)?.tag ?? `unknown:${when}`);
        const tables: Manifest['tables'] = [];
        for (const t of await listTables(tx)) {
          writer.write(`T ${JSON.stringify({ table: t.name, columns: t.columns })}\n`);
          await tx.execute(sql.raw(`declare hocba_backup_rows no scroll cursor for select row_to_json(t)::text as j from ${quoteIdent(t.name)} t`));
          let rows = 0;
          for (;;) {
            const page = await rowsOf<{ j: string }>(tx, `fetch ${FETCH} from hocba_backup_rows`);
            for (const r of page) writer.write(`R ${r.j}\n`);
            rows += page.length;
            if (page.length < FETCH) break;
          }
          await tx.execute(sql.raw('close hocba_backup_rows'));
          tables.push({ name: t.name, rows });
          opts.onTable?.(t.name, rows);
        }
        const seqs = await rowsOf<{ name: string; value: string | null }>(tx, `select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public' order by sequencename`);
        for (const s of seqs) writer.write(`S ${JSON.stringify(s)}\n`);
        const count = async (q: string) => Number((await rowsOf<{ n: string }>(tx, q))[0]!.n);
        const has = (n: string) => tables.some((t) => t.name === n);
        const expected = {
          auditEntries: has('audit_log') ? await count('select count(*)::text as n from audit_log') : 0,
          sealedVersions: has('record_pdfs') ? await count('select count(*)::text as n from record_pdfs') : 0,
          signedVersions: has('record_signatures') ? await count('select count(distinct version_id)::text as n from record_signatures') : 0,
          signatures: has('record_signatures') ? await count('select count(*)::text as n from record_signatures') : 0,
        };
        return { migrations, tables, sequences: seqs.length, expected };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    const files: Manifest['files'] = [];
    if (opts.dataDir) {
      for (const path of dataDirFiles(opts.dataDir, opts.excludeDirs)) {
        const full = join(opts.dataDir, path);
        const data = readFileSync(full);
        const mode = statSync(full).mode & 0o777;
        const digest = sha256(data).toString('hex');
        writer.write(`F ${JSON.stringify({ path, mode, bytes: data.length, sha256: digest, data: data.toString('base64') })}\n`);
        files.push({ path, bytes: data.length, sha256: digest });
      }
    }
    writer.write('E {}\n');
    const source: Manifest['source'] = { kind: opts.database.kind, dataDir: opts.dataDir ? resolve(opts.dataDir) : null, database: opts.database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL' };
    return writer.finish({ createdAt: now.toISOString(), completedAt: new Date().toISOString(), source, ...body, files });
  } catch (err) {
    writer.abort();
    throw backupFailure(err, opts.out);
  }
}

/** The error of a failed backup, naming the target file; a full disk says so (ENOSPC carries no path). */
function backupFailure(err: unknown, out: string): BackupError {
  if (err instanceof BackupError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new BackupError('backup.failed', `hết dung lượng đĩa khi ghi ${out}; bản sao lưu dở dang đã bị xoá, không tạo tệp / disk full while writing ${out} (${code}); the partial backup was removed, no file was written`);
  }
  return new BackupError('backup.failed', `sao lưu thất bại, không tạo tệp ${out} / backup failed, no file was written to ${out}: ${(err as Error).message}`);
}
