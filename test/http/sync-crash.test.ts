/**
 * A sync killed at any point loses nothing and sends nothing twice (issue 10). A child process
 * runs the school's sync against the reference server and is SIGKILLed three times, at three
 * different points of a batch: (1) after its items were recorded 'sending' but before the
 * request left, (2) after the server stored the whole batch but before the answer came back,
 * (3) half-way through a batch on the server. Each time the next child resumes the same run;
 * the last one finishes it. The reference server's counts prove that every record arrived
 * exactly once and none is missing; the audit chain still verifies.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { syncItems, syncRuns } from '../../src/db/schema.ts';
import { verifyAudit } from '../../src/services/audit/verify-audit.ts';
import { recordKey } from '../../src/services/sync/protocol.ts';
import { startReferenceServer } from '../../src/services/sync/reference-server.ts';
import { updateSyncSettings } from '../../src/services/sync/sync-settings.ts';
import { BACKENDS, createPgDatabase } from '../helpers/db.ts';
import type { SyncCrashChildConfig } from './sync-crash-child.ts';
import { makeSealedSchool } from './sync-fixture.ts';

const CHILD = new URL('./sync-crash-child.ts', import.meta.url).pathname;
const SECRET = 'bi-mat-crash';

interface ChildRun {
  lines: string[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs the child; `killWhen(line)` on its stdout, or `kill()` from elsewhere, SIGKILLs it. */
function runChild(configPath: string, killWhen: (line: string) => boolean = () => false): { done: Promise<ChildRun>; kill(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, configPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (killWhen(line)) child.kill('SIGKILL');
  });
  const done = new Promise<ChildRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ lines, signal, code, stderr }));
  });
  return { done, kill: () => void child.kill('SIGKILL') };
}

for (const kind of BACKENDS) {
  describe(`sync crash and resume (${kind})`, { concurrency: 1 }, () => {
    const cleanup: Array<() => Promise<void>> = [];
    after(async () => {
      for (const f of cleanup.reverse()) await f();
    });

    test('killed before the request, after the server stored the batch, and half-way through a batch: every record arrives exactly once', async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'hocba-sync-crash-'));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      let open: () => Promise<Database>;
      let where: Pick<SyncCrashChildConfig, 'dataDir' | 'url'>;
      if (kind === 'pglite') {
        const dataDir = join(dir, 'data');
        open = () => openDatabase({ dataDir });
        where = { dataDir };
      } else {
        const created = await createPgDatabase();
        cleanup.push(() => created.drop());
        open = () => openDatabase({ url: created.url, poolSize: 4 });
        where = { url: created.url };
      }
      let database = await open();
      let dbOpen = true;
      cleanup.push(async () => {
        if (dbOpen) await database.close();
      });
      const fx = await makeSealedSchool(database, `sc${kind.slice(0, 2)}`, dir, 6);
      const schoolId = fx.school.schoolId;

      let onPhase: ((phase: string) => void) | null = null;
      const server = await startReferenceServer({ clientSecret: SECRET, onSubmission: ({ phase }) => onPhase?.(phase) });
      cleanup.push(() => server.close());
      await updateSyncSettings({ db: database.db, who: { userId: null, label: 'test' }, schoolId, target: 'hbs', baseUrl: server.url, clientId: 'hocba-test', clientSecret: SECRET, enabled: true });
      await database.close();
      dbOpen = false;

      const config = async (name: string, c: Omit<SyncCrashChildConfig, 'schoolId' | keyof typeof where>) => {
        const path = join(dir, `${name}.json`);
        await writeFile(path, JSON.stringify({ ...where, schoolId, ...c }));
        return path;
      };
      const state = async () => {
        database = await open();
        dbOpen = true;
        const items = await database.db.select({ key: syncItems.idempotencyKey, status: syncItems.status }).from(syncItems).where(eq(syncItems.schoolId, schoolId));
        const runs = await database.db.select().from(syncRuns).where(eq(syncRuns.schoolId, schoolId));
        await database.close();
        dbOpen = false;
        const by = (s: string) => items.filter((i) => i.status === s).length;
        return { items, runs, by };
      };

      // (1) Batch 2's items are recorded 'sending'; the child is killed before the request leaves.
      const a = runChild(await config('a', { batchSize: 1, pauseAtBatch: 2 }), (line) => line === 'before 2 1');
      const ra = await a.done;
      assert.equal(ra.signal, 'SIGKILL', ra.stderr);
      let s = await state();
      assert.deepEqual([s.by('accepted'), s.by('sending'), s.by('queued')], [1, 1, 4], JSON.stringify(s.items));
      assert.equal(server.received.size, 1, 'the killed request never reached the server');
      t.diagnostic(`kill 1: ${JSON.stringify(s.items.map((i) => i.status))}`);

      // (2) The server stores the next batch but the answer never comes: killed while waiting.
      server.pushFaults('timeout');
      const b = runChild(await config('b', { batchSize: 1 }));
      onPhase = (phase) => phase === 'processed' && b.kill();
      const rb = await b.done;
      assert.equal(rb.signal, 'SIGKILL', rb.stderr);
      s = await state();
      assert.equal(server.received.size, 2, 'the resumed run sent the record the first kill left behind');
      assert.equal(s.by('sending'), 1, 'the stored-but-unanswered record is still "sending" here');

      // (3) Half-way through a batch of two on the server: killed.
      server.pushFaults('half-then-hang');
      const c = runChild(await config('c', { batchSize: 2 }));
      onPhase = (phase) => phase === 'half' && c.kill();
      const rc = await c.done;
      assert.equal(rc.signal, 'SIGKILL', rc.stderr);
      s = await state();
      assert.equal(server.received.size, 3, 'the stored-but-unanswered record was settled by a status query, not sent again');

      // (4) A clean resume finishes the run.
      onPhase = null;
      const d = runChild(await config('d', { batchSize: 2 }));
      const rd = await d.done;
      assert.equal(rd.code, 0, rd.stderr);
      assert.ok(rd.lines.includes('outcome done'), rd.lines.join('\n'));
      s = await state();
      assert.equal(s.by('accepted'), 6, JSON.stringify(s.items));
      assert.equal(s.runs.length, 1, 'one run, resumed three times');
      assert.deepEqual([s.runs[0]!.status, s.runs[0]!.accepted, s.runs[0]!.attempts], ['done', 6, 4]);
      for (const v of fx.versionIds) assert.equal(server.received.get(recordKey(fx.schoolCode, v)), 1, `record ${v} arrived exactly once`);
      assert.equal(server.records.size, 6, 'nothing lost');
      assert.ok([...server.records.values()].every((r) => r.status === 'accepted'));
      database = await open();
      dbOpen = true;
      const audit = await verifyAudit({ database });
      assert.ok(audit.ok, JSON.stringify(audit.firstBroken));
      t.diagnostic(`submissions ${server.counts.submissions}, status queries ${server.counts.statusQueries}, tokens ${server.counts.tokens}`);
    });
  });
}
