import { and, eq, ne, or, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { roleGrants, schools } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { ROLES } from '../../domain/policies/roles.ts';
import { createUser } from '../../services/users/create-user.ts';
import { setUserDisabled } from '../../services/users/disable-user.ts';
import { resetPassword } from '../../services/users/reset-password.ts';
import { initSchool } from '../../services/schools/init-school.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';

const schoolRoles = ROLES.filter((r) => r !== 'system_admin');

export function userRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;

  /** A school administrator may act only on accounts that belong to their school alone. */
  async function assertManagedHere(userId: string, schoolId: string): Promise<void> {
    const here = await db.select({ id: roleGrants.id }).from(roleGrants).where(and(eq(roleGrants.userId, userId), eq(roleGrants.schoolId, schoolId)));
    const elsewhere = await db
      .select({ id: roleGrants.id })
      .from(roleGrants)
      .where(and(eq(roleGrants.userId, userId), or(isNull(roleGrants.schoolId), ne(roleGrants.schoolId, schoolId))));
    if (here.length === 0) throw new DomainError('not_found', { what: 'user' });
    if (elsewhere.length > 0) throw new DomainError('forbidden');
  }

  r.post(
    '/api/users',
    {
      config: { access: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: 'Create an account in the active school',
        body: z.object({
          username: z.string().min(3).max(40),
          displayName: z.string().min(1).max(120),
          password: z.string().min(1).max(200),
          email: z.string().email().max(200).optional(),
          roles: z.array(z.enum(schoolRoles as [string, ...string[]])).min(1),
          staffId: z.string().uuid().optional(),
        }),
      },
    },
    async (req, reply) => {
      const schoolId = requireSchool(req);
      const { id } = await createUser({ db, actor: currentActor(req), schoolId, ...req.body, roles: req.body.roles as never, mustChangePassword: true });
      return reply.status(201).send({ id });
    },
  );

  r.post(
    '/api/users/:userId/reset-password',
    { config: { access: 'users.manage' }, schema: { tags: ['users'], params: z.object({ userId: z.string().uuid() }) } },
    async (req) => {
      const schoolId = requireSchool(req);
      await assertManagedHere(req.params.userId, schoolId);
      const { password } = await resetPassword({ db, actor: currentActor(req), userId: req.params.userId, schoolId });
      return { temporaryPassword: password };
    },
  );

  r.post(
    '/api/users/:userId/disable',
    { config: { access: 'users.manage' }, schema: { tags: ['users'], params: z.object({ userId: z.string().uuid() }), body: z.object({ disabled: z.boolean() }) } },
    async (req, reply) => {
      const schoolId = requireSchool(req);
      await assertManagedHere(req.params.userId, schoolId);
      if (req.params.userId === requireAuth(req).user.id) throw new DomainError('forbidden');
      await setUserDisabled({ db, actor: currentActor(req), userId: req.params.userId, schoolId, disabled: req.body.disabled });
      return reply.status(204).send();
    },
  );

  r.get('/api/admin/schools', { config: { access: 'schools.manage' }, schema: { tags: ['admin'] } }, async () => ({
    schools: await db.select({ id: schools.id, code: schools.code, name: schools.name, province: schools.province, isDemo: schools.isDemo }).from(schools).orderBy(schools.name),
  }));

  r.post(
    '/api/admin/schools',
    {
      config: { access: 'schools.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Create a school with its current year, subject catalogue and first administrator',
        body: z.object({
          code: z.string().min(2).max(20),
          name: z.string().min(3).max(200),
          province: z.string().min(2).max(100),
          commune: z.string().max(100).optional(),
          schoolYear: z.object({ name: z.string().regex(/^\d{4}-\d{4}$/), startsOn: z.iso.date(), endsOn: z.iso.date() }),
          admin: z.object({ username: z.string().min(3).max(40), displayName: z.string().min(1).max(120), password: z.string().min(1).max(200) }),
        }),
      },
    },
    async (req, reply) => {
      const out = await initSchool({ db, actor: currentActor(req), ...req.body });
      return reply.status(201).send(out);
    },
  );
}
