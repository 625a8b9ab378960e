/**
 * Authentication and authorisation for every route. Each /api route must declare
 * `config.access`: 'public', 'authenticated' (any signed-in person, e.g. their own
 * account) or a permission from domain/policies. A route without it makes the server
 * refuse to start. For every request: resolve the session cookie, check CSRF on
 * state-changing methods, hold back people who must first set up TOTP or change their
 * password, then check the permission.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/client.ts';
import { DomainError } from '../domain/errors.ts';
import { hasPermission, PERMISSIONS, permissionsOf, type ActorScope, type Permission } from '../domain/policies/permissions.ts';
import { loadActor, loadGrants, loadUser, totpRequiredFor, type GrantRow } from '../services/auth/load-actor.ts';
import { safeEqual } from '../services/auth/session-token.ts';
import { findSession, type SessionRow } from '../services/auth/sessions.ts';

export type Access = 'public' | 'authenticated' | Permission;

export const SESSION_COOKIE = 'hocba_sid';

export interface AuthContext {
  session: SessionRow;
  user: NonNullable<Awaited<ReturnType<typeof loadUser>>>;
  grants: GrantRow[];
  actor: ActorScope;
  permissions: Permission[];
  mustEnrollTotp: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Allowed while the person must still set up TOTP or change their password. */
    allowIncompleteAccount?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    /** Every /api route with its declared access (for the route × role test and docs). */
    apiRoutes: Array<{ method: string; url: string; access: Access }>;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds the auth context of a session (also used to answer /api/session). */
export async function buildAuthContext(database: Database, session: SessionRow): Promise<AuthContext | null> {
  const user = await loadUser(database.db, session.userId);
  if (!user || user.disabledAt) return null;
  const grants = await loadGrants(database.db, user.id);
  const schoolId = session.activeSchoolId && grants.some((g) => g.schoolId === session.activeSchoolId) ? session.activeSchoolId : null;
  const actor = await loadActor(database.db, user.id, schoolId);
  const mustEnrollTotp = !user.totpEnabled && (await totpRequiredFor(database.db, schoolId, actor.roles));
  return { session, user, grants, actor, permissions: permissionsOf(actor.roles), mustEnrollTotp };
}

/** The active school of the request, or school.required. */
export function requireSchool(req: FastifyRequest): string {
  const id = req.auth?.actor.schoolId;
  if (!id) throw new DomainError('school.required');
  return id;
}

/** The signed-in person as histories and the audit log name them: "Full Name (username)". */
export function currentActor(req: FastifyRequest): { userId: string; label: string } {
  const a = requireAuth(req);
  return { userId: a.user.id, label: a.user.displayName ? `${a.user.displayName} (${a.user.username})` : a.user.username };
}

export function requireAuth(req: FastifyRequest): AuthContext {
  if (!req.auth) throw new DomainError('auth.required');
  return req.auth;
}

export function registerAuthorization(app: FastifyInstance, database: Database): void {
  app.decorateRequest('auth', null);
  const routes: FastifyInstance['apiRoutes'] = [];
  app.decorate('apiRoutes', routes);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no config.access`);
    if (access !== 'public' && access !== 'authenticated' && !(access in PERMISSIONS)) {
      throw new Error(`route ${route.method} ${route.url}: unknown permission ${access}`);
    }
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, access });
  });

  // onRequest, before the body is parsed and validated: a person without access learns
  // nothing from validation errors.
  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    const access = config?.access;
    if (!access) return; // static files and the SPA fallback
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const session = await findSession(database.db, token);
      if (session) req.auth = await buildAuthContext(database, session);
    }
    if (UNSAFE.has(req.method)) checkOrigin(req);
    if (access === 'public') return;
    const auth = req.auth;
    if (!auth) throw new DomainError('auth.required');
    if (UNSAFE.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, auth.session.csrfToken)) throw new DomainError('csrf.invalid');
    }
    if (!config.allowIncompleteAccount) {
      if (auth.mustEnrollTotp) throw new DomainError('auth.totp_enrolment_required');
      if (auth.user.mustChangePassword) throw new DomainError('auth.password_change_required');
    }
    if (access !== 'authenticated' && !hasPermission(auth.actor.roles, access)) throw new DomainError('forbidden');
  });
}

/** A state-changing request whose Origin names another site is refused (defence in depth beside the CSRF token and SameSite cookies). */
function checkOrigin(req: FastifyRequest): void {
  const origin = req.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new DomainError('csrf.invalid');
  }
  if (host !== req.headers.host) throw new DomainError('csrf.invalid');
}
