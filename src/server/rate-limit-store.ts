/**
 * A @fastify/rate-limit store whose counters live in the database (table rate_limit_counters),
 * so that several server instances on one PostgreSQL count together: five failed sign-ins are
 * five whichever instance the load balancer picked. One upsert per counted request; a counter
 * whose window has passed restarts at 1. Expired rows are swept about once per thousand
 * increments. Used by default on PostgreSQL; an embedded (PGlite) deployment is one process
 * and keeps the in-memory store.
 */
import type { Database } from '../db/client.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

const UPSERT = `
  INSERT INTO rate_limit_counters (key, count, reset_at) VALUES ($1, 1, now() + ($2::int * interval '1 millisecond'))
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN rate_limit_counters.reset_at <= now() THEN 1 ELSE rate_limit_counters.count + 1 END,
    reset_at = CASE WHEN rate_limit_counters.reset_at <= now() THEN EXCLUDED.reset_at ELSE rate_limit_counters.reset_at END
  RETURNING count, GREATEST(0, (EXTRACT(EPOCH FROM (reset_at - now())) * 1000)::int) AS ttl`;

const SWEEP_EVERY = 1000;

/** The store class @fastify/rate-limit instantiates (`store` option) for this database. */
export function databaseRateLimitStore(database: Database) {
  let n = 0;
  class DatabaseRateLimitStore {
    // @fastify/rate-limit passes its options to the global store; children get a per-route prefix.
    constructor(_options?: unknown, private readonly prefix = 'g:') {}

    incr(key: string, cb: Callback, timeWindow: number): void {
      if (++n % SWEEP_EVERY === 0) void database.query('DELETE FROM rate_limit_counters WHERE reset_at < now()').catch(() => undefined);
      database.query<{ count: number; ttl: number }>(UPSERT, [this.prefix + key, Math.max(1, Math.round(timeWindow))]).then(
        (rows) => cb(null, { current: Number(rows[0]!.count), ttl: Number(rows[0]!.ttl) }),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      );
    }

    child(routeOptions: { method?: string | string[]; url?: string; routeInfo?: { method: string; url: string } }): DatabaseRateLimitStore {
      const method = routeOptions.routeInfo?.method ?? String(routeOptions.method);
      const url = routeOptions.routeInfo?.url ?? routeOptions.url ?? '';
      return new DatabaseRateLimitStore(undefined, `${method} ${url}:`);
    }
  }
  return DatabaseRateLimitStore;
}
