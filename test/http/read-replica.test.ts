/**
 * DATABASE_READ_URL with a real hot standby (issue 12.4). The test starts its own small
 * PostgreSQL 15 primary (initdb) and a streaming standby of it (pg_basebackup -R) on free
 * ports under a temp dir, both logging every statement with the application name, and shows:
 * - the progress board and the verification lookups are read on the standby (its log), not
 *   on the primary, and the read handle can never write (read-only session on a standby);
 * - writes (the template plan made at the first board read, sealing) go to the primary;
 * - a record sealed while the standby's replay is paused still verifies at once (the miss on
 *   the standby is asked of the primary);
 * - with the standby stopped, boards and lookups keep working from the primary;
 * - start-up refuses DATABASE_READ_URL with PGlite or an unreachable replica.
 * Runs when DATABASE_URL is set (CI); there, missing PostgreSQL binaries are a failure.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { openReadDatabase, readsFor, replicaFailure } from '../../src/db/read-database.ts';
import { planStages, recordVersions } from '../../src/db/schema.ts';
import { verificationCode } from '../../src/domain/record/verification-code.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { serve } from '../../src/server/serve.ts';
import { createSession } from '../../src/services/auth/sessions.ts';
import { sealedSchool, type SealedSchool } from '../../src/services/verification/testing.ts';
import { client } from '../helpers/app.ts';
import { sharedTestPki } from '../helpers/test-pki.ts';

const BIN = '/usr/lib/postgresql/15/bin';
const haveBinaries = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((b) => existsSync(join(BIN, b)));
const skip = !process.env.DATABASE_URL ? 'DATABASE_URL is not set (PostgreSQL tests run in CI)' : haveBinaries ? false : process.env.CI ? false : `PostgreSQL 15 binaries missing in ${BIN}`;
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL tool as the postgres user (PostgreSQL refuses to run as root). */
function pgTool(tool: string, args: string[]): Promise<string> {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args]] : [join(BIN, tool), args];
  return new Promise((resolve, reject) => {
    const p = spawn(cmd as string, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${tool} ${args.join(' ')} exited ${code}: ${out.slice(-2000)}`))));
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function until(what: string, check: () => Promise<boolean>, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('read replica: boards and verification lookups on a hot standby (postgres)', { skip, concurrency: 1 }, () => {
  let dir: string;
  const ports = { primary: 0, standby: 0 };
  const started: string[] = [];
  let primary: Database;
  let replica: Database;
  let app: FastifyInstance;
  let fx: SealedSchool;
  const saved = { anchors: process.env.HOCBA_TRUST_ANCHORS, rate: process.env.HOCBA_VERIFY_RATE_LIMIT };
  const urlOf = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;
  const logOf = (which: 'primary' | 'standby') => readFile(join(dir, `${which}.log`), 'utf8');
  /** Statements a server logged after `from` characters of its log. */
  const statementsSince = async (which: 'primary' | 'standby', from: number) => (await logOf(which)).slice(from).split('\n').filter((l) => /(statement|execute [^:]*): /.test(l));
  const caughtUp = async () => {
    const [{ lsn }] = (await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')) as [{ lsn: string }];
    await until('the standby replayed the primary', async () => (await replica.query<{ ok: boolean }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [lsn]))[0]!.ok);
  };
  const codeOf = async (versionId: string) => verificationCode((await primary.db.select({ digest: recordVersions.digest }).from(recordVersions).where(eq(recordVersions.id, versionId)))[0]!.digest);

  before(async () => {
    const t0 = Date.now();
    dir = await mkdtemp(join(tmpdir(), 'hocba-replica-'));
    await chmod(dir, 0o755);
    if (asRoot) await chown(dir, ...(await idsOfPostgres()));
    ports.primary = await freePort();
    ports.standby = await freePort();
    await pgTool('initdb', ['-D', join(dir, 'primary'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    // Every statement logged with the application name (the read pool is "hocba-read"); the standby inherits this file.
    await appendFile(join(dir, 'primary', 'postgresql.conf'), `\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nfsync = off\nlog_statement = 'all'\nlog_line_prefix = '%a| '\nmax_connections = 40\n`);
    await pgTool('pg_ctl', ['-D', join(dir, 'primary'), '-l', join(dir, 'primary.log'), '-w', '-t', '30', '-o', `-p ${ports.primary}`, 'start']);
    started.push(join(dir, 'primary'));
    await pgTool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(ports.primary), '-U', 'postgres', '-D', join(dir, 'standby'), '-R', '-X', 'stream', '-c', 'fast']);
    await pgTool('pg_ctl', ['-D', join(dir, 'standby'), '-l', join(dir, 'standby.log'), '-w', '-t', '30', '-o', `-p ${ports.standby}`, 'start']);
    started.push(join(dir, 'standby'));

    primary = await openDatabase({ url: urlOf(ports.primary), poolSize: 4 });
    replica = await openReadDatabase({ url: urlOf(ports.standby), primary, poolSize: 3 });
    fx = await sealedSchool(primary, 'rr', 2);
    const shared = await sharedTestPki();
    await mkdir(join(dir, 'anchors'));
    await writeFile(join(dir, 'anchors', 'root.crt'), shared.pki.root.certificatePem);
    process.env.HOCBA_TRUST_ANCHORS = join(dir, 'anchors');
    process.env.HOCBA_VERIFY_RATE_LIMIT = '1000';
    app = await buildApp({ database: primary, readDatabase: replica, dataDir: null, rateLimit: { global: 100_000, login: 100_000 }, publicUrl: 'http://127.0.0.1:8080' });
    await app.ready();
    await caughtUp();
    if (process.env.HOCBA_TEST_TIMINGS) console.log(`set-up ${Date.now() - t0} ms`);
  });

  after(async () => {
    for (const [k, v] of [['HOCBA_TRUST_ANCHORS', saved.anchors], ['HOCBA_VERIFY_RATE_LIMIT', saved.rate]] as const) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    await app?.close();
    await replica?.close().catch(() => undefined);
    await primary?.close().catch(() => undefined);
    await fx?.close();
    for (const d of started.reverse()) await pgTool('pg_ctl', ['-D', d, '-m', 'immediate', '-w', '-t', '30', 'stop']).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the read handle is a read-only session on a standby: it cannot write', async () => {
    assert.deepEqual(await replica.query('select pg_is_in_recovery() as r, current_setting($1) as ro', ['transaction_read_only']), [{ r: true, ro: 'on' }]);
    await assert.rejects(replica.query(`insert into app_meta (key, value) values ('replica-write', 'x')`), (e: { code?: string }) => e.code === '25006');
    assert.equal(replicaFailure(Object.assign(new Error('x'), { cause: { code: '25006' } })), 'refused');
    assert.equal(replicaFailure(new Error('not found')), null);
  });

  test('a verification lookup by code is read on the standby, not the primary', async () => {
    const code = await codeOf(fx.versionIds[0]!);
    const p0 = (await logOf('primary')).length;
    const s0 = (await logOf('standby')).length;
    const res = await client(app).request({ method: 'GET', url: `/api/public/verify/${code}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().verdict, 'valid', res.body);
    const onStandby = await statementsSince('standby', s0);
    assert.ok(onStandby.some((l) => l.startsWith('hocba-read|') && /record_versions/.test(l)), `the standby ran the lookup:\n${onStandby.join('\n')}`);
    const onPrimary = await statementsSince('primary', p0);
    assert.deepEqual(onPrimary.filter((l) => /record_versions|record_pdfs|record_signatures/.test(l)), [], 'the primary did not');
  });

  test('the progress board: its first read writes the template plan (on the primary), later reads are served by the standby', async () => {
    const { token, session } = await createSession(primary.db, { userId: fx.school.users.principal.id, activeSchoolId: fx.school.schoolId });
    const principal = client(app, token, session.csrfToken);
    assert.equal((await primary.db.select().from(planStages).where(eq(planStages.schoolId, fx.school.schoolId))).length, 0, 'no plan yet');
    const first = await principal.request({ method: 'GET', url: '/api/plan/board' });
    assert.equal(first.statusCode, 200, first.body);
    // The standby refused the template insert (read-only); the primary wrote it.
    assert.ok((await primary.db.select().from(planStages).where(eq(planStages.schoolId, fx.school.schoolId))).length > 0, 'the plan was written on the primary');
    await caughtUp();
    const p0 = (await logOf('primary')).length;
    const s0 = (await logOf('standby')).length;
    const again = await principal.request({ method: 'GET', url: '/api/plan/board' });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json().rows, first.json().rows);
    const onStandby = await statementsSince('standby', s0);
    assert.ok(onStandby.some((l) => l.startsWith('hocba-read|') && /plan_stages/.test(l)), 'the standby served the board');
    assert.deepEqual((await statementsSince('primary', p0)).filter((l) => /plan_stages|enrolments/.test(l)), [], 'the primary did not');
  });

  test('a record sealed while the standby lags still verifies at once (the miss is asked of the primary)', async () => {
    await replica.query('select pg_wal_replay_pause()');
    try {
      await until('replay is paused', async () => (await replica.query<{ s: string }>('select pg_get_wal_replay_pause_state() as s'))[0]!.s === 'paused');
      const v2 = await fx.supersede(fx.versionIds[1]!);
      assert.equal((await replica.query('select 1 from record_versions where id = $1', [v2])).length, 0, 'the standby has not seen the new version');
      const res = await client(app).request({ method: 'GET', url: `/api/public/verify/${await codeOf(v2)}` });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().verdict, 'valid', res.body);
      // An unknown code is still a 404 (asked of both, found on neither).
      const none = await client(app).request({ method: 'GET', url: '/api/public/verify/AAAA-AAAA-AA' });
      assert.equal(none.statusCode, 404, none.body);
    } finally {
      await replica.query('select pg_wal_replay_resume()');
    }
    await caughtUp();
  });

  test('with the standby stopped, the board and lookups are served by the primary', async () => {
    await pgTool('pg_ctl', ['-D', join(dir, 'standby'), '-m', 'fast', '-w', '-t', '30', 'stop']);
    started.splice(started.indexOf(join(dir, 'standby')), 1);
    const { token, session } = await createSession(primary.db, { userId: fx.school.users.principal.id, activeSchoolId: fx.school.schoolId });
    const board = await client(app, token, session.csrfToken).request({ method: 'GET', url: '/api/plan/board' });
    assert.equal(board.statusCode, 200, board.body);
    const res = await client(app).request({ method: 'GET', url: `/api/public/verify/${await codeOf(fx.versionIds[0]!)}` });
    assert.equal(res.statusCode, 200, res.body);
    // The handle itself: down → primary, and counted as a fallback.
    const reads = readsFor(primary, replica, () => undefined);
    assert.equal(await reads.run(async (db) => (await db.select().from(recordVersions).where(eq(recordVersions.id, fx.versionIds[0]!))).length), 1);
    assert.deepEqual(reads.stats(), { replica: 0, fallback: 1 });
  });

  test('start-up refuses DATABASE_READ_URL with PGlite, and an unreachable replica', async () => {
    await assert.rejects(serve(loadConfig({ dataDir: join(dir, 'pglite'), port: 0 }, { DATABASE_READ_URL: urlOf(ports.standby) }), { demo: false, log: () => undefined }), /DATABASE_READ_URL is set but DATABASE_URL is not/);
    await assert.rejects(openReadDatabase({ url: urlOf(ports.standby), primary: { kind: 'pglite' } }), /read replicas need DATABASE_URL/);
    const err = await openReadDatabase({ url: `postgres://postgres:geheim@127.0.0.1:${ports.standby}/postgres`, primary }).then(() => null, (e: Error) => e);
    assert.ok(err, 'an unreachable replica is an error');
    assert.match(err.message, new RegExp(`DATABASE_READ_URL \\(127\\.0\\.0\\.1:${ports.standby}/postgres\\) cannot be used`));
    assert.doesNotMatch(err.message, /geheim/, 'no password in the message');
  });
});

async function idsOfPostgres(): Promise<[number, number]> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('no postgres user in /etc/passwd');
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}
