/**
 * `hocba restore`: verifies the WHOLE backup first (every chunk's tag, the manifest, the
 * content's SHA-256, every file's digest, the structure) without writing anything, then
 * restores into an empty target in one transaction. PGlite is built in a hidden sibling
 * directory and renamed into place at the end; PostgreSQL rows go in one transaction and
 * the data-directory files are staged and moved in only after the commit. A failure at
 * any point leaves the target as it was: never half-restored.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { knownMigrations, migrateDatabase, MIGRATIONS_DIR, openDatabase, type Database, type Tx } from '../../db/client.ts';
import { BackupError } from './backup-error.ts';
import { ContentTracker, type ContentLine } from './backup-content.ts';
import type { KeySource, Manifest, Preamble } from './backup-format.ts';
import { scanBackup } from './backup-reader.ts';
import { listTables, quoteIdent, rowsOf, type TableInfo } from './db-tables.ts';

export type RestoreTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; dataDir: string | null };

export interface VerifiedBackup {
  preamble: Preamble;
  manifest: Manifest;
}

export interface RestoreResult extends VerifiedBackup {
  rows: number;
  files: number;
  /** Server-held key references (signing_certificates.key_ref paths) moved from the old data directory to the new one. */
  relocatedKeys: number;
  dataDir: string | null;
}

const BATCH_ROWS = 500;
const BATCH_BYTES = 8 << 20;

/** Pass 1: reads and checks everything; writes nothing. */
export async function verifyBackup(file: string, key: KeySource): Promise<VerifiedBackup> {
  const tracker = new ContentTracker(file);
  const { preamble, manifest } = await scanBackup(file, key, (line) => void tracker.accept(line));
  tracker.matches(manifest);
  checkMigrations(manifest);
  return { preamble, manifest };
}

function checkMigrations(m: Manifest): number {
  const known = knownMigrations().map((k) => k.tag);
  const prefix = m.migrations.every((tag, i) => known[i] === tag);
  if (!prefix || m.migrations.length > known.length) {
    const first = m.migrations.find((tag, i) => known[i] !== tag);
    throw new BackupError('backup.schema_mismatch', `bản sao lưu có lược đồ ${first ?? m.migrations.length} mà phiên bản hocba này không biết; hãy khôi phục bằng phiên bản hocba đã tạo ra nó hoặc mới hơn / the backup's schema (${first ?? `${m.migrations.length} migrations`}) is unknown to this hocba; restore with the version that made it or a newer one`);
  }
  return m.migrations.length;
}

/** True when a directory is missing or empty. */
function emptyDir(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) return false;
  return readdirSync(dir).length === 0;
}

/** Applies the first n migrations only (the backup's schema), through a copy of the journal cut at n. */
export async function migrateTo(database: Database, n: number): Promise<void> {
  const known = knownMigrations();
  if (n === known.length) return migrateDatabase(database, 'restore');
  const folder = join(tmpdir(), `hocba-restore-migrations-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(join(folder, 'meta'), { recursive: true });
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, n) }));
    for (const k of known.slice(0, n)) copyFileSync(join(MIGRATIONS_DIR, `${k.tag}.sql`), join(folder, `${k.tag}.sql`));
    if (database.kind === 'pglite') await migratePglite(database.db as never, { migrationsFolder: folder });
    else await migratePg(database.db, { migrationsFolder: folder });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function assertEmptyPostgres(database: Database, url: string): Promise<void> {
  const tables = await database.query<{ name: string }>(`select schemaname || '.' || tablename as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1 limit 5`);
  if (tables.length) {
    let where = 'PostgreSQL';
    try {
      const u = new URL(url);
      where = `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
    } catch {
      /* keep the generic name: never print a password */
    }
    throw new BackupError('backup.target_not_empty', `cơ sở dữ liệu đích ${where} không trống (có bảng ${tables.map((t) => t.name).join(', ')}); chỉ khôi phục vào cơ sở dữ liệu mới tạo (createdb); chưa ghi gì / the target database ${where} is not empty (it has ${tables.map((t) => t.name).join(', ')}); restore only into a newly created database; nothing was written`);
  }
}

/** Inserts rows and files as the lines arrive (pass 2, inside the restore transaction). */
class Applier {
  rows = 0;
  files = 0;
  private table: TableInfo | null = null;
  private columns: string[] = [];
  private batch: string[] = [];
  private batchBytes = 0;
  private held: string[] | null = null;

  constructor(
    private readonly tx: Tx,
    private readonly tables: Map<string, TableInfo>,
    private readonly fileRoot: string | null,
  ) {}

