/** An app on a fresh database with two test schools, and a client that signs in as anyone. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/server/app.ts';
import { SESSION_COOKIE } from '../../src/server/authorize.ts';
import { createSession } from '../../src/services/auth/sessions.ts';
import { createUser } from '../../src/services/users/create-user.ts';
import { freshDatabase, type BackendKind } from './db.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from './factories.ts';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  school: TestSchool;
  other: TestSchool;
  systemAdmin: { id: string; username: string };
  close(): Promise<void>;
}

export async function startTestApp(kind: BackendKind, opts: { rateLimit?: { global: number; login: number } } = {}): Promise<TestApp> {
  const database = await freshDatabase(kind);
  const school = await makeSchool(database, 'sch');
  const other = await makeSchool(database, 'oth');
  const { id } = await createUser({ db: database.db, actor: { userId: null, label: 'test' }, username: 'sysadmin', displayName: 'Quản trị hệ thống', password: TEST_PASSWORD, roles: ['system_admin'], schoolId: null });
  const app = await buildApp({ database, rateLimit: opts.rateLimit ?? { global: 100_000, login: 100_000 } });
  await app.ready();
  return {
    app,
    database,
    school,
    other,
    systemAdmin: { id, username: 'sysadmin' },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export interface Client {
  token: string | null;
  csrf: string | null;
  request(opts: InjectOptions & { csrf?: boolean }): Promise<LightMyRequestResponse>;
}

/** A client holding a session (when given one) and sending its CSRF token on writes. */
export function client(app: FastifyInstance, token: string | null = null, csrf: string | null = null): Client {
  const c: Client = {
    token,
    csrf,
    async request(opts) {
      const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) };
      if (c.token) headers.cookie = `${SESSION_COOKIE}=${c.token}`;
      if (c.csrf && opts.csrf !== false && opts.method && opts.method !== 'GET') headers['x-csrf-token'] = c.csrf;
      const res = await app.inject({ ...opts, headers });
      const set = res.cookies.find((k) => k.name === SESSION_COOKIE);
      if (set) c.token = set.value || null;
      return res;
    },
  };
  return c;
}

/** A signed-in client for a user, without going through the password check (fast). */
export async function sessionFor(t: TestApp, userId: string, schoolId: string | null): Promise<Client> {
  const { token, session } = await createSession(t.database.db, { userId, activeSchoolId: schoolId });
  return client(t.app, token, session.csrfToken);
}

/** Signs in through the API. */
export async function loginAs(app: FastifyInstance, username: string, password = TEST_PASSWORD, totp?: string): Promise<{ c: Client; res: LightMyRequestResponse }> {
  const c = client(app);
  const res = await c.request({ method: 'POST', url: '/api/auth/login', payload: { username, password, ...(totp ? { totp } : {}) } });
  if (res.statusCode === 200) c.csrf = res.json().csrfToken;
  return { c, res };
}
