/**
 * Fault tests of issue 11 for the grade book:
 *  - SIGKILL during a grade-sheet import: a child process opens the same PGlite data dir,
 *    imports sheet A (committed), then starts importing sheet B and is held inside B's
 *    transaction right after its first mark write (a hook on the PGlite transaction), where
 *    it is SIGKILLed. Reopened: the marks are exactly sheet A, one import event, the audit
 *    chain verifies, and importing B again works.
 *  - The database connection cut mid-request (PostgreSQL, pg_terminate_backend): the import
 *    of B is held on a row lock after its first writes, its backend is terminated; the
 *    request fails cleanly, nothing of B is stored, the audit chain verifies, and the same
 *    server serves the retry from a fresh connection.
 * The signing-batch crash is test/http/signing-crash.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/server/app.ts';
import { verifyAudit } from '../../src/services/audit/verify-audit.ts';
import { client, sessionFor, type Client } from '../helpers/app.ts';
import { createPgDatabase } from '../helpers/db.ts';
import { makeSchool, type TestSchool } from '../helpers/factories.ts';
import { multipart } from '../helpers/multipart.ts';
import { createSession } from '../../src/services/auth/sessions.ts';

const root = new URL('../..', import.meta.url).pathname;

/** Marks of the sheet as "student/field/idx=value", sorted. */
async function marks(database: Database, sheetId: string): Promise<string[]> {
  const rows = await database.query<{ k: string }>(`select student_id || '/' || field || '/' || coalesce(idx::text, '-') || '=' || coalesce(value, '') as k from grade_entries where sheet_id = $1 order by 1`, [sheetId]);
  return rows.map((r) => r.k);
}
const importEvents = async (database: Database, sheetId: string) =>
  (await database.query<{ n: number }>(`select count(*)::int as n from grade_events where sheet_id = $1 and action = 'imported'`, [sheetId]))[0]!.n;

/** Fills the sheet with `values` (per student: TX1, GK, CK) through the API and exports it. */
async function sheetFile(teacher: Client, sheetId: string, studentIds: string[], values: string[]): Promise<Buffer> {
  const cells = studentIds.flatMap((studentId, i) => [
    { studentId, field: 'regular', index: 0, value: values[i % values.length] },
    { studentId, field: 'midterm', value: values[(i + 1) % values.length] },
    { studentId, field: 'final', value: values[(i + 2) % values.length] },
  ]);
  const put = await teacher.request({ method: 'PUT', url: `/api/grade-sheets/${sheetId}/cells`, payload: { cells } });
  assert.equal(put.statusCode, 200, put.body);
  const exp = await teacher.request({ method: 'GET', url: `/api/grade-sheets/${sheetId}/export.xlsx` });
  assert.equal(exp.statusCode, 200);
  return exp.rawPayload;
}

/** A school with its Toán sheet, two exported versions of it (A, B) and the sheet reset to empty. */
async function prepare(database: Database, prefix: string) {
  const school: TestSchool = await makeSchool(database, prefix);
  const app = await buildApp({ database, rateLimit: { global: 100_000, login: 100_000 } });
  await app.ready();
  const teacher = await sessionFor({ app, database } as never, school.users.subject_teacher.id, school.schoolId);
  const sheet = (await teacher.request({ method: 'GET', url: `/api/grade-sheets/${school.classSubjectId}/1` })).json();
  const studentIds: string[] = sheet.rows.map((r: { studentId: string }) => r.studentId);
  const fileB = await sheetFile(teacher, sheet.id, studentIds, ['3', '4.5', '6']);
  const fileA = await sheetFile(teacher, sheet.id, studentIds, ['8', '9.5', '7']);
  // Start from A stored through an import (so A is the committed state and events count imports).
  await database.query(`delete from grade_entries where sheet_id = $1`, [sheet.id]);
  return { school, app, teacher, sheetId: sheet.id as string, studentIds, fileA, fileB };
}

