/**
 * Loads what the pure signing rules (domain/record/signing-order.ts) decide on: a record
 * version's state, grade, subject rows with their assigned teacher and whether each is
 * signed, the homeroom teacher — and the version's current document (the XML after its
 * last signature).
 *
 * Teachers at freeze time: the snapshot stores each subject row's teacher *name* (and the
 * homeroom teacher's name), not an id. The signer is resolved through today's assignment
 * of the frozen class (class_subjects / homeroom_assignments → staff.user_id) and accepted
 * only when that staff member's full name is the name frozen in the snapshot: if the
 * assignment changed after freezing, nobody may sign the row until the record is re-frozen
 * (the new teacher's name must be on the document they sign).
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import type { Tx } from '../../db/scope.ts';
import { classes, classSubjects, delegations, homeroomAssignments, recordSignatures, recordVersions, staff, subjects } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Delegation } from '../../domain/record/delegation.ts';
import type { RecordSigningFacts, RecordState } from '../../domain/record/signing-order.ts';
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';
import { currentSignedXml, documentAfter } from '../records/document-store.ts';

export interface LoadedRecord {
  versionId: string;
  studentId: string;
  schoolYearId: string;
  version: number;
  snapshot: RecordSnapshot;
  /** The frozen canonical XML (seq 0). */
  frozenXml: string;
  frozenDigest: string;
  /** The document after the last signature (the frozen XML when unsigned). */
  currentXml: string;
  /** seq of the last record_signatures row (0: none). */
  lastSeq: number;
  classId: string | null;
  facts: RecordSigningFacts;
  /** Subject code → why no teacher could be resolved (for a clear refusal). */
  unresolved: Map<string, string>;
}

const nfcLower = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('vi');

/** sha256 (hex) of a document's UTF-8 bytes. */
export function xmlSha256(xml: string): string {
  return createHash('sha256').update(xml, 'utf8').digest('hex');
}

/**
 * Loads one record version with its signing facts. `lock` takes the version row with
 * SELECT … FOR UPDATE, so completions of one record run one after the other.
 */
export async function loadRecord(tx: Tx, versionId: string, opts: { lock?: boolean } = {}): Promise<LoadedRecord> {
  const q = tx.select().from(recordVersions).where(eq(recordVersions.id, versionId));
  const [v] = opts.lock ? await q.for('update') : await q;
  if (!v) throw new DomainError('not_found', { what: `bản học bạ / record version ${versionId}` });
  return (await loadRecords(tx, [v]))[0]!;
}

type VersionRow = typeof recordVersions.$inferSelect;

