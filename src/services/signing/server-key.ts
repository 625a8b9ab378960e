/**
 * Signing a batch with a key the person does not hold in the browser: a server-held key
 * (keyRef {kind:'file'}: the demo staff keys and the school seal; the person re-enters their
 * account password as the "PIN", checked like the sign-in does), or — in remote-signing.ts —
 * a remote CSC credential the person approves on their phone. Either way every digest still
 * waiting is signed and the items are completed, each in its own transaction.
 */
import { eq, inArray, and } from 'drizzle-orm';
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

/**
 * Signs every pending (and failed, to retry) item of the person's batch with the signer that
 * `signerFor` makes for the batch's certificate, `chunk` digests per signer call, completing
 * each chunk before the next; with `max`, only the first `max` waiting items (the browser
 * signs a long batch in short requests, each showing progress). not_found unless the batch is the actor's; the school seal
 * only for a clerk; signing.certificate_changed when the active certificate is no longer the
 * one the batch was prepared with. `describe` turns a signer failure into a DomainError.
 */
export async function signWaitingItems(
  opts: BatchSigningOptions,
  signerFor: (cert: SigningCertificate, batch: WaitingBatch) => Promise<Signer>,
  settings: { chunk: number; describe?: (e: unknown, cert: SigningCertificate) => DomainError; max?: number },
): Promise<CompleteResult> {
  const { batch, items, cert } = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [batch] = await tx.select().from(signingBatches).where(eq(signingBatches.id, opts.batchId));
    if (!batch || batch.createdBy !== opts.actor.userId) throw new DomainError('not_found', { what: 'lượt ký / signing batch' });
    const items = await tx
      .select({ id: signingBatchItems.id, digest: signingBatchItems.digest, status: signingBatchItems.status })
      .from(signingBatchItems)
      .where(and(eq(signingBatchItems.batchId, batch.id), inArray(signingBatchItems.status, ['pending', 'failed'])))
      .orderBy(signingBatchItems.position);
    const cert = await activeCertificate(tx, opts.schoolId, certificateOwner(batch.step as SigningStep, opts.actor.userId));
    return { batch, items, cert };
  });
  if (batch.step === 'seal' && !opts.actor.roles.has('clerk')) throw new DomainError('forbidden');
  if (!cert || cert.id !== batch.certificateId) throw new DomainError('signing.certificate_changed');
  // Pending before failed: a limited request moves the batch forward before retrying failures.
  const todo = [...items.filter((x) => x.digest && x.status === 'pending'), ...items.filter((x) => x.digest && x.status !== 'pending')].slice(0, settings.max ?? Infinity);
  const out: CompleteResult = { batchId: batch.id, results: [], progress: { total: 0, pending: 0, signed: 0, failed: 0, refused: 0 } };
  if (todo.length === 0) {
    const r = await completeSigningItems({ ...opts, values: [] });
    out.progress = r.progress;
    return out;
  }
  const signer = await signerFor(cert, { step: batch.step as SigningStep, count: todo.length });
  try {
    for (let i = 0; i < todo.length; i += settings.chunk) {
      const chunk = todo.slice(i, i + settings.chunk);
      let values: Uint8Array[];
      try {
        values = await signer.signDigests({ algorithm: batch.algorithm as SignatureAlgorithm, items: chunk.map((x) => ({ digest: new Uint8Array(Buffer.from(x.digest!, 'base64')) })) });
      } catch (e) {
        throw settings.describe ? settings.describe(e, cert) : engineError(e, `server key of ${cert.subject}`);
      }
      const r = await completeSigningItems({ ...opts, values: chunk.map((x, k) => ({ itemId: x.id, signatureValue: values[k]! })) });
      out.results.push(...r.results);
      out.progress = r.progress;
    }
  } finally {
    await signer.close?.();
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
