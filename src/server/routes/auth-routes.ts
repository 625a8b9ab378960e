import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { appendAudit } from '../../services/audit/append-audit.ts';
import { changePassword } from '../../services/auth/change-password.ts';
import { login } from '../../services/auth/login.ts';
import { deleteSession, setActiveSchool, type SessionRow } from '../../services/auth/sessions.ts';
import { disableTotp, enableTotp, setupTotp } from '../../services/auth/totp.ts';
import { buildAuthContext, requireAuth, SESSION_COOKIE } from '../authorize.ts';
import { langOf } from '../errors.ts';
import { presentSession } from '../presenters.ts';

export interface AuthRouteOptions {
  database: Database;
  secureCookies: boolean;
  loginRateLimit: { max: number; timeWindow: number };
}

export function authRoutes(app: FastifyInstance, opts: AuthRouteOptions): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database } = opts;
  const db = database.db;

  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, path: '/' });

  const sessionReply = async (reply: FastifyReply, session: SessionRow) => {
    const auth = await buildAuthContext(database, session);
    if (!auth) throw new DomainError('auth.disabled');
    return presentSession(auth);
  };

  r.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: opts.loginRateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password (and TOTP code when enabled)',
        body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200), totp: z.string().max(10).optional() }),
      },
    },
    async (req, reply) => {
      const { token, session } = await login({ db, ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] });
      setCookie(reply, token);
      return sessionReply(reply, session);
    },
  );

  r.post('/api/auth/logout', { config: { access: 'authenticated', allowIncompleteAccount: true }, schema: { tags: ['auth'] } }, async (req, reply) => {
    const auth = requireAuth(req);
    await inSystem(db, async (tx) => {
      await deleteSession(tx as never, auth.session.id);
      await appendAudit(tx, { actor: { userId: auth.user.id, label: auth.user.username }, schoolId: null, action: 'auth.logout', targetType: 'user', targetId: auth.user.id });
    });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  r.get('/api/session', { config: { access: 'authenticated', allowIncompleteAccount: true }, schema: { tags: ['auth'] } }, async (req) => presentSession(requireAuth(req)));

  r.post(
    '/api/session/school',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], body: z.object({ schoolId: z.string().uuid() }) } },
    async (req, reply) => {
      const auth = requireAuth(req);
      if (!auth.grants.some((g) => g.schoolId === req.body.schoolId)) throw new DomainError('forbidden');
      await setActiveSchool(db, auth.session.id, req.body.schoolId);
      return sessionReply(reply, { ...auth.session, activeSchoolId: req.body.schoolId });
    },
  );

  r.post(
    '/api/auth/password',
    {
      config: { access: 'authenticated', allowIncompleteAccount: true },
      schema: { tags: ['auth'], body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }) },
    },
    async (req, reply) => {
      const auth = requireAuth(req);
      const { token } = await changePassword({ db, userId: auth.user.id, ...req.body, activeSchoolId: auth.session.activeSchoolId, lang: langOf(req) });
      setCookie(reply, token);
      return reply.status(204).send();
    },
  );

  r.put(
    '/api/me/locale',
    { config: { access: 'authenticated', allowIncompleteAccount: true }, schema: { tags: ['auth'], body: z.object({ locale: z.enum(['vi', 'en']) }) } },
    async (req, reply) => {
      const auth = requireAuth(req);
      await db.update(users).set({ locale: req.body.locale }).where(eq(users.id, auth.user.id));
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/auth/totp/setup',
    { config: { access: 'authenticated', allowIncompleteAccount: true }, schema: { tags: ['auth'], summary: 'Start TOTP set-up (the password is needed to replace an active one)', body: z.object({ password: z.string().max(200).optional() }).nullish() } },
    async (req) => setupTotp({ db, userId: requireAuth(req).user.id, password: req.body?.password }),
  );
  r.post(
    '/api/auth/totp/enable',
    { config: { access: 'authenticated', allowIncompleteAccount: true }, schema: { tags: ['auth'], body: z.object({ code: z.string().min(6).max(10) }) } },
    async (req, reply) => {
      await enableTotp({ db, userId: requireAuth(req).user.id, code: req.body.code });
      return reply.status(204).send();
    },
  );
  r.post(
    '/api/auth/totp/disable',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], body: z.object({ password: z.string().min(1).max(200) }) } },
    async (req, reply) => {
      await disableTotp({ db, userId: requireAuth(req).user.id, password: req.body.password });
      return reply.status(204).send();
    },
  );
}
