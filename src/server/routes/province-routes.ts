/**
 * Province administration (Sở GD&ĐT): the province board with its drill-down and XLSX
 * export, the schools of the province with their administrators, creating a school and its
 * first administrator, disabling an administrator. The officer's province comes from their
 * grant (never from the request), and every school id in a path is checked against it.
 * Nothing here returns a student's name, marks or id.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { readsFor, type Reads } from '../../db/read-database.ts';
import { planClockFor } from '../../services/plan/plan-clock.ts';
import { provinceBoard } from '../../services/province/province-board.ts';
import { provinceBoardXlsx } from '../../services/province/province-board-xlsx.ts';
import { assertSchoolInProvince, officerProvince } from '../../services/province/province-scope.ts';
import { createProvinceSchool, createSchoolAdmin, listProvinceSchools, provinceCommunes, setSchoolAdminDisabled } from '../../services/province/province-schools.ts';
import { currentActor, requireAuth } from '../authorize.ts';

const tags = ['province'];
const day = z.iso.date();

export function provinceRoutes(app: FastifyInstance, opts: { database: Database; reads?: Reads }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database } = opts;
  const db = database.db;
  const now = () => planClockFor(database).now();
  const province = (req: FastifyRequest) => officerProvince(db, requireAuth(req).user.id);
  // On the read replica when there is one (deploy12's read handle); the board is read-only.
  const reads = () => opts.reads ?? readsFor(database);

  r.get('/api/province/board', { config: { access: 'province.board' }, schema: { tags, summary: 'Every school of the province: records by state, plan deadlines, sync, certificate problems, with totals' } }, async (req) => {
    const p = await province(req);
    return reads().run((rdb) => provinceBoard({ db: rdb, province: p, now: now() }));
  });

  r.get('/api/province/board.xlsx', { config: { access: 'province.board' }, schema: { tags, summary: 'The province board as an Excel workbook' } }, async (req, reply) => {
    const p = await province(req);
    const b = await reads().run((rdb) => provinceBoard({ db: rdb, province: p, now: now() }));
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="tien-do-toan-tinh-${p.code}-${b.today}.xlsx"`)
      .send(await provinceBoardXlsx(b));
  });

  r.get(
    '/api/province/schools/:schoolId/board',
    { config: { access: 'province.board' }, schema: { tags, summary: "One school's aggregates, stages by grade (no student data)", params: z.object({ schoolId: z.uuid() }) } },
    async (req) => {
      const p = await province(req);
      const school = await assertSchoolInProvince(db, p.code, req.params.schoolId);
      const b = await reads().run((rdb) => provinceBoard({ db: rdb, province: p, now: now(), schoolId: school.id }));
      return { province: b.province, today: b.today, school: b.schools[0] ?? null };
    },
  );

  r.get('/api/province/schools', { config: { access: 'province.schools' }, schema: { tags, summary: 'The schools of the province with their administrators' } }, async (req) => {
    const p = await province(req);
    return { province: p, schools: await listProvinceSchools(db, p) };
  });

  r.get('/api/province/communes', { config: { access: 'province.schools' }, schema: { tags, summary: 'Communes of the province from the loaded administrative units' } }, async (req) => {
    const p = await province(req);
    return { province: p, communes: await provinceCommunes(db, p.code) };
  });

  r.post(
    '/api/province/schools',
    {
      config: { access: 'province.schools' },
      schema: {
        tags,
        summary: 'Create a school of the province with its current year and subject catalogue',
        body: z.strictObject({
          code: z.string().min(2).max(20),
          name: z.string().min(3).max(200),
          commune: z.string().min(1).max(100),
          address: z.string().max(300).optional(),
          schoolYear: z.strictObject({ name: z.string().regex(/^\d{4}-\d{4}$/), startsOn: day, endsOn: day }),
        }),
      },
    },
    async (req, reply) => {
      const p = await province(req);
      const out = await createProvinceSchool({ db, actor: currentActor(req), province: p, ...req.body });
      return reply.status(201).send(out);
    },
  );

  r.post(
    '/api/province/schools/:schoolId/admins',
    {
      config: { access: 'province.schools' },
      schema: {
        tags,
        summary: "Create a school's administrator (IT officer) with a one-time password to change at first sign-in",
        params: z.object({ schoolId: z.uuid() }),
        body: z.strictObject({ username: z.string().min(3).max(40), displayName: z.string().min(1).max(120), email: z.email().max(200).optional() }),
      },
    },
    async (req, reply) => {
      const p = await province(req);
      const out = await createSchoolAdmin({ db, actor: currentActor(req), province: p, schoolId: req.params.schoolId, ...req.body });
      return reply.status(201).header('cache-control', 'no-store').send(out);
    },
  );

  r.post(
    '/api/province/admins/:userId/disable',
    { config: { access: 'province.schools' }, schema: { tags, summary: 'Disable (or re-enable) a school administrator of the province', params: z.object({ userId: z.uuid() }), body: z.strictObject({ disabled: z.boolean() }) } },
    async (req, reply) => {
      const p = await province(req);
      await setSchoolAdminDisabled({ db, actor: currentActor(req), province: p, userId: req.params.userId, disabled: req.body.disabled });
      return reply.status(204).send();
    },
  );
}
