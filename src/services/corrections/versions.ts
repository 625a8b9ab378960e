/**
 * The chain of a record's versions (issue 8 point 5): a correction's new version points at
 * the one it replaces (record_versions.supersedes_id = old.id), so the successor of v1 is the
 * row whose supersedes_id = v1.id. The old version becomes 'superseded' only when its
 * successor is SEALED, in the seal's own transaction; until then it keeps its state (sealed
 * or returned) and stays the valid one. Issued copies and sync results of a superseded
 * version are flagged by the areas that own them, from this state and pointer.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { recordVersions } from '../../db/schema.ts';

export interface VersionLink {
  id: string;
  version: number;
  state: string;
}

const linkColumns = { id: recordVersions.id, version: recordVersions.version, state: recordVersions.state };

/** The version that replaces `versionId` (its supersedes_id points here), or null. */
export async function successorOf(tx: Tx, versionId: string): Promise<VersionLink | null> {
  const [row] = await tx.select(linkColumns).from(recordVersions).where(eq(recordVersions.supersedesId, versionId)).orderBy(asc(recordVersions.version)).limit(1);
  return row ?? null;
}

/** The version `versionId` replaces, or null for a first version. */
export async function predecessorOf(tx: Tx, versionId: string): Promise<VersionLink | null> {
  const [v] = await tx.select({ supersedesId: recordVersions.supersedesId }).from(recordVersions).where(eq(recordVersions.id, versionId));
  if (!v?.supersedesId) return null;
  const [row] = await tx.select(linkColumns).from(recordVersions).where(eq(recordVersions.id, v.supersedesId));
  return row ?? null;
}

/** successorOf / predecessorOf for callers holding a Db rather than a transaction. */
export async function versionLinks(opts: { db: Db; schoolId: string; versionId: string }): Promise<{ successor: VersionLink | null; predecessor: VersionLink | null }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => ({ successor: await successorOf(tx, opts.versionId), predecessor: await predecessorOf(tx, opts.versionId) }));
}

/**
 * Called in the transaction that seals `sealedVersionId`: every earlier version of the chain
 * that is not superseded yet becomes 'superseded' — the sealed v1 a correction replaces, and
 * a v2 that was returned before v3 was sealed. Returns the ids it changed. Idempotent.
 */
export async function supersedePredecessors(tx: Tx, sealedVersionId: string): Promise<string[]> {
  const changed: string[] = [];
  const seen = new Set([sealedVersionId]);
  let prev = await predecessorOf(tx, sealedVersionId);
  while (prev && !seen.has(prev.id)) {
    seen.add(prev.id);
    if (prev.state !== 'superseded') {
      await tx.update(recordVersions).set({ state: 'superseded' }).where(eq(recordVersions.id, prev.id));
      changed.push(prev.id);
    }
    prev = await predecessorOf(tx, prev.id);
  }
  return changed;
}

/** Every version of a student's record for the version's school year, oldest first, with its successor. */
export async function versionChain(tx: Tx, versionId: string): Promise<Array<VersionLink & { supersedesId: string | null; successorId: string | null; frozenAt: Date }>> {
  const [v] = await tx.select({ studentId: recordVersions.studentId, schoolYearId: recordVersions.schoolYearId }).from(recordVersions).where(eq(recordVersions.id, versionId));
  if (!v) return [];
  const rows = await tx
    .select({ ...linkColumns, supersedesId: recordVersions.supersedesId, frozenAt: recordVersions.frozenAt })
    .from(recordVersions)
    .where(and(eq(recordVersions.studentId, v.studentId), eq(recordVersions.schoolYearId, v.schoolYearId)))
    .orderBy(asc(recordVersions.version));
  return rows.map((r) => ({ ...r, successorId: rows.find((x) => x.supersedesId === r.id)?.id ?? null }));
}
