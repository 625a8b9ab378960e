/**
 * The daily plan run for one school (the 'plan.daily' job): snapshot today's progress for the
 * chart, then give every staff member with work due within N days or overdue one digest —
 * in-app and by e-mail — and the principal, in theirs, the work of others overdue by M days
 * or more (escalation). Idempotent by (person, day): running again the same day writes no
 * second digest and sends no second e-mail (it only retries an e-mail that failed).
 */
import { isPracticeSchool } from '../practice/practice-school.ts';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem } from '../../db/scope.ts';
import { notifications, planDailyRuns, roleGrants, staff, users } from '../../db/schema.ts';
import { vnDay, type ReminderSettings } from '../../domain/plan/plan-rules.ts';
import { PLAN_STAGE_LABELS } from '../../domain/plan/plan-template.ts';
import { STAFF_ROLES } from '../../domain/policies/roles.ts';
import { loadActor } from '../auth/load-actor.ts';
import { boardRows, snapshotProgress } from '../plan/plan-board.ts';
import { myWork, type WorkItem } from '../plan/my-work.ts';
import { schoolProgress } from '../plan/plan-progress.ts';
import { getReminderSettings } from './reminder-settings.ts';
import { smtpConfigFor, smtpSender, type SendMail } from './smtp.ts';
import { digestMail, type Escalation } from './digest-mail.ts';

export interface DailyRunReport {
  day: string;
  snapshots: number;
  digests: number;
  emailed: number;
  emailFailed: number;
  skippedExisting: number;
}

/** Runs the day's reminders for a school. `send` replaces SMTP (tests); otherwise the school's / env SMTP is used when configured. */
export async function runDailyReminders(opts: { db: Db; schoolId: string; now: Date; publicUrl: string; send?: SendMail; env?: NodeJS.ProcessEnv }): Promise<DailyRunReport> {
  const { db, schoolId, now } = opts;
  const day = vnDay(now);
  const report: DailyRunReport = { day, snapshots: 0, digests: 0, emailed: 0, emailFailed: 0, skippedExisting: 0 };
  report.snapshots = await snapshotProgress({ db, schoolId, now });
  const settingsView = await getReminderSettings({ db, schoolId, ...(opts.env ? { env: opts.env } : {}) });
  const settings: ReminderSettings = { remindDaysBefore: settingsView.remindDaysBefore, escalateAfterDays: settingsView.escalateAfterDays };

  // Escalation: classes whose stage is overdue by M days or more, with who is late.
  const progress = await schoolProgress(db, schoolId, now);
  const escalations: Escalation[] = boardRows(progress.plan, progress.cells, now)
    .flatMap((r) => r.classes.filter((c) => c.status === 'overdue' && c.daysOverdue >= settings.escalateAfterDays).map((c) => ({ row: r, c })))
    .map(({ row, c }) => ({ stage: row.stage, label: PLAN_STAGE_LABELS[row.stage], grade: row.grade, className: c.className, pending: c.total - c.done, who: [...new Set(c.pending.map((p) => p.who).filter((w): w is string => !!w))].slice(0, 5), dueOn: row.dueOn, daysOverdue: c.daysOverdue }));

  const people = await inSystem(db, (tx) =>
    tx
      .selectDistinct({ userId: users.id, displayName: users.displayName, email: users.email, role: roleGrants.role })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(and(eq(roleGrants.schoolId, schoolId), inArray(roleGrants.role, [...STAFF_ROLES]), isNull(users.disabledAt))),
  );
  const staffEmail = new Map((await inSchool(db, schoolId, (tx) => tx.select({ userId: staff.userId, email: staff.email }).from(staff))).map((s) => [s.userId, s.email]));
  const byUser = new Map<string, { displayName: string; email: string | null; principal: boolean }>();
  for (const p of people) {
    const e = byUser.get(p.userId) ?? { displayName: p.displayName, email: p.email?.trim() || staffEmail.get(p.userId)?.trim() || null, principal: false };
    if (p.role === 'principal') e.principal = true;
    byUser.set(p.userId, e);
  }

  // A practice school never e-mails anyone (its deadlines are rehearsal): in-app only.
  const practice = await isPracticeSchool(db, schoolId);
  const config = opts.send || practice ? null : await inSchool(db, schoolId, (tx) => smtpConfigFor(tx, schoolId, opts.env));
  const sender = config ? smtpSender(config) : null;
  const send: SendMail | null = practice ? null : (opts.send ?? sender?.send ?? null);
  try {
    for (const [userId, person] of byUser) {
      const actor = await loadActor(db, userId, schoolId);
      const work = await myWork({ db, actor, schoolId, now, soonDays: settings.remindDaysBefore });
      const items: WorkItem[] = work.items.filter((i) => i.status === 'overdue' || i.status === 'due_soon');
      const esc = person.principal ? escalations : [];
      if (!items.length && !esc.length) continue;
      const mail = digestMail({ day, name: person.displayName, items, escalations: esc, publicUrl: opts.publicUrl });
      const canMail = !!(send && person.email);
      const [row] = await inSchool(db, schoolId, (tx) =>
        tx
          .insert(notifications)
          .values({ schoolId, userId, day, title: mail.subject, items, escalations: esc, emailStatus: canMail ? 'pending' : 'none', emailTo: canMail ? person.email : null })
          .onConflictDoNothing()
          .returning(),
      );
      let target = row;
      if (!target) {
        report.skippedExisting++;
        // Already written today: only an e-mail that failed is tried again.
        const [existing] = await inSchool(db, schoolId, (tx) => tx.select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.day, day))));
        if (!existing || existing.emailStatus !== 'failed' || !canMail) continue;
        target = existing;
      } else report.digests++;
      if (!canMail) continue;
      try {
        await send!({ to: person.email!, ...mail });
        report.emailed++;
        await inSchool(db, schoolId, (tx) => tx.update(notifications).set({ emailStatus: 'sent', emailedAt: new Date(), emailError: null }).where(eq(notifications.id, target.id)));
      } catch (err) {
        report.emailFailed++;
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
        await inSchool(db, schoolId, (tx) => tx.update(notifications).set({ emailStatus: 'failed', emailError: message }).where(eq(notifications.id, target.id)));
      }
    }
  } finally {
    sender?.close();
  }
  await inSchool(db, schoolId, (tx) =>
    tx.insert(planDailyRuns).values({ schoolId, day, digests: report.digests }).onConflictDoUpdate({ target: [planDailyRuns.schoolId, planDailyRuns.day], set: { ranAt: new Date(), digests: report.digests } }),
  );
  return report;
}
