import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { sessions, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { passwordProblem } from '../../domain/policies/password-policy.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { createSession, type SessionRow } from './sessions.ts';

/** Throws auth.weak_password when the policy refuses the password. */
export function assertPasswordAcceptable(password: string, username: string, lang: 'vi' | 'en' = 'vi'): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new DomainError('auth.weak_password', { reason: problem[lang] }, [{ path: 'newPassword', message: problem[lang] }]);
}

/**
 * Changes one's own password. Every session of the user ends and a fresh one is returned,
 * so a stolen session cookie dies with the old password.
 */
export async function changePassword(opts: {
  db: Db;
  userId: string;
  currentPassword: string;
  newPassword: string;
  activeSchoolId: string | null;
  lang?: 'vi' | 'en';
}): Promise<{ token: string; session: SessionRow }> {
  const [u] = await opts.db.select().from(users).where(eq(users.id, opts.userId));
  if (!u || !(await verifyPassword(u.passwordHash, opts.currentPassword))) throw new DomainError('auth.invalid_credentials');
  assertPasswordAcceptable(opts.newPassword, u.username, opts.lang);
  const passwordHash = await hashPassword(opts.newPassword);
  return inSystem(opts.db, async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date() }).where(eq(users.id, u.id));
    await tx.delete(sessions).where(eq(sessions.userId, u.id));
    await appendAudit(tx, { actor: { userId: u.id, label: u.username }, schoolId: null, action: 'auth.password_changed', targetType: 'user', targetId: u.id });
    return createSession(tx as unknown as Db, { userId: u.id, activeSchoolId: opts.activeSchoolId });
  });
}
