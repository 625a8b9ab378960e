/**
 * Bulk exports of records (a class, or the whole school) as one ZIP: asking for one, its
 * progress, the recent ones, and downloading the ZIP. The ZIP itself is built by a job
 * (build-record-export.ts); this file never renders anything.
 */
import { Readable } from 'node:stream';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem, type Tx } from '../../db/scope.ts';
import { classes, recordExportChunks, recordExports, schoolYears, schools } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { RecordExportList, RecordExportStatus, RecordExportView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { canExportClass, canExportSchool, canSeeExport } from './export-policy.ts';

/** How long a finished ZIP is kept before its bytes are purged. */
export const EXPORT_TTL_MS = 7 * 24 * 3600_000;
/** A running export whose worker has not reported for this long was left by a stopped process. */
export const EXPORT_STALE_MS = 10 * 60_000;

export type ExportScope = { kind: 'class'; classId: string } | { kind: 'school' };
export type ExportStatus = RecordExportStatus;

export type { RecordExportView };

const VIEW_COLUMNS = {
  id: recordExports.id,
  scope: recordExports.scope,
  classId: recordExports.classId,
  className: classes.name,
  schoolYear: schoolYears.name,
  status: recordExports.status,
  done: recordExports.done,
  total: recordExports.total,
  fileCount: recordExports.fileCount,
  missingCount: recordExports.missingCount,
  error: recordExports.error,
  fileName: recordExports.fileName,
  sizeBytes: recordExports.sizeBytes,
  sha256: recordExports.sha256,
  requestedBy: recordExports.requestedBy,
  requestedByLabel: recordExports.requestedByLabel,
  createdAt: recordExports.createdAt,
  startedAt: recordExports.startedAt,
  finishedAt: recordExports.finishedAt,
  expiresAt: recordExports.expiresAt,
};

function selectViews(tx: Tx) {
  return tx.select(VIEW_COLUMNS).from(recordExports).innerJoin(schoolYears, eq(schoolYears.id, recordExports.schoolYearId)).leftJoin(classes, eq(classes.id, recordExports.classId));
}

type ViewRow = Awaited<ReturnType<typeof selectViews>>[number];

function present(r: ViewRow, actor: ActorScope): RecordExportView {
  return {
    id: r.id,
    scope: r.scope === 'school' ? 'school' : 'class',
    classId: r.classId,
    className: r.className,
    schoolYear: r.schoolYear,
    status: r.status as ExportStatus,
    done: r.done,
    total: r.total,
    fileCount: r.fileCount,
    missingCount: r.missingCount,
    error: r.error,
    fileName: r.fileName,
    sizeBytes: r.sizeBytes === null ? null : Number(r.sizeBytes),
    sha256: r.sha256,
    requestedBy: r.requestedByLabel,
    mine: r.requestedBy === actor.userId,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt.toISOString(),
    downloadUrl: r.status === 'done' ? `/api/record-exports/${r.id}/download` : null,
  };
}

/** An ASCII file name for the ZIP (the browser may rename it; the Vietnamese names are inside). */
function zipFileName(schoolCode: string, what: string, year: string): string {
  const ascii = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '');
  return `hoc-ba_${ascii(schoolCode)}_${ascii(what)}_${ascii(year)}.zip`;
}

/**
 * Asks for an export (authorised here, audited in the same transaction). The job is queued by
 * the caller after this commits; asking again while the same export is still waiting or
 * running gives that one back instead of a second copy.
 */
