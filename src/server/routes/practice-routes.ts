/**
 * Practice mode over HTTP (issue 13.3, docs/practice.md): the state of the school's practice
 * school (any staff member), and creating or resetting it (the IT officer or the principal).
 * Staff switch into it with POST /api/session/school like into any school they work in.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { DomainError } from '../../domain/errors.ts';
import { createPracticeSchool, getPracticeState } from '../../services/practice/practice-school.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';

export function practiceRoutes(app: FastifyInstance, opts: { database: Database; publicUrl: string; dataDir: string | null }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = opts.database.db;
  const tags = ['practice'];

  r.get('/api/practice', { config: { access: 'practice.use' }, schema: { tags, summary: "The school's practice school (sandbox with test certificates) and one's roles in it" } }, async (req) =>
    getPracticeState({ db, schoolId: requireSchool(req), userId: requireAuth(req).user.id }),
  );

  r.post(
    '/api/practice',
    {
      // Generating a school and its test certificates is heavy: a few per hour is plenty.
      config: { access: 'practice.manage', rateLimit: { max: 6, timeWindow: 60 * 60_000 } },
      schema: { tags, summary: 'Create the practice school, or with reset: retire it and create it afresh (real data untouched)', body: z.object({ reset: z.boolean() }) },
    },
    async (req, reply) => {
      if (!opts.dataDir) throw new DomainError('practice.no_staff', { reason: 'máy chủ chạy không có thư mục dữ liệu cho chứng thư thử nghiệm (no data directory)' });
      const created = await createPracticeSchool({
        db,
        who: currentActor(req),
        schoolId: requireSchool(req),
        userId: requireAuth(req).user.id,
        reset: req.body.reset,
        pki: { dataDir: opts.dataDir, baseUrl: `${opts.publicUrl.replace(/\/+$/, '')}/pki` },
      });
      return reply.status(201).send(created);
    },
  );
}
