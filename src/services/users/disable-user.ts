import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { sessions, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

/** Disables (or re-enables) an account. Disabling ends its sessions at once. Accounts are never deleted: the audit log names them. */
export async function setUserDisabled(opts: { db: Db; actor: Actor; userId: string; schoolId: string | null; disabled: boolean }): Promise<void> {
  await inSystem(opts.db, async (tx) => {
    const [u] = await tx
      .update(users)
      .set({ disabledAt: opts.disabled ? new Date() : null })
      .where(eq(users.id, opts.userId))
      .returning({ id: users.id });
    if (!u) throw new DomainError('not_found', { what: 'user' });
    if (opts.disabled) await tx.delete(sessions).where(eq(sessions.userId, u.id));
    await appendAudit(tx, { actor: opts.actor, schoolId: opts.schoolId, action: opts.disabled ? 'user.disabled' : 'user.enabled', targetType: 'user', targetId: u.id });
  });
}

/** Finds a user id by username (CLI). */
export async function findUserId(db: Db, username: string): Promise<string> {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, username.trim().toLowerCase()));
  if (!u) throw new DomainError('not_found', { what: `user "${username}"` });
  return u.id;
}
