/**
 * Fresh, migrated databases for tests: embedded PGlite always, and PostgreSQL as well when
 * DATABASE_URL is set (CI). Each call gives an empty database of its own; PGlite copies
 * are cloned from one migrated template per process (fast), PostgreSQL ones are new
 * databases on the server, dropped on close.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.ts';

export type BackendKind = 'pglite' | 'postgres';

/** The back ends this run covers. */
export const BACKENDS: BackendKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

let template: Promise<Blob> | undefined;

async function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const d = await openDatabase({ memory: true });
    const dump = await d.pglite!.dumpDataDir('none');
    await d.close();
    return dump;
  })();
  return template;
}

/** Connection string of a new empty database on the DATABASE_URL server. */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const name = `hocba_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A fresh migrated database of the given kind; close() also drops a PostgreSQL one. */
export async function freshDatabase(kind: BackendKind): Promise<Database> {
  if (kind === 'pglite') return openDatabase({ memory: true, loadDataDir: await pgliteTemplate(), migrate: true });
  const created = await createPgDatabase();
  const database = await openDatabase({ url: created.url, poolSize: 4 });
  return {
    ...database,
    async close() {
      await database.close();
      await created.drop();
    },
  };
}
