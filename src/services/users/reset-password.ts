import { eq } from 'drizzle-orm';
import { randomInt } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { sessions, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { assertPasswordAcceptable } from '../auth/change-password.ts';
import { hashPassword } from '../auth/password-hash.ts';

/** A temporary password that is easy to read out over the phone (no 0/O, 1/l). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const group = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${group()}-${group()}-${group()}`;
}

/**
 * Sets a new password for someone else (administrator or CLI). The person must change it
 * at next sign-in; their sessions end and any lock is lifted.
 */
export async function resetPassword(opts: { db: Db; actor: Actor; userId: string; schoolId: string | null; newPassword?: string }): Promise<{ password: string }> {
  const [u] = await opts.db.select({ id: users.id, username: users.username }).from(users).where(eq(users.id, opts.userId));
  if (!u) throw new DomainError('not_found', { what: 'user' });
  const password = opts.newPassword ?? temporaryPassword();
  assertPasswordAcceptable(password, u.username);
  const passwordHash = await hashPassword(password);
  await inSystem(opts.db, async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null }).where(eq(users.id, u.id));
    await tx.delete(sessions).where(eq(sessions.userId, u.id));
    await appendAudit(tx, { actor: opts.actor, schoolId: opts.schoolId, action: 'user.password_reset', targetType: 'user', targetId: u.id });
  });
  return { password };
}
