/**
 * A returned record version's reason, who returned it and when (issue 7 point 6), stored with
 * the return so the teachers concerned see "Bị trả lại: <lý do> — <ai>, <khi nào>" in their
 * lists and the record viewer. Notifications (built by the plan area) subscribe with
 * onRecordReturned or read returnsConcerning; nothing here sends anything.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { recordCorrections, recordReturns, recordVersions, schoolYears } from '../../db/schema.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';
import type { RecordReturnView } from '../../server/api-types.ts';
import type { Actor } from '../audit/append-audit.ts';
import { loadRecords } from '../signing/record-facts.ts';

/** A return as lists show it, plus who must act (not sent to the web). */
export interface RecordReturnInfo extends RecordReturnView {
  /** The people who must act: the record's homeroom teacher and subject teachers (user ids). */
  concerned: string[];
}

type ReturnListener = (tx: Tx, info: RecordReturnInfo) => Promise<void> | void;
const listeners: ReturnListener[] = [];

/**
 * Subscribes to returns (the notification area): called inside the returning transaction,
 * so what the listener writes commits with the return. Returns an unsubscribe function.
 */
export function onRecordReturned(listener: ReturnListener): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/** Stores the return of a version (called by returnRecord, in its transaction) and tells the listeners. */
export async function storeRecordReturn(tx: Tx, o: { schoolId: string; versionId: string; fromState: string; reason: string; who: Actor; userId: string; at?: Date }): Promise<RecordReturnInfo> {
  await tx.insert(recordReturns).values({
    schoolId: o.schoolId,
    versionId: o.versionId,
    fromState: o.fromState,
    reason: o.reason,
    returnedBy: o.userId,
    returnedByLabel: o.who.label,
    ...(o.at ? { returnedAt: o.at } : {}),
  });
  const [info] = await presentReturns(tx, [o.versionId]);
  for (const l of listeners) await l(tx, info!);
  return info!;
}

/** Returns of the given versions, shaped for lists (same order as stored, newest first). */
export async function presentReturns(tx: Tx, versionIds: string[]): Promise<RecordReturnInfo[]> {
  if (versionIds.length === 0) return [];
  const rows = await tx.select({ r: recordReturns, v: recordVersions }).from(recordReturns).innerJoin(recordVersions, eq(recordVersions.id, recordReturns.versionId)).where(inArray(recordReturns.versionId, versionIds)).orderBy(desc(recordReturns.returnedAt));
  const recs = await loadRecords(tx, rows.map((x) => x.v));
  const open = await tx
    .select({ id: recordCorrections.id, versionId: recordCorrections.versionId, status: recordCorrections.status })
    .from(recordCorrections)
    .where(and(inArray(recordCorrections.versionId, versionIds), inArray(recordCorrections.status, ['pending', 'approved'])));
  return rows.map(({ r, v }) => {
    const rec = recs.find((x) => x.versionId === v.id)!;
    const snap = v.snapshot as RecordSnapshot;
    const concerned = [...new Set([rec.facts.homeroomTeacherId, ...rec.facts.subjects.map((s) => s.teacherId)].filter((x): x is string => !!x))];
    const c = open.find((x) => x.versionId === v.id);
    return {
      versionId: v.id,
      version: v.version,
      studentId: v.studentId,
      studentName: snap.identity.fullName,
      className: snap.identity.className,
      fromState: r.fromState,
      reason: r.reason,
      returnedBy: r.returnedByLabel,
      returnedAt: r.returnedAt.toISOString(),
      concerned,
      correction: c ? { id: c.id, status: c.status } : null,
    };
  });
}

/**
 * Returned versions of the current school year still waiting for their correction (no newer
 * version yet) that concern the person: their homeroom class or subject rows, or every one
 * for whole-school readers. The plan area's "my work" and notifications read this.
 */
export async function returnsConcerning(opts: { db: Db; actor: ActorScope; schoolId: string }): Promise<RecordReturnInfo[]> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const successor = alias(recordVersions, 'successor');
    const rows = await tx
      .select({ id: recordVersions.id })
      .from(recordReturns)
      .innerJoin(recordVersions, eq(recordVersions.id, recordReturns.versionId))
      .innerJoin(schoolYears, and(eq(schoolYears.id, recordVersions.schoolYearId), eq(schoolYears.isCurrent, true)))
      .leftJoin(successor, eq(successor.supersedesId, recordVersions.id))
      .where(and(eq(recordVersions.state, 'returned'), isNull(successor.id)))
      .limit(2000);
    const all = await presentReturns(tx, rows.map((r) => r.id));
    if (hasPermission(opts.actor.roles, 'classes.read_all')) return all;
    return all.filter((r) => r.concerned.includes(opts.actor.userId));
  });
}

/** The stored return of one version, or null. */
export async function returnOf(tx: Tx, versionId: string): Promise<RecordReturnInfo | null> {
  return (await presentReturns(tx, [versionId]))[0] ?? null;
}
