import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { schools, users } from '../../src/db/schema.ts';
import { MAX_FAILURES } from '../../src/services/auth/login.ts';
import { BACKENDS } from '../helpers/db.ts';
import { client, loginAs, sessionFor, startTestApp, type TestApp } from '../helpers/app.ts';
import { TEST_PASSWORD } from '../helpers/factories.ts';

for (const kind of BACKENDS) {
  describe(`sign-in and sessions (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(() => t.close());

    test('a correct sign-in sets an HttpOnly SameSite cookie and returns the session', async () => {
      const { res } = await loginAs(t.app, t.school.users.principal.username);
      assert.equal(res.statusCode, 200);
      const cookie = res.cookies.find((c) => c.name === 'hocba_sid')!;
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      const body = res.json();
      assert.equal(body.user.username, t.school.users.principal.username);
      assert.ok(body.permissions.includes('classes.read_all'));
      assert.equal(body.activeSchoolId, t.school.schoolId);
      assert.equal(typeof body.csrfToken, 'string');
      assert.equal(JSON.stringify(body).includes('password'), false, 'no password hash in the response');
    });

    test('a wrong password and an unknown user get the same answer', async () => {
      const a = (await loginAs(t.app, t.school.users.clerk.username, 'sai-mat-khau-roi')).res;
      const b = (await loginAs(t.app, 'khong-ton-tai', 'sai-mat-khau-roi')).res;
      assert.equal(a.statusCode, 401);
      assert.deepEqual(a.json(), b.json());
      assert.equal(a.json().error.code, 'auth.invalid_credentials');
      assert.match(a.json().error.message, /không đúng/);
    });

    test('English messages when asked for', async () => {
      const c = client(t.app);
      const res = await c.request({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en-US' }, payload: { username: 'x', password: 'y' } });
      assert.equal(res.json().error.message, 'Wrong username or password.');
    });

    test(`after ${MAX_FAILURES} failures the account locks, even for the right password`, async () => {
      const name = t.school.users.department_head.username;
      for (let i = 0; i < MAX_FAILURES - 1; i++) assert.equal((await loginAs(t.app, name, 'sai-mat-khau-roi')).res.statusCode, 401);
      const locked = (await loginAs(t.app, name, 'sai-mat-khau-roi')).res;
      assert.equal(locked.statusCode, 423);
      assert.equal(locked.json().error.code, 'auth.locked');
      assert.equal((await loginAs(t.app, name)).res.statusCode, 423);
      const audit = await t.database.query<{ action: string }>(`select action from audit_log where target_id = $1 order by id`, [t.school.users.department_head.id]);
      assert.deepEqual(audit.map((a) => a.action).slice(-2), ['auth.login_failed', 'auth.locked']);
      // The lock expires: move it into the past.
      await t.database.db.update(users).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(users.id, t.school.users.department_head.id));
      assert.equal((await loginAs(t.app, name)).res.statusCode, 200);
    });

    test('state-changing requests without the CSRF token are refused and change nothing', async () => {
      const c = await sessionFor(t, t.school.users.clerk.id, t.school.schoolId);
      const missing = await c.request({ method: 'PUT', url: '/api/me/locale', payload: { locale: 'en' }, csrf: false });
      assert.equal(missing.statusCode, 403);
      assert.equal(missing.json().error.code, 'csrf.invalid');
      const wrong = await c.request({ method: 'PUT', url: '/api/me/locale', payload: { locale: 'en' }, csrf: false, headers: { 'x-csrf-token': 'x'.repeat(43) } });
      assert.equal(wrong.statusCode, 403);
      const foreign = await c.request({ method: 'PUT', url: '/api/me/locale', payload: { locale: 'en' }, headers: { origin: 'https://evil.example' } });
      assert.equal(foreign.statusCode, 403);
      const [u] = await t.database.db.select({ locale: users.locale }).from(users).where(eq(users.id, t.school.users.clerk.id));
      assert.equal(u!.locale, 'vi');
      const ok = await c.request({ method: 'PUT', url: '/api/me/locale', payload: { locale: 'en' } });
      assert.equal(ok.statusCode, 204);
    });

    test('sign-out ends the session on the server', async () => {
      const { c } = await loginAs(t.app, t.school.users.vice_principal.username);
      const token = c.token!;
      assert.equal((await c.request({ method: 'POST', url: '/api/auth/logout', payload: {} })).statusCode, 204);
      const replay = client(t.app, token);
      assert.equal((await replay.request({ method: 'GET', url: '/api/session' })).statusCode, 401);
    });

    test('signing in never reuses a session id the browser already had (no fixation)', async () => {
      const c = client(t.app, 'attacker-chosen-session-id');
      const res = await c.request({ method: 'POST', url: '/api/auth/login', payload: { username: t.school.users.clerk.username, password: TEST_PASSWORD } });
      assert.equal(res.statusCode, 200);
      assert.notEqual(c.token, 'attacker-chosen-session-id');
      assert.equal((await client(t.app, 'attacker-chosen-session-id').request({ method: 'GET', url: '/api/session' })).statusCode, 401);
    });

    test('password change: policy enforced; other sessions end; a new session is issued', async () => {
      const user = t.school.users.subject_teacher;
      const other = (await loginAs(t.app, user.username)).c;
      const { c } = await loginAs(t.app, user.username);
      const weak = await c.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'ngan' } });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().error.code, 'auth.weak_password');
      assert.equal(weak.json().error.details[0].path, 'newPassword');
      const before = c.token;
      const ok = await c.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'một mật khẩu mới dài' } });
      assert.equal(ok.statusCode, 204);
      assert.notEqual(c.token, before);
      assert.equal((await other.request({ method: 'GET', url: '/api/session' })).statusCode, 401);
      assert.equal((await c.request({ method: 'GET', url: '/api/session' })).statusCode, 200);
      assert.equal((await loginAs(t.app, user.username, 'một mật khẩu mới dài')).res.statusCode, 200);
    });

    test('a school that requires TOTP for principals holds them at set-up, then asks for the code', async () => {
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      const wrong = await admin.request({ method: 'PUT', url: '/api/school/settings', payload: { totpRequiredRoles: ['student'] } });
      assert.equal(wrong.statusCode, 400);
      const set = await admin.request({ method: 'PUT', url: '/api/school/settings', payload: { totpRequiredRoles: ['principal'] } });
      assert.equal(set.statusCode, 200, set.body);
      const [s] = await t.database.db.select({ r: schools.totpRequiredRoles }).from(schools).where(eq(schools.id, t.school.schoolId));
      assert.deepEqual(s!.r, ['principal']);
      const { c, res } = await loginAs(t.app, t.school.users.principal.username);
      assert.equal(res.json().mustEnrollTotp, true);
      const held = await c.request({ method: 'GET', url: '/api/home' });
      assert.equal(held.statusCode, 403);
      assert.equal(held.json().error.code, 'auth.totp_enrolment_required');
      const { secret } = (await c.request({ method: 'POST', url: '/api/auth/totp/setup', payload: {} })).json();
      const bad = await c.request({ method: 'POST', url: '/api/auth/totp/enable', payload: { code: '000000' } });
      assert.equal(bad.statusCode, 401);
      const code = await generate({ secret });
      assert.equal((await c.request({ method: 'POST', url: '/api/auth/totp/enable', payload: { code } })).statusCode, 204);
      assert.equal((await c.request({ method: 'GET', url: '/api/home' })).statusCode, 200);

      const noCode = (await loginAs(t.app, t.school.users.principal.username)).res;
      assert.equal(noCode.statusCode, 401);
      assert.equal(noCode.json().error.code, 'auth.totp_required');
      // The code used to enable cannot be replayed for sign-in.
      const replay = (await loginAs(t.app, t.school.users.principal.username, TEST_PASSWORD, code)).res;
      assert.equal(replay.json().error.code, 'auth.totp_invalid');
      const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
      const ok = (await loginAs(t.app, t.school.users.principal.username, TEST_PASSWORD, next)).res;
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().mustEnrollTotp, false);
    });

    test('a disabled account cannot sign in and its sessions end at once', async () => {
      const victim = t.school.users.parent;
      const session = (await loginAs(t.app, victim.username)).c;
      const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
      assert.equal((await admin.request({ method: 'POST', url: `/api/users/${victim.id}/disable`, payload: { disabled: true } })).statusCode, 204);
      assert.equal((await session.request({ method: 'GET', url: '/api/session' })).statusCode, 401);
      assert.equal((await loginAs(t.app, victim.username)).res.json().error.code, 'auth.disabled');
    });

    test('bad input names the field; wrong content type and unknown routes are clear errors', async () => {
      const c = client(t.app);
      const res = await c.request({ method: 'POST', url: '/api/auth/login', payload: { username: '', password: 'x' } });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'validation');
      assert.match(res.json().error.details[0].path, /username/);
      const form = await c.request({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=a&password=b' });
      assert.equal(form.statusCode, 415);
      assert.equal(form.json().error.code, 'unsupported_media_type');
      const missing = await c.request({ method: 'GET', url: '/api/khong-co' });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'not_found');
    });

    test('security headers are set', async () => {
      const res = await client(t.app).request({ method: 'GET', url: '/api/health' });
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.match(String(res.headers['x-frame-options']), /SAMEORIGIN|DENY/);
    });
  });
}

describe('sign-in rate limit', () => {
  test('too many sign-in attempts from one address get 429', async () => {
    const t = await startTestApp('pglite', { rateLimit: { global: 1000, login: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await loginAs(t.app, 'khong-ton-tai', 'sai')).res.statusCode);
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
      const res = (await loginAs(t.app, 'khong-ton-tai', 'sai')).res;
      assert.equal(res.json().error.code, 'rate_limited');
    } finally {
      await t.close();
    }
  });
});
