/**
 * The IT officer's sync screen over HTTP (docs/sync.md): the overview (settings without
 * secrets, runs, counts, rejections grouped by who must fix them), per-record results, target
 * settings, starting a sync, resubmitting corrected rejections, retrying a failed run, and the
 * school's jobs list. Runs are queued on the app's job runner (created by the records routes).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { createJobRunner, jobRunnerFor, type JobRunner } from '../../jobs/job-runner.ts';
import { listJobs } from '../../services/sync/list-jobs.ts';
import { failSyncRun, getSyncOverview, getSyncRun, listSyncItems, noteSyncJob, requestSyncRun, retrySyncRun } from '../../services/sync/sync-runs.ts';
import { updateSyncSettings } from '../../services/sync/sync-settings.ts';
import type { SyncRunView } from '../api-types.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';

const uuid = z.string().uuid();
const target = z.enum(['hbs', 'vneid']);

export interface SyncRoutesOptions {
  database: Database;
  publicUrl: string;
}

export function syncRoutes(app: FastifyInstance, opts: SyncRoutesOptions): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, publicUrl } = opts;
  const db = database.db;
  let own: JobRunner | undefined;
  const runner = () => jobRunnerFor(database) ?? (own ??= createJobRunner({ database, publicUrl, log: (m: string) => app.log.error(m) }));
  app.addHook('onClose', async () => {
    if (own) await own.stop();
  });

  /** Queues the job of a newly created run; a run that cannot be queued is marked failed. */
  async function queue(req: FastifyRequest, reply: FastifyReply, res: { run: SyncRunView; created: boolean }, schoolId: string) {
    if (res.created) {
      try {
        const jobId = await runner().send('sync.run', { runId: res.run.id, schoolId });
        await noteSyncJob({ db, schoolId, runId: res.run.id, jobId });
      } catch (err) {
        req.log.error({ err }, 'sync: could not queue the job');
        await failSyncRun({ db, schoolId, runId: res.run.id, error: 'Không đưa được việc vào hàng đợi / the job could not be queued' });
      }
    }
    return reply.status(res.created ? 202 : 200).send(await getSyncRun({ db, schoolId, runId: res.run.id }));
  }

  r.get('/api/sync', { config: { access: 'sync.read' }, schema: { tags: ['sync'], summary: 'Sync overview: targets (no secrets), recent runs, counts, rejections grouped by who must fix them' } }, async (req) =>
    getSyncOverview({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) }),
  );

  r.put(
    '/api/sync/settings/:target',
    {
      config: { access: 'sync.manage' },
      schema: {
        tags: ['sync'],
        summary: "A target's base URL and credentials (an empty secret keeps the stored one; the secret is never returned)",
        params: z.object({ target }),
        body: z.strictObject({ baseUrl: z.string().min(1).max(500), clientId: z.string().max(200), clientSecret: z.string().max(500).optional(), enabled: z.boolean() }),
      },
    },
    async (req) => updateSyncSettings({ db, who: currentActor(req), schoolId: requireSchool(req), target: req.params.target, ...req.body }),
  );

  r.post(
    '/api/sync/runs',
    { config: { access: 'sync.manage' }, schema: { tags: ['sync'], summary: 'Start a sync now (202; 200 with the running one when a sync of the school is already queued or running)', body: z.strictObject({ target }) } },
    async (req, reply) => {
      const schoolId = requireSchool(req);
      return queue(req, reply, await requestSyncRun({ db, who: currentActor(req), schoolId, target: req.body.target, trigger: 'manual' }), schoolId);
    },
  );

  r.get('/api/sync/runs/:runId', { config: { access: 'sync.read' }, schema: { tags: ['sync'], summary: "A run's progress and counts", params: z.object({ runId: uuid }) } }, async (req) =>
    getSyncRun({ db, schoolId: requireSchool(req), runId: req.params.runId }),
  );

  r.post('/api/sync/runs/:runId/retry', { config: { access: 'sync.manage' }, schema: { tags: ['sync'], summary: 'Retry a failed run: a new run settles and sends whatever is left', params: z.object({ runId: uuid }) } }, async (req, reply) => {
    const schoolId = requireSchool(req);
    return queue(req, reply, await retrySyncRun({ db, who: currentActor(req), schoolId, runId: req.params.runId }), schoolId);
  });

  r.post(
    '/api/sync/resubmit',
    { config: { access: 'sync.manage' }, schema: { tags: ['sync'], summary: 'Resubmit rejected records after correction (queued again, then a sync starts)', body: z.strictObject({ itemIds: z.array(uuid).min(1).max(1000) }) } },
    async (req, reply) => {
      const schoolId = requireSchool(req);
      return queue(req, reply, await requestSyncRun({ db, who: currentActor(req), schoolId, target: 'hbs', trigger: 'resubmit', resubmitItemIds: req.body.itemIds }), schoolId);
    },
  );

  r.get(
    '/api/sync/items',
    {
      config: { access: 'sync.read' },
      schema: {
        tags: ['sync'],
        summary: 'Per-record results (by target, status or run)',
        querystring: z.object({ target: target.optional(), status: z.enum(['queued', 'sending', 'pending', 'accepted', 'rejected', 'invalid']).optional(), runId: uuid.optional() }),
      },
    },
    async (req) => listSyncItems({ db, schoolId: requireSchool(req), ...req.query }),
  );

  r.get('/api/jobs', { config: { access: 'sync.read' }, schema: { tags: ['sync'], summary: "The school's background jobs (sync, exports, backups…): state, progress, history" } }, async (req) =>
    listJobs({ database, schoolId: requireSchool(req) }),
  );
}
