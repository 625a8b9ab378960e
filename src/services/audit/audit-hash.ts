/**
 * How an audit entry is hashed. Kept separate so that appending and verifying can never
 * disagree: both call auditHash() on the same fields.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  chain: string;
  seq: number;
  schoolId: string | null;
  /** ISO 8601 UTC with milliseconds, e.g. 2026-06-25T02:19:01.123Z */
  at: string;
  actorUserId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
}

/** JSON with object keys sorted at every level, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) over the canonical JSON of every field, including the previous hash. */
export function auditHash(f: AuditFields): string {
  return createHash('sha256')
    .update(
      canonicalJson([f.chain, f.seq, f.schoolId, f.at, f.actorUserId, f.actorLabel, f.action, f.targetType, f.targetId, f.before ?? null, f.after ?? null, f.prevHash]),
    )
    .digest('hex');
}
