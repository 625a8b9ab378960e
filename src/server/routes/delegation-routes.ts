/** Delegations of the principal's signature to a vice principal: record, list, revoke (principal); list one's own (vice principal). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { createDelegation, listDelegations, revokeDelegation } from '../../services/delegations/delegations.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export function delegationRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;
  const tags = ['signing'];
  r.get('/api/delegations', { config: { access: 'delegations.read' }, schema: { tags, summary: "The school's delegations (principal) or one's own (vice principal)" } }, async (req) => ({
    delegations: await listDelegations({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) }),
  }));
  r.post(
    '/api/delegations',
    { config: { access: 'delegations.manage' }, schema: { tags, summary: 'Record a delegation (decision number, grades — none: all —, valid from/to)', body: z.object({ delegateUserId: z.string().uuid(), decisionNumber: z.string().min(1).max(100), grades: z.array(z.number().int()).max(3), validFrom: date, validTo: date }) } },
    async (req) => ({ delegation: await createDelegation({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), input: req.body }) }),
  );
  r.post('/api/delegations/:id/revoke', { config: { access: 'delegations.manage' }, schema: { tags, summary: 'Revoke a delegation from now on', params: z.object({ id: z.string().uuid() }) } }, async (req) => ({
    delegation: await revokeDelegation({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), delegationId: req.params.id }),
  }));
}
