/**
 * The jobs list of the IT officer's screen: every pg-boss job of the school (sync runs, record
 * exports, backups, …) with its state and times, and progress from the job's own table where
 * it keeps one. pg-boss's tables are deployment-wide, so the school filter is the payload's
 * schoolId; jobs whose payload names no school (e.g. the daily backup of the deployment) are
 * listed too — their state only, they carry no school data.
 */
import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { recordExports, syncRuns } from '../../db/schema.ts';
import type { JobView } from '../../server/api-types.ts';

interface BossRow {
  id: string;
  name: string;
  state: string;
  data: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  created_on: Date | string;
  started_on: Date | string | null;
  completed_on: Date | string | null;
}

/** Run states in the words of the screen (the label is Vietnamese, like the screen's default). */
const RUN_WORDS: Record<string, string> = { queued: 'đang chờ', running: 'đang chạy', done: 'xong', failed: 'lỗi' };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The school's most recent jobs (pg-boss's live table and its archive), newest first. */
export async function listJobs(opts: { database: Database; schoolId: string; limit?: number }): Promise<JobView[]> {
  const limit = Math.min(opts.limit ?? 50, 200);
  let rows: BossRow[] = [];
  try {
    const sqlText = (table: string) => `select id::text, name, state::text, data, output, created_on, started_on, completed_on from pgboss.${table} where coalesce(data->>'schoolId', $1) = $1`;
    const exists = await opts.database.query<{ t: string | null }>(`select to_regclass('pgboss.archive')::text as t`);
    const union = exists[0]?.t ? `${sqlText('job')} union all ${sqlText('archive')}` : sqlText('job');
    rows = await opts.database.query<BossRow>(`select * from (${union}) j order by created_on desc limit ${limit}`, [opts.schoolId]);
  } catch {
    // pg-boss has not created its schema yet (no job ever ran): nothing to list.
    return [];
  }
  const runIds = rows.filter((r) => r.name === 'sync.run' && typeof r.data?.runId === 'string').map((r) => r.data!.runId as string);
  const exportIds = rows.filter((r) => r.name === 'records.export' && typeof r.data?.exportId === 'string').map((r) => r.data!.exportId as string);
  const { runs, exports } = await inSchool(opts.database.db, opts.schoolId, async (tx) => ({
    runs: runIds.length ? await tx.select().from(syncRuns).where(inArray(syncRuns.id, runIds)) : [],
    exports: exportIds.length ? await tx.select({ id: recordExports.id, done: recordExports.done, total: recordExports.total, status: recordExports.status, error: recordExports.error, fileName: recordExports.fileName }).from(recordExports).where(inArray(recordExports.id, exportIds)) : [],
  }));
  const runById = new Map(runs.map((r) => [r.id, r]));
  const exportById = new Map(exports.map((e) => [e.id, e]));
  const latestRun = runs.reduce<string | null>((a, r) => (!a || r.createdAt > runById.get(a)!.createdAt ? r.id : a), null);
  return rows.map((r): JobView => {
    const base = { id: r.id, name: r.name, state: r.state, createdAt: iso(r.created_on)!, startedAt: iso(r.started_on), completedAt: iso(r.completed_on) };
    const outputError = r.state === 'failed' && r.output ? String((r.output as { message?: unknown }).message ?? JSON.stringify(r.output)).slice(0, 300) : null;
    if (r.name === 'sync.run') {
      const run = runById.get(r.data?.runId as string);
      return {
        ...base,
        runId: run?.id ?? null,
        progress: run ? { done: run.done, total: run.total } : null,
        label: run ? `${run.target === 'hbs' ? 'CSDL HBS' : 'VNeID'} · ${RUN_WORDS[run.status] ?? run.status} · ${run.accepted} nhận, ${run.rejected} từ chối` : 'sync',
        error: run?.error ?? outputError,
        // The last run of the school may be retried when it failed (a new run resumes what is left).
        retryable: run?.status === 'failed' && run.id === latestRun,
      };
    }
    if (r.name === 'records.export') {
      const e = exportById.get(r.data?.exportId as string);
      return { ...base, runId: null, progress: e ? { done: e.done, total: e.total } : null, label: e ? `Xuất hồ sơ ${e.fileName} · ${e.status}` : 'records.export', error: e?.error ?? outputError, retryable: false };
    }
    return { ...base, runId: null, progress: null, label: r.name, error: outputError, retryable: false };
  });
}