export async function requestRecordExport(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; scope: ExportScope; now?: Date }): Promise<{ export: RecordExportView; created: boolean }> {
  const { actor, scope } = opts;
  const allowed = scope.kind === 'school' ? canExportSchool(actor) : canExportClass(actor, scope.classId);
  if (!allowed) throw new DomainError('forbidden');
  const now = opts.now ?? new Date();
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [school] = await tx.select({ code: schools.code }).from(schools).where(eq(schools.id, opts.schoolId));
    let classId: string | null = null;
    let className: string | null = null;
    let year: { id: string; name: string } | undefined;
    if (scope.kind === 'class') {
      const [cls] = await tx
        .select({ id: classes.id, name: classes.name, yearId: schoolYears.id, yearName: schoolYears.name })
        .from(classes)
        .innerJoin(schoolYears, eq(schoolYears.id, classes.schoolYearId))
        .where(eq(classes.id, scope.classId));
      if (!cls) throw new DomainError('not_found', { what: `lớp / class ${scope.classId}` });
      classId = cls.id;
      className = cls.name;
      year = { id: cls.yearId, name: cls.yearName };
    } else {
      [year] = await tx.select({ id: schoolYears.id, name: schoolYears.name }).from(schoolYears).where(eq(schoolYears.isCurrent, true));
      if (!year) throw new DomainError('not_found', { what: 'năm học hiện tại / the current school year' });
    }
    const [active] = await selectViews(tx).where(
      and(
        eq(recordExports.requestedBy, actor.userId),
        eq(recordExports.schoolYearId, year.id),
        classId ? eq(recordExports.classId, classId) : eq(recordExports.scope, 'school'),
        inArray(recordExports.status, ['queued', 'running']),
      ),
    );
    if (active) return { export: present(active, actor), created: false };
    const [row] = await tx
      .insert(recordExports)
      .values({
        schoolId: opts.schoolId,
        requestedBy: actor.userId,
        requestedByLabel: opts.who.label,
        scope: scope.kind,
        classId,
        schoolYearId: year.id,
        fileName: zipFileName(school?.code ?? 'truong', className ?? 'toan-truong', year.name),
        createdAt: now,
        expiresAt: new Date(now.getTime() + EXPORT_TTL_MS),
      })
      .returning({ id: recordExports.id });
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: 'record_export.requested',
      targetType: 'record_export',
      targetId: row!.id,
      after: { scope: scope.kind, classId, className, schoolYear: year.name },
    });
    const [view] = await selectViews(tx).where(eq(recordExports.id, row!.id));
    return { export: present(view!, actor), created: true };
  });
}

/** Notes the queue's job id on the export (after the job was sent). */
export async function noteExportJob(opts: { db: Db; schoolId: string; exportId: string; jobId: string }): Promise<void> {
  await inSchool(opts.db, opts.schoolId, (tx) => tx.update(recordExports).set({ jobId: opts.jobId }).where(eq(recordExports.id, opts.exportId)));
}

/** Marks an export failed before it ran (the queue refused it), audited. */
export async function failExport(opts: { db: Db; schoolId: string; exportId: string; error: string }): Promise<void> {
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    await tx.update(recordExports).set({ status: 'failed', error: opts.error, finishedAt: new Date() }).where(eq(recordExports.id, opts.exportId));
    await appendAudit(tx, { actor: { userId: null, label: 'system' }, schoolId: opts.schoolId, action: 'record_export.failed', targetType: 'record_export', targetId: opts.exportId, after: { error: opts.error } });
  });
}

async function loadVisible(tx: Tx, actor: ActorScope, exportId: string): Promise<ViewRow> {
  const [row] = await selectViews(tx).where(eq(recordExports.id, exportId));
  // Another school's export is invisible (row-level security); someone else's is "not found" too.
  if (!row || !canSeeExport(actor, row)) throw new DomainError('not_found', { what: `lần xuất học bạ / records export ${exportId}` });
  return row;
}

/** One export's progress (404 unless the person asked for it or is the principal). */
export async function getRecordExport(opts: { db: Db; actor: ActorScope; schoolId: string; exportId: string }): Promise<RecordExportView> {
  return inSchool(opts.db, opts.schoolId, async (tx) => present(await loadVisible(tx, opts.actor, opts.exportId), opts.actor));
}

/** The recent exports the person may see (the principal sees everyone's), newest first. */
export async function listRecordExports(opts: { db: Db; actor: ActorScope; schoolId: string; classId?: string | undefined; limit?: number }): Promise<RecordExportList> {
  const { actor } = opts;
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const conds = [];
    if (!actor.roles.has('principal')) conds.push(eq(recordExports.requestedBy, actor.userId));
    if (opts.classId) conds.push(eq(recordExports.classId, opts.classId));
    const rows = await selectViews(tx)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(recordExports.createdAt))
      .limit(opts.limit ?? 20);
    return { exports: rows.map((r) => present(r, actor)), canExportSchool: canExportSchool(actor) };
  });
}