describe('fault: SIGKILL during a grade import (pglite data dir)', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  test('killed inside the import transaction: the marks are the last committed import, the audit chain verifies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hocba-fault-import-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const dataDir = join(dir, 'data');
    let database = await openDatabase({ dataDir });
    const p = await prepare(database, 'fgi');
    await p.app.close();
    await database.close();
    await writeFile(join(dir, 'a.xlsx'), p.fileA);
    await writeFile(join(dir, 'b.xlsx'), p.fileB);

    // The child: import A (committed), then B, held inside B's transaction after its first mark write.
    const script = `
      import { readFileSync } from 'node:fs';
      import { openDatabase } from '${root}src/db/client.ts';
      import { loadActor } from '${root}src/services/auth/load-actor.ts';
      import { importSheetXlsx } from '${root}src/services/grades/exchange-sheet.ts';
      const say = (l) => process.stdout.write(l + '\\n');
      const database = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} });
      const pgl = database.pglite;
      let hold = false;
      const original = pgl.transaction.bind(pgl);
      pgl.transaction = (cb) => original(async (tx) => {
        const query = async (q, params, o) => {
          const r = await tx.query(q, params, o);
          if (hold && /grade_entries/i.test(q) && /^\\s*(insert|update)/i.test(q)) { say('mid'); await new Promise(() => {}); }
          return r;
        };
        return cb({ query, sql: tx.sql, exec: tx.exec, rollback: tx.rollback, listen: tx.listen, get closed() { return tx.closed; } });
      });
      const opts = { db: database.db, actor: await loadActor(database.db, ${JSON.stringify(p.school.users.subject_teacher.id)}, ${JSON.stringify(p.school.schoolId)}), who: { userId: ${JSON.stringify(p.school.users.subject_teacher.id)}, label: 'fault-child' }, schoolId: ${JSON.stringify(p.school.schoolId)}, sheetId: ${JSON.stringify(p.sheetId)}, lang: 'vi' };
      const a = await importSheetXlsx({ ...opts, content: readFileSync(${JSON.stringify(join(dir, 'a.xlsx'))}) });
      say('imported-a ' + a.changed);
      hold = true;
      await importSheetXlsx({ ...opts, content: readFileSync(${JSON.stringify(join(dir, 'b.xlsx'))}) });
      say('imported-b');
    `;
    const outcome = await new Promise<{ lines: string[]; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: string[] = [];
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (line === 'mid') child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('exit', (_code, signal) => resolve({ lines, signal, stderr }));
    });
    assert.equal(outcome.signal, 'SIGKILL', `the child was killed, not finished: ${outcome.lines.join(' | ')} ${outcome.stderr.slice(-1500)}`);
    assert.match(outcome.lines[0] ?? '', /^imported-a [1-9]\d*$/, 'A was committed first');
    assert.equal(outcome.lines.at(-1), 'mid', 'killed inside the transaction of B');

    database = await openDatabase({ dataDir });
    cleanup.push(() => database.close());
    const app = await buildApp({ database, rateLimit: { global: 100_000, login: 100_000 } });
    cleanup.push(() => app.close());
    const { token, session } = await createSession(database.db, { userId: p.school.users.subject_teacher.id, activeSchoolId: p.school.schoolId });
    const teacher = client(app, token, session.csrfToken);
    const afterCrash = await marks(database, p.sheetId);
    assert.equal(await importEvents(database, p.sheetId), 1, 'only the committed import is recorded');
    const audit = await verifyAudit({ database });
    assert.ok(audit.ok, JSON.stringify(audit));
    // The stored marks are exactly sheet A: importing A again changes nothing.
    const again = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${p.sheetId}/import`, ...multipart('a.xlsx', p.fileA) });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().changed, 0, 'nothing of B survived the crash');
    assert.deepEqual(await marks(database, p.sheetId), afterCrash);
    const b = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${p.sheetId}/import`, ...multipart('b.xlsx', p.fileB) });
    assert.equal(b.statusCode, 200, b.body);
    assert.ok(b.json().changed > 0);
    assert.ok((await verifyAudit({ database })).ok);
  });
});

describe('fault: the database connection cut mid-request (PostgreSQL)', { skip: process.env.DATABASE_URL ? false : 'DATABASE_URL not set' }, () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  test('pg_terminate_backend during a grade import: a clean error, nothing of it stored, audit verifies, the next request works', async () => {
    const created = await createPgDatabase();
    cleanup.push(() => created.drop());
    const database = await openDatabase({ url: created.url, poolSize: 4 });
    cleanup.push(() => database.close());
    const p = await prepare(database, 'fcut');
    cleanup.push(() => p.app.close());
    const first = await p.teacher.request({ method: 'POST', url: `/api/grade-sheets/${p.sheetId}/import`, ...multipart('a.xlsx', p.fileA) });
    assert.equal(first.statusCode, 200, first.body);
    const before = await marks(database, p.sheetId);
    const events = await importEvents(database, p.sheetId);

    // Hold one mark row that B changes: B's transaction writes, then waits on the lock.
    const admin = new pg.Client({ connectionString: created.url });
    admin.on('error', () => undefined); // reported through the failing query instead
    await admin.connect();
    cleanup.push(() => admin.end());
    await admin.query('begin');
    const locked = await admin.query(`select id from grade_entries where sheet_id = $1 and field = 'final' order by student_id desc limit 1 for update`, [p.sheetId]);
    assert.equal(locked.rowCount, 1);
    const pending = p.teacher.request({ method: 'POST', url: `/api/grade-sheets/${p.sheetId}/import`, ...multipart('b.xlsx', p.fileB) });
    let victim: number | null = null;
    for (let i = 0; i < 200 && victim === null; i++) {
      const w = await admin.query(`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`);
      if (w.rows[0]) victim = w.rows[0].pid as number;
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(victim, 'the import is waiting on the held row');
    await admin.query('select pg_terminate_backend($1)', [victim]);
    const res = await pending;
    const adminError = await admin.query('rollback').then(() => null, (e: Error) => e.message);
    assert.equal(adminError, null, 'the holder of the lock was not affected');
    assert.ok(res.statusCode >= 500, `the cut request fails: ${res.statusCode} ${res.body}`);
    assert.equal(res.json().error.code, 'internal', 'the error envelope, no driver details');
    assert.doesNotMatch(res.body, /terminat|postgres|grade_entries/i, 'no database internals in the answer');
    assert.deepEqual(await marks(database, p.sheetId), before, 'nothing of the cut import is stored');
    assert.equal(await importEvents(database, p.sheetId), events);
    assert.ok((await verifyAudit({ database })).ok);
    const retry = await p.teacher.request({ method: 'POST', url: `/api/grade-sheets/${p.sheetId}/import`, ...multipart('b.xlsx', p.fileB) });
    assert.equal(retry.statusCode, 200, `the same server recovers: ${retry.body}`);
    assert.ok(retry.json().changed > 0);
    assert.ok((await verifyAudit({ database })).ok);
  });
});
