import type { Tx } from '../../db/scope.ts';
import { gradeEvents } from '../../db/schema.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import type { SheetContext } from './sheet-context.ts';

export interface CellChange {
  studentId: string;
  studentName: string;
  column: string;
  old: string | null;
  new: string | null;
}

/** Records a sheet event for its history and in the audit log, in the caller's transaction. */
export async function recordGradeEvent(
  tx: Tx,
  ctx: SheetContext,
  e: { actor: Actor; action: string; reason?: string | null; approvedByLabel?: string | null; changes?: CellChange[] },
): Promise<void> {
  const changes = e.changes ?? [];
  await tx.insert(gradeEvents).values({
    schoolId: ctx.sheet.schoolId,
    sheetId: ctx.sheet.id,
    byUserId: e.actor.userId,
    byLabel: e.actor.label,
    action: e.action,
    reason: e.reason ?? null,
    approvedByLabel: e.approvedByLabel ?? null,
    changes,
  });
  await appendAudit(tx, {
    actor: e.actor,
    schoolId: ctx.sheet.schoolId,
    action: `grades.${e.action}`,
    targetType: 'grade_sheet',
    targetId: ctx.sheet.id,
    after: { class: ctx.className, subject: ctx.subject.code, semester: ctx.sheet.semester, reason: e.reason ?? null, changes },
  });
}
