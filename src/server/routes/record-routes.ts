/**
 * Records in bulk and on screen: each student's record state in the class lists, the
 * in-browser PDF preview of a version, and exports of a class or the whole school as one
 * ZIP built by a background job (start, progress, recent ones, download). Also owns the job
 * runner's life: started with the app (serve) or at the first export (tests), stopped on close.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { createJobRunner, type JobRunner } from '../../jobs/job-runner.ts';
import { recordVersionPdf } from '../../services/records/freeze-class.ts';
import { classRecordStates, recordClassesOverview } from '../../services/records/record-states.ts';
import { failExport, getRecordExport, listRecordExports, noteExportJob, openExportDownload, requestRecordExport } from '../../services/records/record-exports.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';

const uuid = z.string().uuid();

/** `filename*` (RFC 6266/5987) keeps a non-ASCII name; `filename` is the ASCII fallback. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export interface RecordRoutesOptions {
  database: Database;
  publicUrl: string;
  /** 'start': run the workers from the start (serve); 'lazy': start them at the first export (tests). */
  jobs?: 'start' | 'lazy';
  /** A runner made elsewhere (tests); closed with the app all the same. */
  runner?: JobRunner;
}

export function recordRoutes(app: FastifyInstance, opts: RecordRoutesOptions): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, publicUrl } = opts;
  const db = database.db;
  const ctx = (req: FastifyRequest) => ({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) });
  // serve prints job trouble on stderr (its request log is usually off); tests keep quiet.
  const runner = opts.runner ?? createJobRunner({ database, publicUrl, ...(opts.jobs === 'start' ? {} : { log: (m: string) => app.log.error(m) }) });
  if (opts.jobs === 'start') app.addHook('onReady', () => runner.start());
  // Before the database closes: the running job puts its export back to waiting.
  app.addHook('onClose', () => runner.stop());

  r.get(
    '/api/records/classes',
    { config: { access: 'classes.read' }, schema: { tags: ['records'], summary: "The current year's classes with how many students have a current record version" } },
    async (req) => recordClassesOverview(ctx(req)),
  );

  r.get(
    '/api/classes/:classId/records',
    { config: { access: 'classes.read' }, schema: { tags: ['records'], summary: "Each student's record state in the class (none, frozen vN, superseded, …)", params: z.object({ classId: uuid }) } },
    async (req) => classRecordStates({ ...ctx(req), classId: req.params.classId }),
  );

  r.get(
    '/api/record-versions/:id/preview',
    { config: { access: 'school.read' }, schema: { tags: ['records'], summary: 'The record version as PDF, to show inside the app (inline, framable by this site only)', params: z.object({ id: uuid }) } },
    async (req, reply) => {
      const v = await recordVersionPdf({ ...ctx(req), versionId: req.params.id, publicUrl });
      return (
        reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', disposition('inline', `hocba-v${v.version}.pdf`))
          // The app shows it in an <iframe>: this response alone may be framed, and by this site only.
          .header('content-security-policy', "default-src 'none'; frame-ancestors 'self'")
          .header('x-frame-options', 'SAMEORIGIN')
          .header('cache-control', 'private, no-store')
          .send(v.pdf)
      );
    },
  );

  r.post(
    '/api/record-exports',
    {
      config: { access: 'classes.read' },
      schema: {
        tags: ['records'],
        summary: 'Start exporting the records of a class (its GVCN, the leadership) or of the whole school (the leadership) as one ZIP',
        body: z.discriminatedUnion('scope', [z.strictObject({ scope: z.literal('class'), classId: uuid }), z.strictObject({ scope: z.literal('school') })]),
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      const scope = req.body.scope === 'class' ? { kind: 'class' as const, classId: req.body.classId } : { kind: 'school' as const };
      const { export: exp, created } = await requestRecordExport({ ...c, who: currentActor(req), scope });
      if (created) {
        try {
          const jobId = await runner.send('records.export', { exportId: exp.id, schoolId: c.schoolId });
          await noteExportJob({ db, schoolId: c.schoolId, exportId: exp.id, jobId });
        } catch (err) {
          req.log.error({ err }, 'records export: could not queue the job');
          await failExport({ db, schoolId: c.schoolId, exportId: exp.id, error: 'Không đưa được việc vào hàng đợi / the job could not be queued' });
          return reply.status(202).send(await getRecordExport({ ...c, exportId: exp.id }));
        }
      }
      return reply.status(202).send(exp);
    },
  );

  r.get(
    '/api/record-exports',
    { config: { access: 'classes.read' }, schema: { tags: ['records'], summary: 'Recent exports: one’s own (the principal: everyone’s)', querystring: z.object({ classId: uuid.optional() }) } },
    async (req) => listRecordExports({ ...ctx(req), classId: req.query.classId }),
  );

  r.get(
    '/api/record-exports/:id',
    { config: { access: 'classes.read' }, schema: { tags: ['records'], summary: "An export's progress (404 unless one asked for it or is the principal)", params: z.object({ id: uuid }) } },
    async (req) => getRecordExport({ ...ctx(req), exportId: req.params.id }),
  );

  r.get(
    '/api/record-exports/:id/download',
    { config: { access: 'classes.read' }, schema: { tags: ['records'], summary: 'The finished ZIP (each download is audited)', params: z.object({ id: uuid }) } },
    async (req, reply) => {
      const d = await openExportDownload({ ...ctx(req), who: currentActor(req), exportId: req.params.id });
      return reply
        .header('content-type', 'application/zip')
        .header('content-length', String(d.sizeBytes))
        .header('content-disposition', disposition('attachment', d.fileName))
        .header('x-content-sha256', d.sha256)
        .header('cache-control', 'private, no-store')
        .send(d.stream());
    },
  );
}
