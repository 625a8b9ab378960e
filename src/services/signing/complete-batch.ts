/**
 * Batch signing, step 2: the signature values come back (from the agent, a remote service
 * or a server-held key) and each item completes in ONE TRANSACTION OF ITS OWN: lock the
 * version row, decide again on the facts as they are now, check the certificate is still
 * the signer's active one, splice the signature into the current document (rebased, so
 * teachers signing their own rows of one record in parallel do not collide), append the
 * record_signatures row, move the state, audit, and — for the seal — produce the sealed
 * PDF. A crash or a failure leaves each record either fully signed for the step or
 * untouched; the batch can be completed again later (signed items are skipped).
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { recordSignatures, recordVersions, signingBatches, signingBatchItems } from '../../db/schema.ts';
import { DomainError, type ErrorCode, type Lang } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import { decideSigning, stateAfterSigning, type SigningStep } from '../../domain/record/signing-order.ts';
import type { SignatureAlgorithm } from '../../signing/signer.ts';
import { completeXadesSignature, type XadesSigningState } from '../../signing/xades/index.ts';
import type { BatchItemView, BatchProgress, BatchView, CompleteResult, ItemStatus } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { activeCertificate, checkCertificateNow, type SigningCertificate } from '../certificates/signing-certificates.ts';
import { supersedePredecessors } from '../corrections/versions.ts';
import { certificateOwner, type ItemLabel, type StoredState } from './prepare-batch.ts';
import { signatureDocumentColumns } from '../records/document-store.ts';
import { delegationsOf, documentAt, loadRecord } from './record-facts.ts';
import { produceSealedPdf } from './seal-pdf.ts';
import { serverSigner } from './server-signer.ts';
import { engineError, refusalError, type SigningEnv } from './signing-env.ts';

export type { BatchItemView, BatchProgress, BatchView, CompleteResult, ItemStatus };

type BatchRow = typeof signingBatches.$inferSelect;
type ItemRow = typeof signingBatchItems.$inferSelect;

/** The batch, if it exists in the school and belongs to the person (anyone else gets not_found). */
async function ownBatch(tx: Tx, batchId: string, userId: string): Promise<BatchRow> {
  const [b] = await tx.select().from(signingBatches).where(eq(signingBatches.id, batchId));
  if (!b || b.createdBy !== userId) throw new DomainError('not_found', { what: 'lượt ký / signing batch' });
  return b;
}

function progressOf(items: Pick<ItemRow, 'status'>[]): BatchProgress {
  const p: BatchProgress = { total: items.length, pending: 0, signed: 0, failed: 0, refused: 0 };
  for (const i of items) p[i.status as ItemStatus] += 1;
  return p;
}

function errorView(row: Pick<ItemRow, 'errorCode' | 'errorParams'>, lang: Lang) {
  if (!row.errorCode) return null;
  return { code: row.errorCode, message: new DomainError(row.errorCode as ErrorCode, row.errorParams ?? {}).localized(lang) };
}

/** A batch with every item, its status and progress (the creator only). */
export async function getSigningBatch(opts: { db: Db; actor: ActorScope; schoolId: string; batchId: string; lang?: Lang; now?: Date }): Promise<BatchView> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const b = await ownBatch(tx, opts.batchId, opts.actor.userId);
    const items = await tx.select().from(signingBatchItems).where(eq(signingBatchItems.batchId, b.id)).orderBy(asc(signingBatchItems.position));
    return {
      batchId: b.id,
      step: b.step as SigningStep,
      algorithm: b.algorithm as SignatureAlgorithm,
      certificateId: b.certificateId,
      createdAt: b.createdAt.toISOString(),
      expiresAt: b.expiresAt.toISOString(),
      expired: (opts.now ?? new Date()) > b.expiresAt,
      progress: progressOf(items),
      items: items.map((i) => ({
        itemId: i.id,
        versionId: i.versionId,
        signatureId: i.signatureId,
        label: i.label as ItemLabel,
        status: i.status as ItemStatus,
        digest: i.status === 'pending' || i.status === 'failed' ? i.digest : null,
        error: errorView(i, opts.lang ?? 'vi'),
      })),
    };
  });
}

