/**
 * Corrections of signed records over HTTP (issue 7.6, issue 8.5): the returns waiting for a
 * correction (with reason, who, when), change requests on a returned or sealed version, the
 * principal's decision, and a version's history (superseded → successor).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { CORRECTION_SCOPES, decideCorrection, listCorrections, requestCorrection } from '../../services/corrections/corrections.ts';
import { versionHistory } from '../../services/corrections/history.ts';
import { returnsConcerning } from '../../services/corrections/returns.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';

const uuid = z.string().uuid();
const subjectCode = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);

export function correctionRoutes(app: FastifyInstance, opts: { database: Database }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = opts.database.db;
  const tags = ['corrections'];

  r.get('/api/corrections/returns', { config: { access: 'classes.read' }, schema: { tags, summary: 'Returned records waiting for a correction that concern me (reason, who, when)' } }, async (req) => ({
    returns: (await returnsConcerning({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) })).map(({ concerned: _c, ...rest }) => rest),
  }));
  r.get(
    '/api/corrections',
    { config: { access: 'classes.read' }, schema: { tags, summary: "Correction requests (the principal: the school's; others: their own and their class's)", querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected', 'refrozen', 'all']).optional() }) } },
    async (req) => ({ corrections: await listCorrections({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), status: req.query.status ?? 'all' }) }),
  );
  r.post(
    '/api/corrections',
    {
      config: { access: 'records.correct' },
      schema: { tags, summary: 'Request a correction of a returned or sealed record version', body: z.strictObject({ versionId: uuid, scope: z.enum(CORRECTION_SCOPES), subjects: z.array(subjectCode).max(40).optional(), reason: z.string().min(5).max(1000) }) },
    },
    async (req) => requestCorrection({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), versionId: req.body.versionId, scope: req.body.scope, subjects: req.body.subjects ?? [], reason: req.body.reason }),
  );
  r.post(
    '/api/corrections/:id/decision',
    { config: { access: 'changes.decide' }, schema: { tags, summary: "The principal's decision on a correction request (approval reopens the subjects' sheets)", params: z.object({ id: uuid }), body: z.strictObject({ approve: z.boolean(), note: z.string().max(2000).optional() }) } },
    async (req) => decideCorrection({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), correctionId: req.params.id, approve: req.body.approve, note: req.body.note }),
  );
  r.get('/api/corrections/versions/:versionId', { config: { access: 'classes.read' }, schema: { tags, summary: "A record's versions around this one: states, superseded → successor, returns, corrections", params: z.object({ versionId: uuid }) } }, async (req) =>
    versionHistory({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), versionId: req.params.versionId }),
  );
}
