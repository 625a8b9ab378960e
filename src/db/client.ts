/**
 * Opens the database — embedded PGlite in a data directory (one school, zero set-up) or a
 * PostgreSQL server (a province) — and migrates it. Both give the same drizzle API; the
 * rest of the code never knows which one it has.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { DomainError } from '../domain/errors.ts';
import { acquireDirLock, type DirLock } from './dir-lock.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The drizzle database. PGlite's driver has the same runtime API; it is typed as this one. */
export type Db = NodePgDatabase<Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs raw SQL with parameters and returns rows (for tools such as pg-boss and tests). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** The PGlite instance, when embedded (for cloning in tests). */
  pglite?: PGlite;
}

export interface OpenOptions {
  /** PostgreSQL connection string; when absent the embedded database in dataDir is used. */
  url?: string | undefined;
  dataDir?: string | undefined;
  /** Open an in-memory PGlite (tests) — optionally loaded from a dump made by dumpDataDir(). */
  memory?: boolean;
  loadDataDir?: Blob | File;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/** Opens and (by default) migrates the database. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.url ? await openPostgres(opts.url, opts.poolSize ?? 10) : await openPglite(opts);
  if (opts.migrate !== false) {
    try {
      await migrateDatabase(database, opts.dataDir ?? opts.url ?? 'memory');
    } catch (err) {
      await database.close();
      throw err;
    }
  }
  return database;
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // Without a listener an idle client's error (server restart) would crash the process.
  pool.on('error', (err) => console.error('[db] idle PostgreSQL client error:', err.message));
  // A checked-out client has no pool listener: a connection cut mid-request (failover,
  // pg_terminate_backend) emitted an unhandled 'error' and crashed the server (found by
  // test/http/fault-grade-import.test.ts). The failing query already rejects, and pg-pool
  // drops the dead client when it is released.
  pool.on('connect', (client) => client.on('error', (err) => console.error('[db] PostgreSQL connection lost:', err.message)));
  const db = drizzlePg(pool, { schema });
  return {
    db,
    kind: 'postgres',
    async query(text, params) {
      const r = await pool.query(text, params as unknown[]);
      return r.rows;
    },
    close: () => pool.end(),
  };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  let lock: DirLock | undefined;
  let dir: string | undefined;
  if (!opts.memory) {
    if (!opts.dataDir) throw new Error('openDatabase: dataDir or url is required');
    mkdirSync(opts.dataDir, { recursive: true });
    lock = acquireDirLock(opts.dataDir);
    dir = join(opts.dataDir, 'pg');
  }
  let client: PGlite;
  try {
    client = new PGlite({ ...(dir ? { dataDir: dir } : {}), ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });
    await client.waitReady;
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    async query(text, params) {
      const r = await client.query(text, params as unknown[]);
      return r.rows as never[];
    },
    async close() {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/** The migrations this build knows, from drizzle-kit's journal. */
export function knownMigrations(): JournalEntry[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return journal.entries;
}

/**
 * Applies pending migrations. Refuses — before touching anything — a database that has
 * migrations this build does not know (made by a newer hocba).
 */
export async function migrateDatabase(database: Database, where: string): Promise<void> {
  if (database.kind === 'pglite') {
    await refuseNewerDatabase(database.query, where);
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  // Several instances starting at once (a rolling restart, systemd starting hocba@1 and
  // hocba@2 together) must not migrate side by side: a session-level advisory lock, held on
  // ONE dedicated connection from before the version check until after the last migration,
  // which run on that same connection. (Taken through the pool, lock and unlock could land on
  // different connections, leaving the lock held by an idle client.) The others wait, then
  // find nothing left to apply.
  await withAdvisoryLock(database, MIGRATION_LOCK_KEY, async (holder) => {
    if (!holder) throw new Error('migrateDatabase: no PostgreSQL connection');
    await refuseNewerDatabase(async (text) => (await holder.query(text)).rows, where);
    await migratePg(drizzlePg(holder, { schema }), { migrationsFolder: MIGRATIONS_DIR });
  });
}

/** The advisory lock key that serialises migrations of one PostgreSQL database. */
export const MIGRATION_LOCK_KEY = 7243001;
/** The advisory lock key that serialises the job queue's set-up (pg-boss schema and queues) across instances. */
export const JOBS_SETUP_LOCK_KEY = 7243002;

/**
 * Runs fn while holding a PostgreSQL session advisory lock on one dedicated connection (given
 * to fn), so concurrent instances take turns; on PGlite (one process) it just runs fn.
 */
export async function withAdvisoryLock<T>(database: Database, key: number, fn: (holder: pg.PoolClient | null) => Promise<T>): Promise<T> {
  if (database.kind !== 'postgres') return fn(null);
  const pool = (database.db as unknown as { $client: pg.Pool }).$client;
  const holder = await pool.connect();
  let broken = false;
  try {
    await holder.query('select pg_advisory_lock($1)', [key]);
    try {
      return await fn(holder);
    } finally {
      await holder.query('select pg_advisory_unlock($1)', [key]).catch(() => {
        broken = true;
      });
    }
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    // A connection whose unlock may not have run is closed, which releases the lock for sure.
    holder.release(broken);
  }
}

/** Refuses — before touching anything — a database with migrations this build does not know. */
async function refuseNewerDatabase(query: Database['query'], where: string): Promise<void> {
  const known = knownMigrations();
  const lastKnown = known[known.length - 1];
  const exists = await query<{ t: string | null }>(`select to_regclass('drizzle.__drizzle_migrations')::text as t`);
  if (exists[0]?.t) {
    const applied = await query<{ created_at: string }>(`select created_at::text from drizzle.__drizzle_migrations order by created_at`);
    const newest = applied.length ? Number(applied[applied.length - 1]!.created_at) : 0;
    if (lastKnown && (applied.length > known.length || newest > lastKnown.when)) {
      throw new DomainError('db.newer_version', { dir: where, found: applied.length, known: known.length });
    }
  }
}

/** True when the embedded data directory already holds a database. */
export function dataDirInitialised(dataDir: string): boolean {
  return existsSync(join(dataDir, 'pg', 'PG_VERSION'));
}
