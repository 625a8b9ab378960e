/**
 * TOTP second factor (RFC 6238, 30 s steps, ±1 step of clock drift). A code is accepted
 * once: the last accepted time step is stored and older or equal steps are refused.
 */
import { eq } from 'drizzle-orm';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { verifyPassword } from './password-hash.ts';

const ISSUER = 'hocba';

/** Checks a code against a secret, refusing replays of an already used time step. */
export async function checkTotp(secret: string, code: string, lastStep: number | null): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const r = await verify({ secret, token, epochTolerance: 30, ...(lastStep !== null ? { afterTimeStep: lastStep } : {}) });
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}

/**
 * Starts set-up: a new pending secret (not active until confirmed with a code). Replacing an
 * active second factor needs the password, so a stolen session cannot re-bind it.
 */
export async function setupTotp(opts: { db: Db; userId: string; password?: string | undefined }): Promise<{ secret: string; otpauthUrl: string }> {
  const [current] = await opts.db.select({ enabled: users.totpEnabled, hash: users.passwordHash }).from(users).where(eq(users.id, opts.userId));
  if (current?.enabled && !(opts.password && (await verifyPassword(current.hash, opts.password)))) throw new DomainError('auth.invalid_credentials');
  const secret = generateSecret();
  const [u] = await opts.db.update(users).set({ totpPendingSecret: secret }).where(eq(users.id, opts.userId)).returning({ username: users.username });
  if (!u) throw new DomainError('not_found', { what: 'user' });
  return { secret, otpauthUrl: generateURI({ issuer: ISSUER, label: u.username, secret }) };
}

/** Confirms set-up with a code from the app; from then on sign-in asks for a code. */
export async function enableTotp(opts: { db: Db; userId: string; code: string }): Promise<void> {
  await inSystem(opts.db, async (tx) => {
    const [u] = await tx.select().from(users).where(eq(users.id, opts.userId));
    if (!u?.totpPendingSecret) throw new DomainError('auth.totp_not_set_up');
    const step = await checkTotp(u.totpPendingSecret, opts.code, null);
    if (step === null) throw new DomainError('auth.totp_invalid');
    await tx
      .update(users)
      .set({ totpSecret: u.totpPendingSecret, totpPendingSecret: null, totpEnabled: true, totpLastStep: step })
      .where(eq(users.id, u.id));
    await appendAudit(tx, { actor: { userId: u.id, label: u.username }, schoolId: null, action: 'auth.totp_enabled', targetType: 'user', targetId: u.id });
  });
}

/** Turns the second factor off (needs the password again). */
export async function disableTotp(opts: { db: Db; userId: string; password: string }): Promise<void> {
  await inSystem(opts.db, async (tx) => {
    const [u] = await tx.select().from(users).where(eq(users.id, opts.userId));
    if (!u || !(await verifyPassword(u.passwordHash, opts.password))) throw new DomainError('auth.invalid_credentials');
    await tx.update(users).set({ totpSecret: null, totpPendingSecret: null, totpEnabled: false, totpLastStep: null }).where(eq(users.id, u.id));
    await appendAudit(tx, { actor: { userId: u.id, label: u.username }, schoolId: null, action: 'auth.totp_disabled', targetType: 'user', targetId: u.id });
  });
}
