/**
 * The export service without HTTP, on both back ends: a PDF that cannot be rendered is listed
 * in the manifest with the error (the export still finishes), a failure of the job itself is
 * recorded with its reason and audited, asking twice gives the waiting export back, and an
 * expired ZIP is purged (the row stays, as history).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import type { Database } from '../../db/client.ts';
import { recordExportChunks, recordExports } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import { BACKENDS, freshDatabase } from '../../../test/helpers/db.ts';
import { makeSchool, type TestSchool } from '../../../test/helpers/factories.ts';
import { loadActor } from '../auth/load-actor.ts';
import { runRecordExport } from './build-record-export.ts';
import { EXPORT_TTL_MS, openExportDownload, purgeExpiredExports, requestRecordExport } from './record-exports.ts';
import { completeAndFreezeClass } from './test-fixtures.ts';

const PUBLIC_URL = 'http://localhost:8080';
const FAKE_PDF = Buffer.from('%PDF-1.7 stand-in');

for (const kind of BACKENDS) {
  describe(`records export service (${kind})`, { timeout: 300_000 }, () => {
    let database: Database;
    let school: TestSchool;
    let principal: ActorScope;
    const who = { userId: null, label: 'Hiệu trưởng (test)' };
    before(async () => {
      database = await freshDatabase(kind);
      school = await makeSchool(database, 'sch');
      const [a, b] = school.studentIds as [string, string];
      await completeAndFreezeClass({ db: database.db, schoolId: school.schoolId, classId: school.classId, studentIds: [a, b], teacherUserId: school.users.subject_teacher.id, homeroomUserId: school.users.homeroom_teacher.id });
      principal = await loadActor(database.db, school.users.principal.id, school.schoolId);
    });
    after(() => database.close());

    const request = async () =>
      (await requestRecordExport({ db: database.db, actor: principal, who: { ...who, userId: principal.userId }, schoolId: school.schoolId, scope: { kind: 'class', classId: school.classId } })).export;
    const zipOf = async (exportId: string) => {
      const d = await openExportDownload({ db: database.db, actor: principal, who: { ...who, userId: principal.userId }, schoolId: school.schoolId, exportId });
      const parts: Buffer[] = [];
      for await (const chunk of d.stream()) parts.push(chunk as Buffer);
      return unzipSync(Buffer.concat(parts));
    };

    test('asking again while an export waits gives the same export back', async () => {
      const one = await requestRecordExport({ db: database.db, actor: principal, who, schoolId: school.schoolId, scope: { kind: 'school' } });
      const two = await requestRecordExport({ db: database.db, actor: principal, who, schoolId: school.schoolId, scope: { kind: 'school' } });
      assert.equal(one.created, true);
      assert.equal(two.created, false);
      assert.equal(two.export.id, one.export.id);
      assert.equal(one.export.fileName, 'hoc-ba_SCH_toan-truong_2025-2026.zip');
      await runRecordExport({ db: database.db, schoolId: school.schoolId, exportId: one.export.id, publicUrl: PUBLIC_URL, renderPdf: async () => FAKE_PDF });
    });

    test('a PDF that cannot be rendered is listed with the error; the others are exported', async () => {
      const e = await request();
      const [a] = school.studentIds as [string];
      let calls = 0;
      const outcome = await runRecordExport({
        db: database.db,
        schoolId: school.schoolId,
        exportId: e.id,
        publicUrl: PUBLIC_URL,
        renderPdf: async (v) => {
          calls++;
          if (v.xml.includes('Nguyễn Văn An')) throw new Error('font Tinos not found');
          return FAKE_PDF;
        },
      });
      assert.equal(outcome, 'done');
      assert.equal(calls, 2);
      const files = await zipOf(e.id);
      const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8'));
      const failed = manifest.missing.find((m: { studentId: string }) => m.studentId === a);
      assert.equal(failed.reason, 'render_failed');
      assert.equal(failed.message.vi, 'Không tạo được PDF của bản v1: font Tinos not found');
      assert.deepEqual(manifest.counts, { students: 3, records: 1, missing: 2 });
      assert.equal(Object.keys(files).filter((n) => n.endsWith('.pdf')).length, 1);
    });

    test('a failing job is marked failed with its reason, audited, and leaves no ZIP', async () => {
      const e = await request();
      const outcome = await runRecordExport({ db: database.db, schoolId: school.schoolId, exportId: e.id, publicUrl: PUBLIC_URL, renderPdf: async () => 42 as unknown as Buffer });
      assert.equal(outcome, 'failed');
      const [r] = await database.db.select().from(recordExports).where(eq(recordExports.id, e.id));
      assert.equal(r!.status, 'failed');
      assert.match(r!.error!, /^Không tạo được tệp ZIP \/ could not build the ZIP: /);
      const chunks = await database.db.select({ n: sql<number>`count(*)::int` }).from(recordExportChunks).where(eq(recordExportChunks.exportId, e.id));
      assert.equal(Number(chunks[0]!.n), 0);
      const audit = await database.query<{ action: string }>(`select action from audit_log where target_id = $1 order by seq`, [e.id]);
      assert.deepEqual(audit.map((x) => x.action), ['record_export.requested', 'record_export.failed']);
      await assert.rejects(zipOf(e.id), (err: unknown) => err instanceof DomainError && err.code === 'not_found');
    });

    test('an expired ZIP is purged: the export stays listed as expired, the download is gone', async () => {
      const e = await request();
      assert.equal(await runRecordExport({ db: database.db, schoolId: school.schoolId, exportId: e.id, publicUrl: PUBLIC_URL, renderPdf: async () => FAKE_PDF }), 'done');
      assert.ok(Object.keys(await zipOf(e.id)).includes('SHA256SUMS'));
      const created = new Date(e.createdAt).getTime();
      assert.equal(await purgeExpiredExports(database.db, new Date(created + EXPORT_TTL_MS - 60_000)), 0, 'not yet');
      assert.ok((await purgeExpiredExports(database.db, new Date(created + EXPORT_TTL_MS + 60_000))) >= 1);
      const [r] = await database.db.select().from(recordExports).where(eq(recordExports.id, e.id));
      assert.equal(r!.status, 'expired');
      const chunks = await database.db.select({ n: sql<number>`count(*)::int` }).from(recordExportChunks).where(eq(recordExportChunks.exportId, e.id));
      assert.equal(Number(chunks[0]!.n), 0);
      await assert.rejects(zipOf(e.id), (err: unknown) => err instanceof DomainError && err.code === 'not_found');
      const audit = await database.query<{ n: number }>(`select count(*)::int as n from audit_log where target_id = $1 and action = 'record_export.expired'`, [e.id]);
      assert.equal(audit[0]!.n, 1);
    });
  });
}
