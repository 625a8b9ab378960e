import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { listAudit } from '../../services/audit/list-audit.ts';
import { verifyAudit } from '../../services/audit/verify-audit.ts';
import { listClassStudents } from '../../services/classes/list-class-students.ts';
import { listClasses } from '../../services/classes/list-classes.ts';
import { getHome } from '../../services/home/get-home.ts';
import { updateSchoolSettings } from '../../services/schools/update-school-settings.ts';
import { eq } from 'drizzle-orm';
import { schools } from '../../db/schema.ts';
import { SIGNING_ROLES } from '../../domain/policies/roles.ts';
import { listStaff } from '../../services/staff/list-staff.ts';
import { requireAuth, requireSchool } from '../authorize.ts';

export function schoolRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;

  r.get('/api/home', { config: { access: 'authenticated' }, schema: { tags: ['school'], summary: "The home page of each of the person's roles" } }, async (req) =>
    getHome({ db, actor: requireAuth(req).actor }),
  );

  r.get('/api/school/settings', { config: { access: 'school.configure' }, schema: { tags: ['school'] } }, async (req) => {
    const [s] = await db.select({ totpRequiredRoles: schools.totpRequiredRoles }).from(schools).where(eq(schools.id, requireSchool(req)));
    return { totpRequiredRoles: s?.totpRequiredRoles ?? [], signingRoles: SIGNING_ROLES };
  });

  r.put(
    '/api/school/settings',
    {
      config: { access: 'school.configure' },
      schema: { tags: ['school'], summary: 'Which signing and approving roles must use a TOTP second factor', body: z.object({ totpRequiredRoles: z.array(z.string()).max(20) }) },
    },
    async (req) => {
      const a = requireAuth(req);
      return updateSchoolSettings({ db, actor: { userId: a.user.id, label: a.user.username }, schoolId: requireSchool(req), totpRequiredRoles: req.body.totpRequiredRoles as never });
    },
  );

  r.get('/api/classes', { config: { access: 'classes.read' }, schema: { tags: ['school'] } }, async (req) => ({
    classes: await listClasses({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) }),
  }));

  r.get(
    '/api/classes/:classId/students',
    { config: { access: 'classes.read' }, schema: { tags: ['school'], params: z.object({ classId: z.string().uuid() }) } },
    async (req) => listClassStudents({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), classId: req.params.classId }),
  );

  r.get('/api/staff', { config: { access: 'staff.read' }, schema: { tags: ['school'] } }, async (req) => ({
    staff: await listStaff({ db, schoolId: requireSchool(req) }),
  }));

  r.get(
    '/api/audit',
    {
      config: { access: 'audit.read' },
      schema: { tags: ['audit'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), before: z.coerce.number().int().positive().optional() }) },
    },
    async (req) => {
      const rows = await listAudit({ db, schoolId: requireSchool(req), limit: req.query.limit, before: req.query.before });
      return { entries: rows.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
    },
  );

  r.get('/api/audit/verify', { config: { access: 'audit.read' }, schema: { tags: ['audit'] } }, async (req) => {
    const report = await verifyAudit({ database, schoolId: requireSchool(req) });
    return { ok: report.ok, checked: report.checked, ...(report.firstBroken ? { firstBroken: { seq: report.firstBroken.seq, reason: report.firstBroken.reason } } : {}) };
  });
}
