import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { gradeEvents } from '../../db/schema.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { GradeHistoryEntry } from '../../server/api-types.ts';
import { assertCanRead, loadSheet } from './sheet-context.ts';

/** The sheet's history: who, when, why, old → new, and who approved. */
export async function sheetHistory(opts: { db: Db; actor: ActorScope; schoolId: string; sheetId: string }): Promise<GradeHistoryEntry[]> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const ctx = await loadSheet(tx, opts.sheetId);
    await assertCanRead(tx, opts.actor, ctx);
    const rows = await tx.select().from(gradeEvents).where(eq(gradeEvents.sheetId, ctx.sheet.id)).orderBy(asc(gradeEvents.at));
    return rows.map((r) => ({
      at: r.at.toISOString(),
      by: r.byLabel,
      action: r.action as GradeHistoryEntry['action'],
      reason: r.reason,
      approvedBy: r.approvedByLabel,
      changes: (r.changes as GradeHistoryEntry['changes']).map(({ studentName, column, old, new: n }) => ({ studentName, column, old, new: n })),
    }));
  });
}
