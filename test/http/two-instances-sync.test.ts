/**
 * A school's sync survives the instance running it dying (issue 12), on PostgreSQL with real
 * `hocba serve` processes: a sync started through A is SIGKILLed by A's death half-way through
 * a batch the reference server stored; B (started then) finds in its housekeeping finds the run without a heartbeat,
 * takes over the pg-boss job the dead instance left 'active' (the sync.run queue is a
 * singleton per school: left alone it would block the school's syncs until it expired hours
 * later) and finishes the run — every record arrives exactly once, nothing is lost.
 * PostgreSQL only (DATABASE_URL); a database of its own, dropped at the end.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/client.ts';
import { verifyAudit } from '../../src/services/audit/verify-audit.ts';
import { recordKey } from '../../src/services/sync/protocol.ts';
import { startReferenceServer } from '../../src/services/sync/reference-server.ts';
import { updateSyncSettings } from '../../src/services/sync/sync-settings.ts';
import { startServer, type RunningServer } from '../browser/helpers/server.ts';
import { createPgDatabase } from '../helpers/db.ts';
import { TEST_PASSWORD } from '../helpers/factories.ts';
import { makeSealedSchool } from './sync-fixture.ts';

const SECRET = 'bi-mat-hai-may';

async function login(server: RunningServer, username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  assert.equal(res.status, 200, await res.clone().text());
  const sid = /hocba_sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  return { cookie: `hocba_sid=${sid}`, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

describe('a sync survives the instance running it dying', { skip: !process.env.DATABASE_URL && 'PostgreSQL only (DATABASE_URL is not set)', concurrency: 1 }, () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f().catch((e: unknown) => console.error('cleanup:', e));
  });

  test('A is killed half-way through a batch; B takes the job over and finishes the run: every record exactly once', async (t) => {
    const created = await createPgDatabase();
    cleanup.push(() => created.drop());
    const dir = await mkdtemp(join(tmpdir(), 'hocba-two-sync-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const database = await openDatabase({ url: created.url, poolSize: 4 });
    cleanup.push(() => database.close());
    const fx = await makeSealedSchool(database, 'ts', dir, 6);
    let onPhase: ((phase: string) => void) | null = null;
    const hbs = await startReferenceServer({ clientSecret: SECRET, onSubmission: ({ phase }) => onPhase?.(phase) });
    cleanup.push(() => hbs.close());
    await updateSyncSettings({ db: database.db, who: { userId: null, label: 'test' }, schoolId: fx.school.schoolId, target: 'hbs', baseUrl: hbs.url, clientId: 'hocba-test', clientSecret: SECRET, enabled: true });

    // Heartbeats older than 8 s count as a dead instance here (10 min by default); housekeeping every second.
    const env = { DATABASE_URL: created.url, DATA_DIR: dir, HOCBA_RATE_LIMIT: '100000', HOCBA_JOB_STALE_SECONDS: '8', HOCBA_JOB_HOUSEKEEPING_SECONDS: '1' };
    const a = await startServer({ env });
    cleanup.push(() => a.stop());
    // The first batch: the server stores half of it and never answers.
    hbs.pushFaults('half-then-hang');
    const half = new Promise<void>((resolve) => (onPhase = (phase) => phase === 'half' && resolve()));
    const admin = await login(a, fx.school.users.school_admin.username);
    const res = await fetch(`${a.url}/api/sync/runs`, { method: 'POST', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ target: 'hbs' }) });
    assert.equal(res.status, 202, await res.clone().text());
    const runId = ((await res.json()) as { id?: string; runId?: string }).id ?? '';
    assert.ok(runId, 'the run id');
    await half;
    onPhase = null;
    // A dies with its pg-boss job 'active' (B is started after, so its housekeeping cannot act
    // on A's stale heartbeat while A still lives: that is the 8 s knob's business).
    await a.kill();
    const [job] = await database.query<{ state: string }>(`select state from pgboss.job where name = 'sync.run' order by created_on limit 1`);
    assert.equal(job?.state, 'active', 'the dead instance left its job active');
    const b = await startServer({ env });
    cleanup.push(() => b.stop());
    t.diagnostic(`A killed half-way through the first batch: ${hbs.received.size} record(s) stored on the HBS server`);

    let run: { status: string; accepted: number } | undefined;
    for (let i = 0; i < 480; i++) {
      const r = await fetch(`${b.url}/api/sync/runs/${runId}`, { headers: { cookie: admin.cookie } });
      assert.equal(r.status, 200);
      run = (await r.json()) as typeof run & object;
      if (run.status === 'done' || run.status === 'failed') break;
      await sleep(250);
    }
    assert.equal(run?.status, 'done', JSON.stringify(run));
    for (const v of fx.versionIds) assert.equal(hbs.received.get(recordKey(fx.schoolCode, v)), 1, `record ${v} arrived exactly once`);
    assert.equal(hbs.records.size, 6, 'nothing lost');
    const jobs = await database.query<{ state: string; n: number }>(`select state, count(*)::int as n from pgboss.job where name = 'sync.run' group by state order by state`);
    t.diagnostic(`sync.run jobs: ${JSON.stringify(jobs)}`);
    assert.equal(jobs.find((j) => j.state === 'active'), undefined, 'no job left active');
    assert.equal(jobs.find((j) => j.state === 'failed')?.n, 1, "the dead instance's job was taken over (failed)");
    assert.ok((await verifyAudit({ database })).ok);
  });
});