/** The person's recent batches, newest first, with progress (for the "lượt ký" list). */
export async function listSigningBatches(opts: { db: Db; actor: ActorScope; schoolId: string; limit?: number; now?: Date }) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const batches = await tx
      .select()
      .from(signingBatches)
      .where(eq(signingBatches.createdBy, opts.actor.userId))
      .orderBy(desc(signingBatches.createdAt))
      .limit(Math.min(opts.limit ?? 20, 100));
    if (batches.length === 0) return [];
    const counts = await tx
      .select({ batchId: signingBatchItems.batchId, status: signingBatchItems.status, n: sql<number>`count(*)::int` })
      .from(signingBatchItems)
      .where(inArray(signingBatchItems.batchId, batches.map((b) => b.id)))
      .groupBy(signingBatchItems.batchId, signingBatchItems.status);
    const now = opts.now ?? new Date();
    return batches.map((b) => {
      const progress: BatchProgress = { total: 0, pending: 0, signed: 0, failed: 0, refused: 0 };
      for (const c of counts) if (c.batchId === b.id) {
        progress[c.status as ItemStatus] += Number(c.n);
        progress.total += Number(c.n);
      }
      return { batchId: b.id, step: b.step as SigningStep, target: b.target, createdAt: b.createdAt.toISOString(), expiresAt: b.expiresAt.toISOString(), expired: now > b.expiresAt, progress };
    });
  });
}

function isUniqueViolation(e: unknown): boolean {
  let c: unknown = e;
  for (let i = 0; i < 5 && c; i++) {
    if ((c as { code?: string }).code === '23505') return true;
    c = (c as { cause?: unknown }).cause;
  }
  return false;
}

const b64 = (v: string | Uint8Array): Uint8Array => {
  if (typeof v !== 'string') return v;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length > 4096) throw new DomainError('signing.signature_invalid', { detail: 'the signature value is not base64 (at most 4 KB)' });
  return new Uint8Array(Buffer.from(v, 'base64'));
};

/**
 * Completes items of a batch with their signature values (base64 or bytes). Each item is
 * its own transaction; already signed items are skipped; a failure marks that item failed
 * with the reason and changes nothing else. The whole call is refused when the batch is
 * expired, not the person's, or their certificate is no longer valid and unrevoked.
 */
