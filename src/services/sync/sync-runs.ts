/**
 * Sync runs as the IT officer sees and starts them: ask for a run (one queued or running per
 * school), the overview (settings, last runs, counts, rejections grouped by who must fix
 * them), the per-record results, "resubmit after correction", and retrying a failed run.
 * The run itself is done by the 'sync.run' job (run-sync.ts).
 */
import { assertRealSchool } from '../practice/practice-school.ts';
import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, enrolments, homeroomAssignments, recordVersions, schoolYears, staff, students, syncItems, syncRuns } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import type { SyncItemStatus, SyncItemView, SyncOverview, SyncRejectionGroup, SyncRunView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import type { SyncTarget } from './protocol.ts';
import { OWNER_LABELS, rejectionOwner } from './rejection-owners.ts';
import { getSyncSettings } from './sync-settings.ts';

/** A running run whose worker has not reported for this long was left by a stopped process. */
export const SYNC_STALE_MS = 5 * 60_000;
const STATUSES: SyncItemStatus[] = ['queued', 'sending', 'pending', 'accepted', 'rejected', 'invalid'];

function presentRun(r: typeof syncRuns.$inferSelect): SyncRunView {
  return {
    id: r.id,
    target: r.target as SyncTarget,
    trigger: r.trigger,
    requestedBy: r.requestedBy,
    status: r.status as SyncRunView['status'],
    total: r.total,
    done: r.done,
    accepted: r.accepted,
    rejected: r.rejected,
    pending: r.pending,
    invalid: r.invalid,
    batches: r.batches,
    retries: r.retries,
    attempts: r.attempts,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Asks for a sync run of the school to a target (audited). While one is queued or running (any
 * target) that one is returned instead (`created: false`): at most one sync of a school at a time.
 */
export async function requestSyncRun(opts: { db: Db; who: Actor; schoolId: string; target: SyncTarget; trigger: 'manual' | 'resubmit' | 'retry' | 'cli'; resubmitItemIds?: string[] }): Promise<{ run: SyncRunView; created: boolean }> {
  await assertRealSchool(opts.db, opts.schoolId, { vi: 'gửi học bạ lên CSDL ngành hay VNeID', en: 'send records to the national HBS database or VNeID' });
  const settings = await getSyncSettings({ db: opts.db, schoolId: opts.schoolId });
  const s = settings.find((x) => x.target === opts.target)!;
  if (s.source === 'none' || !s.enabled) throw new DomainError('validation', { summary: `chưa cấu hình kết nối ${opts.target === 'hbs' ? 'CSDL học bạ số' : 'VNeID'} (hoặc đang tắt) / the ${opts.target} target is not configured or disabled` });
  try {
    return await inSchool(opts.db, opts.schoolId, async (tx) => {
      const [active] = await tx.select().from(syncRuns).where(and(eq(syncRuns.schoolId, opts.schoolId), inArray(syncRuns.status, ['queued', 'running'])));
      if (active) return { run: presentRun(active), created: false };
      if (opts.resubmitItemIds?.length) await requeueRejected(tx, opts.resubmitItemIds);
      const [row] = await tx.insert(syncRuns).values({ schoolId: opts.schoolId, target: opts.target, trigger: opts.trigger, requestedBy: opts.who.label }).returning();
      await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'sync.requested', targetType: 'sync_run', targetId: row!.id, after: { target: opts.target, trigger: opts.trigger, resubmit: opts.resubmitItemIds?.length ?? 0 } });
      return { run: presentRun(row!), created: true };
    });
  } catch (err) {
    // Two requests at once: the unique index let one through; give the other that run.
    if (/sync_runs_one_active|duplicate key/.test(err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : '')) {
      const [active] = await inSchool(opts.db, opts.schoolId, (tx) => tx.select().from(syncRuns).where(and(eq(syncRuns.schoolId, opts.schoolId), inArray(syncRuns.status, ['queued', 'running']))));
      if (active) return { run: presentRun(active), created: false };
    }
    throw err;
  }
}

/** Rejected items whose version is still the sealed, current one go back to the queue (same key). */
async function requeueRejected(tx: Tx, itemIds: string[]): Promise<void> {
  const rows = await tx
    .select({ id: syncItems.id, state: recordVersions.state, status: syncItems.status })
    .from(syncItems)
    .innerJoin(recordVersions, eq(recordVersions.id, syncItems.versionId))
    .where(inArray(syncItems.id, itemIds));
  if (rows.length !== itemIds.length) throw new DomainError('not_found', { what: 'kết quả đồng bộ / sync result' });
  const bad = rows.find((r) => r.status !== 'rejected' || r.state !== 'sealed');
  if (bad) throw new DomainError('validation', { summary: `chỉ gửi lại được bản bị từ chối và còn hiệu lực / only rejected, current versions can be resubmitted (${bad.status}, ${bad.state})` });
  await tx.update(syncItems).set({ status: 'queued', updatedAt: new Date() }).where(inArray(syncItems.id, itemIds));
}

/** The job id pg-boss gave a run (shown in the jobs list). */
export async function noteSyncJob(opts: { db: Db; schoolId: string; runId: string; jobId: string }): Promise<void> {
  await inSchool(opts.db, opts.schoolId, (tx) => tx.update(syncRuns).set({ jobId: opts.jobId }).where(eq(syncRuns.id, opts.runId)));
}

/** Marks a run failed that could not be queued. */
export async function failSyncRun(opts: { db: Db; schoolId: string; runId: string; error: string }): Promise<void> {
  await inSchool(opts.db, opts.schoolId, (tx) => tx.update(syncRuns).set({ status: 'failed', error: opts.error, finishedAt: new Date() }).where(eq(syncRuns.id, opts.runId)));
}

/** A new run resuming a failed one (only the last run may be retried; it picks up whatever is left). */
export async function retrySyncRun(opts: { db: Db; who: Actor; schoolId: string; runId: string }): Promise<{ run: SyncRunView; created: boolean }> {
  const [r] = await inSchool(opts.db, opts.schoolId, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.id, opts.runId)));
  if (!r) throw new DomainError('not_found', { what: `lượt đồng bộ / sync run ${opts.runId}` });
  if (r.status !== 'failed') throw new DomainError('validation', { summary: `lượt đồng bộ đang "${r.status}", chỉ thử lại được lượt lỗi / only a failed run can be retried` });
  return requestSyncRun({ db: opts.db, who: opts.who, schoolId: opts.schoolId, target: r.target as SyncTarget, trigger: 'retry' });
}

