/**
 * Shapes of the JSON the HTTP API returns, shared by the server's presenters and the
 * web client. Types only: the web bundle imports this file without pulling server code.
 */
import type { Role } from '../domain/policies/roles.ts';

export type Locale = 'vi' | 'en';

/** Every error response: `{ error: ApiError }` with a stable code and a message in the caller's language. */
export interface ApiError {
  code: string;
  message: string;
  /** Field-level details, e.g. `{ path: 'password', message: '…' }`. */
  details?: Array<{ path: string; message: string }>;
}

export interface RoleGrant {
  role: Role;
  schoolId: string | null;
  schoolName: string | null;
  /** For student and parent roles: the student whose record they may read. */
  studentId?: string | null;
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  locale: Locale;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  roles: RoleGrant[];
}

/** GET /api/session (200 when signed in, 401 otherwise) and the body of a successful POST /api/auth/login. */
export interface SessionInfo {
  user: SessionUser;
  /** Send back as the `x-csrf-token` header on every POST/PUT/PATCH/DELETE. */
  csrfToken: string;
  /** The school the session is working in (a person with roles in several schools picks one). */
  activeSchoolId: string | null;
  /** The school requires a second factor for one of this person's roles and none is set up yet:
   *  every route but TOTP set-up, password change and sign-out answers 403 `auth.totp_enrolment_required`. */
  mustEnrollTotp: boolean;
  /** Permission names this person holds in the active school (see domain/policies/permissions.ts). */
  permissions: string[];
}

/** POST /api/auth/login answers 401 with code `auth.totp_required` when a code is needed. */
export interface LoginRequest {
  username: string;
  password: string;
  totp?: string;
}

export interface HomeCard {
  /** Stable key, e.g. 'classes', 'students', 'staff', 'my_classes'. */
  key: string;
  value: number | string;
}

/** GET /api/home: what the home page of each of the person's roles shows. */
export interface HomeInfo {
  school: { id: string; name: string; schoolYear: string | null } | null;
  sections: Array<{
    role: Role;
    cards: HomeCard[];
    /** Rows for a small table, e.g. the classes a teacher teaches. */
    items?: Array<{ id: string; label: string; detail?: string }>;
  }>;
}
