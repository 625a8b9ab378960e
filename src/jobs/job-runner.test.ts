/**
 * The job runner on pg-boss, on both back ends: a job sent is run by the local worker; a stop
 * in the middle of an export puts it back to waiting (nothing half-written stays), and the
 * next runner's housekeeping resumes it to the end; an export left "running" by a crashed
 * process is picked up again only once its heartbeat is stale.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { recordExportChunks, recordExports } from '../db/schema.ts';
import { loadActor } from '../services/auth/load-actor.ts';
import { runRecordExport } from '../services/records/build-record-export.ts';
import { EXPORT_STALE_MS, exportsToResume, getRecordExport, requestRecordExport } from '../services/records/record-exports.ts';
import { completeAndFreezeClass } from '../services/records/test-fixtures.ts';
import { BACKENDS, freshDatabase } from '../../test/helpers/db.ts';
import { makeSchool, type TestSchool } from '../../test/helpers/factories.ts';
import { createJobRunner, type JobRunner } from './job-runner.ts';

const PUBLIC_URL = 'http://localhost:8080';

for (const kind of BACKENDS) {
  describe(`job runner on pg-boss (${kind})`, { timeout: 300_000 }, () => {
    let database: Database;
    let school: TestSchool;
    const runners: JobRunner[] = [];
    before(async () => {
      database = await freshDatabase(kind);
      school = await makeSchool(database, 'sch');
      const [a, b] = school.studentIds as [string, string];
      await completeAndFreezeClass({ db: database.db, schoolId: school.schoolId, classId: school.classId, studentIds: [a, b], teacherUserId: school.users.subject_teacher.id, homeroomUserId: school.users.homeroom_teacher.id });
    });
    after(async () => {
      for (const r of runners) await r.stop();
      await database.close();
    });

    const request = async () => {
      const actor = await loadActor(database.db, school.users.homeroom_teacher.id, school.schoolId);
      const { export: e } = await requestRecordExport({ db: database.db, actor, who: { userId: actor.userId, label: 'GVCN' }, schoolId: school.schoolId, scope: { kind: 'class', classId: school.classId } });
      return { id: e.id, actor };
    };
    const row = async (id: string) => (await database.db.select().from(recordExports).where(eq(recordExports.id, id)))[0]!;
    const waitFor = async (id: string, statuses: string[]) => {
      for (let i = 0; i < 3000; i++) {
        const r = await row(id);
        if (statuses.includes(r.status)) return r;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error(`export ${id} never reached ${statuses.join('/')}: ${(await row(id)).status}`);
    };

    test('a stop in the middle puts the export back to waiting; the next runner resumes it to the end', async () => {
      const { id, actor } = await request();
      let renderStarted!: () => void;
      const started = new Promise<void>((r) => (renderStarted = r));
      const first = createJobRunner({
        database,
        publicUrl: PUBLIC_URL,
        log: () => undefined,
        housekeeping: [],
        handlers: {
          // Holds the first student's PDF until the runner stops: the stop lands mid-export.
          'records.export': async (p, ctx) => {
            await runRecordExport({
              db: ctx.database.db,
              ...p,
              publicUrl: PUBLIC_URL,
              signal: ctx.signal,
              renderPdf: async () => {
                renderStarted();
                if (!ctx.signal.aborted) await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
                return Buffer.from('%PDF-1.7 stand-in');
              },
            });
          },
        },
      });
      runners.push(first);
      await first.send('records.export', { exportId: id, schoolId: school.schoolId });
      await started;
      assert.equal((await row(id)).status, 'running');
      await first.stop();
      const back = await row(id);
      assert.equal(back.status, 'queued', 'back to waiting');
      assert.equal(back.done, 0);
      const chunks = await database.db.select({ n: sql<number>`count(*)::int` }).from(recordExportChunks).where(eq(recordExportChunks.exportId, id));
      assert.equal(Number(chunks[0]!.n), 0, 'no half-written ZIP left');

      const second = createJobRunner({ database, publicUrl: PUBLIC_URL, log: () => undefined });
      runners.push(second);
      await second.start(); // housekeeping re-queues the waiting export
      const done = await waitFor(id, ['done', 'failed']);
      assert.equal(done.status, 'done', String(done.error));
      assert.equal(done.attempts, 2);
      assert.deepEqual([done.done, done.total, done.fileCount, done.missingCount], [3, 3, 2, 1]);
      const view = await getRecordExport({ db: database.db, actor, schoolId: school.schoolId, exportId: id });
      assert.equal(view.downloadUrl, `/api/record-exports/${id}/download`);
      await second.stop();
    });

    test('an export left running by a crashed worker is resumed only once its heartbeat is stale', async () => {
      const { id } = await request();
      const now = new Date();
      await database.db.update(recordExports).set({ status: 'running', heartbeatAt: now }).where(eq(recordExports.id, id));
      assert.deepEqual((await exportsToResume(database.db, now)).map((e) => e.exportId), [], 'a live worker is left alone');
      assert.equal((await row(id)).status, 'running');
      const later = new Date(now.getTime() + EXPORT_STALE_MS + 1000);
      assert.deepEqual(await exportsToResume(database.db, later), [{ exportId: id, schoolId: school.schoolId }]);
      assert.equal((await row(id)).status, 'queued');
      // A duplicate job for an export already claimed does nothing.
      const outcome = await runRecordExport({ db: database.db, schoolId: school.schoolId, exportId: id, publicUrl: PUBLIC_URL, renderPdf: async () => Buffer.from('%PDF-1.7 stand-in') });
      assert.equal(outcome, 'done');
      assert.equal(await runRecordExport({ db: database.db, schoolId: school.schoolId, exportId: id, publicUrl: PUBLIC_URL }), 'skipped');
    });
  });
}
