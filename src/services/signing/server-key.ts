/**
 * Signing a batch with a server-held key (keyRef {kind:'file'}: the demo staff keys and the
 * school seal). The person re-enters their account password as the "PIN" — checked like
 * the sign-in does — and the server signs every digest still waiting in one go, then
 * completes the items (each in its own transaction).
 */
import { eq, inArray, and } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { signingBatches, signingBatchItems, users } from '../../db/schema.ts';
import { DomainError, type Lang } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { SignatureAlgorithm } from '../../signing/signer.ts';
import type { Actor } from '../audit/append-audit.ts';
import { verifyPassword } from '../auth/password-hash.ts';
import { activeCertificate } from '../certificates/signing-certificates.ts';
import { completeSigningItems, type CompleteResult } from './complete-batch.ts';
import { certificateOwner } from './prepare-batch.ts';
import { serverSigner } from './server-signer.ts';
import { engineError, type SigningEnv } from './signing-env.ts';
import type { SigningStep } from '../../domain/record/signing-order.ts';

/** Digests signed per call to the key (keeps memory flat on a whole-school batch). */
const CHUNK = 200;

/**
 * Signs all pending (and failed, to retry) items of the person's batch with the server-held
 * key of the batch's certificate. auth.invalid_credentials on a wrong password;
 * signing.no_server_key when the certificate's key is not on the server; the school seal
 * key only for a clerk.
 */
export async function signBatchWithServerKey(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; batchId: string; password: string; env: SigningEnv; now?: () => Date; lang?: Lang }): Promise<CompleteResult> {
  const [u] = await opts.db.select({ passwordHash: users.passwordHash, disabledAt: users.disabledAt }).from(users).where(eq(users.id, opts.actor.userId));
  if (!u || u.disabledAt || !(await verifyPassword(u.passwordHash, opts.password))) throw new DomainError('auth.invalid_credentials');
  const { batch, items, cert } = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [batch] = await tx.select().from(signingBatches).where(eq(signingBatches.id, opts.batchId));
    if (!batch || batch.createdBy !== opts.actor.userId) throw new DomainError('not_found', { what: 'lượt ký / signing batch' });
    const items = await tx
      .select({ id: signingBatchItems.id, digest: signingBatchItems.digest, label: signingBatchItems.label })
      .from(signingBatchItems)
      .where(and(eq(signingBatchItems.batchId, batch.id), inArray(signingBatchItems.status, ['pending', 'failed'])))
      .orderBy(signingBatchItems.position);
    const cert = await activeCertificate(tx, opts.schoolId, certificateOwner(batch.step as SigningStep, opts.actor.userId));
    return { batch, items, cert };
  });
  if (batch.step === 'seal' && !opts.actor.roles.has('clerk')) throw new DomainError('forbidden');
  if (!cert || cert.id !== batch.certificateId) throw new DomainError('signing.certificate_changed');
  const signer = await serverSigner(cert, opts.env);
  const out: CompleteResult = { batchId: batch.id, results: [], progress: { total: 0, pending: 0, signed: 0, failed: 0, refused: 0 } };
  try {
    const todo = items.filter((x) => x.digest);
    for (let i = 0; i < todo.length; i += CHUNK) {
      const chunk = todo.slice(i, i + CHUNK);
      let values: Uint8Array[];
      try {
        values = await signer.signDigests({ algorithm: batch.algorithm as SignatureAlgorithm, items: chunk.map((x) => ({ digest: new Uint8Array(Buffer.from(x.digest!, 'base64')) })) });
      } catch (e) {
        throw engineError(e, `server key of ${cert.subject}`);
      }
      const r = await completeSigningItems({ ...opts, values: chunk.map((x, k) => ({ itemId: x.id, signatureValue: values[k]! })) });
      out.results.push(...r.results);
      out.progress = r.progress;
    }
    if (todo.length === 0) {
      const r = await completeSigningItems({ ...opts, values: [] });
      out.progress = r.progress;
    }
  } finally {
    await signer.close?.();
  }
  return out;
}
