/**
 * Stores an uploaded file (a scanned letter for a change request) after checking what it
 * really is by its first bytes, not by its name or declared type. Content-addressed per
 * school: the same bytes are stored once.
 */
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { changeRequests } from '../../db/schema.ts';
import { canDecideChanges } from '../../domain/policies/grade-sheet.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import { assertCanRead, loadSheet } from '../grades/sheet-context.ts';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { files } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The real type of a file from its magic bytes, or null when it is not an accepted type. */
export function sniffType(b: Buffer): 'application/pdf' | 'image/png' | 'image/jpeg' | null {
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  return null;
}

export async function storeFile(opts: { db: Db; who: Actor; schoolId: string; name: string; content: Buffer }) {
  if (opts.content.length === 0) throw new DomainError('file.invalid', { reason: 'tệp rỗng / empty file' });
  if (opts.content.length > MAX_UPLOAD_BYTES) throw new DomainError('payload_too_large');
  const mime = sniffType(opts.content);
  if (!mime) throw new DomainError('file.invalid', { reason: 'chỉ nhận PDF, PNG hoặc JPEG / only PDF, PNG or JPEG' });
  const name = opts.name.normalize('NFC').replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'tep';
  const sha256 = createHash('sha256').update(opts.content).digest('hex');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [existing] = await tx
      .select({ id: files.id, name: files.name, mime: files.mime, size: files.size })
      .from(files)
      .where(and(eq(files.sha256, sha256), opts.who.userId ? eq(files.uploadedBy, opts.who.userId) : isNull(files.uploadedBy)));
    if (existing) return existing;
    const [f] = await tx
      .insert(files)
      .values({ schoolId: opts.schoolId, sha256, name, mime, size: opts.content.length, content: opts.content, uploadedBy: opts.who.userId })
      .returning({ id: files.id, name: files.name, mime: files.mime, size: files.size });
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'file.uploaded', targetType: 'file', targetId: f!.id, after: { name, mime, size: opts.content.length, sha256 } });
    return f!;
  });
}

/**
 * A file is readable by whoever uploaded it, by those who decide change requests, and by
 * whoever may read the grade sheet of a change request it is attached to.
 */
export async function readFile(opts: { db: Db; actor: ActorScope; schoolId: string; fileId: string }) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [f] = await tx.select().from(files).where(eq(files.id, opts.fileId));
    if (!f) throw new DomainError('not_found', { what: 'tệp / file' });
    if (f.uploadedBy === opts.actor.userId || canDecideChanges(opts.actor)) return f;
    const attachedTo = await tx.select({ sheetId: changeRequests.sheetId }).from(changeRequests).where(eq(changeRequests.attachmentId, f.id));
    for (const { sheetId } of attachedTo) {
      try {
        await assertCanRead(tx, opts.actor, await loadSheet(tx, sheetId));
        return f;
      } catch {
        /* not this one */
      }
    }
    throw new DomainError('not_found', { what: 'tệp / file' });
  });
}
