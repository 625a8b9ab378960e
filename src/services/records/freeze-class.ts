/**
 * The homeroom teacher freezes the class's records for the year: each student whose data is
 * clean and whose results are complete gets a record version holding the snapshot, its
 * canonical HBS XML and that XML's sha256; every other student is reported with the reasons.
 * One action for the class; each student in the same transaction, audited.
 */
import { isPracticeSchool } from '../practice/practice-school.ts';
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, enrolments, recordVersions, schoolYears, schools, students } from '../../db/schema.ts';
import { hbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { DomainError } from '../../domain/errors.ts';
import { checkStudentRecord } from '../../domain/identity/student-record.ts';
import { canReadStudentRecord, isHomeroomOf, type ActorScope } from '../../domain/policies/permissions.ts';
import { buildSnapshot, freezeBlockers, type FreezeBlocker } from '../../domain/record/freeze.ts';
import type { SnapshotIdentity } from '../../domain/record/snapshot.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { afterRefreeze, refreezeDecision } from '../corrections/corrections.ts';
import { cellKey } from '../grades/sheet-context.ts';
import { buildClassYear } from '../homeroom/build-student-years.ts';
import { loadCommunes } from '../reference/admin-units.ts';
import { factsOf, mandatoryFields } from '../students/student-profile.ts';
import { homeroomTeacherName } from './homeroom-teacher.ts';
import { renderVersionPdf } from './render-version.ts';

export interface FreezeReport {
  frozen: Array<{ studentId: string; fullName: string; version: number; digest: string }>;
  alreadyFrozen: Array<{ studentId: string; fullName: string; version: number }>;
  blocked: Array<{ studentId: string; fullName: string; reasons: FreezeBlocker['message'][] }>;
}

const NFC = (v: string | null) => (v === null ? null : v.normalize('NFC'));

export async function freezeClass(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; classId: string; now?: Date }): Promise<FreezeReport> {
  if (!isHomeroomOf(opts.actor, opts.classId)) throw new DomainError('forbidden');
  // Whole seconds, in the snapshot's canonical instant form (toISOString()).
  const frozenAt = new Date(Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000).toISOString();
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cls] = await tx.select().from(classes).where(eq(classes.id, opts.classId));
    if (!cls) throw new DomainError('not_found', { what: 'lớp / class' });
    const [school] = await tx.select().from(schools).where(eq(schools.id, opts.schoolId));
    const [year] = await tx.select().from(schoolYears).where(eq(schoolYears.id, cls.schoolYearId));
    const classYear = await buildClassYear(tx, cls.id, cls.schoolYearId);
    const mandatory = await mandatoryFields(tx, opts.schoolId);
    const communes = await loadCommunes(tx);
    const ids = classYear.students.map((s) => s.studentId);
    const rows = ids.length ? await tx.select().from(students).where(inArray(students.id, ids)) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const homeroom = await homeroomTeacherName(tx, cls.id);
    const report: FreezeReport = { frozen: [], alreadyFrozen: [], blocked: [] };
    for (const st of classYear.students) {
      const s = byId.get(st.studentId)!;
      const [latest] = await tx
        .select({ id: recordVersions.id, version: recordVersions.version, state: recordVersions.state })
        .from(recordVersions)
        .where(and(eq(recordVersions.studentId, s.id), eq(recordVersions.schoolYearId, cls.schoolYearId)))
        .orderBy(desc(recordVersions.version))
        .limit(1);
      // A version returned by a signer, or a sealed one with an approved correction, is
      // re-frozen as a new version that supersedes it once sealed (services/corrections).
      const redo = latest && latest.state !== 'superseded' ? await refreezeDecision(tx, latest) : null;
      if (latest && redo && !redo.refreeze) {
        if (redo.blockers.length) report.blocked.push({ studentId: s.id, fullName: s.fullName, reasons: redo.blockers });
        else report.alreadyFrozen.push({ studentId: s.id, fullName: s.fullName, version: latest.version });
        continue;
      }
      const blockers = freezeBlockers(checkStudentRecord(factsOf(s), mandatory, { communes }), st.result);
      if (blockers.length) {
        report.blocked.push({ studentId: s.id, fullName: s.fullName, reasons: blockers.map((b) => b.message) });
        continue;
      }
      const facts = factsOf(s);
      const identity: SnapshotIdentity = {
        fullName: s.fullName.normalize('NFC'),
        gender: s.gender === 'female' ? 'female' : 'male',
        birthDate: s.birthDate,
        birthPlace: NFC(facts.birthPlace),
        ethnicityCode: facts.ethnicityCode,
        nationality: NFC(facts.nationality),
        personalId: facts.personalId,
        studentCode: facts.studentCode,
        hometown: NFC(facts.hometown),
        address: NFC(facts.address),
        phone: facts.phone,
        policyStatus: NFC(facts.policyStatus),
        fatherName: NFC(facts.fatherName),
        fatherOccupation: NFC(facts.fatherOccupation),
        motherName: NFC(facts.motherName),
        motherOccupation: NFC(facts.motherOccupation),
        guardianName: NFC(facts.guardianName),
        guardianOccupation: NFC(facts.guardianOccupation),
        className: cls.name,
        grade: cls.grade,
      };
      const subjects = classYear.sheets.map((sh) => ({
        code: sh.s1.subject.code,
        name: sh.s1.subject.name,
        teacherName: sh.teacher ?? '',
        // The semester II comment is the year's (the last word of the teacher).
        comment: NFC(sh.s2.entries.get(cellKey(s.id, 'comment', 0)) ?? sh.s1.entries.get(cellKey(s.id, 'comment', 0)) ?? null),
      }));
      const snapshot = buildSnapshot({
        school: { code: school!.code, name: school!.name.normalize('NFC'), province: school!.province.normalize('NFC') },
        schoolYear: year!.name,
        identity,
        subjects,
        year: st.result,
        homeroom: { teacherName: homeroom ?? '', comment: NFC(st.comment) },
        absences: { excused: st.semesters[1].absentExcused + st.semesters[2].absentExcused, unexcused: st.semesters[1].absentUnexcused + st.semesters[2].absentUnexcused },
        frozenAt,
      });
      const xml = hbsV1.serialize(snapshot);
      const digest = createHash('sha256').update(xml, 'utf8').digest('hex');
      const version = (latest?.version ?? 0) + 1;
      const [inserted] = await tx.insert(recordVersions).values({
        schoolId: opts.schoolId,
        studentId: s.id,
        schoolYearId: cls.schoolYearId,
        version,
        formatId: hbsV1.id,
        formatVersion: hbsV1.version,
        snapshot,
        xml,
        digest,
        frozenAt: new Date(frozenAt),
        frozenBy: opts.who.label,
        supersedesId: redo?.refreeze ? latest!.id : null,
      }).returning({ id: recordVersions.id });
      if (redo?.refreeze) await afterRefreeze(tx, { schoolId: opts.schoolId, oldVersionId: latest!.id, newVersionId: inserted!.id, correctionId: redo.correctionId, who: opts.who });
      await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'record.frozen', targetType: 'student', targetId: s.id, after: { schoolYear: year!.name, version, digest } });
      report.frozen.push({ studentId: s.id, fullName: s.fullName, version, digest });
    }
    return report;
  });
}

