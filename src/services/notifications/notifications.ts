/** A person's in-app notifications (the daily digests): the latest ones, unread count, mark as read. */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { notifications } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { WorkItem } from '../plan/my-work.ts';
import type { Escalation } from './digest-mail.ts';

export interface NotificationView {
  id: string;
  day: string;
  title: string;
  items: WorkItem[];
  escalations: Escalation[];
  emailStatus: string;
  read: boolean;
  createdAt: string;
}

/** The person's latest notifications (30) and how many are unread. E-mail addresses and errors stay server-side. */
export async function listNotifications(opts: { db: Db; actor: ActorScope; schoolId: string }): Promise<{ unread: number; notifications: NotificationView[] }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rows = await tx.select().from(notifications).where(eq(notifications.userId, opts.actor.userId)).orderBy(desc(notifications.day)).limit(30);
    const [u] = await tx.select({ n: sql<number>`count(*)::int` }).from(notifications).where(and(eq(notifications.userId, opts.actor.userId), isNull(notifications.readAt)));
    return {
      unread: Number(u?.n ?? 0),
      notifications: rows.map((r) => ({ id: r.id, day: r.day, title: r.title, items: r.items as WorkItem[], escalations: r.escalations as Escalation[], emailStatus: r.emailStatus, read: r.readAt !== null, createdAt: r.createdAt.toISOString() })),
    };
  });
}

/** Marks one of the person's own notifications read (another person's: not found). */
export async function markNotificationRead(opts: { db: Db; actor: ActorScope; schoolId: string; id: string; now?: Date }): Promise<{ id: string; read: true }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [r] = await tx.update(notifications).set({ readAt: opts.now ?? new Date() }).where(and(eq(notifications.id, opts.id), eq(notifications.userId, opts.actor.userId))).returning({ id: notifications.id });
    if (!r) throw new DomainError('not_found', { what: 'thông báo / notification' });
    return { id: r.id, read: true };
  });
}
