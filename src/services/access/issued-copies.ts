/**
 * The issued-copy log (sổ cấp bản sao): every copy or extract of a record version issued —
 * download, share link created or opened, print by staff — with who, as what, when, which
 * version and why. Written in the same transaction as the action it records; read by the
 * principal with "cần cấp lại" (needs re-issue) flags for versions superseded since.
 */
import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { enrolments, issuedCopies, recordVersions, schoolYears, students } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import type { IssuedCopyRow } from '../../server/api-types.ts';

export const COPY_CHANNELS = ['download_pdf', 'download_xml', 'share_link_created', 'share_link_opened', 'print'] as const;
export type CopyChannel = (typeof COPY_CHANNELS)[number];

export interface IssuedCopyEntry {
  schoolId: string;
  versionId: string;
  studentId: string;
  channel: CopyChannel;
  /** Null for someone holding a share link. */
  actorUserId: string | null;
  actorLabel: string;
  actorRole: string;
  purpose?: string | null;
  shareLinkId?: string | null;
}

/** Appends one row to the log inside the caller's transaction. */
export async function recordIssuedCopy(tx: Tx, e: IssuedCopyEntry): Promise<void> {
  await tx.insert(issuedCopies).values({
    schoolId: e.schoolId,
    versionId: e.versionId,
    studentId: e.studentId,
    channel: e.channel,
    actorUserId: e.actorUserId,
    actorLabel: e.actorLabel,
    actorRole: e.actorRole,
    purpose: e.purpose ?? null,
    shareLinkId: e.shareLinkId ?? null,
  });
}

export interface IssuedCopyFilter {
  classId?: string;
  studentId?: string;
  /** Inclusive day (YYYY-MM-DD, Vietnam time). */
  from?: string;
  /** Inclusive day (YYYY-MM-DD, Vietnam time). */
  to?: string;
  channel?: CopyChannel;
  needsReissue?: boolean;
}

const MAX_ROWS = 5000;

/** Start of a Vietnam (UTC+7) calendar day. */
function vnDay(day: string, plusDays = 0): Date {
  const d = new Date(`${day}T00:00:00+07:00`);
  if (Number.isNaN(d.getTime())) throw new DomainError('validation', { summary: `date ${day}` });
  return new Date(d.getTime() + plusDays * 86_400_000);
}

/**
 * The log, newest first, filtered by class (of the student's enrolment in the version's
 * year), student, dates and channel; each row says whether its version was superseded
 * since (cần cấp lại) and by which version.
 */
export async function listIssuedCopies(opts: { db: Db; actor: ActorScope; schoolId: string; filter?: IssuedCopyFilter }): Promise<{ rows: IssuedCopyRow[]; truncated: boolean }> {
  if (!hasPermission(opts.actor.roles, 'issued_copies.read')) throw new DomainError('forbidden');
  const f = opts.filter ?? {};
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const where = [];
    if (f.studentId) where.push(eq(issuedCopies.studentId, f.studentId));
    if (f.channel) where.push(eq(issuedCopies.channel, f.channel));
    if (f.from) where.push(gte(issuedCopies.at, vnDay(f.from)));
    if (f.to) where.push(lt(issuedCopies.at, vnDay(f.to, 1)));
    if (f.needsReissue) where.push(eq(recordVersions.state, 'superseded'));
    if (f.classId) {
      const inClass = tx.select({ id: enrolments.studentId }).from(enrolments).where(eq(enrolments.classId, f.classId));
      where.push(inArray(issuedCopies.studentId, inClass));
    }
    const rows = await tx
      .select({
        id: issuedCopies.id,
        at: issuedCopies.at,
        channel: issuedCopies.channel,
        actorLabel: issuedCopies.actorLabel,
        actorRole: issuedCopies.actorRole,
        purpose: issuedCopies.purpose,
        shareLinkId: issuedCopies.shareLinkId,
        versionId: issuedCopies.versionId,
        version: recordVersions.version,
        state: recordVersions.state,
        studentId: issuedCopies.studentId,
        studentName: students.fullName,
        schoolYear: schoolYears.name,
        className: sql<string | null>`(select c.name from enrolments e join classes c on c.id = e.class_id
          where e.student_id = "issued_copies"."student_id" and e.school_year_id = "record_versions"."school_year_id"
          order by (e.status = 'active') desc, e.created_at desc limit 1)`,
        successorVersion: sql<number | null>`(select s.version from record_versions s where s.supersedes_id = "issued_copies"."version_id" order by s.version desc limit 1)`,
      })
      .from(issuedCopies)
      .innerJoin(recordVersions, eq(recordVersions.id, issuedCopies.versionId))
      .innerJoin(students, eq(students.id, issuedCopies.studentId))
      .innerJoin(schoolYears, eq(schoolYears.id, recordVersions.schoolYearId))
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(issuedCopies.at), desc(issuedCopies.id))
      .limit(MAX_ROWS + 1);
    return {
      truncated: rows.length > MAX_ROWS,
      rows: rows.slice(0, MAX_ROWS).map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        channel: r.channel as CopyChannel,
        actorLabel: r.actorLabel,
        actorRole: r.actorRole,
        purpose: r.purpose,
        shareLinkId: r.shareLinkId,
        versionId: r.versionId,
        version: r.version,
        state: r.state,
        studentId: r.studentId,
        studentName: r.studentName,
        className: r.className,
        schoolYear: r.schoolYear,
        needsReissue: r.state === 'superseded',
        successorVersion: r.successorVersion === null ? null : Number(r.successorVersion),
      })),
    };
  });
}
