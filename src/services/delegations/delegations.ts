/**
 * Delegations of the principal's approval signature to a vice principal ("KT. Hiệu trưởng –
 * Phó Hiệu trưởng"): the principal records the decision number, the grades it covers (none:
 * all) and its validity dates; revoking keeps the row (signatures made under it name it).
 * The signing rules (domain/record/delegation.ts) decide whether one can be used.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { delegations, roleGrants, staff } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { delegationInputProblems } from '../../domain/record/delegation.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import type { DelegationView } from '../../server/api-types.ts';

export type { DelegationView };

type Row = typeof delegations.$inferSelect;
const present = (d: Row, name: string | null): DelegationView => ({
  id: d.id,
  principalUserId: d.principalUserId,
  delegateUserId: d.delegateUserId,
  delegateName: name,
  decisionNumber: d.decisionNumber,
  grades: d.grades,
  validFrom: d.validFrom,
  validTo: d.validTo,
  revokedAt: d.revokedAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});

/** Records a delegation (principal only; the delegate must be a vice principal of the school). Audited. */
export async function createDelegation(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; input: { delegateUserId: string; decisionNumber: string; grades: number[]; validFrom: string; validTo: string } }): Promise<DelegationView> {
  if (!hasPermission(opts.actor.roles, 'delegations.manage')) throw new DomainError('forbidden');
  const input = { ...opts.input, decisionNumber: opts.input.decisionNumber.normalize('NFC').trim(), grades: [...new Set(opts.input.grades)].sort() };
  const problems = delegationInputProblems(input);
  if (problems.length) throw new DomainError('delegation.invalid', { fields: problems.join(', ') });
  // Role grants are deployment-wide (not under the school scope), read like loadActor does.
  const [grant] = await opts.db.select({ id: roleGrants.id }).from(roleGrants).where(and(eq(roleGrants.userId, input.delegateUserId), eq(roleGrants.schoolId, opts.schoolId), eq(roleGrants.role, 'vice_principal')));
  if (!grant) throw new DomainError('delegation.invalid', { fields: 'delegateUserId (not a vice principal of this school)' });
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [d] = await tx.insert(delegations).values({ schoolId: opts.schoolId, principalUserId: opts.actor.userId, ...input }).returning();
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'delegation.created', targetType: 'delegation', targetId: d!.id, after: { delegateUserId: d!.delegateUserId, decisionNumber: d!.decisionNumber, grades: d!.grades, validFrom: d!.validFrom, validTo: d!.validTo } });
    const [s] = await tx.select({ name: staff.fullName }).from(staff).where(eq(staff.userId, d!.delegateUserId));
    return present(d!, s?.name ?? null);
  });
}

/** The school's delegations (principal), or those one holds (vice principal); newest first. */
export async function listDelegations(opts: { db: Db; actor: ActorScope; schoolId: string }): Promise<DelegationView[]> {
  const all = hasPermission(opts.actor.roles, 'delegations.manage');
  if (!all && !hasPermission(opts.actor.roles, 'delegations.read')) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rows = await tx
      .select({ d: delegations, name: staff.fullName })
      .from(delegations)
      .leftJoin(staff, eq(staff.userId, delegations.delegateUserId))
      .where(all ? undefined : eq(delegations.delegateUserId, opts.actor.userId))
      .orderBy(desc(delegations.createdAt));
    return rows.map((r) => present(r.d, r.name));
  });
}

/** Revokes a delegation from now on (principal only). Audited; revoking twice is refused. */
export async function revokeDelegation(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; delegationId: string; now?: Date }): Promise<DelegationView> {
  if (!hasPermission(opts.actor.roles, 'delegations.manage')) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [d] = await tx.select().from(delegations).where(eq(delegations.id, opts.delegationId)).for('update');
    if (!d) throw new DomainError('not_found', { what: 'ủy quyền / delegation' });
    if (d.revokedAt) throw new DomainError('conflict', { what: 'Việc thu hồi ủy quyền / The revocation' });
    const [u] = await tx.update(delegations).set({ revokedAt: opts.now ?? new Date() }).where(eq(delegations.id, d.id)).returning();
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'delegation.revoked', targetType: 'delegation', targetId: d.id, before: { revokedAt: null }, after: { revokedAt: u!.revokedAt!.toISOString(), decisionNumber: d.decisionNumber } });
    const [s] = await tx.select({ name: staff.fullName }).from(staff).where(eq(staff.userId, d.delegateUserId));
    return present(u!, s?.name ?? null);
  });
}
