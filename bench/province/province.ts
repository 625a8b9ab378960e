/**
 * `npm run bench:province`: a province on one PostgreSQL server. Generates N schools (the
 * demo school generator and loader, each school with its own seed, with a finished year of
 * marks), starts real `hocba serve` instances on the same database, and takes the records
 * through freeze and the four signatures (subject teachers, homeroom teacher, principal,
 * clerk's seal) over the HTTP API with the demo TEST keys held on the server, people of all
 * schools at once and every request on the next instance. Prints generation time, records/s
 * and signatures/s per step and overall, database size per record, and how long the
 * principal's board (and the province board, when that route exists) takes to load.
 *
 * Needs DATABASE_URL (a PostgreSQL server where it may create a database); creates
 * `hocba_bench_province_<random>` and drops it afterwards unless --keep. Run with --help.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/generate-demo-school.ts';
import { createUser } from '../../src/services/users/create-user.ts';
import { buildWebIfStale } from '../../src/server/web-build.ts';
import { pdfsigRunner } from '../../src/signing/validation/testing.ts';
import { benchStart, saveResults, type Figure } from '../results.ts';
import { cpuSecondsOf, freePort, startChildServer, type ChildServer } from './child-server.ts';
import { runFlow, type PhaseResult } from './flow.ts';
import { generateProvince } from './generate.ts';
import { Instances, pct, Session, Stats } from './http.ts';

const HELP = `npm run bench:province -- [options]

A province on PostgreSQL (DATABASE_URL, required): generate schools, take every record through
freeze and the four signatures on several \`hocba serve\` instances, print the rates, the
database size per record and the board load times.

  --schools N                 schools (default 4)
  --students-per-school N     students per school (default 200; the demo's full school is 1512)
  --students N                total students instead, spread over the schools
  --sign all|N-per-school     sign every record, or the first N frozen records of each school
                              (default 25-per-school; only the classes those need are frozen)
  --instances N               hocba serve instances on the database (default 2)
  --concurrency N             schools working at once (default 6); the people of a school sign in turn
  --teachers-at-once          the people of a school sign at the same time too (--concurrency of them
                              across the province): several teachers then sign the same record at once
  --keep                      keep the database and data directory (printed) instead of dropping them
  --no-save                   do not write bench/results/province.json nor the summary table
  --help                      this text

Default (under 10 minutes on a loaded 2-core machine): 4 schools × 200 students generated,
25 records per school frozen and signed through all four steps.
Every record of a small province:  --schools 4 --students-per-school 200 --sign all
Full province, signing a sample:   --schools 100 --students-per-school 1500 --sign 20-per-school`;

const DEFAULT_SIGN_PER_SCHOOL = 25;

interface Options {
  schools: number;
  studentsPerSchool: number;
  perSchool: number | null;
  instances: number;
  concurrency: number;
  teachersAtOnce: boolean;
  keep: boolean;
  save: boolean;
}

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      schools: { type: 'string' },
      'students-per-school': { type: 'string' },
      students: { type: 'string' },
      sign: { type: 'string' },
      instances: { type: 'string' },
      concurrency: { type: 'string' },
      'teachers-at-once': { type: 'boolean' },
      keep: { type: 'boolean' },
      'no-save': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return null;
  const whole = (name: string, raw: string | undefined, fallback: number, min: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return n;
  };
  const schools = whole('schools', values.schools, 4, 1);
  if (values.students !== undefined && values['students-per-school'] !== undefined) throw new Error('give --students or --students-per-school, not both');
  const studentsPerSchool = values.students !== undefined ? Math.ceil(whole('students', values.students, 0, 1) / schools) : whole('students-per-school', values['students-per-school'], 200, 1);
  // Default: a sample, because the seal costs ≈ 1.5 CPU-seconds per record here (PDF/A-3,
  // PAdES B-LT, timestamp, re-validation): 800 records would not fit in 10 minutes on 2 cores.
  let perSchool: number | null = DEFAULT_SIGN_PER_SCHOOL;
  if (values.sign === 'all') perSchool = null;
  else if (values.sign !== undefined) {
    const m = /^(\d+)(-per-school)?$/.exec(values.sign);
    if (!m || Number(m[1]) < 1) throw new Error(`--sign must be "all" or "N-per-school" (e.g. 20-per-school), got "${values.sign}"`);
    perSchool = Number(m[1]);
  }
  return {
    schools,
    studentsPerSchool,
    perSchool,
    instances: whole('instances', values.instances, 2, 1),
    concurrency: whole('concurrency', values.concurrency, 6, 1),
    teachersAtOnce: values['teachers-at-once'] ?? false,
    keep: values.keep ?? false,
    save: !values['no-save'],
  };
}

/** A new database on the DATABASE_URL server, and how to drop it. */
async function createBenchDatabase(base: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `hocba_bench_province_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 2 ** 20)} MB`;
const kb = (bytes: number) => `${fmt(bytes / 1024)} kB`;

/** Sizes: the whole database and the largest tables (with indexes and TOAST). */
async function databaseSizes(database: Database): Promise<{ total: number; tables: Array<{ name: string; bytes: number }> }> {
  const [{ total }] = (await database.query<{ total: string }>('select pg_database_size(current_database())::text as total')) as [{ total: string }];
  const tables = await database.query<{ name: string; bytes: string }>(
    `select c.relname as name, pg_total_relation_size(c.oid)::text as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and n.nspname = 'public' order by pg_total_relation_size(c.oid) desc limit 12`,
  );
  return { total: Number(total), tables: tables.map((t) => ({ name: t.name, bytes: Number(t.bytes) })) };
}

// Tables that grow with each signed record (the rest is the school's data and the grade book).
const RECORD_TABLES = ['record_versions', 'record_signatures', 'record_pdfs', 'document_blobs', 'signing_batch_items', 'signing_batches', 'audit_log'];

/** Times GET `path` `n` times in a row: the first (cold) and the median of the rest. */
async function timeGet(s: Session, op: string, path: string, n: number): Promise<{ first: number; median: number; bytes: number; body: unknown }> {
  const times: number[] = [];
  let bytes = 0;
  let last: unknown = null;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const body = await s.json<unknown>(op, 'GET', path);
    times.push(performance.now() - t);
    bytes = JSON.stringify(body).length;
    last = body;
  }
  return { first: times[0]!, median: pct(times.slice(1), 50), bytes, body: last };
}

