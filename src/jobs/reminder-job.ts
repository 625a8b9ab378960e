/**
 * The daily plan job ('plan.daily'): for one school, snapshot progress and send the day's
 * reminder digests (services/notifications/daily-reminders.ts). Housekeeping (every few
 * minutes) queues it for each school that has not had its run today, from 06:00 Vietnam time
 * so the digest arrives in the morning; a second job the same day changes nothing.
 */
import { eq, isNull } from 'drizzle-orm';
import { inSystem } from '../db/scope.ts';
import { planDailyRuns, schools } from '../db/schema.ts';
import { vnDay } from '../domain/plan/plan-rules.ts';
import { runDailyReminders } from '../services/notifications/daily-reminders.ts';
import type { Housekeeping, JobContext, JobPayloads } from './job-runner.ts';

/** The hour (Vietnam time) from which the day's digests go out. */
export const DIGEST_HOUR_VN = 6;

export async function reminderJob(payload: JobPayloads['plan.daily'], ctx: JobContext): Promise<void> {
  const r = await runDailyReminders({ db: ctx.database.db, schoolId: payload.schoolId, now: new Date(), publicUrl: ctx.publicUrl });
  if (r.emailFailed) ctx.log(`plan reminders ${payload.schoolId} ${r.day}: ${r.emailFailed} e-mail(s) failed (see notifications.email_error)`);
}

/** Schools whose daily run is due at `now` (not run yet on today's Vietnam day, after the digest hour). */
export async function schoolsDueForRun(db: JobContext['database']['db'], now: Date): Promise<string[]> {
  const vnHour = (now.getUTCHours() + 7) % 24;
  if (vnHour < DIGEST_HOUR_VN) return [];
  const day = vnDay(now);
  return inSystem(db, async (tx) => {
    // Practice schools (services/practice) get no digests: nothing there is really due.
    const all = await tx.select({ id: schools.id }).from(schools).where(isNull(schools.practiceOfSchoolId));
    const done = new Set((await tx.select({ schoolId: planDailyRuns.schoolId }).from(planDailyRuns).where(eq(planDailyRuns.day, day))).map((r) => r.schoolId));
    return all.map((s) => s.id).filter((id) => !done.has(id));
  });
}

export const reminderHousekeeping: Housekeeping = async (ctx, send) => {
  const now = new Date();
  for (const schoolId of await schoolsDueForRun(ctx.database.db, now)) await send('plan.daily', { schoolId, day: vnDay(now) });
};
