import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, enrolments, homeroomAssignments, schoolYears, staff } from '../../db/schema.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';

export interface ClassSummary {
  id: string;
  name: string;
  grade: number;
  electiveCombination: string | null;
  homeroomTeacher: string | null;
  studentCount: number;
}

/** Classes of the current school year the actor may see: all for whole-school readers, otherwise their own. */
export async function listClasses(opts: { db: Db; actor: ActorScope; schoolId: string }): Promise<ClassSummary[]> {
  const { actor } = opts;
  const own = [...new Set([...actor.homeroomClassIds, ...actor.taughtClassIds])];
  const all = hasPermission(actor.roles, 'classes.read_all');
  if (!all && own.length === 0) return [];
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rows = await tx
      .select({
        id: classes.id,
        name: classes.name,
        grade: classes.grade,
        electiveCombination: classes.electiveCombination,
        homeroomTeacher: staff.fullName,
        studentCount: sql<number>`(select count(*)::int from ${enrolments} e where e.class_id = ${classes.id} and e.status = 'active')`,
      })
      .from(classes)
      .innerJoin(schoolYears, eq(schoolYears.id, classes.schoolYearId))
      .leftJoin(homeroomAssignments, eq(homeroomAssignments.classId, classes.id))
      .leftJoin(staff, eq(staff.id, homeroomAssignments.staffId))
      .where(all ? eq(schoolYears.isCurrent, true) : inArray(classes.id, own))
      .orderBy(asc(classes.grade), sql`length(${classes.name})`, asc(classes.name));
    return rows.map((r) => ({ ...r, studentCount: Number(r.studentCount) }));
  });
}
