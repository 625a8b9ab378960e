/**
 * The 'sync.run' job: one sync run of a school (services/sync/run-sync.ts) to the target the run
 * names, with the transport built from the school's settings. Housekeeping queues runs left
 * waiting, or running without a heartbeat by a stopped process; the queue is a pg-boss
 * singleton keyed by school, so at most one sync of a school is active at a time.
 */
import { eq } from 'drizzle-orm';
import { inSchool } from '../db/scope.ts';
import { syncRuns } from '../db/schema.ts';
import type { SyncTarget } from '../services/sync/protocol.ts';
import { runSync } from '../services/sync/run-sync.ts';
import { failSyncRun, syncRunsToResume } from '../services/sync/sync-runs.ts';
import { transportFor } from '../services/sync/sync-settings.ts';
import type { Housekeeping, JobContext, JobPayloads } from './job-runner.ts';

export async function syncJob(payload: JobPayloads['sync.run'], ctx: JobContext): Promise<void> {
  const db = ctx.database.db;
  const [run] = await inSchool(db, payload.schoolId, (tx) => tx.select({ target: syncRuns.target, status: syncRuns.status }).from(syncRuns).where(eq(syncRuns.id, payload.runId)));
  if (!run || (run.status !== 'queued' && run.status !== 'running')) return;
  const transport = await transportFor({ db, schoolId: payload.schoolId, target: run.target as SyncTarget });
  if (!transport) {
    await failSyncRun({ db, schoolId: payload.schoolId, runId: payload.runId, error: 'Chưa cấu hình kết nối (hoặc đã tắt) / the target is not configured or disabled' });
    return;
  }
  const outcome = await runSync({ db, schoolId: payload.schoolId, runId: payload.runId, transport, publicUrl: ctx.publicUrl, signal: ctx.signal, log: (m) => ctx.log(`sync ${payload.runId}: ${m}`) });
  if (outcome === 'failed') ctx.log(`sync run ${payload.runId} failed (see its row for the reason)`);
}

export const syncHousekeeping: Housekeeping = async (ctx, send) => {
  // A duplicate job is harmless: the run is claimed only while queued or running, one per school.
  // A RUNNING run returned here stopped reporting: its instance died, take its pg-boss job over.
  for (const r of await syncRunsToResume(ctx.database.db, new Date(), ctx.staleMs)) await send('sync.run', { runId: r.runId, schoolId: r.schoolId }, { takeOver: r.status === 'running' });
};
