/**
 * Background jobs on pg-boss, in the platform's own database (PGlite or PostgreSQL): typed
 * payloads per queue, one worker per queue in this process, a housekeeping pass at start and
 * every few minutes (resume what a stopped process left, purge what expired), and a clean
 * stop that lets the running job put its work back before the database closes.
 *
 * Progress is not kept in pg-boss: each job writes it to its own table (e.g. record_exports),
 * where row-level security scopes it to the school and the HTTP routes read it.
 */
import PgBoss from 'pg-boss';
import { JOBS_SETUP_LOCK_KEY, withAdvisoryLock, type Database } from '../db/client.ts';
import { bossDb } from './db-executor.ts';
import { recordExportJob, recordExportHousekeeping } from './record-export-job.ts';
import { syncHousekeeping, syncJob } from './sync-job.ts';
import { reminderHousekeeping, reminderJob } from './reminder-job.ts';
import { backupHousekeeping, backupJob } from './backup-job.ts';

/** Every queue and the payload its jobs carry. */
export interface JobPayloads {
  /** Build the ZIP of one records export (row in record_exports). */
  'records.export': { exportId: string; schoolId: string };
  /** Run (or resume) one sync run of a school (row in sync_runs). */
  'sync.run': { runId: string; schoolId: string };
  /** The daily plan run of one school: progress snapshot and reminder digests (reminder-job.ts). */
  'plan.daily': { schoolId: string; day: string };
  /** The deployment's daily backup (backup-job.ts); `day` (UTC) only names it. */
  'backup.daily': { day: string };
}

export type JobName = keyof JobPayloads;

export interface JobContext {
  database: Database;
  publicUrl: string;
  /** Aborted when the runner stops: a job stops between two steps and leaves its work resumable. */
  signal: AbortSignal;
  log: (message: string) => void;
  /** A running job's row without a heartbeat for this long was left by a dead instance (HOCBA_JOB_STALE_SECONDS; unset: each job's default). */
  staleMs?: number;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], ctx: JobContext) => Promise<void>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

/**
 * Queues a job; used by housekeeping to re-send work. `takeOver` (singleton queues): the work's
 * own row says its worker stopped reporting, so a job of the same key still 'active' in
 * pg-boss belongs to a dead instance — it is failed first, or it would block the key (and,
 * being the oldest job, the queue) until it expires hours later.
 */
export type SendJob = <N extends JobName>(name: N, payload: JobPayloads[N], opts?: { takeOver?: boolean }) => Promise<string>;
export type Housekeeping = (ctx: JobContext, send: SendJob) => Promise<void>;

const QUEUES: { [N in JobName]: { expireInSeconds: number; policy?: 'singleton'; singletonKey?: (p: JobPayloads[N]) => string } } = {
  // A whole school's PDFs take minutes (docs/benchmarks.md); pg-boss allows at most 24 h.
  'records.export': { expireInSeconds: 6 * 3600 },
  // At most one active sync per school (pg-boss singleton policy, keyed by school).
  'sync.run': { expireInSeconds: 6 * 3600, policy: 'singleton', singletonKey: (p) => p.schoolId },
  // The daily reminders of one school: idempotent by (person, day), so a duplicate is harmless.
  'plan.daily': { expireInSeconds: 3600 },
  // One backup at a time across every server of the database; the job re-checks it is due.
  'backup.daily': { expireInSeconds: 6 * 3600, policy: 'singleton', singletonKey: () => 'backup' },
};

const DEFAULT_HANDLERS: JobHandlers = { 'records.export': recordExportJob, 'sync.run': syncJob, 'plan.daily': reminderJob, 'backup.daily': backupJob };

export interface JobRunner {
  /** Starts pg-boss (creating its schema on first use), the workers and housekeeping. Idempotent. */
  start(): Promise<void>;
  /** Queues a job (starting the runner first if needed) and wakes the local worker; the job id. */
  send: SendJob;
  /** Stops the workers (a running job gets `signal` aborted and up to `graceMs` to wind down). */
  stop(): Promise<void>;
  readonly started: boolean;
}

export interface JobRunnerOptions {
  database: Database;
  publicUrl: string;
  handlers?: Partial<JobHandlers>;
  housekeeping?: Housekeeping[];
  /** How often idle workers look for jobs (a job sent from this process wakes them at once). */
  pollingIntervalSeconds?: number;
  housekeepingEveryMs?: number;
  graceMs?: number;
  log?: (message: string) => void;
}

const RUNNERS = new WeakMap<Database, JobRunner>();

