/**
 * Copies issued by staff: downloading the sealed PDF or signed XML of a sealed (or
 * superseded) version, or printing it, needs a written reason (who receives it, what for),
 * logged with the copy. Working copies during signing (before the seal) are not issued
 * copies and need none.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { enrolments } from '../../db/schema.ts';
import { inSchool } from '../../db/scope.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadStudentRecord, type ActorScope } from '../../domain/policies/permissions.ts';
import type { Actor } from '../audit/append-audit.ts';
import { recordIssuedCopy, type CopyChannel } from './issued-copies.ts';
import { actingRole, assertIssuable, ISSUABLE_STATES, loadVersionFacts } from './version-copy.ts';

export const REASON_MIN = 5;
export const REASON_MAX = 500;

function cleanReason(reason: string | null | undefined): string | null {
  const r = reason?.normalize('NFC').replace(/\s+/g, ' ').trim() ?? '';
  return [...r].length >= REASON_MIN ? r.slice(0, REASON_MAX) : null;
}

/**
 * Called by the staff download routes after they have authorised the read: for a sealed or
 * superseded version, refuses without a reason and logs the copy with it. Returns whether
 * the copy was logged (false: a working copy before the seal).
 */
export async function noteStaffCopy(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; versionId: string; channel: Extract<CopyChannel, 'download_pdf' | 'download_xml' | 'print'>; reason?: string | null }): Promise<boolean> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const v = await loadVersionFacts(tx, opts.versionId);
    const [e] = await tx.select({ classId: enrolments.classId }).from(enrolments).where(and(eq(enrolments.studentId, v.studentId), eq(enrolments.status, 'active')));
    if (!canReadStudentRecord(opts.actor, v.studentId, e?.classId ?? null)) throw new DomainError('forbidden');
    if (opts.channel === 'print') assertIssuable(v);
    else if (!ISSUABLE_STATES.has(v.state)) return false;
    const reason = cleanReason(opts.reason);
    if (!reason) throw new DomainError('access.reason_required', { what: `${v.studentName}, ${v.schoolYear}, v${v.version}` }, [{ path: 'reason', message: `≥ ${REASON_MIN} ký tự / characters` }]);
    await recordIssuedCopy(tx, { schoolId: opts.schoolId, versionId: v.id, studentId: v.studentId, channel: opts.channel, actorUserId: opts.who.userId, actorLabel: opts.who.label, actorRole: actingRole(opts.actor, v.studentId), purpose: reason });
    return true;
  });
}
