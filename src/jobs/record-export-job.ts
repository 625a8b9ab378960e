/**
 * The records export job: builds one export's ZIP (services/records/build-record-export.ts),
 * and the housekeeping that re-queues exports left waiting or half-done by a stopped process
 * and purges expired ZIPs.
 */
import { runRecordExport } from '../services/records/build-record-export.ts';
import { exportsToResume, purgeExpiredExports } from '../services/records/record-exports.ts';
import type { Housekeeping, JobContext, JobPayloads } from './job-runner.ts';

export async function recordExportJob(payload: JobPayloads['records.export'], ctx: JobContext): Promise<void> {
  const outcome = await runRecordExport({ db: ctx.database.db, schoolId: payload.schoolId, exportId: payload.exportId, publicUrl: ctx.publicUrl, signal: ctx.signal });
  if (outcome === 'failed') ctx.log(`records export ${payload.exportId} failed (see its row for the reason)`);
}

export const recordExportHousekeeping: Housekeeping = async (ctx, send) => {
  await purgeExpiredExports(ctx.database.db);
  // A duplicate job is harmless: only a waiting export is claimed and run.
  for (const e of await exportsToResume(ctx.database.db, new Date(), ctx.staleMs)) await send('records.export', e);
};
