/** Pure views of a SessionInfo for the header, menu and home page. */
import type { SessionInfo } from '../../server/api-types.ts';
import type { Role } from '../../domain/policies/roles.ts';
import { ROLES } from '../../domain/policies/roles.ts';

/** The person's roles in the active school (plus school-less roles such as system_admin), in ROLES order. */
export function activeRoles(session: SessionInfo): Role[] {
  const held = new Set(
    session.user.roles
      .filter((grant) => grant.schoolId === null || grant.schoolId === session.activeSchoolId)
      .map((grant) => grant.role),
  );
  return ROLES.filter((role) => held.has(role));
}

/** The schools the person has a role in, for the school switcher. */
export function sessionSchools(session: SessionInfo): Array<{ id: string; name: string }> {
  const schools = new Map<string, string>();
  for (const grant of session.user.roles) {
    if (grant.schoolId) schools.set(grant.schoolId, grant.schoolName ?? grant.schoolId);
  }
  return [...schools].map(([id, name]) => ({ id, name }));
}

/** When the session works in a practice school: the real school it belongs to; else null. */
export function activePracticeOf(session: SessionInfo): string | null {
  return session.user.roles.find((g) => g.schoolId === session.activeSchoolId && g.practiceOf)?.practiceOf ?? null;
}

export function activeSchoolName(session: SessionInfo): string | null {
  return sessionSchools(session).find((school) => school.id === session.activeSchoolId)?.name ?? null;
}