/** A student's record versions, newest first (the XML is fetched separately). */
export async function listRecordVersions(opts: { db: Db; actor: ActorScope; schoolId: string; studentId: string }) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rows = await tx
      .select({ id: recordVersions.id, studentId: recordVersions.studentId, version: recordVersions.version, state: recordVersions.state, digest: recordVersions.digest, frozenAt: recordVersions.frozenAt, frozenBy: recordVersions.frozenBy, schoolYear: schoolYears.name })
      .from(recordVersions)
      .innerJoin(schoolYears, eq(schoolYears.id, recordVersions.schoolYearId))
      .where(eq(recordVersions.studentId, opts.studentId))
      .orderBy(desc(recordVersions.frozenAt));
    await assertReadable(tx, opts.actor, opts.studentId);
    return rows.map((r) => ({ ...r, frozenAt: r.frozenAt.toISOString() }));
  });
}

/** A record version as PDF/A-3 with its XML embedded, rendered from the stored snapshot (same bytes every time). */
export async function recordVersionPdf(opts: { db: Db; actor: ActorScope; schoolId: string; versionId: string; publicUrl: string }) {
  const v = await recordVersionXml(opts);
  const { pdf, code, url } = await renderVersionPdf(v, opts.publicUrl, await isPracticeSchool(opts.db, opts.schoolId));
  return { pdf, version: v.version, code, url };
}

/** The canonical XML of a record version. */
export async function recordVersionXml(opts: { db: Db; actor: ActorScope; schoolId: string; versionId: string }) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [v] = await tx.select().from(recordVersions).where(eq(recordVersions.id, opts.versionId));
    if (!v) throw new DomainError('not_found', { what: 'bản học bạ / record version' });
    await assertReadable(tx, opts.actor, v.studentId);
    return { xml: v.xml, digest: v.digest, version: v.version };
  });
}

async function assertReadable(tx: Tx, actor: ActorScope, studentId: string) {
  const [e] = await tx.select({ classId: enrolments.classId }).from(enrolments).where(and(eq(enrolments.studentId, studentId), eq(enrolments.status, 'active')));
  if (!canReadStudentRecord(actor, studentId, e?.classId ?? null)) throw new DomainError('forbidden');
}
