/**
 * pg-boss talks to the database through one `executeSql(text, values)` function. This gives
 * it the platform's own connection, so the job queue lives in the same database on both
 * back ends: on PGlite (one connection, in-process) a parameterless text may hold several
 * statements and must go through `exec`, a parameterised one through `query`; on PostgreSQL
 * the pool takes both.
 */
import type PgBoss from 'pg-boss';
import type { Database } from '../db/client.ts';

/**
 * The pg-boss `db` adapter for a Database. Never call pg-boss from inside a transaction
 * on PGlite: the single connection is held by the transaction and the call would wait for it.
 */
export function bossDb(database: Database): PgBoss.Db {
  const pglite = database.pglite;
  if (pglite) {
    return {
      async executeSql(text, values) {
        if (values && values.length) return { rows: (await pglite.query(text, values)).rows };
        const results = await pglite.exec(text);
        return { rows: results.length ? results[results.length - 1]!.rows : [] };
      },
    };
  }
  return {
    async executeSql(text, values) {
      // A multi-statement text (schema set-up) answers a list of results: pg-boss reads no rows from those.
      const rows = await database.query(text, values && values.length ? values : undefined);
      return { rows: Array.isArray(rows) ? rows : [] };
    },
  };
}
