/**
 * Builds what the policies need to decide for a person in a school: their roles there and
 * what they are assigned to (homeroom classes, taught class-subjects, own students).
 */
import { and, eq, isNull, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classSubjects, homeroomAssignments, roleGrants, schools, staff, users } from '../../db/schema.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import { isRole, type Role } from '../../domain/policies/roles.ts';

export interface GrantRow {
  role: Role;
  schoolId: string | null;
  schoolName: string | null;
  studentId: string | null;
  /** The real school, when this grant is in a practice school. */
  practiceOf: string | null;
}

/** Every role a user holds, in every school (system scope). */
export async function loadGrants(db: Db, userId: string): Promise<GrantRow[]> {
  const rows = await db
    .select({ role: roleGrants.role, schoolId: roleGrants.schoolId, schoolName: schools.name, studentId: roleGrants.studentId, practiceOf: schools.practiceOfSchoolId })
    .from(roleGrants)
    .leftJoin(schools, eq(schools.id, roleGrants.schoolId))
    .where(eq(roleGrants.userId, userId));
  return rows.filter((r): r is GrantRow => isRole(r.role)).sort((a, b) => (a.schoolName ?? '').localeCompare(b.schoolName ?? '', 'vi'));
}

/** The actor scope of a user acting in a school (or with no school: system roles only). */
export async function loadActor(db: Db, userId: string, schoolId: string | null): Promise<ActorScope> {
  const grants = await db
    .select({ role: roleGrants.role, studentId: roleGrants.studentId })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, userId), schoolId ? or(eq(roleGrants.schoolId, schoolId), isNull(roleGrants.schoolId)) : isNull(roleGrants.schoolId)));
  const roles = new Set(grants.map((g) => g.role).filter(isRole));
  const studentIds = new Set(grants.map((g) => g.studentId).filter((s): s is string => !!s));
  const actor: ActorScope = {
    userId,
    schoolId,
    roles,
    homeroomClassIds: new Set(),
    classSubjectIds: new Set(),
    taughtClassIds: new Set(),
    studentIds,
  };
  if (!schoolId || (!roles.has('homeroom_teacher') && !roles.has('subject_teacher'))) return actor;
  return inSchool(db, schoolId, async (tx) => {
    const homeroom = await tx
      .select({ classId: homeroomAssignments.classId })
      .from(homeroomAssignments)
      .innerJoin(staff, eq(staff.id, homeroomAssignments.staffId))
      .where(eq(staff.userId, userId));
    const taught = await tx
      .select({ id: classSubjects.id, classId: classSubjects.classId })
      .from(classSubjects)
      .innerJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
      .where(eq(staff.userId, userId));
    return {
      ...actor,
      homeroomClassIds: new Set(homeroom.map((h) => h.classId)),
      classSubjectIds: new Set(taught.map((t) => t.id)),
      taughtClassIds: new Set(taught.map((t) => t.classId)),
    };
  });
}

/** The user row, without secrets. */
export async function loadUser(db: Db, userId: string) {
  const [u] = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      locale: users.locale,
      totpEnabled: users.totpEnabled,
      mustChangePassword: users.mustChangePassword,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  return u ?? null;
}

/** Roles of `roles` for which the school requires TOTP. */
export async function totpRequiredFor(db: Db, schoolId: string | null, roles: Iterable<Role>): Promise<boolean> {
  if (!schoolId) return false;
  const [s] = await db.select({ req: schools.totpRequiredRoles }).from(schools).where(eq(schools.id, schoolId));
  const required = new Set(s?.req ?? []);
  for (const r of roles) if (required.has(r)) return true;
  return false;
}
