/**
 * The official copy of a record version as it is issued: its sealed PDF (PAdES, signed XML
 * embedded) and its signed XML (the document after the last signature). Only sealed
 * versions — and superseded ones, which were sealed — are ever issued; who may ask is
 * decided by the callers (own record, share link, staff with a reason).
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/scope.ts';
import { recordVersions, schoolYears, students } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import { STAFF_ROLES } from '../../domain/policies/roles.ts';
import { currentXmlOf, sealedPdfOf as storedSealedPdf } from '../records/document-store.ts';

/** States in which a version is an issuable official copy. */
export const ISSUABLE_STATES: ReadonlySet<string> = new Set(['sealed', 'superseded']);

export interface IssuableVersion {
  id: string;
  studentId: string;
  studentName: string;
  version: number;
  state: string;
  schoolYear: string;
}

/** The version with its student and year, or null (RLS hides other schools' versions). */
export async function findVersionFacts(tx: Tx, versionId: string): Promise<IssuableVersion | null> {
  const [v] = await tx
    .select({ id: recordVersions.id, studentId: recordVersions.studentId, studentName: students.fullName, version: recordVersions.version, state: recordVersions.state, schoolYear: schoolYears.name })
    .from(recordVersions)
    .innerJoin(students, eq(students.id, recordVersions.studentId))
    .innerJoin(schoolYears, eq(schoolYears.id, recordVersions.schoolYearId))
    .where(eq(recordVersions.id, versionId));
  return v ?? null;
}

/** The version with its student and year; not_found when absent. */
export async function loadVersionFacts(tx: Tx, versionId: string): Promise<IssuableVersion> {
  const v = await findVersionFacts(tx, versionId);
  if (!v) throw new DomainError('not_found', { what: `bản học bạ ${versionId} / record version ${versionId}` });
  return v;
}

/** Refuses a version that was never sealed (a working copy is not an issued copy). */
export function assertIssuable(v: IssuableVersion): void {
  if (!ISSUABLE_STATES.has(v.state)) throw new DomainError('access.not_sealed', { version: v.version, state: v.state });
}

/** The sealed PDF bytes of a version. */
export async function sealedPdfOf(tx: Tx, v: IssuableVersion): Promise<{ pdf: Buffer; sha256: string }> {
  const p = await storedSealedPdf(tx, v.id);
  if (!p) throw new DomainError('not_found', { what: `bản PDF đã đóng dấu của học bạ v${v.version} / sealed PDF of v${v.version}` });
  return p;
}

/** The signed XML: the document after the highest-seq signature (else the frozen XML). */
export async function signedXmlOf(tx: Tx, v: IssuableVersion): Promise<string> {
  return (await currentXmlOf(tx, v.id))!;
}

/** The role a person acts in towards a student's record: student / parent for their own, else their highest staff role. */
export function actingRole(actor: ActorScope, studentId: string): string {
  if (actor.studentIds.has(studentId)) {
    if (actor.roles.has('student')) return 'student';
    if (actor.roles.has('parent')) return 'parent';
  }
  return STAFF_ROLES.find((r) => actor.roles.has(r)) ?? [...actor.roles][0] ?? 'unknown';
}

/** A file name for a copy: hocba-<year>-v<n>.<ext>. */
export function copyFileName(v: IssuableVersion, ext: 'pdf' | 'xml'): string {
  return `hocba-${v.schoolYear}-v${v.version}.${ext}`;
}