  async line(l: ContentLine): Promise<void> {
    if (l.type !== 'row') await this.endTable();
    switch (l.type) {
      case 'table': {
        const t = this.tables.get(l.table);
        if (!t) throw new BackupError('backup.schema_mismatch', `bảng ${l.table} của bản sao lưu không có trong cơ sở dữ liệu đích / table ${l.table} of the backup does not exist in the target database`);
        const missing = l.columns.filter((c) => !t.columns.includes(c));
        if (missing.length) throw new BackupError('backup.schema_mismatch', `bảng ${l.table}: cột ${missing.join(', ')} không có trong cơ sở dữ liệu đích / table ${l.table}: column(s) ${missing.join(', ')} do not exist in the target database`);
        this.table = t;
        this.columns = l.columns;
        this.held = t.selfRefs.length ? [] : null;
        return;
      }
      case 'row':
        if (this.held) this.held.push(l.json);
        else {
          this.batch.push(l.json);
          this.batchBytes += l.json.length;
          if (this.batch.length >= BATCH_ROWS || this.batchBytes >= BATCH_BYTES) await this.flush();
        }
        return;
      case 'sequence':
        if (l.value !== null) await this.tx.execute(sql`select setval(format('public.%I', ${l.name}::text)::regclass, ${l.value}::bigint, true)`);
        return;
      case 'file': {
        if (!this.fileRoot) return;
        const path = join(this.fileRoot, ...l.path.split('/'));
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        writeFileSync(path, l.data, { mode: l.mode || 0o600, flag: 'wx' });
        this.files++;
        return;
      }
      case 'end':
        return;
    }
  }

  private async flush(rows = this.batch): Promise<void> {
    if (!rows.length || !this.table) return;
    const cols = this.columns.map(quoteIdent).join(', ');
    const t = quoteIdent(this.table.name);
    await this.tx.execute(sql`insert into ${sql.raw(t)} (${sql.raw(cols)}) overriding system value select ${sql.raw(cols)} from json_populate_recordset(null::${sql.raw(t)}, ${`[${rows.join(',')}]`}::json)`);
    this.rows += rows.length;
    if (rows === this.batch) {
      this.batch = [];
      this.batchBytes = 0;
    }
  }

  /** A table referencing itself gets its rows parents first. */
  private async endTable(): Promise<void> {
    if (this.held && this.table) {
      const refs = this.table.selfRefs;
      const parsed = this.held.map((json) => ({ json, row: JSON.parse(json) as Record<string, unknown> }));
      const placed = new Set<string>();
      let pending = parsed;
      while (pending.length) {
        const ready = pending.filter((p) => refs.every((r) => p.row[r.column] == null || placed.has(`${r.refColumn}=${String(p.row[r.column])}`)));
        if (!ready.length) throw new BackupError('backup.corrupt', `bảng ${this.table.name}: tham chiếu vòng giữa các dòng / rows of ${this.table.name} reference each other in a cycle`);
        for (let i = 0; i < ready.length; i += BATCH_ROWS) await this.flush(ready.slice(i, i + BATCH_ROWS).map((p) => p.json));
        for (const p of ready) for (const r of refs) placed.add(`${r.refColumn}=${String(p.row[r.refColumn])}`);
        const done = new Set(ready);
        pending = pending.filter((p) => !done.has(p));
      }
      this.held = null;
    }
    await this.flush();
    this.table = null;
  }
}

/** Moves server-held key paths that pointed into the backup's data directory to the new one. */
async function relocateKeyRefs(tx: Tx, from: string | null, to: string | null): Promise<number> {
  if (!from || !to || resolve(from) === resolve(to)) return 0;
  const old = resolve(from) + '/';
  const rows = await rowsOf<{ n: string }>(
    tx,
    `with moved as (update signing_certificates set key_ref = jsonb_set(key_ref, '{path}', to_jsonb(${lit(resolve(to) + '/')} || substr(key_ref->>'path', ${old.length + 1})))
       where key_ref->>'kind' = 'file' and left(key_ref->>'path', ${old.length}) = ${lit(old)} returning 1) select count(*)::text as n from moved`,
  );
  return Number(rows[0]!.n);
}
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Restores a verified backup into an empty target. Throws BackupError (nothing written) when
 * the file is damaged, the key is wrong, or the target is not empty.
 */
