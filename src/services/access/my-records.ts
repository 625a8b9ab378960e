/**
 * "Học bạ của em": the sealed record versions of the student (or of a parent's linked
 * children), per school year, and their official copies (sealed PDF, signed XML). A person
 * reaches only the students their role grants name (ActorScope.studentIds); any other id
 * is answered like a missing one, so nobody learns which ids exist.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { recordVersions, schoolYears, students } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { MyRecordsView } from '../../server/api-types.ts';
import type { Actor } from '../audit/append-audit.ts';
import { recordIssuedCopy } from './issued-copies.ts';
import { actingRole, assertIssuable, copyFileName, findVersionFacts, sealedPdfOf, signedXmlOf } from './version-copy.ts';

/** The family's view of their records (empty for someone with no linked student). */
export async function listMyRecords(opts: { db: Db; actor: ActorScope; schoolId: string }): Promise<MyRecordsView> {
  const ids = [...opts.actor.studentIds];
  if (ids.length === 0) return { children: [] };
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const kids = await tx
      .select({
        id: students.id,
        fullName: students.fullName,
        // Raw column names: drizzle leaves columns unqualified in a one-table select.
        className: sql<string | null>`(select c.name from enrolments e join classes c on c.id = e.class_id
          where e.student_id = "students"."id" and e.status = 'active' limit 1)`,
      })
      .from(students)
      .where(inArray(students.id, ids))
      .orderBy(asc(students.fullName));
    const versions = await tx
      .select({
        id: recordVersions.id,
        studentId: recordVersions.studentId,
        version: recordVersions.version,
        state: recordVersions.state,
        frozenAt: recordVersions.frozenAt,
        schoolYear: schoolYears.name,
        hasPdf: sql<boolean>`exists (select 1 from record_pdfs p where p.version_id = "record_versions"."id")`,
        successorVersion: sql<number | null>`(select s.version from record_versions s where s.supersedes_id = "record_versions"."id" and s.state in ('sealed', 'superseded') order by s.version desc limit 1)`,
      })
      .from(recordVersions)
      .innerJoin(schoolYears, eq(schoolYears.id, recordVersions.schoolYearId))
      .where(and(inArray(recordVersions.studentId, ids), inArray(recordVersions.state, ['sealed', 'superseded'])))
      .orderBy(asc(schoolYears.startsOn), asc(recordVersions.version));
    return {
      children: kids.map((k) => {
        const years = new Map<string, MyRecordsView['children'][number]['years'][number]>();
        for (const v of versions.filter((x) => x.studentId === k.id)) {
          const y = years.get(v.schoolYear) ?? { schoolYear: v.schoolYear, versions: [] };
          y.versions.push({
            versionId: v.id,
            version: v.version,
            state: v.state as 'sealed' | 'superseded',
            frozenAt: v.frozenAt.toISOString(),
            successorVersion: v.successorVersion === null ? null : Number(v.successorVersion),
            hasPdf: Boolean(v.hasPdf),
          });
          years.set(v.schoolYear, y);
        }
        // Newest year first: the one a family looks for.
        return { studentId: k.id, fullName: k.fullName, className: k.className, years: [...years.values()].reverse() };
      }),
    };
  });
}

export interface OwnCopyOptions {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  versionId: string;
  format: 'pdf' | 'xml';
  /** inline: shown in the app (not an issued copy); attachment: a download, logged. */
  disposition: 'inline' | 'attachment';
  purpose?: string | null;
}

/** One's own (or one's child's) official copy; downloads are logged in the issued-copy log. */
export async function ownRecordCopy(opts: OwnCopyOptions): Promise<{ body: Buffer | string; fileName: string; sha256: string | null }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const v = await findVersionFacts(tx, opts.versionId);
    // Another student's version looks exactly like a missing one.
    if (!v || !opts.actor.studentIds.has(v.studentId)) throw new DomainError('not_found', { what: `bản học bạ ${opts.versionId} / record version ${opts.versionId}` });
    assertIssuable(v);
    const body = opts.format === 'pdf' ? await sealedPdfOf(tx, v) : { pdf: await signedXmlOf(tx, v), sha256: null };
    if (opts.format === 'xml' || opts.disposition === 'attachment') {
      await recordIssuedCopy(tx, {
        schoolId: opts.schoolId,
        versionId: v.id,
        studentId: v.studentId,
        channel: opts.format === 'pdf' ? 'download_pdf' : 'download_xml',
        actorUserId: opts.who.userId,
        actorLabel: opts.who.label,
        actorRole: actingRole(opts.actor, v.studentId),
        purpose: opts.purpose ?? null,
      });
    }
    return { body: body.pdf, fileName: copyFileName(v, opts.format), sha256: body.sha256 };
  });
}
