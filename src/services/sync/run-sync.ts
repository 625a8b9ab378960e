/**
 * The sync engine (docs/sync.md "Exactly once, across crashes"): one run of one school to one
 * target. It first settles what an earlier run left unresolved (items 'sending' or 'pending')
 * by asking the server, queues what still needs sending, then sends batches: the items are
 * written 'sending' in a committed transaction before the call and the answer is stored after
 * it, so a kill at any point is repaired by the next run's status query and nothing the server
 * already holds is submitted again. Timeouts and 5xx are retried with exponential backoff,
 * asking the status before each resend.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { schools, syncItems, syncRuns } from '../../db/schema.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { packItems, queueCandidates, type PackedRecord } from './package-records.ts';
import { PermanentSyncError, TransientSyncError, type OutgoingBatch, type RecordResult, type SyncTransport } from './protocol.ts';

export interface RunSyncOptions {
  db: Db;
  schoolId: string;
  runId: string;
  transport: SyncTransport;
  /** Printed in the verification link sent to VNeID. */
  publicUrl: string;
  batchSize?: number;
  /** Retries after the first attempt of a call (default 4). */
  retries?: number;
  /** First backoff delay (default 1000 ms; doubled each time, capped at 60 s, ±20 % jitter). */
  backoffMs?: number;
  /** Status polls at the end of a run for items the server answered 'pending' (default 3). */
  pendingPolls?: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** Test hook: after a batch's items are recorded 'sending', before the call. */
  beforeSend?: (info: { batch: number; keys: string[] }) => void | Promise<void>;
}

export type RunOutcome = 'done' | 'failed' | 'stopped';

const DEFAULTS = { batchSize: Number(process.env.HOCBA_SYNC_BATCH_SIZE) || 20, retries: process.env.HOCBA_SYNC_RETRIES ? Number(process.env.HOCBA_SYNC_RETRIES) : 4 };

/** Exponential backoff with ±20 % jitter: base·2^attempt, at most 60 s. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const d = Math.min(60_000, baseMs * 2 ** attempt);
  return Math.round(d * (0.8 + 0.4 * random()));
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

class RunFailed extends Error {}

/** Stores the server's answers; 'unknown' puts a 'sending' item back to 'queued'. The keys settled. */
async function applyResults(tx: Tx, runId: string, target: string, results: RecordResult[]): Promise<Set<string>> {
  const settled = new Set<string>();
  const now = new Date();
  for (const r of results) {
    const base = { updatedAt: now, runId };
    if (r.status === 'accepted' || r.status === 'duplicate') {
      await tx.update(syncItems).set({ ...base, status: 'accepted', duplicate: r.status === 'duplicate', code: null, message: null, receiptId: r.receiptId ?? null, resolvedAt: now }).where(and(eq(syncItems.target, target), eq(syncItems.idempotencyKey, r.key)));
      settled.add(r.key);
    } else if (r.status === 'rejected') {
      await tx.update(syncItems).set({ ...base, status: 'rejected', code: (r.code ?? 'UNKNOWN').slice(0, 40), message: (r.message ?? '').slice(0, 2000), resolvedAt: now }).where(and(eq(syncItems.target, target), eq(syncItems.idempotencyKey, r.key)));
      settled.add(r.key);
    } else if (r.status === 'pending') {
      await tx.update(syncItems).set({ ...base, status: 'pending' }).where(and(eq(syncItems.target, target), eq(syncItems.idempotencyKey, r.key)));
      settled.add(r.key);
    } else {
      await tx.update(syncItems).set({ ...base, status: 'queued' }).where(and(eq(syncItems.target, target), eq(syncItems.idempotencyKey, r.key), inArray(syncItems.status, ['sending', 'pending'])));
    }
  }
  return settled;
}

/** Recomputes a run's counters from its items and touches its heartbeat. */
async function refreshRun(tx: Tx, runId: string, extra: { batches?: number; retries?: number } = {}): Promise<void> {
  const rows = await tx.select({ status: syncItems.status, n: sql<number>`count(*)::int` }).from(syncItems).where(eq(syncItems.runId, runId)).groupBy(syncItems.status);
  const c = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
  const total = rows.reduce((a, r) => a + r.n, 0);
  await tx
    .update(syncRuns)
    .set({
      total,
      done: total - (c.queued ?? 0) - (c.sending ?? 0),
      accepted: c.accepted ?? 0,
      rejected: c.rejected ?? 0,
      pending: c.pending ?? 0,
      invalid: c.invalid ?? 0,
      heartbeatAt: new Date(),
      ...(extra.batches ? { batches: sql`${syncRuns.batches} + ${extra.batches}` } : {}),
      ...(extra.retries ? { retries: sql`${syncRuns.retries} + ${extra.retries}` } : {}),
    })
    .where(eq(syncRuns.id, runId));
}

