/**
 * Hardening checks of issue 11, each against the running app: security headers and the CSP
 * on HTML and API answers (and no caching of API answers), session fixation, CSRF (missing,
 * wrong, another session's token, foreign Origin), the password policy, forced TOTP for every
 * signing and approving role (also for sessions opened before the school turned it on),
 * upload limits and type checks, DOCTYPE refused at every XML entry point, personal data
 * never in the request log (a real server with logging on), and per-school isolation at
 * the SQL level for every table in SCHOOL_OWNED_TABLES.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { zipSync } from 'fflate';
import { generate } from 'otplib';
import { inSchool } from '../../src/db/scope.ts';
import { SCHOOL_OWNED_TABLES } from '../../src/db/schema.ts';
import { SIGNING_ROLES } from '../../src/domain/policies/roles.ts';
import { SESSION_COOKIE } from '../../src/server/authorize.ts';
import { serializeHbsV1 } from '../../src/documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../../src/documents/hbs-xml/test-snapshots.ts';
import { client, loginAs, sessionFor, startTestApp, type TestApp } from '../helpers/app.ts';
import { TEST_PASSWORD } from '../helpers/factories.ts';
import { multipart } from '../helpers/multipart.ts';
import { rejectsDb } from '../helpers/assert-db.ts';
import { BACKENDS } from '../helpers/db.ts';

const DOCTYPE = '<!DOCTYPE HocBa [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
const withDoctype = (xml: string) => xml.replace('?>', `?>\n${DOCTYPE}`);

describe('security hardening (pglite)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('pglite');
  });
  after(() => t.close());

  test('headers: a strict CSP and the usual headers on HTML and API answers; API answers are not cached', async () => {
    const c = client(t.app);
    const answers = {
      html: await c.request({ method: 'GET', url: '/' }),
      spaRoute: await c.request({ method: 'GET', url: '/hoc-sinh/abc' }),
      api: await c.request({ method: 'GET', url: '/api/health' }),
      apiError: await c.request({ method: 'GET', url: '/api/session' }),
      apiMissing: await c.request({ method: 'GET', url: '/api/khong-co' }),
    };
    for (const [what, res] of Object.entries(answers)) {
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, what);
      assert.match(csp, /script-src 'self'(;|$)/, `${what}: scripts from the origin only (no inline, no eval)`);
      assert.doesNotMatch(csp, /script-src[^;]*'unsafe-(inline|eval)'/, what);
      assert.match(csp, /object-src 'none'/, what);
      assert.match(csp, /frame-ancestors 'none'/, what);
      assert.match(csp, /base-uri 'self'/, what);
      assert.match(csp, /form-action 'self'/, what);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', what);
      assert.ok(res.headers['x-frame-options'], what);
    }
    if (answers.html.statusCode === 200) assert.match(String(answers.html.headers['content-type']), /text\/html/);
    for (const what of ['api', 'apiError', 'apiMissing'] as const) {
      assert.match(String(answers[what].headers['cache-control']), /no-store/, `${what}: personal data must not stay in a shared computer's cache`);
    }
  });

  test('session fixation: a planted cookie is never adopted; sign-in always issues a new session id', async () => {
    const planted = 'a'.repeat(43);
    const first = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: `${SESSION_COOKIE}=${planted}` }, payload: { username: t.school.users.homeroom_teacher.username, password: TEST_PASSWORD } });
    assert.equal(first.statusCode, 200, first.body);
    const issued = first.cookies.find((k) => k.name === SESSION_COOKIE)!.value;
    assert.notEqual(issued, planted);
    // A real session the attacker holds (their own sign-in) is replaced too, not upgraded.
    const attacker = await loginAs(t.app, t.school.users.parent.username);
    const attackerToken = attacker.c.token!;
    const victim = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: `${SESSION_COOKIE}=${attackerToken}` }, payload: { username: t.school.users.principal.username, password: TEST_PASSWORD } });
    const victimToken = victim.cookies.find((k) => k.name === SESSION_COOKIE)!.value;
    assert.notEqual(victimToken, attackerToken);
    const stillParent = await client(t.app, attackerToken).request({ method: 'GET', url: '/api/session' });
    assert.equal(stillParent.statusCode, 200);
    assert.equal(stillParent.json().user.id, t.school.users.parent.id, 'the planted session did not become the victim’s');
  });

  test('CSRF: missing, wrong and another session’s token refused; a foreign or opaque Origin refused; nothing changes', async () => {
    const a = await loginAs(t.app, t.school.users.subject_teacher.username);
    const b = await loginAs(t.app, t.school.users.homeroom_teacher.username);
    const write = (headers: Record<string, string>) =>
      t.app.inject({ method: 'PUT', url: '/api/me/locale', headers: { cookie: `${SESSION_COOKIE}=${a.c.token}`, ...headers }, payload: { locale: 'en' } });
    const cases: Array<[string, Record<string, string>]> = [
      ['no token', {}],
      ['a wrong token', { 'x-csrf-token': 'x'.repeat(43) }],
      ['another session’s token', { 'x-csrf-token': b.c.csrf! }],
      ['a foreign Origin', { 'x-csrf-token': a.c.csrf!, origin: 'https://evil.example' }],
      ['an opaque Origin', { 'x-csrf-token': a.c.csrf!, origin: 'null' }],
    ];
    for (const [what, headers] of cases) {
      const res = await write(headers);
      assert.equal(res.statusCode, 403, `${what}: ${res.body}`);
      assert.equal(res.json().error.code, 'csrf.invalid', what);
    }
    const session = await a.c.request({ method: 'GET', url: '/api/session' });
    assert.notEqual(session.json().user.locale, 'en', 'no refused request changed anything');
    const ok = await write({ 'x-csrf-token': a.c.csrf!, origin: 'http://localhost:8080', host: 'localhost:8080' });
    assert.ok(ok.statusCode < 300, `the right token from the same origin works: ${ok.statusCode} ${ok.body}`);
  });

  test('password policy: short, containing the username and common passwords refused; a good one accepted', async () => {
    const u = t.school.users.vice_principal;
    const { c } = await loginAs(t.app, u.username);
    for (const weak of ['ngan', u.username + '2025!', 'password123', '1234567890', '          ']) {
      const res = await c.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: weak } });
      assert.equal(res.statusCode, 400, `"${weak}" accepted: ${res.body}`);
      assert.equal(res.json().error.code, 'auth.weak_password', weak);
    }
    const good = await c.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'Sông Hồng chảy về biển 2026' } });
    assert.equal(good.statusCode, 204, good.body);
    // The change ended the session (a new one was issued): sign in again to put the password back.
    const again = await loginAs(t.app, u.username, 'Sông Hồng chảy về biển 2026');
    assert.equal(again.res.statusCode, 200);
    const back = await again.c.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Sông Hồng chảy về biển 2026', newPassword: TEST_PASSWORD } });
    assert.equal(back.statusCode, 204, back.body);
  });

  test('forced TOTP: every signing and approving role is held at set-up, also in sessions opened before the rule', async () => {
    assert.deepEqual([...SIGNING_ROLES].sort(), ['clerk', 'homeroom_teacher', 'principal', 'subject_teacher', 'vice_principal']);
    const earlier = await sessionFor(t, t.school.users.clerk.id, t.school.schoolId);
    assert.equal((await earlier.request({ method: 'GET', url: '/api/home' })).statusCode, 200);
    const admin = await sessionFor(t, t.school.users.school_admin.id, t.school.schoolId);
    const set = await admin.request({ method: 'PUT', url: '/api/school/settings', payload: { totpRequiredRoles: [...SIGNING_ROLES] } });
    assert.equal(set.statusCode, 200, set.body);
    try {
      const held = await earlier.request({ method: 'POST', url: '/api/signing/batches', payload: { step: 'seal', target: { classId: t.school.classId } } });
      assert.equal(held.statusCode, 403, held.body);
      assert.equal(held.json().error.code, 'auth.totp_enrolment_required', 'a session from before the rule cannot sign');
      for (const role of SIGNING_ROLES) {
        const { c, res } = await loginAs(t.app, t.school.users[role].username);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().mustEnrollTotp, true, role);
        const home = await c.request({ method: 'GET', url: '/api/home' });
        assert.equal(home.json().error?.code, 'auth.totp_enrolment_required', role);
      }
      // Enrolled: the code is then required at sign-in.
      const { c } = await loginAs(t.app, t.school.users.clerk.username);
      const { secret } = (await c.request({ method: 'POST', url: '/api/auth/totp/setup', payload: {} })).json();
      assert.equal((await c.request({ method: 'POST', url: '/api/auth/totp/enable', payload: { code: await generate({ secret }) } })).statusCode, 204);
      const noCode = (await loginAs(t.app, t.school.users.clerk.username)).res;
      assert.equal(noCode.json().error.code, 'auth.totp_required');
      // Roles that neither sign nor approve stay free of it.
      assert.equal((await loginAs(t.app, t.school.users.school_admin.username)).res.json().mustEnrollTotp, false);
    } finally {
      await admin.request({ method: 'PUT', url: '/api/school/settings', payload: { totpRequiredRoles: [] } });
    }
  });

  test('upload limits and type checks', async () => {
    const teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
    const homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5 * 1024 * 1024 + 10, 0x20)]);
    const tooBig = await teacher.request({ method: 'POST', url: '/api/uploads', ...multipart('to.pdf', big, 'application/pdf') });
    assert.equal(tooBig.statusCode, 413, tooBig.body);
    const disguised = await teacher.request({ method: 'POST', url: '/api/uploads', ...multipart('thu.pdf', Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf') });
    assert.equal(disguised.statusCode, 400, disguised.body);
    const exe = await teacher.request({ method: 'POST', url: '/api/uploads', ...multipart('thu.pdf', Buffer.from('MZ\x90\x00this is an executable'), 'application/pdf') });
    assert.equal(exe.statusCode, 400);
    const svg = await teacher.request({ method: 'PUT', url: '/api/me/signature-image', ...multipart('ky.png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/png') });
    assert.equal(svg.statusCode, 400, svg.body);
    const bigImage = await teacher.request({ method: 'PUT', url: '/api/me/signature-image', ...multipart('ky.png', Buffer.alloc(1024 * 1024 + 1, 1), 'image/png') });
    assert.equal(bigImage.statusCode, 413, bigImage.body);
    const bigList = await homeroom.request({ method: 'POST', url: `/api/classes/${t.school.classId}/student-imports`, ...multipart('ds.csv', Buffer.alloc(11 * 1024 * 1024, 0x41)) });
    assert.ok([400, 413].includes(bigList.statusCode), `${bigList.statusCode} ${bigList.body.slice(0, 200)}`);
    const json = await teacher.request({ method: 'PUT', url: '/api/me/locale', payload: { locale: 'vi', pad: 'x'.repeat(1024 * 1024 + 1) } });
    assert.equal(json.statusCode, 413);
    const twoFiles = multipart('a.pdf', Buffer.from('%PDF-1.7\n%%EOF\n'));
    const boundary = /boundary=(.*)$/.exec(twoFiles.headers['content-type'])![1]!;
    const doubled = Buffer.concat([twoFiles.payload.subarray(0, twoFiles.payload.length - boundary.length - 6), Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.pdf"\r\n\r\n%PDF-1.7\n\r\n--${boundary}--\r\n`)]);
    const res = await teacher.request({ method: 'POST', url: '/api/uploads', payload: doubled, headers: twoFiles.headers });
    assert.ok(res.statusCode < 500, `two files in one upload: ${res.statusCode}`);
  });

  test('XML with a DOCTYPE is refused at every XML entry point (public verification, transfer package, acknowledgment)', async () => {
    const xml = withDoctype(serializeHbsV1(fullSnapshot()));
    const anon = client(t.app);
    const raw = await anon.request({ method: 'POST', url: '/api/public/verify', headers: { 'content-type': 'application/xml' }, payload: xml });
    assert.ok(raw.statusCode < 500, raw.body);
    assert.match(raw.body, /DOCTYPE/, 'the refusal names the DOCTYPE');
    assert.doesNotMatch(raw.body, /root:x:0:0/, 'no external entity was resolved');
    assert.notEqual(raw.json().status, 'passed');
    const form = await anon.request({ method: 'POST', url: '/api/public/verify', ...multipart('hocba.xml', Buffer.from(xml), 'application/xml') });
    assert.ok(form.statusCode < 500, form.body);
    assert.match(form.body, /DOCTYPE/);
    const clerk = await sessionFor(t, t.school.users.clerk.id, t.school.schoolId);
    const manifest = withDoctype('<?xml version="1.0" encoding="UTF-8"?><Transfer xmlns="urn:hocba:transfer:1" Id="transfer">&xxe;</Transfer>');
    const ack = await clerk.request({ method: 'POST', url: '/api/transfers/out/acknowledgment', ...multipart('ack.xml', Buffer.from(manifest), 'application/xml') });
    assert.ok(ack.statusCode >= 400 && ack.statusCode < 500, `acknowledgment: ${ack.statusCode} ${ack.body}`);
    assert.match(ack.body, /DOCTYPE/);
    const pkg = Buffer.from(zipSync({ 'manifest.xml': new TextEncoder().encode(manifest) }));
    const fields = multipart('goi.zip', pkg, 'application/zip');
    const boundary = /boundary=(.*)$/.exec(fields.headers['content-type'])![1]!;
    const pre = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="classId"\r\n\r\n${t.school.classId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${TEST_PASSWORD}\r\n`);
    const imp = await clerk.request({ method: 'POST', url: '/api/transfers/in', payload: Buffer.concat([pre, fields.payload]), headers: fields.headers });
    assert.ok(imp.statusCode >= 400 && imp.statusCode < 500, `transfer package: ${imp.statusCode} ${imp.body}`);
    assert.match(imp.body, /DOCTYPE/);
  });

  test('personal data never in the log: a real server with logging on, a sign-in, a student import and a signing request', async () => {
    const out = await runLoggedServer();
    assert.ok(out.log.length > 200, 'the server logged its requests');
    assert.match(out.log, /\/api\/auth\/login/);
    assert.match(out.log, /student-imports/);
    assert.match(out.log, /\/api\/signing\/batches/);
    assert.match(out.log, /\/api\/share\/\[token\]\/pdf\?purpose=…/, 'the share request is logged, redacted');
    const secrets: Array<[string, string]> = [
      ['password', out.password],
      ['new password', out.newPassword],
      ['personal id number', out.personalId],
      ['student name', out.studentName],
      ['CSRF token', out.csrf],
      ['session cookie', out.cookie],
      ['share-link token', out.shareToken],
      ['student name (URL-encoded)', encodeURIComponent(out.studentName)],
    ];
    for (const [what, value] of secrets) assert.ok(!out.log.includes(value), `the log contains the ${what}`);
  });
});

for (const kind of BACKENDS) {
  describe(`per-school isolation at the SQL level (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(() => t.close());

    test('as hocba_app with a school id set, no school-owned table returns or accepts another school’s rows', async () => {
      const tables = [...SCHOOL_OWNED_TABLES];
      assert.ok(tables.length >= 30);
      let seen = 0;
      for (const table of tables) {
        const foreign = await inSchool(t.database.db, t.school.schoolId, async (tx) => {
          const who = await tx.execute<{ r: string }>(sql`select current_user as r`);
          assert.equal(who.rows[0]!.r, 'hocba_app', 'school requests run as hocba_app');
          return tx.execute<{ n: number; total: number }>(sql`select count(*) filter (where school_id <> ${t.school.schoolId})::int as n, count(*)::int as total from ${sql.identifier(table)}`);
        });
        assert.equal(foreign.rows[0]!.n, 0, `${table} shows another school's rows`);
        seen += foreign.rows[0]!.total;
        const all = await t.database.query<{ n: number }>(`select count(*)::int as n from ${table} where school_id = $1`, [t.other.schoolId]);
        if (all[0]!.n > 0) {
          // Rows of the other school exist and stay invisible even by a direct school_id match.
          const direct = await inSchool(t.database.db, t.school.schoolId, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} where school_id = ${t.other.schoolId}`));
          assert.equal(direct.rows[0]!.n, 0, table);
        }
      }
      assert.ok(seen > 0, 'the school sees its own rows');
      // Writing a row for another school is refused by the policy, not merely hidden.
      await rejectsDb(
        inSchool(t.database.db, t.school.schoolId, (tx) => tx.execute(sql`insert into subjects (school_id, code, name, assessment) values (${t.other.schoolId}, 'XSS', 'Môn lạ', 'score')`)),
        /row-level security|violates|permission denied|null value/i,
      );
      const moved = await inSchool(t.database.db, t.school.schoolId, (tx) => tx.execute(sql`update students set school_id = ${t.other.schoolId} where id = ${t.school.studentIds[0]}`)).then(
        () => 'updated',
        (err: Error & { cause?: Error }) => `${err.message} ${err.cause?.message ?? ''}`,
      );
      assert.notEqual(moved, 'updated', 'a row cannot be moved to another school');
    });
  });
}

/** Runs the app in a child process with logging on (as `HOCBA_LOG=1 hocba serve`), drives it over HTTP and returns its log. */
async function runLoggedServer(): Promise<{ log: string; password: string; newPassword: string; personalId: string; studentName: string; csrf: string; cookie: string; shareToken: string }> {
  const root = new URL('../..', import.meta.url).pathname;
  const script = `
    import { openDatabase } from '${root}src/db/client.ts';
    import { buildApp } from '${root}src/server/app.ts';
    import { makeSchool, TEST_PASSWORD } from '${root}test/helpers/factories.ts';
    const database = await openDatabase({ memory: true, migrate: true });
    const school = await makeSchool(database, 'log');
    const app = await buildApp({ database, logger: true, rateLimit: { global: 100000, login: 100000 } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const out = { password: TEST_PASSWORD, newPassword: 'Trăng rằm tháng tám 2026', personalId: '001210012345', studentName: 'Hoàng Thị Nhật Lệ' };
    const login = await fetch(url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: school.users.homeroom_teacher.username, password: TEST_PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const { csrfToken } = await login.json();
    out.csrf = csrfToken; out.cookie = cookie.split('=')[1];
    const h = { cookie, 'x-csrf-token': csrfToken };
    await fetch(url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: school.users.homeroom_teacher.username, password: out.newPassword }) });
    const csv = 'Họ tên,Ngày sinh,Giới tính,Số định danh cá nhân\\n' + out.studentName + ',05/03/2010,Nữ,' + out.personalId + '\\n';
    const form = new FormData();
    form.append('file', new Blob([csv]), 'ds ' + out.personalId + '.csv');
    const imp = await fetch(url + '/api/classes/' + school.classId + '/student-imports', { method: 'POST', headers: h, body: form });
    const p = await imp.json();
    if (p.id) await fetch(url + '/api/student-imports/' + p.id + '/commit', { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'all' }) });
    await fetch(url + '/api/students?q=' + encodeURIComponent(out.studentName), { headers: h });
    out.shareToken = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';
    await fetch(url + '/api/share/' + out.shareToken + '/pdf?purpose=' + encodeURIComponent(out.studentName));
    await fetch(url + '/api/signing/batches', { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify({ step: 'homeroom', target: { classId: school.classId } }) });
    await fetch(url + '/api/signing/batches/00000000-0000-4000-8000-000000000000/sign-with-server-key', { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify({ password: TEST_PASSWORD }) });
    await fetch(url + '/api/auth/password', { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify({ currentPassword: TEST_PASSWORD, newPassword: out.newPassword }) });
    await app.close();
    await database.close();
    process.stderr.write('RESULT ' + JSON.stringify(out) + '\\n');
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const m = /RESULT (.*)/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`logged server child failed (${code}): ${err.slice(-2000)}`));
      resolve({ log, ...JSON.parse(m[1]!) });
    });
  });
}