export async function getSyncRun(opts: { db: Db; schoolId: string; runId: string }): Promise<SyncRunView> {
  const [r] = await inSchool(opts.db, opts.schoolId, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.id, opts.runId)));
  if (!r) throw new DomainError('not_found', { what: `lượt đồng bộ / sync run ${opts.runId}` });
  return presentRun(r);
}

/** Runs to (re)start: queued ones, and running ones whose worker stopped reporting (housekeeping). */
export async function syncRunsToResume(db: Db, now = new Date(), staleMs = SYNC_STALE_MS): Promise<Array<{ runId: string; schoolId: string; status: string }>> {
  const rows = await db
    .select({ runId: syncRuns.id, schoolId: syncRuns.schoolId, status: syncRuns.status })
    .from(syncRuns)
    .where(or(eq(syncRuns.status, 'queued'), and(eq(syncRuns.status, 'running'), lt(syncRuns.heartbeatAt, new Date(now.getTime() - staleMs)))));
  return rows;
}


async function itemViews(tx: Tx, where: SQL | undefined, limit: number): Promise<Array<SyncItemView & { classId: string | null; snapshot: unknown }>> {
  const rows = await tx
    .select({
      id: syncItems.id,
      target: syncItems.target,
      versionId: syncItems.versionId,
      status: syncItems.status,
      duplicate: syncItems.duplicate,
      code: syncItems.code,
      message: syncItems.message,
      receiptId: syncItems.receiptId,
      attempts: syncItems.attempts,
      sentAt: syncItems.sentAt,
      resolvedAt: syncItems.resolvedAt,
      version: recordVersions.version,
      versionState: recordVersions.state,
      snapshot: recordVersions.snapshot,
      studentName: students.fullName,
      studentCode: students.studentCode,
      classId: classes.id,
      className: classes.name,
      schoolYear: schoolYears.name,
    })
    .from(syncItems)
    .innerJoin(recordVersions, eq(recordVersions.id, syncItems.versionId))
    .innerJoin(students, eq(students.id, recordVersions.studentId))
    .innerJoin(schoolYears, eq(schoolYears.id, recordVersions.schoolYearId))
    .leftJoin(enrolments, and(eq(enrolments.studentId, recordVersions.studentId), eq(enrolments.schoolYearId, recordVersions.schoolYearId), eq(enrolments.status, 'active')))
    .leftJoin(classes, eq(classes.id, enrolments.classId))
    .where(where)
    .orderBy(classes.name, students.fullName)
    .limit(limit);
  const ids = rows.map((r) => r.versionId);
  const successors = ids.length
    ? await tx
        .select({ supersedesId: recordVersions.supersedesId, id: recordVersions.id, version: recordVersions.version, state: recordVersions.state })
        .from(recordVersions)
        .where(inArray(recordVersions.supersedesId, ids))
    : [];
  const succItems = successors.length ? await tx.select({ versionId: syncItems.versionId, target: syncItems.target, status: syncItems.status }).from(syncItems).where(inArray(syncItems.versionId, successors.map((x) => x.id))) : [];
  const succOf = new Map(successors.map((x) => [x.supersedesId!, x]));
  return rows.map((r) => ({
    id: r.id,
    target: r.target as SyncTarget,
    versionId: r.versionId,
    version: r.version,
    versionState: r.versionState,
    studentName: r.studentName,
    studentCode: r.studentCode,
    classId: r.classId,
    className: r.className,
    schoolYear: r.schoolYear,
    status: r.status as SyncItemStatus,
    duplicate: r.duplicate,
    code: r.code,
    message: r.message,
    receiptId: r.receiptId,
    attempts: r.attempts,
    sentAt: r.sentAt?.toISOString() ?? null,
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    successor: (() => {
      const x = succOf.get(r.versionId);
      if (!x) return null;
      const st = succItems.find((i) => i.versionId === x.id && i.target === r.target);
      return { version: x.version, state: x.state, status: (st?.status as SyncItemStatus | undefined) ?? null };
    })(),
    snapshot: r.snapshot,
  }));
}