/** Signing facts of many versions at once (batch prepare: one query per table, not per record). */
export async function loadRecords(tx: Tx, versions: VersionRow[]): Promise<LoadedRecord[]> {
  if (versions.length === 0) return [];
  const ids = versions.map((v) => v.id);
  const sigs = await tx
    .select({ versionId: recordSignatures.versionId, seq: recordSignatures.seq, step: recordSignatures.step, subjects: recordSignatures.subjects })
    .from(recordSignatures)
    .where(inArray(recordSignatures.versionId, ids))
    .orderBy(recordSignatures.versionId, desc(recordSignatures.seq));
  const lastSeqOf = new Map<string, number>();
  const signedSubjects = new Map<string, Set<string>>();
  for (const s of sigs) {
    if (!lastSeqOf.has(s.versionId)) lastSeqOf.set(s.versionId, s.seq);
    if (s.step === 'subject') {
      const set = signedSubjects.get(s.versionId) ?? new Set<string>();
      for (const c of s.subjects) set.add(c);
      signedSubjects.set(s.versionId, set);
    }
  }
  // The current document of each signed version: rebuilt through the document store. It is a
  // second statement: under READ COMMITTED a signature committed in between (another teacher
  // of the same records, at the same moment) would pair an old seq with a newer document, so
  // the seq and the signed subjects are taken from what the document itself was rebuilt from.
  const currentXml = new Map<string, string>();
  const signedIds = [...lastSeqOf.keys()];
  if (signedIds.length) {
    for (const [id, d] of await currentSignedXml(tx, signedIds)) {
      currentXml.set(id, d.xml);
      if (d.seq !== lastSeqOf.get(id)) {
        lastSeqOf.set(id, d.seq);
        const rows = await tx.select({ step: recordSignatures.step, subjects: recordSignatures.subjects }).from(recordSignatures).where(and(eq(recordSignatures.versionId, id), lte(recordSignatures.seq, d.seq)));
        signedSubjects.set(id, new Set(rows.filter((r) => r.step === 'subject').flatMap((r) => r.subjects)));
      }
    }
  }
  // The frozen class of each version: snapshot class name within the school year.
  const yearIds = [...new Set(versions.map((v) => v.schoolYearId))];
  const classRows = await tx.select({ id: classes.id, name: classes.name, schoolYearId: classes.schoolYearId }).from(classes).where(inArray(classes.schoolYearId, yearIds));
  const classOf = (yearId: string, name: string) => classRows.find((c) => c.schoolYearId === yearId && c.name === name)?.id ?? null;
  const classIds = [...new Set(versions.map((v) => classOf(v.schoolYearId, (v.snapshot as RecordSnapshot).identity.className)).filter((c): c is string => c !== null))];
  const teaching = classIds.length
    ? await tx
        .select({ classId: classSubjects.classId, code: subjects.code, userId: staff.userId, fullName: staff.fullName })
        .from(classSubjects)
        .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
        .innerJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
        .where(inArray(classSubjects.classId, classIds))
    : [];
  const homerooms = classIds.length
    ? await tx
        .select({ classId: homeroomAssignments.classId, userId: staff.userId, fullName: staff.fullName })
        .from(homeroomAssignments)
        .innerJoin(staff, eq(staff.id, homeroomAssignments.staffId))
        .where(inArray(homeroomAssignments.classId, classIds))
    : [];

  return versions.map((v) => {
    const snapshot = v.snapshot as RecordSnapshot;
    const classId = classOf(v.schoolYearId, snapshot.identity.className);
    const signed = signedSubjects.get(v.id) ?? new Set<string>();
    const unresolved = new Map<string, string>();
    const subjectFacts = snapshot.year.subjects.map((row) => {
      const t = teaching.find((x) => x.classId === classId && x.code === row.code);
      let teacherId: string | null = null;
      if (!t) unresolved.set(row.code, `no teacher is assigned to ${row.code} in class ${snapshot.identity.className}`);
      else if (!t.userId) unresolved.set(row.code, `the teacher of ${row.code} (${t.fullName}) has no account`);
      else if (nfcLower(t.fullName) !== nfcLower(row.teacherName)) unresolved.set(row.code, `the teacher of ${row.code} is now ${t.fullName}, the record was frozen with ${row.teacherName || '(none)'}: re-freeze it`);
      else teacherId = t.userId;
      return { code: row.code, teacherId, signed: signed.has(row.code) };
    });
    const h = homerooms.find((x) => x.classId === classId);
    const homeroomTeacherId = h && h.userId && nfcLower(h.fullName) === nfcLower(snapshot.year.homeroom.teacherName) ? h.userId : null;
    return {
      versionId: v.id,
      studentId: v.studentId,
      schoolYearId: v.schoolYearId,
      version: v.version,
      snapshot,
      frozenXml: v.xml,
      frozenDigest: v.digest,
      currentXml: currentXml.get(v.id) ?? v.xml,
      lastSeq: lastSeqOf.get(v.id) ?? 0,
      classId,
      facts: { state: v.state as RecordState, grade: snapshot.identity.grade, subjects: subjectFacts, homeroomTeacherId },
      unresolved,
    };
  });
}

/** The document a version had after signature `seq` (0: the frozen XML). */
export async function documentAt(tx: Tx, versionId: string, seq: number): Promise<string> {
  const xml = await documentAfter(tx, versionId, seq);
  if (xml === null) throw new DomainError('not_found', { what: seq === 0 ? `bản học bạ / record version ${versionId}` : `chữ ký ${seq} / signature ${seq} of ${versionId}` });
  return xml;
}

/** The delegations recorded for a person (as the domain's Delegation). */
export async function delegationsOf(tx: Tx, userId: string): Promise<Delegation[]> {
  const rows = await tx.select().from(delegations).where(eq(delegations.delegateUserId, userId)).orderBy(desc(delegations.createdAt));
  return rows.map((d) => ({
    id: d.id,
    delegateId: d.delegateUserId,
    decisionNumber: d.decisionNumber,
    grades: d.grades,
    validFrom: d.validFrom,
    validTo: d.validTo,
    revokedAt: d.revokedAt ? d.revokedAt.toISOString() : null,
  }));
}
