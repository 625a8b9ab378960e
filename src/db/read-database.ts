/**
 * Read replicas (DATABASE_READ_URL): a second, read-only PostgreSQL handle — a hot standby
 * streaming from the primary — for the heavy read-only pages (the school progress board,
 * the province board, the public verification lookups), so a board refresh at 07:00 in a
 * hundred schools does not compete with teachers saving marks on the primary.
 *
 * Rules kept here so routes need not know them:
 * - Without DATABASE_READ_URL (and always with PGlite) reads go to the primary.
 * - The replica connection is read-only twice over: it is a standby, and every session
 *   starts with default_transaction_read_only=on, so even a replica URL that points at a
 *   writable server by mistake can never be written through.
 * - A read that the replica cannot serve runs again on the primary: the replica is down
 *   (then it is skipped for REPLICA_RETRY_MS), the query was cancelled by a recovery
 *   conflict, the code path tried to write (e.g. a plan created from the template at the
 *   first read), or the caller says the replica missed (a record sealed a moment ago that
 *   has not replayed yet must still verify at once).
 */
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Database, Db } from './client.ts';
import * as schema from './schema.ts';

/** After a connection failure the replica is not tried again for this long. */
export const REPLICA_RETRY_MS = 10_000;

/** Where reads go: the replica when one is configured, else the primary. */
export interface Reads {
  /** True when a replica is configured (reads may be a few seconds stale). */
  replica: boolean;
  /**
   * Runs a read on the replica, and once more on the primary when the replica is down,
   * refused the work (a write, a recovery conflict) or `missed(result)` is true.
   * Without a replica it runs once on the primary.
   */
  run<T>(fn: (db: Db) => Promise<T>, opts?: { missed?: (result: T) => boolean }): Promise<T>;
  /** Counters since start: reads served by the replica and reads that fell back (health, tests). */
  stats(): { replica: number; fallback: number };
}

/**
 * Opens the read-only replica handle. Fails at start-up — naming DATABASE_READ_URL, never
 * printing its password — when the primary is PGlite, the replica is unreachable, or it
 * holds no hocba schema (not a replica of this database).
 */
export async function openReadDatabase(opts: { url: string; primary: Pick<Database, 'kind'>; poolSize?: number }): Promise<Database> {
  if (opts.primary.kind !== 'postgres') {
    throw new Error('DATABASE_READ_URL is set but the database is the embedded PGlite: read replicas need DATABASE_URL (PostgreSQL). Unset DATABASE_READ_URL or set DATABASE_URL.');
  }
  const where = describeUrl(opts.url);
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    // A replica that does not answer must not hold a request for long: the primary answers instead.
    connectionTimeoutMillis: 3_000,
    application_name: 'hocba-read',
    options: '-c default_transaction_read_only=on',
  });
  pool.on('error', (err) => console.error(`[db] idle read-replica client error (${where}):`, err.message));
  pool.on('connect', (client) => client.on('error', (err) => console.error(`[db] read-replica connection lost (${where}):`, err.message)));
  try {
    const r = await pool.query<{ ro: string; n: number | null }>(`select current_setting('transaction_read_only') as ro, (select count(*)::int from drizzle.__drizzle_migrations) as n`);
    if (r.rows[0]?.ro !== 'on') throw new Error('the session is not read-only');
  } catch (err) {
    await pool.end().catch(() => undefined);
    const e = err as { code?: string; message: string };
    const why = e.code === '42P01' || e.code === '3F000' ? 'it has no hocba schema (is it a replica of DATABASE_URL?)' : e.message;
    throw new Error(`DATABASE_READ_URL (${where}) cannot be used: ${why}`);
  }
  const db = drizzlePg(pool, { schema });
  return {
    db,
    kind: 'postgres',
    async query(text, params) {
      return (await pool.query(text, params as unknown[])).rows;
    },
    close: () => pool.end(),
  };
}

/** The reads of a deployment: through `replica` when given, else straight to `primary`. */
export function readsFor(primary: Pick<Database, 'db'>, replica?: Pick<Database, 'db'> | null, log: (m: string) => void = (m) => console.error(m)): Reads {
  const counts = { replica: 0, fallback: 0 };
  if (!replica) {
    return { replica: false, run: (fn) => fn(primary.db), stats: () => ({ ...counts }) };
  }
  let downUntil = 0;
  return {
    replica: true,
    stats: () => ({ ...counts }),
    async run(fn, opts) {
      if (Date.now() < downUntil) {
        counts.fallback++;
        return fn(primary.db);
      }
      try {
        const result = await fn(replica.db);
        if (opts?.missed?.(result)) {
          counts.fallback++;
          return fn(primary.db);
        }
        counts.replica++;
        return result;
      } catch (err) {
        const why = replicaFailure(err);
        if (!why) throw err;
        if (why === 'unavailable') {
          if (downUntil === 0 || Date.now() >= downUntil) log(`[db] read replica unavailable (${(err as Error).message}); reading from the primary for ${REPLICA_RETRY_MS / 1000} s`);
          downUntil = Date.now() + REPLICA_RETRY_MS;
        }
        counts.fallback++;
        return fn(primary.db);
      }
    },
  };
}

/**
 * Why the replica could not serve a read, or null when the error is the read's own (a
 * not-found, a bad input) and must reach the caller unchanged. drizzle wraps driver errors,
 * so the cause chain is searched.
 */
export function replicaFailure(err: unknown): 'unavailable' | 'refused' | null {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    // 25006 read_only_sql_transaction: the work tried to write; 40001 on a standby: cancelled by a recovery conflict.
    if (code === '25006' || code === '40001') return 'refused';
    if (/^08/.test(code) || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code)) return 'unavailable';
    if (/Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i.test(message)) return 'unavailable';
  }
  return null;
}

/** host:port/db of a connection string, for messages (never the password). */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'unparsable URL';
  }
}
