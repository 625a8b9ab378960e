/**
 * Fault test of issue 11.5, "fill the disk": a REAL full filesystem (a small tmpfs mounted
 * for the test, filled with a filler file until the kernel answers ENOSPC), no mocks.
 *  - The embedded database (PGlite data directory on the full tmpfs) during a write-heavy
 *    request (committing a 400-student import): the server answers 507 "disk full / hết dung
 *    lượng đĩa", keeps answering other requests, stores nothing of the import; after space
 *    is freed and the process restarts (database closed and reopened), nothing is lost or
 *    half-done, the audit chain verifies, and the same import commits.
 *  - The same on PostgreSQL (DATABASE_URL set, server on this machine): the test database's
 *    tablespace is on a tmpfs owned by postgres.
 *  - A backup written to a full target: a clear error naming the file and the cause, no
 *    complete-looking (or partial) file left; after freeing space the backup is made and reads back.
 *  - A generated document: the records export ZIP (stored in the database) on the full
 *    PGlite disk fails with the disk-full reason and leaves no finished export; after a
 *    restart the export is redone and completes.
 * Needs root (mount). Skipped only when not root and CI is unset.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, writeSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/server/app.ts';
import { verifyAudit } from '../../src/services/audit/verify-audit.ts';
import { createBackup } from '../../src/services/backup/create-backup.ts';
import { verifyBackup } from '../../src/services/backup/restore-backup.ts';
import { HEADER, toCsv } from '../../src/services/import/test-fixtures.ts';
import { client, type Client } from '../helpers/app.ts';
import { createSession } from '../../src/services/auth/sessions.ts';
import { makeSchool, type TestSchool } from '../helpers/factories.ts';
import { multipart } from '../helpers/multipart.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';

const isRoot = process.getuid?.() === 0;
const skip = !isRoot && !process.env.CI ? 'needs root to mount a tmpfs (runs in CI and as root)' : false;

/** A tmpfs of `mb` MiB mounted on a fresh directory; fill() until ENOSPC, free() the filler. */
function smallDisk(mb: number, owner?: { uid: number; gid: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'hocba-diskfull-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m,mode=0755`, 'tmpfs', dir]);
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const filler = join(dir, 'filler.bin');
  return {
    dir,
    /** Writes the filler until the filesystem refuses (real ENOSPC); returns the bytes left. */
    fill(): number {
      const fd = openSync(filler, 'a');
      try {
        for (const size of [1 << 20, 1 << 12]) {
          const buf = Buffer.alloc(size, 0x5a);
          for (;;) {
            try {
              writeSync(fd, buf);
            } catch (err) {
              assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC', `filling ${dir}: ${(err as Error).message}`);
              break;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
    free(): void {
      rmSync(filler, { force: true });
    },
    /** Unmounts (lazily, so a leftover open file cannot block it) and removes the mount point. */
    remove(): void {
      try {
        execFileSync('umount', ['-l', dir]);
      } catch {
        /* not mounted */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A CSV student list of `n` valid rows (the HEADER of the import fixtures). */
function studentList(n: number): Buffer {
  const family = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'];
  const middle = ['Văn', 'Thị', 'Đức', 'Ngọc', 'Minh', 'Thu', 'Quốc', 'Hải'];
  const given = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Khánh', 'Lan', 'Mai', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Uyên', 'Vy'];
  const rows = Array.from({ length: n }, (_, i) => [
    String(i + 1),
    String(7_000_000_000 + i * 7),
    `${family[i % 8]} ${middle[Math.floor(i / 8) % 8]} ${given[Math.floor(i / 64) % 16]}`,
    `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/2010`,
    i % 2 ? 'Nam' : 'Nữ',
    'Kinh',
    'Hà Nội',
  ]);
  return Buffer.from(toCsv([HEADER, ...rows]), 'utf8');
}

/** Polls an export until `stop(status)` (the job runs in the app's process). */
async function waitExport(c: Client, id: string, stop: (status: string) => boolean): Promise<{ status: string; error?: string; downloadUrl?: string }> {
  for (let i = 0; i < 1800; i++) {
    const res = await c.request({ method: 'GET', url: `/api/record-exports/${id}` });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    if (stop(body.status)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`export ${id} did not finish`);
}

const count = async (database: Database, q: string, params: unknown[] = []) => (await database.query<{ n: number }>(q, params))[0]!.n;

async function serve(database: Database, school: TestSchool): Promise<{ close(): Promise<void>; homeroom: Client; health(): Promise<number> }> {
  const app = await buildApp({ database, rateLimit: { global: 100_000, login: 100_000 } });
  await app.ready();
  const { token, session } = await createSession(database.db, { userId: school.users.homeroom_teacher.id, activeSchoolId: school.schoolId });
  return {
    close: () => app.close(),
    homeroom: client(app, token, session.csrfToken),
    health: async () => (await app.inject({ method: 'GET', url: '/api/health' })).statusCode,
  };
}

/**
 * The scenario on one database: upload (preview) a 400-student list with space, fill the
 * disk, commit → 507; free the space, restart via `reopen`, check and commit again.
 */
async function importOnFullDisk(database: Database, disk: ReturnType<typeof smallDisk>, reopen: () => Promise<Database>, prefix: string): Promise<void> {
  const school = await makeSchool(database, prefix);
  let srv = await serve(database, school);
  const up = await srv.homeroom.request({ method: 'POST', url: `/api/classes/${school.classId}/student-imports`, ...multipart('ds.csv', studentList(400)) });
  assert.equal(up.statusCode, 201, up.body);
  const importId = up.json().id as string;
  const before = { students: await count(database, `select count(*)::int as n from students`), audit: await count(database, `select count(*)::int as n from audit_log`) };

  const left = disk.fill();
  assert.ok(left < 64 * 1024, `the disk is full (${left} bytes left)`);
  const res = await srv.homeroom.request({ method: 'POST', url: `/api/student-imports/${importId}/commit`, payload: { mode: 'all' } });
  assert.equal(res.statusCode, 507, `a full disk answers 507: ${res.statusCode} ${res.body.slice(0, 500)}`);
  assert.equal(res.json().error.code, 'disk_full');
  assert.match(res.json().error.message, /hết dung lượng đĩa/);
  assert.doesNotMatch(res.body, /base\/\d+|No space left|pg_|53100/, 'no database internals in the answer');
  const en = await srv.homeroom.request({ method: 'POST', url: `/api/student-imports/${importId}/commit`, payload: { mode: 'all' }, headers: { 'accept-language': 'en' } });
  assert.equal(en.statusCode, 507, en.body.slice(0, 300));
  assert.equal(await srv.health(), 200, 'the server still answers while the disk is full');
  assert.equal(await count(database, `select count(*)::int as n from students`), before.students, 'nothing of the import is stored');

  // Space freed, the process restarts.
  disk.free();
  await srv.close();
  const db2 = await reopen();
  assert.equal(await count(db2, `select count(*)::int as n from students`), before.students, 'after the restart: nothing of the failed commit');
  assert.equal(await count(db2, `select count(*)::int as n from audit_log`), before.audit, 'no audit entry for an import that did not happen');
  const audit = await verifyAudit({ database: db2 });
  assert.ok(audit.ok, `audit chain verifies: ${JSON.stringify(audit)}`);
  srv = await serve(db2, school);
  const redo = await srv.homeroom.request({ method: 'POST', url: `/api/student-imports/${importId}/commit`, payload: { mode: 'all' } });
  assert.equal(redo.statusCode, 200, `the import can be redone: ${redo.body.slice(0, 500)}`);
  assert.equal(await count(db2, `select count(*)::int as n from students`), before.students + 400);
  assert.ok((await verifyAudit({ database: db2 })).ok);
  await srv.close();
}

describe('fault: disk full (real ENOSPC on a tmpfs)', { skip }, () => {
  const cleanup: Array<() => unknown> = [];
  after(async () => {
    for (const f of cleanup.reverse()) {
      try {
        await f();
      } catch {
        /* keep cleaning up */
      }
    }
  });

  test('PGlite data directory on a full disk: 507 disk full, nothing half-done, redone after restart', async () => {
    const disk = smallDisk(160);
    cleanup.push(() => disk.remove());
    const dataDir = join(disk.dir, 'data');
    // The migrated template, loaded into the data directory (migrating on tmpfs from scratch is slower).
    const mem = await openDatabase({ memory: true });
    const template = await mem.pglite!.dumpDataDir('none');
    await mem.close();
    let database = await openDatabase({ dataDir, loadDataDir: template });
    cleanup.push(() => database.close());
    await importOnFullDisk(
      database,
      disk,
      async () => {
        await database.close();
        database = await openDatabase({ dataDir });
        return database;
      },
      'dfl',
    );
  });

  test('records export ZIP on a full PGlite disk: fails naming "disk full", no finished export; redone after restart', async (t) => {
    const disk = smallDisk(160);
    cleanup.push(() => disk.remove());
    const dataDir = join(disk.dir, 'data');
    const mem = await openDatabase({ memory: true });
    const template = await mem.pglite!.dumpDataDir('none');
    await mem.close();
    let database = await openDatabase({ dataDir, loadDataDir: template });
    cleanup.push(() => database.close());
    const school = await makeSchool(database, 'dfe');
    const frozen = await completeAndFreezeClass({
      db: database.db,
      schoolId: school.schoolId,
      classId: school.classId,
      studentIds: school.studentIds.slice(0, 2),
      teacherUserId: school.users.subject_teacher.id,
      homeroomUserId: school.users.homeroom_teacher.id,
    });
    assert.equal(frozen.frozen.length, 2, JSON.stringify(frozen.blocked));
    let srv = await serve(database, school);
    const auditBefore = await count(database, `select count(*)::int as n from audit_log`);

    disk.fill();
    const start = await srv.homeroom.request({ method: 'POST', url: '/api/record-exports', payload: { scope: 'class', classId: school.classId } });
    if (start.statusCode === 507) {
      // Even queueing the export needed space: refused whole, with the clear message.
      assert.match(start.json().error.message, /hết dung lượng đĩa/);
      t.diagnostic('the export request itself was refused: 507 disk_full');
    } else {
      assert.equal(start.statusCode, 202, start.body);
      const id = start.json().id as string;
      const fin = await waitExport(srv.homeroom, id, (s) => s === 'failed');
      assert.match(String(fin.error), /hết dung lượng đĩa|disk full/, `the export names the cause: ${fin.error}`);
      t.diagnostic(`the export job failed: ${fin.error}`);
      assert.doesNotMatch(String(fin.error), /base\/\d+/, 'no internal file names');
    }
    assert.equal(await count(database, `select count(*)::int as n from record_exports where status = 'done'`), 0, 'no export looks finished');
    assert.equal(await count(database, `select count(*)::int as n from record_export_chunks`), 0, 'no half-written ZIP kept');
    assert.equal(await srv.health(), 200);

    disk.free();
    await srv.close();
    await database.close();
    database = await openDatabase({ dataDir });
    assert.ok((await verifyAudit({ database })).ok, 'audit chain verifies after the restart');
    assert.ok((await count(database, `select count(*)::int as n from audit_log`)) >= auditBefore);
    srv = await serve(database, school);
    const again = await srv.homeroom.request({ method: 'POST', url: '/api/record-exports', payload: { scope: 'class', classId: school.classId } });
    assert.equal(again.statusCode, 202, again.body);
    const done = await waitExport(srv.homeroom, again.json().id as string, (s) => s === 'done' || s === 'failed');
    assert.equal(done.status, 'done', String(done.error));
    const zip = await srv.homeroom.request({ method: 'GET', url: done.downloadUrl as string });
    assert.equal(zip.statusCode, 200);
    assert.equal(zip.rawPayload.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'a ZIP');
    assert.ok((await verifyAudit({ database })).ok);
    await srv.close();
  });

  test('backup to a full target: clear error naming the file and "disk full", no file left; works once space is freed', async () => {
    const disk = smallDisk(2);
    cleanup.push(() => disk.remove());
    const database = await openDatabase({ memory: true });
    cleanup.push(() => database.close());
    await makeSchool(database, 'dfb');
    const out = join(disk.dir, 'hocba-backup.hbak');
    const key = { passphrase: 'correct horse battery staple' };
    disk.fill();
    await assert.rejects(
      createBackup({ database, dataDir: null, out, key }),
      (err: Error) => {
        assert.match(err.message, /hết dung lượng đĩa/);
        assert.match(err.message, /disk full/);
        assert.ok(err.message.includes(out), `names the file: ${err.message}`);
        assert.doesNotMatch(err.message, /correct horse/, 'no passphrase in the message');
        return true;
      },
    );
    assert.deepEqual(readdirSync(disk.dir).filter((f) => f !== 'filler.bin'), [], 'no backup file, complete-looking or partial, is left');
    disk.free();
    const manifest = await createBackup({ database, dataDir: null, out, key });
    assert.ok(existsSync(out));
    const verified = await verifyBackup(out, key);
    assert.equal(verified.manifest.contentSha256, manifest.contentSha256);
  });

  test('PostgreSQL with its tablespace on a full disk: 507 disk full, nothing half-done, redone', { skip: postgresSkip() }, async () => {
    const base = process.env.DATABASE_URL!;
    const pw = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gr = execFileSync('id', ['-g', 'postgres']).toString().trim();
    const disk = smallDisk(48, { uid: Number(pw), gid: Number(gr) });
    cleanup.push(() => disk.remove());
    const name = `hocba_diskfull_${process.pid}`;
    const space = `hocba_diskfull_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    cleanup.push(async () => {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await admin.query(`drop tablespace if exists ${space}`).catch(() => undefined);
      await admin.end();
    });
    await admin.query(`create tablespace ${space} location '${disk.dir}'`);
    await admin.query(`create database ${name} tablespace ${space}`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    let database = await openDatabase({ url: u.toString(), poolSize: 4 });
    cleanup.push(() => database.close());
    await importOnFullDisk(
      database,
      disk,
      async () => {
        await database.close();
        database = await openDatabase({ url: u.toString(), poolSize: 4 });
        return database;
      },
      'dfp',
    );
  });
});

/** PostgreSQL is covered when DATABASE_URL points at a server on this machine (the tablespace directory must be local). */
function postgresSkip(): string | false {
  if (skip) return skip;
  const url = process.env.DATABASE_URL;
  if (!url) return 'DATABASE_URL not set';
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return 'the PostgreSQL server is not on this machine (its tablespace must be on a local tmpfs)';
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    return 'no postgres system user on this machine';
  }
  return false;
}
