import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { gradeSheets } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { canEditSheet } from '../../domain/policies/grade-sheet.ts';
import { canTeachClassSubject, type ActorScope } from '../../domain/policies/permissions.ts';
import type { GradeSheet } from '../../server/api-types.ts';
import type { Actor } from '../audit/append-audit.ts';
import { presentSheet } from './get-grade-sheet.ts';
import { presentRow, progress } from './present-sheet.ts';
import { recordGradeEvent } from './record-grade-event.ts';
import { loadSheet, loadSheetForWrite } from './sheet-context.ts';

/** The teacher submits a complete sheet; it locks (changes then need a change request). */
export async function submitSheet(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; sheetId: string }): Promise<GradeSheet> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const ctx = await loadSheetForWrite(tx, opts.sheetId);
    if (!canTeachClassSubject(opts.actor, ctx.classSubjectId)) throw new DomainError('forbidden');
    if (!canEditSheet(opts.actor, ctx.classSubjectId, ctx.lock)) throw new DomainError('grade.locked', { reason: ctx.lock.reason ?? '' });
    // Wholly exempt students need no marks (their average is null by design).
    const incomplete = progress(ctx).complete ? [] : ctx.roster.map((s) => presentRow(ctx, s)).filter((r) => r.exempt !== 'whole_subject' && (r.missing.length > 0 || r.average === null));
    if (incomplete.length) {
      const missing = incomplete.slice(0, 5).map((r) => `${r.fullName}: ${r.missing.join(', ')}`).join('; ') + (incomplete.length > 5 ? ` (+${incomplete.length - 5})` : '');
      throw new DomainError('grade.incomplete', { missing });
    }
    const now = new Date();
    const [sheet] = await tx.update(gradeSheets).set({ status: 'submitted', submittedAt: now, submittedBy: opts.who.userId, reopened: false }).where(eq(gradeSheets.id, ctx.sheet.id)).returning();
    await recordGradeEvent(tx, ctx, { actor: opts.who, action: 'submitted' });
    const after = await loadSheet(tx, sheet!.id);
    return presentSheet(after, opts.actor, 0);
  });
}
