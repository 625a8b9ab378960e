/**
 * The one place where database work is scoped. Everything that touches school-owned
 * rows runs through inSchool(): inside its transaction the connection acts as the role
 * hocba_app with hocba.school_id set, so row-level security (migrations/0001_security.sql)
 * hides and refuses every other school's rows. inSystem() is for deployment-wide work
 * (sign-in, accounts, schools, migrations, audit verification) and is used only by the
 * services that need it.
 */
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';

export type { Db, Tx };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs fn in a transaction that can only see and write rows of `schoolId`. */
export async function inSchool<T>(db: Db, schoolId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(schoolId)) throw new Error(`inSchool: not a school id: ${schoolId}`);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('hocba.school_id', ${schoolId}, true)`);
    await tx.execute(sql.raw('set local role hocba_app'));
    return fn(tx);
  });
}

/** Runs fn in an unscoped transaction (deployment-wide tables; trusted services only). */
export async function inSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