/**
 * The province board (GET /api/province/board) for a province officer of Thanh Hóa (the demo
 * schools' province), created as the operator would (`hocba user create`, the createUser
 * service). Reports the route as missing when this build has none — never a made-up time.
 */
async function measureProvinceBoard(database: Database, instances: Instances, stats: Stats, schools: number): Promise<{ note: string; median: number | null }> {
  const probe = await fetch(`${instances.urls[0]}/api/province/board`);
  if (probe.status === 404) return { note: 'MISSING: GET /api/province/board does not exist in this build (404); not measured', median: null };
  try {
    // The demo loader may add its own province officer (demo password); otherwise create one.
    const [demoOfficer] = await database.query<{ username: string }>(`select u.username from users u join role_grants g on g.user_id = u.id where g.role = 'province_officer' and g.province_code = '38' limit 1`);
    let username = demoOfficer?.username;
    let password = DEMO_PASSWORD;
    if (!username) {
      username = 'bench.so38';
      password = `Bench-${randomBytes(6).toString('hex')}-Aa1!`;
      await createUser({ db: database.db, actor: { userId: null, label: 'bench:province' }, username, displayName: 'Cán bộ Sở GD&ĐT Thanh Hóa (bench)', password, roles: ['province_officer'], schoolId: null, provinceCode: '38' });
    }
    const officer = new Session(username, instances, stats);
    await officer.login(password);
    const t = await timeGet(officer, 'province board', '/api/province/board', 6);
    // What the board shows, as a check that it covers the generated province.
    const totals = (t.body as { totals?: { schools?: number; students?: number; states?: Record<string, number> } }).totals;
    const shows = totals ? `; it lists ${totals.schools} schools, ${totals.students} students, ${totals.states?.sealed ?? '?'} sealed` : '';
    return { note: `${schools} schools: first ${fmt(t.first, 0)} ms, then median ${fmt(t.median, 0)} ms (${kb(t.bytes)})${shows}`, median: t.median };
  } catch (err) {
    return { note: `NOT MEASURED: the route exists but failed for a province officer: ${(err as Error).message.slice(0, 300)}`, median: null };
  }
}