/** Runs (or resumes) one sync run to the end; never throws for a remote failure (the run says why). */
export async function runSync(opts: RunSyncOptions): Promise<RunOutcome> {
  const { db, schoolId, runId, transport } = opts;
  const target = transport.target;
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULTS.batchSize);
  const retries = Math.max(0, opts.retries ?? DEFAULTS.retries);
  const baseMs = opts.backoffMs ?? 1000;
  const log = opts.log ?? (() => undefined);
  const school = (fn: (tx: Tx) => Promise<unknown>) => inSchool(db, schoolId, fn);

  const claimed = await inSchool(db, schoolId, async (tx) => {
    const [r] = await tx
      .update(syncRuns)
      .set({ status: 'running', attempts: sql`${syncRuns.attempts} + 1`, startedAt: sql`coalesce(${syncRuns.startedAt}, now())`, heartbeatAt: new Date(), error: null })
      .where(and(eq(syncRuns.id, runId), inArray(syncRuns.status, ['queued', 'running']), eq(syncRuns.target, target)))
      .returning({ id: syncRuns.id });
    return r;
  });
  if (!claimed) return 'done';

  /** Calls fn with retries; before a retry, `onAmbiguous` may settle what the failed call did. */
  async function withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let last: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        await school((tx) => refreshRun(tx, runId, { retries: 1 }));
        await sleep(backoffDelay(attempt - 1, baseMs), opts.signal);
      }
      if (opts.signal?.aborted) throw new RunFailed('stopped');
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof TransientSyncError)) throw err;
        last = err;
        log(`${what}: ${err.message} (attempt ${attempt + 1}/${retries + 1})`);
      }
    }
    throw new RunFailed(`${what}: no answer after ${retries + 1} attempts (${last instanceof Error ? last.message : String(last)}); the next run resumes`);
  }

  async function reconcile(): Promise<void> {
    const open = (await school((tx) => tx.select({ key: syncItems.idempotencyKey }).from(syncItems).where(and(eq(syncItems.target, target), inArray(syncItems.status, ['sending', 'pending']))))) as Array<{ key: string }>;
    if (!open.length) return;
    const results = await withRetry('status', () => transport.status(open.map((o) => o.key), opts.signal));
    await school(async (tx) => {
      await applyResults(tx, runId, target, results);
      await refreshRun(tx, runId);
    });
    log(`settled ${open.length} item(s) left by an earlier run`);
  }

  async function sendBatch(batchNo: number, records: PackedRecord[]): Promise<void> {
    let remaining = records;
    let ambiguous = false;
    let lastErr: unknown;
    for (let attempt = 0; remaining.length; attempt++) {
      if (attempt > 0) {
        if (attempt > retries) throw new RunFailed(`lô ${batchNo} / batch ${batchNo}: no answer after ${retries + 1} attempts (${lastErr instanceof Error ? lastErr.message : String(lastErr)}); the next run resumes`);
        await school((tx) => refreshRun(tx, runId, { retries: 1 }));
        await sleep(backoffDelay(attempt - 1, baseMs), opts.signal);
        if (opts.signal?.aborted) throw new RunFailed('stopped');
      }
      try {
        if (ambiguous) {
          // The last call may have been (partly) processed: ask before sending anything again.
          const known = await transport.status(remaining.map((r) => r.manifest.key), opts.signal);
          const settled = (await school((tx) => applyResults(tx, runId, target, known.filter((k) => k.status !== 'unknown')))) as Set<string>;
          remaining = remaining.filter((r) => !settled.has(r.manifest.key));
          ambiguous = false;
          if (!remaining.length) break;
        }
        const batchKey = randomUUID();
        const keys = remaining.map((r) => r.manifest.key);
        // The intent is committed before the call: a kill after this line is settled by a status query.
        await school(async (tx) => {
          await tx
            .update(syncItems)
            .set({ status: 'sending', batchKey, attempts: sql`${syncItems.attempts} + 1`, sentAt: new Date(), updatedAt: new Date(), runId })
            .where(and(eq(syncItems.target, target), inArray(syncItems.idempotencyKey, keys)));
          await refreshRun(tx, runId, { batches: 1 });
        });
        await opts.beforeSend?.({ batch: batchNo, keys });
        const batch: OutgoingBatch = {
          batchKey,
          manifest: {
            schoolCode: keys[0]!.split(':')[1] ?? '',
            schoolYear: remaining[0]!.schoolYear,
            format: { id: 'hbs', version: '1' },
            createdAt: new Date().toISOString(),
            count: remaining.length,
            totalBytes: remaining.reduce((a, r) => a + r.xml.length + r.pdf.length, 0),
            records: remaining.map((r) => r.manifest),
          },
          documents: remaining.map((r) => ({ key: r.manifest.key, xml: r.xml, pdf: r.pdf, studentName: r.studentName, verifyUrl: r.verifyUrl })),
        };
        const results = await transport.submit(batch, opts.signal);
        const settled = (await school(async (tx) => {
          const s = await applyResults(tx, runId, target, results.filter((r) => keys.includes(r.key)));
          await refreshRun(tx, runId);
          return s;
        })) as Set<string>;
        remaining = remaining.filter((r) => !settled.has(r.manifest.key));
        // A record the answer did not mention is settled by a status query, like a timeout.
        if (remaining.length) ambiguous = true;
      } catch (err) {
        if (err instanceof PermanentSyncError) {
          // The whole request was refused: nothing of it is stored, the items go back to the queue.
          await school((tx) => tx.update(syncItems).set({ status: 'queued', updatedAt: new Date() }).where(and(eq(syncItems.target, target), eq(syncItems.status, 'sending'), inArray(syncItems.idempotencyKey, remaining.map((r) => r.manifest.key)))));
          throw new RunFailed(err.message);
        }
        if (!(err instanceof TransientSyncError)) throw err;
        lastErr = err;
        ambiguous = true;
        log(`batch ${batchNo}: ${err.message} (attempt ${attempt + 1}/${retries + 1})`);
      }
    }
  }

  async function finish(status: 'done' | 'failed', error: string | null): Promise<void> {
    await school(async (tx) => {
      await refreshRun(tx, runId);
      const [r] = await tx.update(syncRuns).set({ status, error, finishedAt: new Date() }).where(eq(syncRuns.id, runId)).returning();
      await appendAudit(tx, {
        actor: { userId: null, label: 'system (sync)' },
        schoolId,
        action: status === 'done' ? 'sync.finished' : 'sync.failed',
        targetType: 'sync_run',
        targetId: runId,
        after: { target, total: r?.total, accepted: r?.accepted, rejected: r?.rejected, pending: r?.pending, invalid: r?.invalid, error },
      });
    });
  }

  try {
    await reconcile();
    await school(async (tx) => {
      await queueCandidates(tx, schoolId, target);
      await tx.update(syncItems).set({ runId }).where(and(eq(syncItems.target, target), eq(syncItems.status, 'queued')));
      await refreshRun(tx, runId);
    });
    for (let batchNo = 1; ; batchNo++) {
      if (opts.signal?.aborted) throw new RunFailed('stopped');
      const items = (await school((tx) =>
        tx.select({ id: syncItems.id, versionId: syncItems.versionId, idempotencyKey: syncItems.idempotencyKey }).from(syncItems).where(and(eq(syncItems.target, target), eq(syncItems.status, 'queued'), eq(syncItems.runId, runId))).orderBy(syncItems.idempotencyKey).limit(batchSize),
      )) as Array<{ id: string; versionId: string; idempotencyKey: string }>;
      if (!items.length) break;
      const packed = (await school(async (tx) => {
        const p = await packItems(tx, items, opts.publicUrl);
        for (const bad of p.invalid) await tx.update(syncItems).set({ status: 'invalid', code: 'HOCBA-INVALID', message: bad.message.slice(0, 2000), updatedAt: new Date() }).where(eq(syncItems.id, bad.itemId));
        for (const ok of p.records) await tx.update(syncItems).set({ xmlSha256: ok.manifest.xmlSha256, pdfSha256: ok.manifest.pdfSha256 }).where(eq(syncItems.id, ok.itemId));
        await refreshRun(tx, runId);
        return p;
      })) as Awaited<ReturnType<typeof packItems>>;
      for (const bad of packed.invalid) log(`not sent: ${bad.message}`);
      // One school year per submission (docs/sync.md).
      const years = [...new Set(packed.records.map((r) => r.schoolYear))];
      for (const y of years) await sendBatch(batchNo, packed.records.filter((r) => r.schoolYear === y));
    }
    const polls = opts.pendingPolls ?? 3;
    for (let i = 0; i < polls; i++) {
      const pending = (await school((tx) => tx.select({ key: syncItems.idempotencyKey }).from(syncItems).where(and(eq(syncItems.runId, runId), eq(syncItems.status, 'pending'))))) as Array<{ key: string }>;
      if (!pending.length) break;
      await sleep(backoffDelay(i, baseMs), opts.signal);
      const results = await withRetry('status', () => transport.status(pending.map((p) => p.key), opts.signal));
      await school(async (tx) => {
        await applyResults(tx, runId, target, results.filter((r) => r.status !== 'unknown'));
        await refreshRun(tx, runId);
      });
    }
    await finish('done', null);
    return 'done';
  } catch (err) {
    if (err instanceof RunFailed && err.message === 'stopped') {
      // A stopping worker: the run waits for the next one (housekeeping queues it again).
      await school((tx) => tx.update(syncRuns).set({ status: 'queued' }).where(eq(syncRuns.id, runId)));
      return 'stopped';
    }
    const message = err instanceof RunFailed || err instanceof PermanentSyncError ? err.message : `lỗi hệ thống / internal: ${err instanceof Error ? err.message : String(err)}`;
    log(`run ${runId} failed: ${message}`);
    await finish('failed', message.slice(0, 2000));
    return 'failed';
  }
}

/** The code of a school (for keys and manifests). */
export async function schoolCodeOf(db: Db, schoolId: string): Promise<string> {
  return inSchool(db, schoolId, async (tx) => {
    const [s] = await tx.select({ code: schools.code }).from(schools).where(eq(schools.id, schoolId));
    if (!s) throw new Error(`school ${schoolId} not found`);
    return s.code;
  });
}