export async function restoreBackup(opts: { file: string; key: KeySource; target: RestoreTarget; log?: (m: string) => void }): Promise<RestoreResult> {
  const log = opts.log ?? (() => undefined);
  const { target } = opts;
  const dataDir = target.dataDir ? resolve(target.dataDir) : null;
  if (target.kind === 'pglite' && !emptyDir(target.dataDir)) {
    throw new BackupError('backup.target_not_empty', `thư mục dữ liệu ${dataDir} không trống; chỉ khôi phục vào thư mục trống hoặc chưa có; chưa ghi gì / the data directory ${dataDir} is not empty; restore only into an empty or new directory; nothing was written`);
  }
  log('Đang kiểm tra toàn bộ tệp sao lưu / verifying the whole backup file…');
  const verified = await verifyBackup(opts.file, opts.key);
  const { manifest } = verified;
  if (target.kind === 'postgres' && dataDir) {
    const clash = manifest.files.find((f) => existsSync(join(dataDir, ...f.path.split('/'))));
    if (clash) throw new BackupError('backup.target_not_empty', `${join(dataDir, clash.path)} đã tồn tại; chưa ghi gì / ${join(dataDir, clash.path)} already exists; nothing was written`);
  }
  log(`Tệp hợp lệ / backup verified: ${manifest.tables.reduce((s, t) => s + t.rows, 0)} rows in ${manifest.tables.length} tables, ${manifest.files.length} files.`);

  // Where things are written before they become visible.
  const work = target.kind === 'pglite' ? join(dirname(dataDir!), `.${basename(dataDir!)}.restoring-${randomBytes(4).toString('hex')}`) : null;
  const staging = target.kind === 'postgres' && dataDir ? join(dirname(dataDir), `.${basename(dataDir)}.restoring-${randomBytes(4).toString('hex')}`) : null;
  let database: Database | null = null;
  let committed = false;
  try {
    if (work) mkdirSync(work, { recursive: true, mode: 0o700 });
    if (staging) mkdirSync(staging, { recursive: true, mode: 0o700 });
    database = target.kind === 'pglite' ? await openDatabase({ dataDir: work!, migrate: false }) : await openDatabase({ url: target.url, migrate: false, poolSize: 2 });
    if (target.kind === 'postgres') await assertEmptyPostgres(database, target.url);
    const level = checkMigrations(manifest);
    await migrateTo(database, level);
    const db = database;
    const result = await db.db.transaction(async (tx) => {
      const tables = new Map((await listTables(tx)).map((t) => [t.name, t] as const));
      const applier = new Applier(tx, tables, work ?? staging);
      const tracker = new ContentTracker(opts.file);
      // The file is read and authenticated again: it could have changed since pass 1.
      await scanBackup(opts.file, opts.key, (raw) => applier.line(tracker.accept(raw)));
      tracker.matches(manifest);
      for (const t of manifest.tables) {
        const [c] = await rowsOf<{ n: string }>(tx, `select count(*)::text as n from ${quoteIdent(t.name)}`);
        if (Number(c!.n) !== t.rows) throw new BackupError('backup.failed', `bảng ${t.name}: ${c!.n} dòng sau khôi phục, bản sao lưu có ${t.rows} / table ${t.name}: ${c!.n} rows after restore, the backup has ${t.rows}`);
      }
      const relocatedKeys = await relocateKeyRefs(tx, manifest.source.dataDir, dataDir);
      return { rows: applier.rows, files: applier.files, relocatedKeys };
    });
    committed = true;
    if (level < knownMigrations().length) await migrateDatabase(database, 'restore');
    await database.close();
    database = null;
    if (work) renameSync(work, dataDir!);
    if (staging && dataDir) moveInto(staging, dataDir);
    log(`Đã khôi phục / restored: ${result.rows} rows, ${result.files} files${result.relocatedKeys ? `, ${result.relocatedKeys} key paths moved to ${dataDir}` : ''}.`);
    return { ...verified, ...result, dataDir };
  } catch (err) {
    if (database) await database.close().catch(() => undefined);
    if (work) rmSync(work, { recursive: true, force: true });
    if (staging) rmSync(staging, { recursive: true, force: true });
    if (committed) throw new BackupError('backup.failed', `dữ liệu đã vào cơ sở dữ liệu nhưng bước cuối lỗi / the rows were committed but the last step failed: ${(err as Error).message}`);
    if (err instanceof BackupError) throw err;
    throw new BackupError('backup.failed', `khôi phục thất bại, không ghi gì / restore failed, nothing was written: ${(err as Error).message}`);
  }
}

/** Moves every file of `from` into `to` (same relative paths), then removes `from`. */
function moveInto(from: string, to: string): void {
  const walk = (rel: string) => {
    for (const e of readdirSync(join(from, rel), { withFileTypes: true })) {
      const r = rel ? join(rel, e.name) : e.name;
      if (e.isDirectory()) walk(r);
      else {
        mkdirSync(dirname(join(to, r)), { recursive: true, mode: 0o700 });
        renameSync(join(from, r), join(to, r));
      }
    }
  };
  walk('');
  rmSync(from, { recursive: true, force: true });
}
