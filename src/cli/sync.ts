/**
 * `hocba sync run|status` — the sync to the national HBS database (and VNeID) from the command
 * line, in this process (no job queue needed) — and `hocba sync-reference-server`, the
 * reference server of docs/sync.md for manual trials.
 */
import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { inSystem } from '../db/scope.ts';
import { schools } from '../db/schema.ts';
import { DomainError } from '../domain/errors.ts';
import { startReferenceServer, type SubmissionFault } from '../services/sync/reference-server.ts';
import { runSync } from '../services/sync/run-sync.ts';
import { getSyncOverview, getSyncRun, requestSyncRun, SYNC_STALE_MS } from '../services/sync/sync-runs.ts';
import { transportFor } from '../services/sync/sync-settings.ts';
import type { SyncTarget } from '../services/sync/protocol.ts';
import { cliActor, withDatabase, type GlobalOpts } from './open.ts';

const FAULTS: SubmissionFault[] = ['ok', 'error500', 'timeout', 'half-then-500', 'half-then-hang'];

export function registerSyncCommands(program: Command): void {
  const sync = program.command('sync').description('sync sealed records to the national HBS database / VNeID (docs/sync.md)');
  sync
    .command('run')
    .description('send what is waiting now (resumes the school\'s unfinished run); exit code 1 when the run failed')
    .requiredOption('--school <code>', 'school code')
    .option('--target <target>', 'hbs or vneid', 'hbs')
    .option('--batch-size <n>', 'records per submission', (v) => Number(v))
    .option('--resume', 'take over a run another process seems to be running (after a crash)')
    .option('--json', 'print the run as JSON')
    .action(async (o: { school: string; target: string; batchSize?: number; resume?: boolean; json?: boolean }) => {
      if (o.target !== 'hbs' && o.target !== 'vneid') throw new DomainError('validation', { summary: `--target must be hbs or vneid, got "${o.target}"` });
      const target = o.target as SyncTarget;
      await withDatabase(program.opts<GlobalOpts>(), async (database) => {
        const db = database.db;
        const [school] = await inSystem(db, (tx) => tx.select({ id: schools.id }).from(schools).where(eq(schools.code, o.school)));
        if (!school) throw new DomainError('not_found', { what: `trường / school "${o.school}"` });
        const transport = await transportFor({ db, schoolId: school.id, target });
        if (!transport) throw new DomainError('validation', { summary: `${target}: chưa cấu hình (HOCBA_HBS_URL… hoặc màn hình Đồng bộ) / not configured` });
        const { run, created } = await requestSyncRun({ db, who: cliActor(), schoolId: school.id, target, trigger: 'cli' });
        if (!created) {
          if (run.target !== target) throw new DomainError('validation', { summary: `a ${run.target} sync of this school is ${run.status} (${run.id}); wait for it` });
          const fresh = run.status === 'running' && run.startedAt && Date.now() - new Date(run.startedAt).getTime() < SYNC_STALE_MS;
          if (fresh && !o.resume) throw new DomainError('validation', { summary: `a sync of this school is running (${run.id}); use --resume if its process is gone` });
          console.error(`Tiếp tục lượt đồng bộ / resuming run ${run.id}`);
        }
        const outcome = await runSync({
          db,
          schoolId: school.id,
          runId: run.id,
          transport,
          publicUrl: process.env.PUBLIC_URL || 'http://localhost:8080',
          ...(o.batchSize ? { batchSize: o.batchSize } : {}),
          ...(process.env.HOCBA_SYNC_BACKOFF_MS ? { backoffMs: Number(process.env.HOCBA_SYNC_BACKOFF_MS) } : {}),
          log: (m) => console.error(m),
          beforeSend: ({ batch, keys }) => void console.log(`sending ${batch} ${keys.length}`),
        });
        const final = await getSyncRun({ db, schoolId: school.id, runId: run.id });
        if (o.json) console.log(JSON.stringify(final, null, 2));
        else console.log(`${outcome}: ${final.accepted} accepted, ${final.rejected} rejected, ${final.pending} pending, ${final.invalid} not sent (invalid) of ${final.total}${final.error ? ` — ${final.error}` : ''}`);
        if (outcome !== 'done') process.exitCode = 1;
      });
    });
  sync
    .command('status')
    .description('last runs, counts and rejections of a school')
    .requiredOption('--school <code>', 'school code')
    .option('--json', 'print as JSON')
    .action(async (o: { school: string; json?: boolean }) => {
      await withDatabase(program.opts<GlobalOpts>(), async (database) => {
        const [school] = await inSystem(database.db, (tx) => tx.select({ id: schools.id }).from(schools).where(eq(schools.code, o.school)));
        if (!school) throw new DomainError('not_found', { what: `trường / school "${o.school}"` });
        const actor = { userId: '00000000-0000-0000-0000-000000000000', schoolId: school.id, roles: new Set(['school_admin'] as const), homeroomClassIds: new Set<string>(), classSubjectIds: new Set<string>(), taughtClassIds: new Set<string>(), studentIds: new Set<string>() };
        const ov = await getSyncOverview({ db: database.db, actor, schoolId: school.id });
        if (o.json) return void console.log(JSON.stringify(ov, null, 2));
        for (const s of ov.settings) console.log(`${s.target}: ${s.source === 'none' ? 'chưa cấu hình / not configured' : `${s.baseUrl} (${s.source}${s.enabled ? '' : ', disabled'})`}`);
        console.log(`HBS: ${JSON.stringify(ov.counts.hbs)}; waiting ${ov.waiting}`);
        for (const r of ov.runs.slice(0, 5)) console.log(`  ${r.createdAt} ${r.target} ${r.status} ${r.done}/${r.total} accepted ${r.accepted} rejected ${r.rejected}${r.error ? ` — ${r.error}` : ''}`);
        for (const g of ov.rejections) console.log(`  ${g.code} ×${g.count} → ${g.ownerLabel}`);
      });
    });

  program
    .command('sync-reference-server')
    .description('run the reference HBS server of docs/sync.md (for manual trials; data in memory)')
    .option('--port <port>', 'port (0: any free one)', (v) => Number(v), 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--client-id <id>', 'accepted client id', 'hocba-test')
    .option('--client-secret <secret>', 'accepted client secret (default: HOCBA_HBS_CLIENT_SECRET or "bi-mat-thu-nghiem")')
    .option('--faults <list>', `faults for the next submissions, comma separated (${FAULTS.join(', ')})`, '')
    .action(async (o: { port: number; host: string; clientId: string; clientSecret?: string; faults: string }) => {
      const faults = o.faults ? o.faults.split(',').map((f) => f.trim()) : [];
      const bad = faults.find((f) => !FAULTS.includes(f as SubmissionFault));
      if (bad) throw new DomainError('validation', { summary: `unknown fault "${bad}" (${FAULTS.join(', ')})` });
      const server = await startReferenceServer(
        { clientId: o.clientId, clientSecret: o.clientSecret ?? process.env.HOCBA_HBS_CLIENT_SECRET ?? 'bi-mat-thu-nghiem', faults: faults as SubmissionFault[], onSubmission: ({ n, keys, phase }) => void (phase === 'processed' && console.log(`submission ${n}: ${keys.length} record(s)`)) },
        o.port,
        o.host,
      );
      console.log(`Máy chủ tham chiếu CSDL HBS / reference HBS server: ${server.url} (client id "${o.clientId}")`);
      console.log(`  HOCBA_HBS_URL=${server.url} HOCBA_HBS_CLIENT_ID=${o.clientId} HOCBA_HBS_CLIENT_SECRET=… hocba sync run --school <code>`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
}