/** A positive number of seconds from the environment, or undefined when unset. */
function secondsFromEnv(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds, got "${raw}"`);
  return n;
}

/** The runner created for this database in this process (routes other than its creator's queue jobs through it). */
export function jobRunnerFor(database: Database): JobRunner | undefined {
  return RUNNERS.get(database);
}

/** A job runner for the database; nothing runs until start() or the first send(). */
export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const log = opts.log ?? ((m: string) => console.error(`[jobs] ${m}`));
  const handlers: JobHandlers = { ...DEFAULT_HANDLERS, ...opts.handlers };
  const housekeeping = opts.housekeeping ?? [recordExportHousekeeping, syncHousekeeping, reminderHousekeeping, backupHousekeeping];
  const abort = new AbortController();
  const staleSeconds = secondsFromEnv('HOCBA_JOB_STALE_SECONDS');
  const ctx: JobContext = { database: opts.database, publicUrl: opts.publicUrl, signal: abort.signal, log, ...(staleSeconds ? { staleMs: staleSeconds * 1000 } : {}) };
  const workers = new Map<JobName, string>();
  let boss: PgBoss | null = null;
  let starting: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const sendNow: SendJob = async (name, payload, sendOpts) => {
    if (!boss) throw new Error(`job runner: cannot queue ${name}, the runner is not started`);
    const q = QUEUES[name] as { expireInSeconds: number; singletonKey?: (p: typeof payload) => string };
    if (sendOpts?.takeOver && q.singletonKey) {
      const key = q.singletonKey(payload);
      const stale = await opts.database.query<{ id: string }>(`select id::text as id from pgboss.job where name = $1 and singleton_key = $2 and state = 'active'`, [name, key]);
      if (stale.length) {
        for (const j of stale) await boss.fail(name, j.id, { message: 'taken over: the instance running it stopped reporting' });
        log(`${name} ${key}: took over ${stale.length} job(s) left active by a stopped instance`);
      }
    }
    const id = await boss.send(name, payload, { retryLimit: 0, expireInSeconds: q.expireInSeconds, ...(q.singletonKey ? { singletonKey: q.singletonKey(payload) } : {}) });
    if (!id) throw new Error(`job runner: pg-boss did not accept a ${name} job`);
    const worker = workers.get(name);
    if (worker) boss.notifyWorker(worker);
    return id;
  };

  const runHousekeeping = async () => {
    for (const h of housekeeping) {
      try {
        await h(ctx, sendNow);
      } catch (err) {
        log(`housekeeping failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  async function doStart(): Promise<void> {
    const b = new PgBoss({ db: bossDb(opts.database), schedule: false, supervise: true, migrate: true });
    // Without a listener an 'error' event (e.g. a poll while the database restarts) would crash the process.
    b.on('error', (err: Error) => log(`pg-boss: ${err.message}`));
    // Instances starting together on a fresh PostgreSQL deadlocked in createQueue (found by
    // deploy12 with two `hocba serve` at once): they take turns setting up schema and queues.
    await withAdvisoryLock(opts.database, JOBS_SETUP_LOCK_KEY, async () => {
      await b.start();
      for (const name of Object.keys(QUEUES) as JobName[]) {
        const policy = (QUEUES[name] as { policy?: 'singleton' }).policy;
        if (!(await b.getQueue(name))) await b.createQueue(name, { name, retryLimit: 0, expireInSeconds: QUEUES[name].expireInSeconds, ...(policy ? { policy } : {}) });
      }
    });
    boss = b;
    for (const name of Object.keys(QUEUES) as JobName[]) {
      const handler = handlers[name] as JobHandler<JobName>;
      const id = await b.work<JobPayloads[JobName]>(name, { batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async (jobs) => {
        for (const job of jobs) await handler(job.data, ctx);
      });
      workers.set(name, id);
    }
    await runHousekeeping();
    // Housekeeping is also how work left by a dead instance is picked up by the live ones.
    timer = setInterval(() => void runHousekeeping(), opts.housekeepingEveryMs ?? (secondsFromEnv('HOCBA_JOB_HOUSEKEEPING_SECONDS') ?? 600) * 1000);
    timer.unref();
  }

  const runner: JobRunner = {
    get started() {
      return boss !== null;
    },
    start() {
      if (stopped) return Promise.reject(new Error('job runner: already stopped'));
      starting ??= doStart().catch((err: unknown) => {
        starting = null;
        throw err;
      });
      return starting;
    },
    async send(name, payload) {
      await this.start();
      return sendNow(name, payload);
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      abort.abort();
      if (starting) await starting.catch(() => undefined);
      if (!boss) return;
      const b = boss;
      await b.stop({ graceful: true, wait: true, timeout: opts.graceMs ?? 15_000 });
      boss = null;
    },
  };
  RUNNERS.set(opts.database, runner);
  return runner;
}
