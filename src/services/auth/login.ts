/**
 * Password sign-in with lock-out: after MAX_FAILURES wrong attempts in a row the account
 * is locked for LOCK_MINUTES (the lock and every failure are audited). A correct password
 * on an account with TOTP needs the code as well. A new session is created on every
 * sign-in (never reusing an earlier session id: no session fixation).
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { roleGrants, schools as schoolsTable, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { dummyHash, verifyPassword } from './password-hash.ts';
import { createSession, type SessionRow } from './sessions.ts';
import { checkTotp } from './totp.ts';

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

export interface LoginInput {
  db: Db;
  username: string;
  password: string;
  totp?: string | undefined;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** Checks the credentials and opens a session, or throws auth.* naming what failed. */
export async function login(input: LoginInput): Promise<{ token: string; session: SessionRow }> {
  const username = input.username.trim().toLowerCase();
  const [user] = await input.db.select().from(users).where(eq(users.username, username));
  if (!user) {
    await verifyPassword(await dummyHash(), input.password);
    throw new DomainError('auth.invalid_credentials');
  }
  const actor = { userId: user.id, label: user.username };
  const now = new Date();
  if (user.lockedUntil && user.lockedUntil > now) {
    throw new DomainError('auth.locked', { until: formatVnTime(user.lockedUntil) });
  }
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  let totpStep: number | null = null;
  let failure: 'password' | 'totp' | null = passwordOk ? null : 'password';
  if (passwordOk && user.totpEnabled && user.totpSecret) {
    if (!input.totp) throw new DomainError('auth.totp_required');
    totpStep = await checkTotp(user.totpSecret, input.totp, user.totpLastStep);
    if (totpStep === null) failure = 'totp';
  }
  if (failure) {
    const lockedUntil = await inSystem(input.db, async (tx) => {
      const [u] = await tx
        .update(users)
        .set({ failedLogins: sql`${users.failedLogins} + 1` })
        .where(eq(users.id, user.id))
        .returning({ failed: users.failedLogins });
      const failed = u?.failed ?? 0;
      let until: Date | null = null;
      if (failed >= MAX_FAILURES) {
        until = new Date(now.getTime() + LOCK_MINUTES * 60_000);
        await tx.update(users).set({ lockedUntil: until, failedLogins: 0 }).where(eq(users.id, user.id));
      }
      await appendAudit(tx, {
        actor,
        schoolId: null,
        action: until ? 'auth.locked' : 'auth.login_failed',
        targetType: 'user',
        targetId: user.id,
        after: { reason: failure, failedAttempts: failed, ip: input.ip ?? null, ...(until ? { lockedUntil: until.toISOString() } : {}) },
      });
      return until;
    });
    if (lockedUntil) throw new DomainError('auth.locked', { until: formatVnTime(lockedUntil) });
    throw new DomainError(failure === 'totp' ? 'auth.totp_invalid' : 'auth.invalid_credentials');
  }
  if (user.disabledAt) throw new DomainError('auth.disabled');

  return inSystem(input.db, async (tx) => {
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
    if (totpStep !== null) {
      // Two sign-ins racing with one code: only the first moves the step forward.
      const took = await tx
        .update(users)
        .set({ totpLastStep: totpStep })
        .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, totpStep))))
        .returning({ id: users.id });
      if (!took.length) throw new DomainError('auth.totp_invalid');
    }
    const schools = await tx
      .selectDistinct({ schoolId: roleGrants.schoolId, practice: sql<boolean>`${schoolsTable.practiceOfSchoolId} is not null` })
      .from(roleGrants)
      .leftJoin(schoolsTable, eq(schoolsTable.id, roleGrants.schoolId))
      .where(eq(roleGrants.userId, user.id));
    // One school: work in it. Several: the first real one (the person can switch; a practice
    // school is never where a sign-in lands). None: system roles only.
    const schoolIds = schools
      .filter((s): s is { schoolId: string; practice: boolean } => !!s.schoolId)
      .sort((a, b) => Number(a.practice) - Number(b.practice) || a.schoolId.localeCompare(b.schoolId))
      .map((s) => s.schoolId);
    const activeSchoolId = schoolIds[0] ?? null;
    const created = await createSession(tx as unknown as Db, { userId: user.id, activeSchoolId, ip: input.ip, userAgent: input.userAgent });
    await appendAudit(tx, { actor, schoolId: null, action: 'auth.login', targetType: 'user', targetId: user.id, after: { ip: input.ip ?? null } });
    return created;
  });
}

/** "19:05 28/11/2026" in Vietnam time (UTC+7, no daylight saving). */
export function formatVnTime(d: Date): string {
  const vn = new Date(d.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(vn.getUTCHours())}:${p(vn.getUTCMinutes())} ${p(vn.getUTCDate())}/${p(vn.getUTCMonth() + 1)}/${vn.getUTCFullYear()}`;
}
