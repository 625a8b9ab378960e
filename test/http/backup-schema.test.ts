/**
 * A backup made by an older hocba (fewer migrations) restores into its own schema level and
 * is then migrated forward; a backup whose schema this hocba does not know is refused.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { knownMigrations, openDatabase, type Database } from '../../src/db/client.ts';
import { BackupError } from '../../src/services/backup/backup-error.ts';
import { createBackup } from '../../src/services/backup/create-backup.ts';
import { migrateTo, restoreBackup } from '../../src/services/backup/restore-backup.ts';

const KEY = { keyFile: new Uint8Array(32).fill(7) };

describe('backups across schema versions (pglite)', { concurrency: 1 }, () => {
  let old: Database;
  let work: string;
  const level = knownMigrations().length - 2;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'hocba-backup-schema-'));
    old = await openDatabase({ memory: true, migrate: false });
    await migrateTo(old, level);
    await old.query(`insert into app_meta (key, value) values ('made-by', 'an older hocba')`);
  });
  after(async () => {
    await old?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('an older backup is restored at its level, then migrated to the current schema', async () => {
    const file = join(work, 'old.hbak');
    const manifest = await createBackup({ database: old, dataDir: null, out: file, key: KEY });
    assert.equal(manifest.migrations.length, level);
    assert.deepEqual(manifest.migrations, knownMigrations().slice(0, level).map((m) => m.tag));
    const target = join(work, 'restored');
    await restoreBackup({ file, key: KEY, target: { kind: 'pglite', dataDir: target } });
    const restored = await openDatabase({ dataDir: target, migrate: false });
    try {
      const applied = await restored.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      assert.equal(applied[0]!.n, knownMigrations().length, 'migrated forward after the restore');
      assert.deepEqual(await restored.query(`select key, value from app_meta where key = 'made-by'`), [{ key: 'made-by', value: 'an older hocba' }]);
    } finally {
      await restored.close();
    }
  });

  test('a backup from a newer hocba (a migration this build does not know) is refused, nothing written', async () => {
    await old.query(`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', 4102444800000)`);
    const file = join(work, 'newer.hbak');
    const manifest = await createBackup({ database: old, dataDir: null, out: file, key: KEY });
    assert.equal(manifest.migrations.at(-1), 'unknown:4102444800000');
    const target = join(work, 'never');
    await assert.rejects(restoreBackup({ file, key: KEY, target: { kind: 'pglite', dataDir: target } }), (e: unknown) => e instanceof BackupError && e.code === 'backup.schema_mismatch' && /unknown to this hocba/.test(e.message));
    assert.equal(existsSync(target), false);
  });
});
