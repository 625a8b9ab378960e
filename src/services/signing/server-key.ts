/**
 * Signing a batch with a key the person does not hold in the browser: a server-held key
 * (keyRef {kind:'file'}: the demo staff keys and the school seal; the person re-enters their
 * account password as the "PIN", checked like the sign-in does), or — in remote-signing.ts —
 * a remote CSC credential the person approves on their phone. Either way every digest still
 * waiting is signed and the items are completed, each in its own transaction.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { signingBatches, signingBatchItems, users } from '../../db/schema.ts';
import { DomainError, type Lang } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { SignatureAlgorithm, Signer } from '../../signing/signer.ts';
import type { Actor } from '../audit/append-audit.ts';
import { verifyPassword } from '../auth/password-hash.ts';
import { activeCertificate, type SigningCertificate } from '../certificates/signing-certificates.ts';
import { completeSigningItems, type CompleteResult } from './complete-batch.ts';
import { certificateOwner } from './prepare-batch.ts';
import { serverSigner } from './server-signer.ts';
import { engineError, type SigningEnv } from './signing-env.ts';
import type { SigningStep } from '../../domain/record/signing-order.ts';

/** Digests signed per call to a server-held key (keeps memory flat on a whole-school batch). */
const CHUNK = 200;

export interface BatchSigningOptions {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  batchId: string;
  env: SigningEnv;
  now?: () => Date;
  lang?: Lang;
}

/** What the signer of a batch is told about it (for a remote approval screen). */
export interface WaitingBatch {
  step: SigningStep;
  count: number;
}

/** How long a claim on batch items lasts without progress (HOCBA_SIGNING_LEASE_SECONDS, default 60). */
export function claimLeaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HOCBA_SIGNING_LEASE_SECONDS?.trim();
  if (!raw) return 60_000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1) throw new Error(`HOCBA_SIGNING_LEASE_SECONDS must be a number of seconds (at least 1), got "${raw}"`);
  return Math.round(n * 1000);
}

/** Items waiting to be signed that no live request holds: pending ones first, then failed (to retry). */
const claimable = (batchId: string, token?: string) =>
  and(
    eq(signingBatchItems.batchId, batchId),
    inArray(signingBatchItems.status, ['pending', 'failed']),
    isNotNull(signingBatchItems.digest),
    or(isNull(signingBatchItems.claimedUntil), lt(signingBatchItems.claimedUntil, sql`now()`)),
    // A request never takes back what it already tried (a failure is retried by the next request).
    ...(token ? [or(isNull(signingBatchItems.claimToken), ne(signingBatchItems.claimToken, token))] : []),
  );

/**
 * Claims up to `n` waiting items of the batch for the request `token`, for `leaseMs`.
 * Row locks with SKIP LOCKED make concurrent requests (on any instance) take disjoint items;
 * an item whose claim expired — its request or its whole instance died — is claimable again.
 */
async function claimItems(opts: BatchSigningOptions, token: string, n: number, leaseMs: number) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const picked = await tx
      .select({ id: signingBatchItems.id })
      .from(signingBatchItems)
      .where(claimable(opts.batchId, token))
      .orderBy(sql`(${signingBatchItems.status} = 'pending') desc`, signingBatchItems.position)
      .limit(n)
      .for('update', { skipLocked: true });
    if (picked.length === 0) return [];
    return tx
      .update(signingBatchItems)
      .set({ claimToken: token, claimedUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
      .where(inArray(signingBatchItems.id, picked.map((p) => p.id)))
      .returning({ id: signingBatchItems.id, digest: signingBatchItems.digest, status: signingBatchItems.status, position: signingBatchItems.position });
  });
}

/** Lets go of what the request still holds (unsigned items: failed or never reached). */
async function releaseClaims(opts: BatchSigningOptions, token: string) {
  await inSchool(opts.db, opts.schoolId, (tx) =>
    tx.update(signingBatchItems).set({ claimToken: null, claimedUntil: null }).where(and(eq(signingBatchItems.batchId, opts.batchId), eq(signingBatchItems.claimToken, token))),
  );
}

