import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { changeRequests } from '../../db/schema.ts';
import { canEditSheet } from '../../domain/policies/grade-sheet.ts';
import { canTeachClassSubject, type ActorScope } from '../../domain/policies/permissions.ts';
import type { GradeSheet } from '../../server/api-types.ts';
import { presentRow, progress } from './present-sheet.ts';
import { assertCanRead, loadSheetByClassSubject, type Semester, type SheetContext } from './sheet-context.ts';

/** A class-subject's sheet for a semester, with averages and what the actor may do. */
export async function getGradeSheet(opts: { db: Db; actor: ActorScope; schoolId: string; classSubjectId: string; semester: Semester }): Promise<GradeSheet> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const ctx = await loadSheetByClassSubject(tx, opts.classSubjectId, opts.semester);
    await assertCanRead(tx, opts.actor, ctx);
    const [pending] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(changeRequests)
      .where(and(eq(changeRequests.sheetId, ctx.sheet.id), eq(changeRequests.status, 'pending')));
    return presentSheet(ctx, opts.actor, Number(pending?.n ?? 0));
  });
}

export function presentSheet(ctx: SheetContext, actor: ActorScope, pendingChangeRequests: number): GradeSheet {
  const teaches = canTeachClassSubject(actor, ctx.classSubjectId);
  const p = progress(ctx);
  const edit = canEditSheet(actor, ctx.classSubjectId, ctx.lock);
  return {
    id: ctx.sheet.id,
    classSubjectId: ctx.classSubjectId,
    className: ctx.className,
    subject: ctx.subject,
    semester: ctx.sheet.semester as Semester,
    teacher: ctx.teacherName,
    regularCount: ctx.regularCount,
    status: ctx.sheet.status === 'submitted' ? 'submitted' : 'open',
    locked: ctx.lock.locked,
    lockReason: ctx.lock.reason,
    deadline: ctx.deadline?.toISOString() ?? null,
    submittedAt: ctx.sheet.submittedAt?.toISOString() ?? null,
    complete: p.complete,
    rows: ctx.roster.map((s) => presentRow(ctx, s)),
    can: { edit, submit: edit && p.complete, requestChange: teaches && ctx.lock.locked, export: true, import: edit },
    pendingChangeRequests,
  };
}
