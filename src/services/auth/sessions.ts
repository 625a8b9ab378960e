/**
 * Server-side sessions stored in the database (any server instance can serve any
 * request). The cookie holds a random token; the table holds its hash, the CSRF token,
 * the active school and the expiry. Sign-out deletes the row.
 */
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sessions } from '../../db/schema.ts';
import { newToken, tokenId } from './session-token.ts';

/** Idle timeout and absolute lifetime. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export interface SessionRow {
  id: string;
  userId: string;
  csrfToken: string;
  activeSchoolId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export async function createSession(
  db: Db,
  opts: { userId: string; activeSchoolId: string | null; ip?: string | undefined; userAgent?: string | undefined },
): Promise<{ token: string; session: SessionRow }> {
  const token = newToken();
  const now = new Date();
  const [row] = await db
    .insert(sessions)
    .values({
      id: tokenId(token),
      userId: opts.userId,
      csrfToken: newToken(),
      activeSchoolId: opts.activeSchoolId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_MS),
      ip: opts.ip ?? null,
      userAgent: opts.userAgent?.slice(0, 300) ?? null,
    })
    .returning();
  return { token, session: row! };
}

/** The live session for a cookie token, or null (unknown, expired or idle too long). */
export async function findSession(db: Db, token: string): Promise<SessionRow | null> {
  if (!token || token.length > 100) return null;
  const id = tokenId(token);
  const now = new Date();
  const [row] = await db.select().from(sessions).where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)));
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > SESSION_IDLE_MS) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  return row;
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user (password reset, account disabled), optionally keeping one. */
export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Removes expired sessions (called periodically by the server). */
export async function purgeExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  await db.delete(sessions).where(lt(sessions.lastSeenAt, new Date(Date.now() - SESSION_IDLE_MS)));
}

export async function setActiveSchool(db: Db, sessionId: string, schoolId: string | null): Promise<void> {
  await db.update(sessions).set({ activeSchoolId: schoolId }).where(eq(sessions.id, sessionId));
}
