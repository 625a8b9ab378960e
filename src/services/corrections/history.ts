/**
 * A record's version history for the record viewer: every version of the student's year,
 * its state, what it replaces and what replaced it, why it was returned, and its correction
 * requests — so "v1 đã được thay bằng v2" links to v2 and a returned version shows its reason.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { enrolments, recordVersions } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadStudentRecord, type ActorScope } from '../../domain/policies/permissions.ts';
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';
import type { VersionHistory, VersionHistoryEntry } from '../../server/api-types.ts';
import { listCorrections } from './corrections.ts';
import { presentReturns } from './returns.ts';
import { versionChain } from './versions.ts';

export type { VersionHistory, VersionHistoryEntry };

/** The history around one version (readable by whoever may read the student's record). */
export async function versionHistory(opts: { db: Db; actor: ActorScope; schoolId: string; versionId: string }): Promise<VersionHistory> {
  let subjects: VersionHistory['subjects'] = [];
  const chain = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [v] = await tx.select({ studentId: recordVersions.studentId, snapshot: recordVersions.snapshot }).from(recordVersions).where(eq(recordVersions.id, opts.versionId));
    if (!v) throw new DomainError('not_found', { what: 'bản học bạ / record version' });
    const [e] = await tx.select({ classId: enrolments.classId }).from(enrolments).where(and(eq(enrolments.studentId, v.studentId), eq(enrolments.status, 'active')));
    if (!canReadStudentRecord(opts.actor, v.studentId, e?.classId ?? null)) throw new DomainError('forbidden');
    subjects = (v.snapshot as RecordSnapshot).year.subjects.map((r) => ({ code: r.code, name: r.name }));
    const rows = await versionChain(tx, opts.versionId);
    const returns = await presentReturns(tx, rows.map((r) => r.id));
    return rows.map((r) => {
      const ret = returns.find((x) => x.versionId === r.id);
      let returned: VersionHistoryEntry['returned'] = null;
      if (ret) {
        const { concerned: _omit, ...rest } = ret;
        returned = rest;
      }
      return { versionId: r.id, version: r.version, state: r.state, frozenAt: r.frozenAt.toISOString(), supersedesId: r.supersedesId, successorId: r.successorId, returned };
    });
  });
  // Corrections are everyone's business who may read the record: the list is not narrowed to one's own.
  const corrections = await listCorrections({ db: opts.db, actor: opts.actor, everyone: true, schoolId: opts.schoolId, versionIds: chain.map((c) => c.versionId) });
  return { versionId: opts.versionId, versions: chain, corrections, subjects };
}
