import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { inSchool, inSystem } from '../../src/db/scope.ts';
import { appendAudit } from '../../src/services/audit/append-audit.ts';
import { verifyAudit } from '../../src/services/audit/verify-audit.ts';
import { rejectsDb } from '../helpers/assert-db.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { makeSchool } from '../helpers/factories.ts';

const actor = { userId: null, label: 'test' };

async function appendMany(database: Database, schoolId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await inSchool(database.db, schoolId, (tx) =>
      appendAudit(tx, { actor, schoolId, action: 'test.event', targetType: 'thing', targetId: String(i), before: { v: i }, after: { v: i + 1, name: 'Nguyễn Thị Lan', z: [1, 'a'] } }),
    );
  }
}

for (const kind of BACKENDS) {
  describe(`audit log (${kind})`, () => {
    let database: Database;
    let schoolId: string;
    before(async () => {
      database = await freshDatabase(kind);
      ({ schoolId } = await makeSchool(database, 'aud'));
      await appendMany(database, schoolId, 6);
    });
    after(() => database.close());

    test('entries form an unbroken chain', async () => {
      const report = await verifyAudit({ database });
      assert.equal(report.ok, true, JSON.stringify(report.firstBroken));
      const chain = report.chains.find((c) => c.chain === `school:${schoolId}`)!;
      assert.ok(chain.entries >= 7);
    });

    test('concurrent appends keep the chain linear', async () => {
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => inSchool(database.db, schoolId, (tx) => appendAudit(tx, { actor, schoolId, action: "test.concurrent", targetId: String(i) }))));
      for (const r of results) if (r.status === "rejected") throw (r.reason as Error & { cause?: Error }).cause ?? r.reason;
      const report = await verifyAudit({ database, schoolId });
      assert.equal(report.ok, true, JSON.stringify(report.firstBroken));
    });

    test('the product cannot edit or delete entries, even as the owner', async () => {
      await rejectsDb(inSchool(database.db, schoolId, (tx) => tx.execute("update audit_log set action = 'x'" as never)), /permission denied|append-only/i);
      await rejectsDb(inSchool(database.db, schoolId, (tx) => tx.execute('delete from audit_log' as never)), /permission denied|append-only/i);
      await rejectsDb(database.db.execute("update audit_log set action = 'x'" as never), /append-only/);
      await rejectsDb(database.db.execute('delete from audit_log' as never), /append-only/);
      await rejectsDb(database.db.execute('truncate audit_log' as never), /append-only/);
    });

    test('an entry rolled back with its change leaves no trace', async () => {
      const before = await verifyAudit({ database, schoolId });
      await assert.rejects(
        inSchool(database.db, schoolId, async (tx) => {
          await appendAudit(tx, { actor, schoolId, action: 'test.rolled_back' });
          throw new Error('the change failed');
        }),
      );
      const afterReport = await verifyAudit({ database, schoolId });
      assert.equal(afterReport.checked, before.checked);
    });
  });
}

// Tampering needs raw access (as an attacker with the database files would have); the CLI
// must then fail and name the entry. Run on an embedded data directory, as a school would.
describe('hocba audit verify detects tampering', () => {
  let dir: string;
  let schoolId: string;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/hocba.js', '--data-dir', dir, 'audit', 'verify', ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
  const withDb = async (fn: (d: Database) => Promise<void>) => {
    const d = await openDatabase({ dataDir: dir });
    try {
      await fn(d);
    } finally {
      await d.close();
    }
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hocba-audit-'));
    await withDb(async (d) => {
      ({ schoolId } = await makeSchool(d, 'tam'));
      await appendMany(d, schoolId, 5);
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an intact log verifies (exit 0)', () => {
    const r = cli();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /intact/);
  });

  test('an edited entry is named (exit 1)', async () => {
    await withDb((d) => d.pglite!.exec(`set session_replication_role = replica; update audit_log set after = '{"v": 99}' where chain = 'school:${schoolId}' and seq = 4; set session_replication_role = origin;`).then(() => undefined));
    const r = cli();
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`school:${schoolId} entry 4 .*hash_mismatch`));
    const json = JSON.parse(cli('--json').stdout);
    assert.deepEqual([json.ok, json.firstBroken.seq, json.firstBroken.reason], [false, 4, 'hash_mismatch']);
  });

  test('a deleted entry is named', async () => {
    await withDb(async (d) => {
      // Undo the edit first by restoring the original content is impossible: recreate the row set.
      await d.pglite!.exec(`set session_replication_role = replica; delete from audit_log where chain = 'school:${schoolId}' and seq >= 4; set session_replication_role = origin;`);
    });
    await withDb(async (d) => appendMany(d, schoolId, 3)); // seq 4..6 again, valid
    let r = cli();
    assert.equal(r.status, 0, r.stderr);
    await withDb((d) => d.pglite!.exec(`set session_replication_role = replica; delete from audit_log where chain = 'school:${schoolId}' and seq = 3; set session_replication_role = origin;`).then(() => undefined));
    r = cli();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /entry 4 .*sequence_gap/);
  });

  test('reordered entries are named', async () => {
    await withDb(async (d) => {
      await d.pglite!.exec(`set session_replication_role = replica;
        update audit_log set seq = 3 where chain = 'school:${schoolId}' and seq = 4;
        update audit_log set seq = 4 where chain = 'school:${schoolId}' and seq = 5;
        set session_replication_role = origin;`);
    });
    const r = cli();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /entry 3 .*(prev_hash_mismatch|hash_mismatch)/);
  });
});