/**
 * Signs every pending (and failed, to retry) item of the person's batch with the signer that
 * `signerFor` makes for the batch's certificate, `chunk` digests per signer call, completing
 * each chunk before the next; with `max`, at most `max` items (the browser signs a long batch
 * in short requests, each showing progress). Items are CLAIMED a chunk at a time with a lease
 * (`leaseMs`, renewed as items complete), so requests running at once — two tabs, a retry,
 * two server instances — sign disjoint items, and items held by a request that died become
 * claimable when its lease runs out; items another request holds are left to it (the answer's
 * progress still counts them pending). not_found unless the batch is the actor's; the school
 * seal only for a clerk; signing.certificate_changed when the active certificate is no longer
 * the one the batch was prepared with. `describe` turns a signer failure into a DomainError.
 */
export async function signWaitingItems(
  opts: BatchSigningOptions,
  signerFor: (cert: SigningCertificate, batch: WaitingBatch) => Promise<Signer>,
  settings: { chunk: number; describe?: (e: unknown, cert: SigningCertificate) => DomainError; max?: number; leaseMs?: number },
): Promise<CompleteResult> {
  const { batch, waiting, cert } = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [batch] = await tx.select().from(signingBatches).where(eq(signingBatches.id, opts.batchId));
    if (!batch || batch.createdBy !== opts.actor.userId) throw new DomainError('not_found', { what: 'lượt ký / signing batch' });
    const [w] = await tx.select({ n: sql<number>`count(*)::int` }).from(signingBatchItems).where(claimable(batch.id));
    const cert = await activeCertificate(tx, opts.schoolId, certificateOwner(batch.step as SigningStep, opts.actor.userId));
    return { batch, waiting: Number(w?.n ?? 0), cert };
  });
  if (batch.step === 'seal' && !opts.actor.roles.has('clerk')) throw new DomainError('forbidden');
  if (!cert || cert.id !== batch.certificateId) throw new DomainError('signing.certificate_changed');
  const max = Math.min(settings.max ?? Infinity, waiting);
  const out: CompleteResult = { batchId: batch.id, results: [], progress: { total: 0, pending: 0, signed: 0, failed: 0, refused: 0 } };
  if (max === 0) {
    const r = await completeSigningItems({ ...opts, values: [] });
    out.progress = r.progress;
    return out;
  }
  const leaseMs = settings.leaseMs ?? claimLeaseMs();
  const token = randomUUID();
  const signer = await signerFor(cert, { step: batch.step as SigningStep, count: max });
  try {
    let taken = 0;
    while (taken < max) {
      const chunk = await claimItems(opts, token, Math.min(settings.chunk, max - taken), leaseMs);
      if (chunk.length === 0) break;
      taken += chunk.length;
      // Pending before failed, in batch order (UPDATE … RETURNING keeps no order).
      chunk.sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending') || a.position - b.position);
      let values: Uint8Array[];
      try {
        values = await signer.signDigests({ algorithm: batch.algorithm as SignatureAlgorithm, items: chunk.map((x) => ({ digest: new Uint8Array(Buffer.from(x.digest!, 'base64')) })) });
      } catch (e) {
        throw settings.describe ? settings.describe(e, cert) : engineError(e, `server key of ${cert.subject}`);
      }
      const r = await completeSigningItems({ ...opts, values: chunk.map((x, k) => ({ itemId: x.id, signatureValue: values[k]! })), claim: { token, leaseMs } });
      out.results.push(...r.results);
      out.progress = r.progress;
    }
    if (taken === 0) out.progress = (await completeSigningItems({ ...opts, values: [] })).progress;
  } finally {
    try {
      await releaseClaims(opts, token);
    } finally {
      await signer.close?.();
    }
  }
  return out;
}

/**
 * Signs all pending (and failed, to retry) items of the person's batch with the server-held
 * key of the batch's certificate (at most `max` of them). auth.invalid_credentials on a wrong password;
 * signing.no_server_key when the certificate's key is not on the server; the school seal
 * key only for a clerk.
 */
export async function signBatchWithServerKey(opts: BatchSigningOptions & { password: string; max?: number }): Promise<CompleteResult> {
  const [u] = await opts.db.select({ passwordHash: users.passwordHash, disabledAt: users.disabledAt }).from(users).where(eq(users.id, opts.actor.userId));
  if (!u || u.disabledAt || !(await verifyPassword(u.passwordHash, opts.password))) throw new DomainError('auth.invalid_credentials');
  return signWaitingItems(opts, (cert) => serverSigner(cert, opts.env), { chunk: CHUNK, ...(opts.max !== undefined ? { max: opts.max } : {}) });
}
