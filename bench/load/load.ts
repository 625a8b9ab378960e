/**
 * `npm run bench:load`: N virtual teachers (HOCBA_LOAD_USERS, default 300) on one server on
 * 127.0.0.1 for HOCBA_LOAD_SECONDS (default 60), each looping: load a grade sheet, save a few
 * marks (real cell writes), reload it. The same server's trivial endpoint (/api/health) is
 * measured in the same run for comparison. Runs on PGlite, then on PostgreSQL too when
 * DATABASE_URL is set (a fresh database on that server, dropped afterwards).
 *
 * Each virtual teacher has an account of its own teaching a class subject of its own: the
 * demo school's teachers first, then extra teacher accounts created here, each taking over
 * one of the demo's class subjects. Sessions are created directly (argon2 for 300 sign-ins
 * would measure the password hash, not the grade book). HTTP: Node's fetch (undici) with
 * keep-alive. Prints a table: requests, errors, p50/p95/p99/max latency per operation, and
 * throughput.
 */
import os from 'node:os';
import { and, eq, sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { classSubjects, roleGrants, staff, users } from '../../src/db/schema.ts';
import { buildApp } from '../../src/server/app.ts';
import { SESSION_COOKIE } from '../../src/server/authorize.ts';
import { createSession } from '../../src/services/auth/sessions.ts';
import { loadDemoSchool } from '../../src/services/demo/load-demo-school.ts';
import { createPgDatabase } from '../../test/helpers/db.ts';
import { saveResults, type Figure } from '../results.ts';

const SECONDS = Number(process.env.HOCBA_LOAD_SECONDS ?? 60);
const USERS = Number(process.env.HOCBA_LOAD_USERS ?? 300);
const STUDENTS = Number(process.env.HOCBA_LOAD_STUDENTS ?? 1512);
const HEALTH_LOOPS = 4;

type Op = 'load sheet' | 'save marks' | 'reload sheet' | 'health';

class Stats {
  readonly ms = new Map<Op, number[]>();
  readonly errors = new Map<Op, number>();
  readonly samples = new Map<Op, string>();
  add(op: Op, ms: number, ok: boolean, detail?: string) {
    if (!this.ms.has(op)) this.ms.set(op, []);
    this.ms.get(op)!.push(ms);
    if (!ok) {
      this.errors.set(op, (this.errors.get(op) ?? 0) + 1);
      if (detail && !this.samples.has(op)) this.samples.set(op, detail.slice(0, 200));
    }
  }
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

interface VirtualTeacher {
  cookie: string;
  csrf: string;
  classSubjectId: string;
}

/** One account and one class subject per virtual teacher (creating accounts when the demo has too few). */
async function prepareTeachers(database: Database, schoolId: string, count: number): Promise<VirtualTeacher[]> {
  const rows = await inSystem(database.db, (tx) =>
    tx
      .select({ id: classSubjects.id, staffId: classSubjects.teacherStaffId, userId: staff.userId })
      .from(classSubjects)
      .leftJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
      .where(eq(classSubjects.schoolId, schoolId))
      .orderBy(classSubjects.id),
  );
  const [{ hash }] = (await database.query<{ hash: string }>(`select password_hash as hash from users where password_hash is not null limit 1`)) as [{ hash: string }];
  const used = new Set<string>();
  const out: VirtualTeacher[] = [];
  let created = 0;
  for (let i = 0; i < count; i++) {
    const cs = rows[i % rows.length]!;
    let userId = cs.userId;
    if (!userId || used.has(userId)) {
      // A new teacher account that takes over this class subject.
      userId = await inSystem(database.db, async (tx) => {
        const [u] = await tx.insert(users).values({ username: `load-teacher-${i}`, displayName: `Giáo viên tải ${i}`, passwordHash: hash }).returning({ id: users.id });
        const [s] = await tx.insert(staff).values({ schoolId, fullName: `Giáo viên tải ${i}`, userId: u!.id, department: 'Tải thử' }).returning({ id: staff.id });
        await tx.insert(roleGrants).values({ userId: u!.id, schoolId, role: 'subject_teacher' });
        if (i < rows.length) await tx.update(classSubjects).set({ teacherStaffId: s!.id }).where(and(eq(classSubjects.id, cs.id), eq(classSubjects.schoolId, schoolId)));
        return u!.id;
      });
      created++;
    }
    used.add(userId);
    const { token, session } = await createSession(database.db, { userId, activeSchoolId: schoolId });
    out.push({ cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken, classSubjectId: cs.id });
  }
  console.log(`  ${count} virtual teachers on ${Math.min(count, rows.length)} class subjects (${created} teacher accounts created beside the demo's)`);
  return out;
}

const figures: Figure[] = [];

async function runOne(kind: 'pglite' | 'postgres'): Promise<void> {
  let database: Database;
  let drop = async () => {};
  if (kind === 'pglite') database = await openDatabase({ memory: true });
  else {
    const created = await createPgDatabase();
    database = await openDatabase({ url: created.url, poolSize: Number(process.env.HOCBA_LOAD_POOL ?? 10) });
    drop = created.drop;
  }
  const t0 = performance.now();
  const loaded = await loadDemoSchool({ db: database.db, students: STUDENTS });
  const teachers = await prepareTeachers(database, loaded.schoolId, USERS);
  const app = await buildApp({ database, rateLimit: { global: 1e9, login: 1e9 } });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`  ${kind}: demo school (${STUDENTS} students) + sessions ready in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${USERS} teachers × ${SECONDS} s on ${base}`);

  const stats = new Stats();
  const deadline = performance.now() + SECONDS * 1000;
  const timed = async (op: Op, f: () => Promise<Response>): Promise<Response | null> => {
    const s = performance.now();
    try {
      const res = await f();
      const body = await res.text();
      stats.add(op, performance.now() - s, res.ok, `${res.status} ${body}`);
      return res.ok ? new Response(body, { status: res.status }) : null;
    } catch (err) {
      stats.add(op, performance.now() - s, false, String(err));
      return null;
    }
  };
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

  async function teacherLoop(v: VirtualTeacher): Promise<void> {
    const headers = { cookie: v.cookie };
    const url = `${base}/api/grade-sheets/${v.classSubjectId}/1`;
    while (performance.now() < deadline) {
      const first = await timed('load sheet', () => fetch(url, { headers }));
      if (!first) continue;
      const sheet = (await first.json()) as { id: string; rows: Array<{ studentId: string }>; regularCount: number; subject: { assessment: 'score' | 'comment' } };
      const cells = Array.from({ length: 3 }, () => ({
        studentId: sheet.rows[Math.floor(random() * sheet.rows.length)]!.studentId,
        field: 'regular',
        index: Math.floor(random() * Math.max(1, sheet.regularCount)),
        value: sheet.subject.assessment === 'comment' ? (random() < 0.8 ? 'Đ' : 'CĐ') : (Math.round(random() * 100) / 10).toString(),
      }));
      const unique = [...new Map(cells.map((c) => [`${c.studentId}/${c.index}`, c])).values()];
      await timed('save marks', () => fetch(`${base}/api/grade-sheets/${sheet.id}/cells`, { method: 'PUT', headers: { ...headers, 'x-csrf-token': v.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ cells: unique }) }));
      await timed('reload sheet', () => fetch(url, { headers }));
    }
  }
  async function healthLoop(): Promise<void> {
    while (performance.now() < deadline) await timed('health', () => fetch(`${base}/api/health`));
  }
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  await Promise.all([...teachers.map(teacherLoop), ...Array.from({ length: HEALTH_LOOPS }, healthLoop)]);
  const wall = (performance.now() - w0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const written = (await database.query<{ n: number }>(`select count(*)::int as n from grade_entries`))[0]!.n;

  console.log(`\n  ${kind} — ${USERS} teachers + ${HEALTH_LOOPS} health loops, ${wall.toFixed(1)} s, server process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; ${written} mark cells stored`);
  console.log('  | Operation | Requests | Errors | p50 ms | p95 ms | p99 ms | max ms | req/s |');
  console.log('  |---|---:|---:|---:|---:|---:|---:|---:|');
  for (const op of ['load sheet', 'save marks', 'reload sheet', 'health'] as Op[]) {
    const all = (stats.ms.get(op) ?? []).sort((a, b) => a - b);
    const f = (n: number) => (Number.isNaN(n) ? '—' : n.toFixed(n < 10 ? 1 : 0));
    console.log(`  | ${op} | ${all.length} | ${stats.errors.get(op) ?? 0} | ${f(pct(all, 50))} | ${f(pct(all, 95))} | ${f(pct(all, 99))} | ${f(all[all.length - 1] ?? NaN)} | ${(all.length / wall).toFixed(1)} |`);
  }
  // Headline figures for bench/results/load.json and the summary table.
  const scale = `${USERS} teachers × ${SECONDS} s, ${STUDENTS} students, ${kind === 'pglite' ? 'PGlite' : 'PostgreSQL'}`;
  const total = [...stats.ms.values()].reduce((n, xs) => n + xs.length, 0);
  const errors = [...stats.errors.values()].reduce((n, x) => n + x, 0);
  const save = (stats.ms.get('save marks') ?? []).sort((a, b) => a - b);
  figures.push(
    { name: 'all requests', value: total / wall, unit: 'req/s', scale },
    { name: 'save marks p50', value: pct(save, 50), unit: 'ms', scale },
    { name: 'save marks p99', value: pct(save, 99), unit: 'ms', scale },
    { name: 'errors', value: errors, unit: 'requests', scale },
  );
  for (const [op, sample] of stats.samples) console.log(`  first error of "${op}": ${sample}`);
  await app.close();
  await database.close();
  await drop();
}

console.log(`node ${process.version} · ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}) · ${Math.round(os.totalmem() / 2 ** 30)} GB · load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
await runOne('pglite');
if (process.env.DATABASE_URL) await runOne('postgres');
console.log(`\nresults: ${saveResults('load', figures.filter((f) => Number.isFinite(f.value)))} (summary in docs/benchmarks.md regenerated)`);
