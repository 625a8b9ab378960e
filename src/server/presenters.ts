/** Shapes responses from service results: no raw database rows leave the server. */
import type { SessionInfo } from './api-types.ts';
import type { AuthContext } from './authorize.ts';

export function presentSession(auth: AuthContext): SessionInfo {
  const { user } = auth;
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      locale: user.locale === 'en' ? 'en' : 'vi',
      totpEnabled: user.totpEnabled,
      mustChangePassword: user.mustChangePassword,
      roles: auth.grants.map((g) => ({ role: g.role, schoolId: g.schoolId, schoolName: g.schoolName, studentId: g.studentId, practiceOf: g.practiceOf })),
    },
    csrfToken: auth.session.csrfToken,
    activeSchoolId: auth.actor.schoolId,
    mustEnrollTotp: auth.mustEnrollTotp,
    permissions: auth.permissions,
  };
}
