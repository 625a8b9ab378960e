/**
 * A school's reminder settings (days before a deadline, days overdue before the principal is
 * told) and its SMTP server. The password is write-only: reads say only whether one is set.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { planSettings } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { DEFAULT_REMINDER_SETTINGS } from '../../domain/plan/plan-rules.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

export interface ReminderSettingsView {
  remindDaysBefore: number;
  escalateAfterDays: number;
  smtp: { host: string | null; port: number | null; secure: boolean; user: string | null; from: string | null; passwordSet: boolean };
  /** Whether the deployment has an SMTP server (SMTP_HOST) used when the school has none. */
  envSmtp: boolean;
}

export interface ReminderSettingsInput {
  remindDaysBefore: number;
  escalateAfterDays: number;
  smtp: { host: string | null; port: number | null; secure: boolean; user: string | null; from: string | null; /** undefined: keep; null: clear. */ password?: string | null | undefined };
}

/** The school's settings (defaults when never saved). */
export async function getReminderSettings(opts: { db: Db; schoolId: string; env?: NodeJS.ProcessEnv }): Promise<ReminderSettingsView> {
  const [s] = await inSchool(opts.db, opts.schoolId, (tx) => tx.select().from(planSettings).where(eq(planSettings.schoolId, opts.schoolId)));
  return {
    remindDaysBefore: s?.remindDaysBefore ?? DEFAULT_REMINDER_SETTINGS.remindDaysBefore,
    escalateAfterDays: s?.escalateAfterDays ?? DEFAULT_REMINDER_SETTINGS.escalateAfterDays,
    smtp: { host: s?.smtpHost ?? null, port: s?.smtpPort ?? null, secure: s?.smtpSecure ?? false, user: s?.smtpUser ?? null, from: s?.smtpFrom ?? null, passwordSet: !!s?.smtpPassword },
    envSmtp: !!(opts.env ?? process.env).SMTP_HOST,
  };
}

/** Saves the settings (school admin, principal); audited without the password. */
export async function updateReminderSettings(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; input: ReminderSettingsInput }): Promise<ReminderSettingsView> {
  if (!hasPermission(opts.actor.roles, 'plan.settings')) throw new DomainError('forbidden');
  const { input } = opts;
  const host = input.smtp.host?.trim() || null;
  const values = {
    remindDaysBefore: input.remindDaysBefore,
    escalateAfterDays: input.escalateAfterDays,
    smtpHost: host,
    smtpPort: input.smtp.port,
    smtpSecure: input.smtp.secure,
    smtpUser: input.smtp.user?.trim() || null,
    smtpFrom: input.smtp.from?.trim() || null,
    ...(input.smtp.password !== undefined ? { smtpPassword: input.smtp.password || null } : {}),
    updatedAt: new Date(),
  };
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    await tx.insert(planSettings).values({ schoolId: opts.schoolId, ...values }).onConflictDoUpdate({ target: planSettings.schoolId, set: values });
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'plan.settings_updated', targetType: 'school', targetId: opts.schoolId, after: { remindDaysBefore: values.remindDaysBefore, escalateAfterDays: values.escalateAfterDays, smtpHost: host, smtpPort: values.smtpPort, smtpUser: values.smtpUser, passwordChanged: input.smtp.password !== undefined } });
  });
  return getReminderSettings({ db: opts.db, schoolId: opts.schoolId });
}