async function main(): Promise<void> {
  let options: Options | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (!options) {
    console.log(HELP);
    return;
  }
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error('bench:province needs DATABASE_URL (a PostgreSQL server where it may create a database), e.g. DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres');
    process.exitCode = 2;
    return;
  }
  const start = benchStart();
  const o = options;
  const scale = `${o.schools} schools × ${o.studentsPerSchool.toLocaleString('en')} students, ${o.perSchool === null ? 'all signed' : `${o.perSchool} signed per school`}, ${o.instances} instances${o.teachersAtOnce ? ', teachers at once' : ''}`;
  console.log(`bench:province — ${scale}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);

  const created = await createBenchDatabase(base);
  const dataDir = await mkdtemp(join(os.tmpdir(), 'hocba-bench-province-'));
  let database: Database | null = null;
  const servers: ChildServer[] = [];
  try {
    database = await openDatabase({ url: created.url, poolSize: 4 });
    const ports: number[] = [];
    for (let i = 0; i < o.instances; i++) ports.push(await freePort());
    const publicUrl = `http://127.0.0.1:${ports[0]}`;

    console.log(`1. generation into ${created.name}`);
    const gen = await generateProvince({ db: database.db, schools: o.schools, studentsPerSchool: o.studentsPerSchool, dataDir, pkiBaseUrl: `${publicUrl}/pki`, log: console.log });
    const problems = gen.schools.reduce((n, s) => n + s.problems, 0);
    console.log(
      `  ${o.schools} schools, ${gen.students.toLocaleString('en')} students, ${gen.cells.toLocaleString('en')} grade cells in ${fmt(gen.loadMs / 1000)} s ` +
        `(${fmt(gen.students / (gen.loadMs / 1000))} students/s); ${gen.certificates} TEST certificates in ${fmt(gen.certificatesMs / 1000)} s`,
    );

    // Both instances would otherwise each rebuild a stale web UI into the same dist/ at start.
    if (await buildWebIfStale(() => undefined)) console.log('  (the web UI was stale and was rebuilt before starting the instances)');
    console.log(`2. ${o.instances} × hocba serve on ${created.name}`);
    for (const port of ports) {
      // One at a time: each runs pg-boss's own start-up on the shared database.
      servers.push(await startChildServer({ port, databaseUrl: created.url, dataDir, publicUrl, env: { HOCBA_RATE_LIMIT: '600', HOCBA_LOGIN_RATE_LIMIT: '10' } }));
      console.log(`  ${servers.at(-1)!.url} (pid ${servers.at(-1)!.pid})`);
    }
    const instances = new Instances(servers.map((s) => s.url));
    const stats = new Stats();
    const serverCpu = async () => (await Promise.all(servers.map((s) => cpuSecondsOf(s.pid)))).reduce((a, b) => a + b, 0);

    console.log(`3. freeze and sign over HTTP (${o.teachersAtOnce ? `${o.concurrency} people at once` : `${Math.min(o.concurrency, o.schools)} schools at once, one person per school at a time`})`);
    const flowStart = performance.now();
    const flow = await runFlow({ database, schools: gen.schools, instances, stats, password: DEMO_PASSWORD, perSchool: o.perSchool, concurrency: o.concurrency, teachersAtOnce: o.teachersAtOnce, serverCpu, log: console.log });
    const signingPhases = flow.phases.filter((p) => !['sign-in', 'freeze'].includes(p.name));
    const signMs = signingPhases.reduce((n, p) => n + p.ms, 0);
    const freezePhase = flow.phases.find((p) => p.name === 'freeze')!;
    const flowMs = performance.now() - flowStart;

    // Check: every selected record is sealed in the database, and a sealed PDF passes pdfsig.
    const [{ sealed }] = (await database.query<{ sealed: number }>(`select count(*)::int as sealed from record_versions where state = 'sealed'`)) as [{ sealed: number }];
    // A broken run still prints its figures, but is not saved and exits non-zero.
    const failures = [...flow.problems];
    if (sealed !== flow.selected) failures.unshift(`expected ${flow.selected} sealed records, the database has ${sealed}`);
    const clerk = new Session(`${gen.schools[0]!.prefix}vanthu`, new Instances([servers.at(-1)!.url]), stats);
    await clerk.login(DEMO_PASSWORD);
    const [one] = await database.query<{ id: string }>(`select id from record_versions where state = 'sealed' and school_id = $1 limit 1`, [gen.schools[0]!.schoolId]);
    let pdfCheck = 'no sealed record to check';
    if (one) {
      const pdf = await clerk.bytes('sealed pdf', `/api/signing/versions/${one.id}/sealed.pdf?reason=${encodeURIComponent('Kiểm tra bench')}`);
      try {
        const runner = await pdfsigRunner(await readFile(join(dataDir, 'pki', 'root.crt.pem'), 'utf8'));
        try {
          const checked = await runner.check(pdf);
          const sig = checked.signatures[0];
          pdfCheck = `pdfsig: ${checked.signatures.length} signature(s), ${sig?.valid ? 'valid' : 'NOT valid'}, ${sig?.trusted ? 'trusted' : 'NOT trusted'} (${kb(pdf.length)})`;
          if (!sig?.valid || !sig.trusted) throw new Error(`the sealed PDF of ${one.id} does not pass pdfsig:\n${checked.output}`);
        } finally {
          await runner.close();
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') pdfCheck = 'pdfsig not installed: sealed PDF not checked';
        else throw err;
      }
    }

    console.log('4. boards');
    const principal = new Session(`${gen.schools[0]!.prefix}hieutruong`, instances, stats);
    await principal.login(DEMO_PASSWORD);
    const board = await timeGet(principal, 'plan board', '/api/plan/board', 6);
    console.log(`  principal's board (/api/plan/board, ${gen.schools[0]!.students} students): first ${fmt(board.first, 0)} ms, then median ${fmt(board.median, 0)} ms (${kb(board.bytes)})`);
    const provinceBoard = await measureProvinceBoard(database, instances, stats, gen.schools.length);
    console.log(`  province board: ${provinceBoard.note}`);

    const sizes = await databaseSizes(database);
    const recordTables = await database.query<{ name: string; bytes: string }>(
      `select t as name, coalesce(pg_total_relation_size(to_regclass('public.' || t)), 0)::text as bytes from unnest($1::text[]) as t`,
      [RECORD_TABLES],
    );
    const recordBytes = recordTables.reduce((n, t) => n + Number(t.bytes), 0);

    // ---------------------------------------------------------------- report
    const line = (p: PhaseResult) =>
      `  ${p.name.padEnd(10)} ${fmt(p.ms / 1000).padStart(7)} s  ${(p.records ? fmt(p.records / (p.ms / 1000)) : '–').padStart(8)} records/s  ${p.signatures ? fmt(p.signatures / (p.ms / 1000)).padStart(8) : '       –'} signatures/s  ${String(p.requests).padStart(5)} requests  server CPU ${fmt(p.serverCpu)} s`;
    const totalSigs = signingPhases.reduce((n, p) => n + p.signatures, 0);
    console.log('\nResults');
    console.log(`  scale: ${scale}; ${flow.frozen.toLocaleString('en')} records frozen, ${flow.blocked} refused at freeze (the demo's deliberate data problems: ${problems}), ${flow.selected.toLocaleString('en')} taken to the seal`);
    console.log(`  generation: ${fmt(gen.loadMs / 1000)} s for ${gen.students.toLocaleString('en')} students (${fmt(gen.students / (gen.loadMs / 1000))}/s) + ${fmt(gen.certificatesMs / 1000)} s for ${gen.certificates} certificates`);
    for (const p of flow.phases) console.log(line(p));
    console.log(`  signing overall: ${flow.selected} records through 4 steps in ${fmt(signMs / 1000)} s = ${fmt(flow.selected / (signMs / 1000), 2)} records/s, ${fmt(totalSigs / (signMs / 1000))} signatures/s (${totalSigs} signatures, ${fmt(totalSigs / Math.max(1, flow.selected))} per record)`);
    console.log(`  freeze + signing: ${fmt(flowMs / 1000)} s wall in all (with sign-in)`);
    console.log(`  requests per instance: ${[...stats.perInstance].map(([u, n]) => `${u} ${n}`).join(', ')}`);
    for (const [op, ms] of stats.ms) console.log(`    ${op.padEnd(16)} n=${String(ms.length).padStart(5)}  p50 ${fmt(pct(ms, 50), 0).padStart(6)} ms  p95 ${fmt(pct(ms, 95), 0).padStart(6)} ms  errors ${stats.errors.get(op) ?? 0}`);
    for (const [op, s] of stats.samples) console.log(`    first error of ${op}: ${s}`);
    console.log(`  database: ${mb(sizes.total)} in all = ${kb(sizes.total / gen.students)} per student generated; record tables (${RECORD_TABLES.join(', ')}) ${mb(recordBytes)} = ${kb(recordBytes / Math.max(1, flow.selected))} per sealed record`);
    console.log(`  largest tables: ${sizes.tables.map((t) => `${t.name} ${mb(t.bytes)}`).join(', ')}`);
    console.log(`  check: ${sealed} records sealed in the database; ${pdfCheck}`);
    const fullRecords = 150_000;
    const sealRate = flow.selected / (signMs / 1000);
    // Load-independent view: CPU seconds the instances spent (from /proc), per record and per signature.
    const cpuPerRecord = signingPhases.reduce((n, p) => n + p.serverCpu, 0) / Math.max(1, flow.selected);
    console.log(`  server CPU per record, all 4 steps: ${fmt(cpuPerRecord, 2)} s (${signingPhases.map((p) => `${p.name} ${fmt(p.serverCpu / Math.max(1, p.signatures), 3)} s/signature`).join(', ')}); the instances averaged ${fmt(signingPhases.reduce((n, p) => n + p.serverCpu, 0) / (signMs / 1000), 2)} busy cores while signing`);
    const genRate = gen.students / (gen.loadMs / 1000);
    const certRate = gen.certificates / (gen.certificatesMs / 1000);
    console.log(
      `  EXTRAPOLATION (not measured, linear in the rates of this run under this load): 100 schools × 1,500 students would take ` +
        `${fmt(fullRecords / genRate / 60, 0)} min to generate, ${fmt((100 * 87) / certRate / 60, 0)} min for ≈ 8,700 certificates, and ${fmt(fullRecords / sealRate / 3600)} h to sign all ${fullRecords.toLocaleString('en')} records; ` +
        `CPU-bound on ${os.cpus().length} free cores at ${fmt(cpuPerRecord, 2)} CPU-s per record: ${fmt((fullRecords * cpuPerRecord) / os.cpus().length / 3600)} h`,
    );
    console.log(`  load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    if (failures.length) {
      console.error(`\nFAILED: ${failures.length} problem(s); figures above are not saved. First ones:`);
      for (const f of failures.slice(0, 8)) console.error(`  ${f.slice(0, 600)}`);
      process.exitCode = 1;
    } else if (o.save) {
      const sc = `${o.schools} schools × ${o.studentsPerSchool} students, ${o.perSchool === null ? 'all' : `${o.perSchool}/school`} signed`;
      const notes = `PostgreSQL, ${o.instances} instances`;
      const figures: Figure[] = [
        { name: 'generation', value: gen.students / (gen.loadMs / 1000), unit: 'students/s', scale: sc, notes: 'schools, staff, students, full year of marks' },
        { name: 'freeze over HTTP', value: freezePhase.records / (freezePhase.ms / 1000), unit: 'records/s', scale: sc, notes },
        ...signingPhases.filter((p) => p.name === 'subject' || p.name === 'seal').map((p) => ({ name: `sign: ${p.name}`, value: p.signatures / (p.ms / 1000), unit: 'signatures/s', scale: sc, notes })),
        { name: 'records through all 4 signatures', value: sealRate, unit: 'records/s', scale: sc, notes },
        { name: 'server CPU per record (4 steps)', value: cpuPerRecord, unit: 'CPU-s', scale: sc, notes },
        { name: 'record tables per sealed record', value: recordBytes / Math.max(1, flow.selected) / 1024, unit: 'kB', scale: sc },
        { name: 'database per student', value: sizes.total / gen.students / 1024, unit: 'kB', scale: sc },
        { name: "principal's board (warm median)", value: board.median, unit: 'ms', scale: `${gen.schools[0]!.students} students` },
        ...(provinceBoard.median !== null ? [{ name: 'province board (warm median)', value: provinceBoard.median, unit: 'ms', scale: `${o.schools} schools` }] : []),
      ];
      console.log(`  saved ${saveResults('province', figures, { start })}`);
    }
  } finally {
    for (const s of servers) await s.stop().catch((err: unknown) => console.error(`stopping ${s.url}: ${(err as Error).message}`));
    await database?.close();
    if (o.keep) console.log(`kept: database ${created.url.replace(/\/\/[^@]*@/, '//…@')}, data directory ${dataDir}`);
    else {
      await created.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}

await main().catch((err: unknown) => {
  // The message names the step and, for a child server, its last output lines.
  console.error(`bench:province failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
