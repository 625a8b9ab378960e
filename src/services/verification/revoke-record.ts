/**
 * Revoking a sealed record version (thu hồi học bạ) — the principal, with a written reason.
 * The version stays stored and verifiable; from now on the status list and every
 * verification report say "revoked" with the reason and date. Audited in the same
 * transaction; a revocation is final (the table is append-only).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { recordRevocations, recordVersions } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import type { RecordRevocationView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { forgetStatusList } from './publish-status.ts';

/** Revokes a sealed (or superseded) version; validation for a short reason or an unsealed version, conflict when already revoked. */
export async function revokeRecordVersion(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; versionId: string; reason: string; now?: Date }): Promise<RecordRevocationView> {
  if (!hasPermission(opts.actor.roles, 'records.revoke')) throw new DomainError('forbidden');
  const reason = opts.reason.normalize('NFC').trim();
  if (reason.length < 5 || reason.length > 1000) throw new DomainError('validation', { summary: 'reason: 5–1000 characters' }, [{ path: 'reason', message: 'Lý do thu hồi: 5–1000 ký tự. / Reason: 5–1000 characters.' }]);
  const now = opts.now ?? new Date();
  const out = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [v] = await tx.select().from(recordVersions).where(eq(recordVersions.id, opts.versionId)).for('update');
    if (!v) throw new DomainError('not_found', { what: 'phiên bản học bạ / record version' });
    if (v.state !== 'sealed' && v.state !== 'superseded') throw new DomainError('validation', { summary: `only a sealed record can be revoked (version ${v.version} is ${v.state})` });
    const [already] = await tx.select({ id: recordRevocations.id }).from(recordRevocations).where(eq(recordRevocations.versionId, v.id));
    if (already) throw new DomainError('conflict', { what: 'Quyết định thu hồi học bạ này / The revocation of this record' });
    await tx.insert(recordRevocations).values({ schoolId: opts.schoolId, versionId: v.id, reason, revokedAt: now, revokedBy: opts.who.userId!, revokedByLabel: opts.who.label });
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'record.revoked', targetType: 'record_version', targetId: v.id, before: { state: v.state }, after: { revoked: true, reason, version: v.version, digest: v.digest } });
    return { versionId: v.id, reason, revokedAt: now.toISOString(), revokedBy: opts.who.label };
  });
  forgetStatusList(opts.schoolId);
  return out;
}
