/**
 * The images stamped on the record PDF's signature blocks (Decree 30/2020, appendix I): each
 * signer's own handwritten signature (blue) and the school's seal (red), both PNG with a
 * transparent background. A person uploads, replaces or removes only their own signature;
 * the school administrator or the clerk (văn thư) manages the seal. The PNG is checked
 * exactly as the renderer will read it (documents/pdf/png-image.ts), so an accepted image
 * never fails at signing time. Every change is audited (hash and size, not the bytes).
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { signatureImages } from '../../db/schema.ts';
import { decodePng, inspectPng, PNG_MAX_BYTES } from '../../documents/pdf/png-image.ts';
import { DomainError } from '../../domain/errors.ts';
import type { SignatureImageView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

export type { SignatureImageView } from '../../server/api-types.ts';

export { PNG_MAX_BYTES as SIGNATURE_IMAGE_MAX_BYTES } from '../../documents/pdf/png-image.ts';

/** Whose image: a person's signature, or the school's seal. */
export type ImageOwner = { kind: 'signature'; userId: string } | { kind: 'seal' };

type Row = typeof signatureImages.$inferSelect;

const ownerWhere = (o: ImageOwner) =>
  o.kind === 'seal' ? and(eq(signatureImages.kind, 'seal'), isNull(signatureImages.userId)) : and(eq(signatureImages.kind, 'signature'), eq(signatureImages.userId, o.userId));

const targetOf = (o: ImageOwner) => (o.kind === 'seal' ? { targetType: 'school', action: 'seal_image' } : { targetType: 'user', action: 'signature_image' });

function present(r: Row): SignatureImageView {
  const info = decodeSizeMm(r.png);
  return {
    kind: r.kind === 'seal' ? 'seal' : 'signature',
    sha256: r.sha256,
    width: r.width,
    height: r.height,
    sizeMm: info,
    uploadedAt: r.uploadedAt.toISOString(),
    dataUrl: `data:image/png;base64,${r.png.toString('base64')}`,
  };
}

/** The pHYs size of a stored (already validated) PNG: read from its chunks, no decoding. */
function decodeSizeMm(png: Buffer): SignatureImageView['sizeMm'] {
  try {
    return inspectPng(png).sizeMm;
  } catch {
    return null;
  }
}

async function find(tx: Tx, owner: ImageOwner): Promise<Row | undefined> {
  const [r] = await tx.select().from(signatureImages).where(ownerWhere(owner));
  return r;
}

/** The stored image of `owner` in the school, or null. */
export async function getSignatureImage(opts: { db: Db; schoolId: string; owner: ImageOwner }): Promise<SignatureImageView | null> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const r = await find(tx, opts.owner);
    return r ? present(r) : null;
  });
}

/**
 * Stores (or replaces) the image of `owner`: refused with `file.invalid` (the reason says
 * what is wrong) unless it is an 8-bit PNG of at most 1 MB, sane size, transparent background.
 */
export async function putSignatureImage(opts: { db: Db; who: Actor; schoolId: string; owner: ImageOwner; content: Buffer }): Promise<SignatureImageView> {
  const uploadedBy = opts.who.userId;
  if (!uploadedBy) throw new DomainError('auth.required'); // an image always has a person behind it
  if (opts.content.length > PNG_MAX_BYTES) throw new DomainError('payload_too_large');
  const img = decodePng(opts.content);
  const { targetType, action } = targetOf(opts.owner);
  const targetId = opts.owner.kind === 'seal' ? opts.schoolId : opts.owner.userId;
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const before = await find(tx, opts.owner);
    const values = { png: opts.content, sha256: img.sha256, width: img.width, height: img.height, uploadedBy, uploadedAt: new Date() };
    const [row] = before
      ? await tx.update(signatureImages).set(values).where(eq(signatureImages.id, before.id)).returning()
      : await tx
          .insert(signatureImages)
          .values({ schoolId: opts.schoolId, kind: opts.owner.kind, userId: opts.owner.kind === 'seal' ? null : opts.owner.userId, ...values })
          .returning();
    const meta = (r: { sha256: string; width: number; height: number }) => ({ sha256: r.sha256, width: r.width, height: r.height });
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: `${action}.${before ? 'replaced' : 'uploaded'}`,
      targetType,
      targetId,
      before: before ? meta(before) : null,
      after: { ...meta(img), bytes: opts.content.length },
    });
    return present(row!);
  });
}

/** Removes the image of `owner`; false when there was none (nothing is audited then). */
export async function deleteSignatureImage(opts: { db: Db; who: Actor; schoolId: string; owner: ImageOwner }): Promise<boolean> {
  const { targetType, action } = targetOf(opts.owner);
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const before = await find(tx, opts.owner);
    if (!before) return false;
    await tx.delete(signatureImages).where(eq(signatureImages.id, before.id));
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: `${action}.removed`,
      targetType,
      targetId: opts.owner.kind === 'seal' ? opts.schoolId : opts.owner.userId,
      before: { sha256: before.sha256, width: before.width, height: before.height },
    });
    return true;
  });
}

/**
 * The PNG bytes to stamp when signing (for the signing workflow): the signatures of the given
 * people in the school and the school's seal. Missing images are simply absent (the page then
 * shows a text block).
 */
export async function imagesForSigning(tx: Tx, userIds: readonly string[]): Promise<{ signatures: Map<string, Buffer>; seal: Buffer | null }> {
  const rows = userIds.length
    ? await tx.select({ userId: signatureImages.userId, png: signatureImages.png }).from(signatureImages).where(and(eq(signatureImages.kind, 'signature'), inArray(signatureImages.userId, [...userIds])))
    : [];
  const [seal] = await tx.select({ png: signatureImages.png }).from(signatureImages).where(ownerWhere({ kind: 'seal' }));
  return { signatures: new Map(rows.map((r) => [r.userId!, r.png])), seal: seal?.png ?? null };
}
