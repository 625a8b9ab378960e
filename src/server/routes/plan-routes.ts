/**
 * The school-year plan: read and edit it, one's work queue ("Việc của tôi"), the progress
 * board with its XLSX and PDF exports, reminder settings (SMTP), and one's notifications.
 * "Now" comes from the plan clock (services/plan/plan-clock.ts), so tests can move it.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { readsFor, type Reads } from '../../db/read-database.ts';
import { PLAN_STAGES } from '../../domain/plan/plan-template.ts';
import { trustContextFor } from '../../services/certificates/trust-context.ts';
import { listNotifications, markNotificationRead } from '../../services/notifications/notifications.ts';
import { getReminderSettings, updateReminderSettings } from '../../services/notifications/reminder-settings.ts';
import { boardPdf, boardXlsx } from '../../services/plan/board-export.ts';
import { myWork } from '../../services/plan/my-work.ts';
import { planBoard } from '../../services/plan/plan-board.ts';
import { planClockFor } from '../../services/plan/plan-clock.ts';
import { getPlan, savePlan } from '../../services/plan/plan-store.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';
import { langOf } from '../errors.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const planRow = z.object({ stage: z.enum(PLAN_STAGES), grade: z.union([z.literal(10), z.literal(11), z.literal(12)]).nullable(), startsOn: day, dueOn: day });
const settingsBody = z.object({
  remindDaysBefore: z.number().int().min(0).max(30),
  escalateAfterDays: z.number().int().min(0).max(60),
  smtp: z.object({
    host: z.string().max(255).nullable(),
    port: z.number().int().min(1).max(65535).nullable(),
    secure: z.boolean(),
    user: z.string().max(255).nullable(),
    from: z.string().max(255).nullable(),
    password: z.string().max(255).nullable().optional(),
  }),
});

export function planRoutes(app: FastifyInstance, opts: { database: Database; dataDir: string | null; reads?: Reads }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database } = opts;
  const db = database.db;
  const tags = ['plan'];
  const now = () => planClockFor(database).now();
  const board = async (req: Parameters<typeof requireSchool>[0]) => {
    // Certificates are checked against the deployment's trust context; without one the board still shows the rest.
    const trust = await trustContextFor({ dataDir: opts.dataDir }).catch(() => null);
    // On the read replica when there is one (may lag a few seconds; the UI says so).
    const reads = opts.reads ?? readsFor(database);
    return reads.run((rdb) => planBoard({ db: rdb, schoolId: requireSchool(req), now: now(), lang: langOf(req), trust }));
  };

  r.get('/api/plan', { config: { access: 'plan.read' }, schema: { tags, summary: "The current school year's plan (created from the default template the first time)" } }, async (req) =>
    getPlan({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), now: now() }),
  );
  r.put(
    '/api/plan',
    { config: { access: 'plan.manage' }, schema: { tags, summary: 'Replace the plan (validated: dates, order of stages per grade, within the school year); moves the grade-book semester locks', body: z.object({ rows: z.array(planRow).min(1).max(60) }) } },
    async (req) => savePlan({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), rows: req.body.rows }),
  );
  r.get('/api/my-work', { config: { access: 'plan.read' }, schema: { tags, summary: "One's work queue with counts and due dates, most urgent first" } }, async (req) =>
    myWork({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), now: now() }),
  );
  r.get('/api/plan/board', { config: { access: 'plan.board' }, schema: { tags, summary: 'Progress per stage × grade × class against the plan, certificates, data quality, daily snapshots' } }, async (req) => board(req));
  r.get('/api/plan/board.xlsx', { config: { access: 'plan.board' }, schema: { tags, summary: 'The progress board as an Excel workbook' } }, async (req, reply) => {
    const b = await board(req);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="tien-do-hoc-ba-${b.today}.xlsx"`)
      .send(await boardXlsx(b));
  });
  r.get('/api/plan/board.pdf', { config: { access: 'plan.board' }, schema: { tags, summary: 'The progress board as a printable PDF report' } }, async (req, reply) => {
    const b = await board(req);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="bao-cao-tien-do-${b.today}.pdf"`).send(await boardPdf(b));
  });
  r.get('/api/plan/settings', { config: { access: 'plan.settings' }, schema: { tags, summary: 'Reminder settings and SMTP server (the password is never returned)' } }, async (req) =>
    getReminderSettings({ db, schoolId: requireSchool(req) }),
  );
  r.put('/api/plan/settings', { config: { access: 'plan.settings' }, schema: { tags, summary: 'Save reminder settings and the SMTP server (password: omit to keep, null to clear)', body: settingsBody } }, async (req) =>
    updateReminderSettings({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), input: req.body }),
  );
  r.get('/api/notifications', { config: { access: 'plan.read' }, schema: { tags, summary: "One's latest notifications (daily digests) and the unread count" } }, async (req) =>
    listNotifications({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) }),
  );
  r.post('/api/notifications/:id/read', { config: { access: 'plan.read' }, schema: { tags, summary: 'Mark one of one’s notifications read', params: z.object({ id: z.string().uuid() }) } }, async (req) =>
    markNotificationRead({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), id: req.params.id, now: now() }),
  );
}
