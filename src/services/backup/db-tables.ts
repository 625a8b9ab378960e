/**
 * What a backup holds of the database: every table of the public schema (but the
 * transient ones), ordered so that a table comes after the tables it references — the
 * order restore inserts in. Rows travel as `row_to_json` text and come back through
 * `json_populate_recordset`, so PostgreSQL itself converts every type (bytea, jsonb,
 * timestamps, numerics) both ways, identically on PGlite and PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';

/** Not backed up: sign-in sessions (a restored server starts with everyone signed out). */
export const EXCLUDED_TABLES = new Set(['sessions']);

export interface TableInfo {
  name: string;
  /** Tables this one references (other than itself). */
  refs: string[];
  /** Columns of a foreign key to the table itself (rows must be inserted parents first). */
  selfRefs: Array<{ column: string; refColumn: string }>;
  columns: string[];
}

type Exec = Pick<Tx, 'execute'>;

export async function rowsOf<T>(tx: Exec, q: string): Promise<T[]> {
  const r = (await tx.execute(sql.raw(q))) as unknown as { rows: T[] };
  return r.rows;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The public tables in insertion order (referenced tables first). */
export async function listTables(tx: Exec): Promise<TableInfo[]> {
  const tables = await rowsOf<{ name: string }>(tx, `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by c.relname`);
  const fks = await rowsOf<{ src: string; dst: string; cols: string[] | string; refcols: string[] | string }>(
    tx,
    `select cl.relname as src, rc.relname as dst,
            array(select a.attname::text from unnest(con.conkey) k join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k) as cols,
            array(select a.attname::text from unnest(con.confkey) k join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k) as refcols
       from pg_constraint con join pg_class cl on cl.oid = con.conrelid join pg_class rc on rc.oid = con.confrelid
       join pg_namespace n on n.oid = cl.relnamespace
      where con.contype = 'f' and n.nspname = 'public'`,
  );
  const cols = await rowsOf<{ t: string; c: string }>(tx, `select table_name as t, column_name as c from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`);
  const arr = (v: string[] | string) => (Array.isArray(v) ? v : String(v).replace(/^\{|\}$/g, '').split(',').filter(Boolean));
  const info = new Map<string, TableInfo>();
  for (const t of tables) if (!EXCLUDED_TABLES.has(t.name)) info.set(t.name, { name: t.name, refs: [], selfRefs: [], columns: cols.filter((c) => c.t === t.name).map((c) => c.c) });
  for (const fk of fks) {
    const t = info.get(fk.src);
    if (!t) continue;
    if (fk.src === fk.dst) {
      const c = arr(fk.cols);
      const r = arr(fk.refcols);
      if (c.length !== 1) throw new Error(`backup: multi-column self reference on ${fk.src} is not supported`);
      t.selfRefs.push({ column: c[0]!, refColumn: r[0]! });
    } else if (info.has(fk.dst) && !t.refs.includes(fk.dst)) t.refs.push(fk.dst);
  }
  // Kahn's algorithm, alphabetical among ready tables so the order is stable.
  const order: TableInfo[] = [];
  const placed = new Set<string>();
  while (order.length < info.size) {
    const ready = [...info.values()].filter((t) => !placed.has(t.name) && t.refs.every((r) => placed.has(r)));
    if (!ready.length) throw new Error(`backup: foreign keys form a cycle among ${[...info.keys()].filter((n) => !placed.has(n)).join(', ')}`);
    for (const t of ready) {
      order.push(t);
      placed.add(t.name);
    }
  }
  return order;
}

/** Applied migrations of the database (their `created_at` = the journal's `when`). */
export async function appliedMigrations(tx: Exec): Promise<number[]> {
  const exists = await rowsOf<{ t: string | null }>(tx, `select to_regclass('drizzle.__drizzle_migrations')::text as t`);
  if (!exists[0]?.t) return [];
  const rows = await rowsOf<{ w: string }>(tx, `select created_at::text as w from drizzle.__drizzle_migrations order by created_at`);
  return rows.map((r) => Number(r.w));
}
