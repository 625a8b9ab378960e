/**
 * Where each student's record stands, for the class lists: no record yet, or the latest
 * version's number, lifecycle state (frozen, superseded, and the signing states of later
 * issues) and freezing date. The state is the stored one — the web only maps it to a label.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, enrolments, recordVersions, schoolYears, students } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { canReadClass, hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import type { ClassRecordsView, RecordClassesOverview } from '../../server/api-types.ts';
import { canExportClass, canExportSchool } from './export-policy.ts';

/** 'none' when the student has no version for the year; otherwise the latest version's state. */
export type RecordStateCode = 'none' | 'frozen' | 'superseded' | (string & {});

export interface StudentRecordState {
  state: RecordStateCode;
  /** The latest version (null when none). */
  versionId: string | null;
  version: number | null;
  frozenAt: string | null;
  /** How many versions exist for the year (earlier ones are superseded). */
  versionCount: number;
}

export interface LatestVersion {
  id: string;
  studentId: string;
  version: number;
  state: string;
  frozenAt: Date;
  versionCount: number;
}

const NO_RECORD: StudentRecordState = { state: 'none', versionId: null, version: null, frozenAt: null, versionCount: 0 };

/** The latest version of each student's record for a school year (one query). */
export async function latestVersions(tx: Tx, schoolYearId: string, studentIds: string[]): Promise<Map<string, LatestVersion>> {
  if (studentIds.length === 0) return new Map();
  const rows = await tx
    .selectDistinctOn([recordVersions.studentId], {
      id: recordVersions.id,
      studentId: recordVersions.studentId,
      version: recordVersions.version,
      state: recordVersions.state,
      frozenAt: recordVersions.frozenAt,
      versionCount: sql<number>`(count(*) over (partition by ${recordVersions.studentId}))::int`,
    })
    .from(recordVersions)
    .where(and(eq(recordVersions.schoolYearId, schoolYearId), inArray(recordVersions.studentId, studentIds)))
    .orderBy(recordVersions.studentId, desc(recordVersions.version));
  return new Map(rows.map((r) => [r.studentId, { ...r, versionCount: Number(r.versionCount) }]));
}

/** A latest version (or none) as the state the lists show. */
export function presentRecordState(v: LatestVersion | undefined): StudentRecordState {
  if (!v) return NO_RECORD;
  return { state: v.state, versionId: v.id, version: v.version, frozenAt: v.frozenAt.toISOString(), versionCount: v.versionCount };
}

/** The students of a class (register order) with their record state, and whether the person may export the class. */
export async function classRecordStates(opts: { db: Db; actor: ActorScope; schoolId: string; classId: string }): Promise<ClassRecordsView> {
  if (!canReadClass(opts.actor, opts.classId)) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cls] = await tx
      .select({ id: classes.id, name: classes.name, grade: classes.grade, schoolYearId: classes.schoolYearId, schoolYear: schoolYears.name })
      .from(classes)
      .innerJoin(schoolYears, eq(schoolYears.id, classes.schoolYearId))
      .where(eq(classes.id, opts.classId));
    if (!cls) throw new DomainError('not_found', { what: 'lớp / class' });
    const rows = await tx
      .select({ studentId: students.id, fullName: students.fullName, studentCode: students.studentCode })
      .from(enrolments)
      .innerJoin(students, eq(students.id, enrolments.studentId))
      .where(and(eq(enrolments.classId, cls.id), eq(enrolments.status, 'active')));
    rows.sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
    const latest = await latestVersions(tx, cls.schoolYearId, rows.map((r) => r.studentId));
    return {
      class: { id: cls.id, name: cls.name, grade: cls.grade, schoolYear: cls.schoolYear },
      canExport: canExportClass(opts.actor, cls.id),
      students: rows.map((r) => ({ ...r, record: presentRecordState(latest.get(r.studentId)) })),
    };
  });
}

/**
 * The classes of the current school year the person may read, each with how many of its
 * students have a current (not superseded) record version — the "Học bạ" overview.
 */
export async function recordClassesOverview(opts: { db: Db; actor: ActorScope; schoolId: string }): Promise<RecordClassesOverview> {
  const { actor } = opts;
  const all = hasPermission(actor.roles, 'classes.read_all');
  const own = [...new Set([...actor.homeroomClassIds, ...actor.taughtClassIds])];
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [year] = await tx.select({ id: schoolYears.id, name: schoolYears.name }).from(schoolYears).where(eq(schoolYears.isCurrent, true));
    if (!year || (!all && own.length === 0)) return { schoolYear: year?.name ?? null, canExportSchool: Boolean(year) && canExportSchool(actor), classes: [] };
    const rows = await tx
      .select({
        id: classes.id,
        name: classes.name,
        grade: classes.grade,
        // Spelled out: in a one-table select drizzle leaves columns unqualified, and "id" would bind inside the subquery.
        students: sql<number>`(select count(*)::int from enrolments e where e.class_id = classes.id and e.status = 'active')`,
        // Students whose latest version for the year exists and is not superseded.
        withRecord: sql<number>`(select count(*)::int from enrolments e
          join lateral (select rv.state from record_versions rv where rv.student_id = e.student_id and rv.school_year_id = classes.school_year_id
                        order by rv.version desc limit 1) lv on true
          where e.class_id = classes.id and e.status = 'active' and lv.state <> 'superseded')`,
      })
      .from(classes)
      .where(all ? eq(classes.schoolYearId, year.id) : and(eq(classes.schoolYearId, year.id), inArray(classes.id, own)))
      .orderBy(asc(classes.grade), sql`length(${classes.name})`, asc(classes.name));
    return {
      schoolYear: year.name,
      canExportSchool: canExportSchool(actor),
      classes: rows.map((r) => ({ ...r, students: Number(r.students), withRecord: Number(r.withRecord), canExport: canExportClass(actor, r.id) })),
    };
  });
}
