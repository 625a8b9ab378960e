import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { listAudit } from '../../services/audit/list-audit.ts';
import { verifyAudit } from '../../services/audit/verify-audit.ts';
import { listClassStudents } from '../../services/classes/list-class-students.ts';
import { listClasses } from '../../services/classes/list-classes.ts';
import { listClassSubjects, removeClassSubject, setClassSubject } from '../../services/classes/class-subjects.ts';
import { getHome } from '../../services/home/get-home.ts';
import { updateSchoolSettings, updateYearSettings } from '../../services/schools/update-school-settings.ts';
import { schoolYears } from '../../db/schema.ts';
import { and } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import { schools } from '../../db/schema.ts';
import { SIGNING_ROLES } from '../../domain/policies/roles.ts';
import { listStaff } from '../../services/staff/list-staff.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';

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
      return updateSchoolSettings({ db, actor: currentActor(req), schoolId: requireSchool(req), totpRequiredRoles: req.body.totpRequiredRoles as never });
    },
  );

  r.get('/api/school/year', { config: { access: 'school.read' }, schema: { tags: ['school'], summary: 'The current school year and its grade-book dates' } }, async (req) => {
    const [y] = await db.select().from(schoolYears).where(and(eq(schoolYears.schoolId, requireSchool(req)), eq(schoolYears.isCurrent, true)));
    return y
      ? { schoolYear: y.name, startsOn: y.startsOn, endsOn: y.endsOn, semester2StartsOn: y.semester2StartsOn, semester1LockAt: y.semester1LockAt?.toISOString() ?? null, semester2LockAt: y.semester2LockAt?.toISOString() ?? null }
      : null;
  });

  r.put(
    '/api/school/year',
    {
      config: { access: 'school.configure' },
      schema: {
        tags: ['school'],
        summary: 'Set the start of semester II and the grade-book deadlines of the current year',
        body: z.strictObject({ semester2StartsOn: z.iso.date().nullable().optional(), semester1LockAt: z.iso.datetime({ offset: true }).nullable().optional(), semester2LockAt: z.iso.datetime({ offset: true }).nullable().optional() }),
      },
    },
    async (req) => {
      const a = requireAuth(req);
      const b = req.body;
      const d = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : new Date(v));
      return updateYearSettings({
        db,
        actor: currentActor(req),
        schoolId: requireSchool(req),
        settings: { semester2StartsOn: b.semester2StartsOn, semester1LockAt: d(b.semester1LockAt), semester2LockAt: d(b.semester2LockAt) },
      });
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

  r.get('/api/classes/:classId/subjects', { config: { access: 'classes.read' }, schema: { tags: ['school'], summary: "A class's subjects, teachers and topic clusters", params: z.object({ classId: z.string().uuid() }) } }, async (req) =>
    listClassSubjects({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), classId: req.params.classId }),
  );
  r.put(
    '/api/classes/:classId/subjects/:subjectId',
    {
      config: { access: 'subjects.manage' },
      schema: {
        tags: ['school'],
        summary: 'Add a subject to a class, or change its teacher or topic cluster',
        params: z.object({ classId: z.string().uuid(), subjectId: z.string().uuid() }),
        body: z.strictObject({ teacherStaffId: z.string().uuid().nullable().optional(), topicCluster: z.boolean().optional(), electiveCombination: z.string().max(200).optional() }),
      },
    },
    async (req) => {
      const a = requireAuth(req);
      return setClassSubject({ db, who: currentActor(req), schoolId: requireSchool(req), classId: req.params.classId, subjectId: req.params.subjectId, ...req.body });
    },
  );
  r.delete('/api/class-subjects/:id', { config: { access: 'subjects.manage' }, schema: { tags: ['school'], params: z.object({ id: z.string().uuid() }) } }, async (req, reply) => {
    const a = requireAuth(req);
    await removeClassSubject({ db, who: currentActor(req), schoolId: requireSchool(req), classSubjectId: req.params.id });
    return reply.status(204).send();
  });

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
