import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/scope.ts';
import { auditLog } from '../../db/schema.ts';
import { auditHash, GENESIS_HASH, type AuditFields } from './audit-hash.ts';

export interface Actor {
  userId: string | null;
  /** Who, for people reading the log later: "username (Full Name)" or "cli", "system". */
  label: string;
}

export interface AuditEntry {
  actor: Actor;
  /** Null for deployment-wide events (the `system` chain). */
  schoolId: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** The chain an entry belongs to: one per school, plus `system`. */
export function chainOf(schoolId: string | null): string {
  return schoolId ? `school:${schoolId}` : 'system';
}

/**
 * Appends one entry to its chain inside the caller's transaction, so the entry exists
 * exactly when the change it records commits. A transaction-level advisory lock on the
 * chain serialises concurrent writers (PostgreSQL) so seq and prev_hash stay linear.
 */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
  const chain = chainOf(entry.schoolId);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${chain}))`);
  const last = await tx.execute<{ seq: string; hash: string }>(
    // Order by the column, not the text alias `seq` (ORDER BY prefers an output column's name).
    sql`select seq::text as seq, hash from audit_log where chain = ${chain} order by audit_log.seq desc limit 1`,
  );
  const prev = last.rows[0];
  const fields: AuditFields = {
    chain,
    seq: prev ? Number(prev.seq) + 1 : 1,
    schoolId: entry.schoolId,
    at: new Date().toISOString(),
    actorUserId: entry.actor.userId,
    actorLabel: entry.actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    before: normalise(entry.before),
    after: normalise(entry.after),
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  const hash = auditHash(fields);
  await tx.insert(auditLog).values({ ...fields, before: fields.before ?? null, after: fields.after ?? null, hash });
  return { seq: fields.seq, hash };
}

/** Round-trips through JSON so what is hashed is exactly what jsonb will give back (dates → strings, undefined dropped). */
function normalise(v: unknown): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}