export async function completeSigningItems(opts: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  batchId: string;
  values: { itemId: string; signatureValue: string | Uint8Array }[];
  env: SigningEnv;
  now?: () => Date;
  lang?: Lang;
  /** The claim of a server-key / remote request: renewed after each item so its lease outlasts a long chunk. */
  claim?: { token: string; leaseMs: number };
}): Promise<CompleteResult> {
  const clock = opts.now ?? (() => new Date());
  const lang = opts.lang ?? 'vi';
  const { batch, items, cert, delegations } = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const batch = await ownBatch(tx, opts.batchId, opts.actor.userId);
    if (clock() > batch.expiresAt) throw new DomainError('signing.batch_expired', { at: batch.expiresAt.toISOString() });
    const ids = [...new Set(opts.values.map((v) => v.itemId))];
    const items = ids.length ? await tx.select().from(signingBatchItems).where(and(eq(signingBatchItems.batchId, batch.id), inArray(signingBatchItems.id, ids))) : [];
    const cert = await activeCertificate(tx, opts.schoolId, certificateOwner(batch.step as SigningStep, opts.actor.userId));
    const delegations = batch.step === 'principal' ? await delegationsOf(tx, opts.actor.userId) : [];
    return { batch, items, cert, delegations };
  });
  const step = batch.step as SigningStep;
  if (!cert || cert.id !== batch.certificateId) throw new DomainError('signing.certificate_changed');
  const check = await checkCertificateNow(cert, opts.env.trust);
  if (!check.ok) throw new DomainError('signing.certificate_invalid', { reason: `${check.reason}: ${check.message}` });
  const byId = new Map(items.map((i) => [i.id, i]));
  const results: CompleteResult['results'] = [];
  for (const v of opts.values) {
    const item = byId.get(v.itemId);
    if (!item) throw new DomainError('not_found', { what: `mục ${v.itemId} của lượt ký / item ${v.itemId} of the batch` });
    if (item.status === 'signed' || item.status === 'refused') {
      results.push({ itemId: item.id, versionId: item.versionId, status: 'skipped', error: errorView(item, lang) });
      continue;
    }
    try {
      const value = b64(v.signatureValue);
      const done = await completeItem({ ...opts, batch, item, cert, delegations, value, step, now: clock() });
      results.push({ itemId: item.id, versionId: item.versionId, status: done, error: null });
    } catch (e) {
      const err = isUniqueViolation(e)
        ? new DomainError('signing.already_signed', { step, subjects: item.subjects.length ? ` (${item.subjects.join(', ')})` : '' })
        : engineError(e, `signature ${item.signatureId ?? '?'}`);
      if (!(err.code as string).startsWith('signing.') && err.code !== 'not_found') console.error('signing: unexpected failure', e);
      // Never over a success: another request (another instance) may have signed it meanwhile.
      await inSchool(opts.db, opts.schoolId, (tx) =>
        tx.update(signingBatchItems).set({ status: 'failed', errorCode: err.code, errorParams: err.params, errorMessage: err.localized('en'), updatedAt: clock() }).where(and(eq(signingBatchItems.id, item.id), ne(signingBatchItems.status, 'signed'))),
      );
      results.push({ itemId: item.id, versionId: item.versionId, status: 'failed', error: { code: err.code, message: err.localized(lang) } });
    }
    if (opts.claim) {
      const { token, leaseMs } = opts.claim;
      await inSchool(opts.db, opts.schoolId, (tx) =>
        tx
          .update(signingBatchItems)
          .set({ claimedUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
          .where(and(eq(signingBatchItems.batchId, batch.id), eq(signingBatchItems.claimToken, token), ne(signingBatchItems.status, 'signed'))),
      );
    }
  }
  const all = await inSchool(opts.db, opts.schoolId, (tx) => tx.select({ status: signingBatchItems.status }).from(signingBatchItems).where(eq(signingBatchItems.batchId, batch.id)));
  return { batchId: batch.id, results, progress: progressOf(all) };
}

async function completeItem(o: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  env: SigningEnv;
  batch: BatchRow;
  item: ItemRow;
  cert: SigningCertificate;
  delegations: Awaited<ReturnType<typeof delegationsOf>>;
  value: Uint8Array;
  step: SigningStep;
  now: Date;
}): Promise<'signed' | 'skipped'> {
  const { item, step } = o;
  if (!item.prepared || !item.signatureId) throw new DomainError('signing.nothing_to_sign', { step });
  // The seal's PDF is signed with the seal key, which must be held by the server.
  const pdfSigner = step === 'seal' ? await serverSigner(o.cert, o.env) : null;
  return inSchool(o.db, o.schoolId, async (tx) => {
    // The item row first: a request completing the same item at the same time (another tab,
    // a retry, another server instance) waits here and then finds it signed: skipped, not failed.
    const [now] = await tx.select({ status: signingBatchItems.status }).from(signingBatchItems).where(eq(signingBatchItems.id, item.id)).for('update');
    if (!now || now.status === 'signed' || now.status === 'refused') return 'skipped' as const;
    const rec = await loadRecord(tx, item.versionId, { lock: true });
    const [dup] = await tx.select({ id: recordSignatures.id }).from(recordSignatures).where(and(eq(recordSignatures.versionId, rec.versionId), eq(recordSignatures.signatureId, item.signatureId!)));
    if (dup) throw new DomainError('signing.already_signed', { step, subjects: item.subjects.length ? ` (${item.subjects.join(', ')})` : '' });
    const decided = decideSigning(rec.facts, step, { userId: o.actor.userId, roles: [...o.actor.roles], delegations: o.delegations }, o.now, step === 'subject' ? item.subjects : undefined);
    if (!decided.ok) throw refusalError(decided.refusal);
    const active = await activeCertificate(tx, o.schoolId, certificateOwner(step, o.actor.userId));
    if (!active || active.id !== o.batch.certificateId) throw new DomainError('signing.certificate_changed');
    const base = await documentAt(tx, rec.versionId, item.baseSeq);
    const state = { ...(item.prepared as StoredState), xml: base } as XadesSigningState;
    let signed: string;
    try {
      signed = await completeXadesSignature(state, o.value, { rebaseOnto: rec.currentXml, ...(step === 'seal' && o.env.timestamp ? { timestamp: o.env.timestamp } : {}) });
    } catch (e) {
      throw engineError(e, `record ${rec.snapshot.identity.fullName} (${rec.snapshot.identity.className}), signature ${item.signatureId}`);
    }
    if (step === 'seal' && !o.env.timestamp) throw new DomainError('signing.seal_failed', { detail: 'no timestamp authority is configured (HOCBA_TSA_URL)' });
    const seq = rec.lastSeq + 1;
    const delegationId = decided.decision.delegation?.id ?? null;
    const [row] = await tx
      .insert(recordSignatures)
      .values({
        schoolId: o.schoolId,
        versionId: rec.versionId,
        seq,
        step,
        signatureId: item.signatureId!,
        signerUserId: step === 'seal' ? null : o.actor.userId,
        claimedRole: decided.decision.claimedRole,
        subjects: item.subjects,
        certificateId: o.cert.id,
        delegationId,
        batchId: o.batch.id,
        signedAt: o.now,
        ...signatureDocumentColumns(rec.currentXml, signed),
      })
      .returning({ id: recordSignatures.id });
    const next = stateAfterSigning(rec.facts, step, item.subjects);
    if (next !== rec.facts.state) await tx.update(recordVersions).set({ state: next }).where(eq(recordVersions.id, rec.versionId));
    let pdf: { sha256: string; bytes: number } | null = null;
    if (pdfSigner) pdf = await produceSealedPdf(tx, { schoolId: o.schoolId, rec, signedXml: signed, env: o.env, signer: pdfSigner, now: o.now });
    // A sealed correction replaces the version(s) before it, in this same transaction.
    const superseded = step === 'seal' ? await supersedePredecessors(tx, rec.versionId) : [];
    await appendAudit(tx, {
      actor: o.who,
      schoolId: o.schoolId,
      action: step === 'seal' ? 'record.sealed' : 'record.signed',
      targetType: 'record_version',
      targetId: rec.versionId,
      before: { state: rec.facts.state },
      after: {
        state: next,
        step,
        signatureId: item.signatureId,
        seq,
        subjects: item.subjects,
        certificate: o.cert.fingerprint,
        delegation: decided.decision.delegation?.decisionNumber ?? null,
        batchId: o.batch.id,
        xmlSha256: createHash('sha256').update(signed, 'utf8').digest('hex'),
        ...(pdf ? { pdfSha256: pdf.sha256 } : {}),
        ...(superseded.length ? { superseded } : {}),
      },
    });
    await tx.update(signingBatchItems).set({ status: 'signed', errorCode: null, errorParams: null, errorMessage: null, recordSignatureId: row!.id, claimToken: null, claimedUntil: null, updatedAt: o.now }).where(eq(signingBatchItems.id, item.id));
    return 'signed' as const;
  });
}
