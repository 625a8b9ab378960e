import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { auditLog } from '../../db/schema.ts';

/** The school's audit entries, newest first, paged by seq. Read-only: no service edits the log. */
export async function listAudit(opts: { db: Db; schoolId: string; limit: number; before?: number | undefined }) {
  return inSchool(opts.db, opts.schoolId, (tx) =>
    tx
      .select({
        seq: auditLog.seq,
        at: auditLog.at,
        actor: auditLog.actorLabel,
        action: auditLog.action,
        targetType: auditLog.targetType,
        targetId: auditLog.targetId,
        after: auditLog.after,
      })
      .from(auditLog)
      .where(and(eq(auditLog.chain, `school:${opts.schoolId}`), opts.before ? lt(auditLog.seq, opts.before) : undefined))
      .orderBy(desc(auditLog.seq))
      .limit(opts.limit),
  );
}