const strip = (v: SyncItemView & { classId: string | null; snapshot: unknown }): SyncItemView => {
  const { classId: _c, snapshot: _s, ...rest } = v;
  return rest;
};

/** Per-record results, filtered by target, status or run. */
export async function listSyncItems(opts: { db: Db; schoolId: string; target?: SyncTarget; status?: SyncItemStatus; runId?: string; limit?: number }): Promise<SyncItemView[]> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const where = and(
      eq(syncItems.schoolId, opts.schoolId),
      opts.target ? eq(syncItems.target, opts.target) : undefined,
      opts.status ? eq(syncItems.status, opts.status) : undefined,
      opts.runId ? eq(syncItems.runId, opts.runId) : undefined,
    );
    return (await itemViews(tx, where, Math.min(opts.limit ?? 500, 2000))).map(strip);
  });
}

/** Who fixes a rejected record: its class's GVCN, or the teacher of the subject the message names. */
function fixerOf(owner: SyncRejectionGroup['owner'], item: SyncItemView & { snapshot: unknown }, homerooms: Map<string, string>, classId: string | null): string | null {
  if (owner === 'homeroom') return classId ? (homerooms.get(classId) ?? null) : null;
  if (owner === 'subject_teacher') {
    const subjects = (item.snapshot as { year?: { subjects?: Array<{ code: string; name: string; teacherName: string }> } })?.year?.subjects ?? [];
    const named = subjects.find((s) => item.message?.includes(s.code) || item.message?.includes(s.name));
    return named?.teacherName ?? null;
  }
  return null;
}

/** Everything the IT officer's screen shows at once. */
export async function getSyncOverview(opts: { db: Db; actor: ActorScope; schoolId: string }): Promise<SyncOverview> {
  const settings = await getSyncSettings({ db: opts.db, schoolId: opts.schoolId });
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const runs = await tx.select().from(syncRuns).where(eq(syncRuns.schoolId, opts.schoolId)).orderBy(desc(syncRuns.createdAt)).limit(20);
    const active = runs.find((r) => r.status === 'queued' || r.status === 'running') ?? null;
    const countRows = await tx.select({ target: syncItems.target, status: syncItems.status, n: sql<number>`count(*)::int` }).from(syncItems).groupBy(syncItems.target, syncItems.status);
    const empty = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<SyncItemStatus, number>;
    const counts = { hbs: empty(), vneid: empty() };
    for (const c of countRows) counts[c.target as SyncTarget][c.status as SyncItemStatus] = c.n;
    const [{ waiting }] = (await tx
      .select({ waiting: sql<number>`count(*)::int` })
      .from(recordVersions)
      .where(sql`${recordVersions.state} = 'sealed' and not exists (select 1 from sync_items i where i.version_id = ${recordVersions.id} and i.target = 'hbs' and i.status in ('accepted', 'rejected'))`)) as [{ waiting: number }];
    const rejected = await itemViews(tx, and(eq(syncItems.status, 'rejected')), 1000);
    const homerooms = new Map(
      (await tx.select({ classId: homeroomAssignments.classId, name: staff.fullName }).from(homeroomAssignments).innerJoin(staff, eq(staff.id, homeroomAssignments.staffId))).map((h) => [h.classId, h.name]),
    );
    const groups = new Map<string, SyncRejectionGroup>();
    for (const item of rejected) {
      const code = item.code ?? 'UNKNOWN';
      const owner = rejectionOwner(code);
      const g = groups.get(code) ?? { code, owner, ownerLabel: OWNER_LABELS[owner], count: 0, items: [] };
      g.count++;
      g.items.push({ ...strip(item), fixer: fixerOf(owner, item, homerooms, item.classId) });
      groups.set(code, g);
    }
    return {
      settings,
      active: active ? presentRun(active) : null,
      runs: runs.map(presentRun),
      counts,
      waiting,
      rejections: [...groups.values()].sort((a, b) => a.code.localeCompare(b.code)),
      canManage: hasPermission(opts.actor.roles, 'sync.manage'),
    };
  });
}
