/**
 * Several instances starting at once on one fresh PostgreSQL database (systemd starting
 * hocba@1 and hocba@2 together, a rolling restart): migrations are serialised by an advisory
 * lock, every migration is applied exactly once, and the lock is not left behind on an idle
 * pooled connection; the job queue of two instances is set up side by side without a deadlock
 * (pg-boss queue creation deadlocked in 3 runs out of 3 before it was serialised). PostgreSQL
 * only (PGlite is one process by construction).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { JOBS_SETUP_LOCK_KEY, knownMigrations, migrateDatabase, MIGRATION_LOCK_KEY, openDatabase, type Database } from '../../src/db/client.ts';
import { createJobRunner } from '../../src/jobs/job-runner.ts';
import { createPgDatabase } from '../helpers/db.ts';

const lockRows = (db: Database, key = MIGRATION_LOCK_KEY) =>
  db.query<{ granted: boolean; pid: number }>(`select granted, pid from pg_locks where locktype = 'advisory' and objid = $1 and database = (select oid from pg_database where datname = current_database())`, [key]);

describe('migrations from several instances at once (postgres)', { skip: process.env.DATABASE_URL ? false : 'DATABASE_URL is not set' }, () => {
  let created: Awaited<ReturnType<typeof createPgDatabase>>;
  const opened: Database[] = [];
  const open = async () => {
    const d = await openDatabase({ url: created.url, poolSize: 3, migrate: false });
    opened.push(d);
    return d;
  };
  before(async () => {
    created = await createPgDatabase();
  });
  after(async () => {
    for (const d of opened) await d.close().catch(() => undefined);
    await created?.drop();
  });

  test('three migrators started together on a fresh database: all succeed, each migration applied once, no lock left', async () => {
    const instances = [await open(), await open(), await open()];
    // Each instance warms several pooled connections first, so lock and unlock through the pool would land on different ones.
    await Promise.all(instances.flatMap((d) => [d.query('select 1'), d.query('select 1'), d.query('select 1')]));
    await Promise.all(instances.map((d, i) => migrateDatabase(d, `instance ${i + 1}`)));
    const [db] = instances as [Database];
    const applied = await db.query<{ hash: string }>('select hash from drizzle.__drizzle_migrations');
    assert.equal(applied.length, knownMigrations().length, 'every known migration, once');
    assert.equal(new Set(applied.map((a) => a.hash)).size, applied.length, 'no migration recorded twice');
    assert.deepEqual(await lockRows(db), [], 'the migration lock is released, not held by an idle pooled connection');
    // The schema is usable: a table of the newest migrations exists.
    const [{ n }] = (await db.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema = 'public'`)) as [{ n: number }];
    assert.ok(n > 30, `${n} tables`);
  });

  test('two instances set up the job queue at once on a fresh database: both start, every queue exists once', async () => {
    const c = await createPgDatabase();
    const dbs: Database[] = [];
    const runners: Array<ReturnType<typeof createJobRunner>> = [];
    try {
      for (let i = 0; i < 2; i++) dbs.push(await openDatabase({ url: c.url, poolSize: 4, migrate: i === 0 }));
      for (const d of dbs) runners.push(createJobRunner({ database: d, publicUrl: 'http://127.0.0.1:8080', housekeeping: [], log: () => undefined }));
      const started = await Promise.allSettled(runners.map((r) => r.start()));
      assert.deepEqual(started.map((s) => (s.status === 'rejected' ? String((s.reason as Error).message) : 'started')), ['started', 'started']);
      const queues = await dbs[0]!.query<{ name: string; n: number }>('select name, count(*)::int as n from pgboss.queue group by name');
      assert.ok(queues.length >= 4, JSON.stringify(queues));
      assert.ok(queues.every((q) => q.n === 1));
      assert.deepEqual(await lockRows(dbs[0]!, JOBS_SETUP_LOCK_KEY), []);
    } finally {
      for (const r of runners) await r.stop().catch(() => undefined);
      for (const d of dbs) await d.close().catch(() => undefined);
      await c.drop();
    }
  });

  test('a migrator waits while another instance holds the lock, then finds nothing to apply', async () => {
    const other = new pg.Client({ connectionString: created.url });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const d = await open();
      let settled = false;
      const running = migrateDatabase(d, 'late instance').finally(() => {
        settled = true;
      });
      // Wait until PostgreSQL shows the second request queued behind the holder (no sleeps on wall-clock guesses).
      for (let i = 0; i < 200; i++) {
        if ((await lockRows(d)).some((r) => !r.granted)) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok((await lockRows(d)).some((r) => !r.granted), 'the late migrator is waiting for the lock');
      assert.equal(settled, false);
      await other.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await running;
      assert.equal((await d.query('select 1 from drizzle.__drizzle_migrations')).length, knownMigrations().length);
      assert.deepEqual(await lockRows(d), []);
    } finally {
      await other.end();
    }
  });
});