/**
 * Opens a finished export for download: checks who may, audits the download (each one) and
 * gives a stream that reads the ZIP chunk by chunk, each in its own short transaction.
 */
export async function openExportDownload(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; exportId: string }) {
  const meta = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const row = await loadVisible(tx, opts.actor, opts.exportId);
    if (row.status !== 'done') {
      throw new DomainError('not_found', { what: `tệp ZIP của lần xuất ${opts.exportId} (trạng thái ${row.status}) / the ZIP of export ${opts.exportId} (status ${row.status})` });
    }
    const [n] = await tx.select({ count: sql<number>`count(*)::int` }).from(recordExportChunks).where(eq(recordExportChunks.exportId, row.id));
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: 'record_export.downloaded',
      targetType: 'record_export',
      targetId: row.id,
      after: { fileName: row.fileName, sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes), sha256: row.sha256 },
    });
    return { fileName: row.fileName, sizeBytes: Number(row.sizeBytes ?? 0), sha256: row.sha256 ?? '', chunks: Number(n?.count ?? 0) };
  });
  const { db, schoolId, exportId } = opts;
  async function* chunks() {
    for (let seq = 0; seq < meta.chunks; seq++) {
      const [c] = await inSchool(db, schoolId, (tx) =>
        tx.select({ bytes: recordExportChunks.bytes }).from(recordExportChunks).where(and(eq(recordExportChunks.exportId, exportId), eq(recordExportChunks.seq, seq))),
      );
      if (!c) throw new Error(`records export ${exportId}: chunk ${seq} of ${meta.chunks} is missing (purged while downloading?)`);
      yield c.bytes;
    }
  }
  return { ...meta, stream: () => Readable.from(chunks()) };
}

/**
 * Housekeeping, deployment-wide: purges the ZIPs of exports past their expiry (the row stays,
 * as history, with status expired) — audited per export.
 */
export async function purgeExpiredExports(db: Db, now = new Date()): Promise<number> {
  return inSystem(db, async (tx) => {
    const rows = await tx
      .select({ id: recordExports.id, schoolId: recordExports.schoolId })
      .from(recordExports)
      // A failed export's partial chunks were deleted when it failed: only finished ZIPs remain.
      .where(and(lt(recordExports.expiresAt, now), eq(recordExports.status, 'done')))
      .orderBy(asc(recordExports.createdAt))
      // Several instances may purge at once (PostgreSQL): each export is purged, and audited, once.
      .for('update', { skipLocked: true });
    for (const r of rows) {
      await tx.delete(recordExportChunks).where(eq(recordExportChunks.exportId, r.id));
      await tx.update(recordExports).set({ status: 'expired' }).where(eq(recordExports.id, r.id));
      await appendAudit(tx, { actor: { userId: null, label: 'system' }, schoolId: r.schoolId, action: 'record_export.expired', targetType: 'record_export', targetId: r.id });
    }
    return rows.length;
  });
}

/**
 * Exports to (re)queue when a worker starts: those still waiting, and those left running by a
 * worker that stopped reporting (crash, kill) — put back to waiting. Deployment-wide.
 */
export async function exportsToResume(db: Db, now = new Date(), staleMs = EXPORT_STALE_MS): Promise<Array<{ exportId: string; schoolId: string }>> {
  return inSystem(db, async (tx) => {
    await tx
      .update(recordExports)
      .set({ status: 'queued' })
      .where(and(eq(recordExports.status, 'running'), sql`coalesce(${recordExports.heartbeatAt}, ${recordExports.createdAt}) < ${new Date(now.getTime() - staleMs).toISOString()}::timestamptz`));
    const rows = await tx.select({ exportId: recordExports.id, schoolId: recordExports.schoolId }).from(recordExports).where(eq(recordExports.status, 'queued')).orderBy(asc(recordExports.createdAt));
    return rows;
  });
}
