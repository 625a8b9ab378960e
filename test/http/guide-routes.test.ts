/**
 * The in-app guide API: pages by name from the fixed list only, images by strict name with
 * the right type and cache validators, nothing else on disk reachable; and the per-user
 * first-run tour flag.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { errorHandler } from '../../src/server/errors.ts';
import { guideRoutes } from '../../src/server/routes/guide-routes.ts';
import type { Database } from '../../src/db/client.ts';
import { BACKENDS } from '../helpers/db.ts';
import { sessionFor, client, startTestApp, type TestApp } from '../helpers/app.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d6a6a80000000049454e44ae426082', 'hex');

describe('guide files', () => {
  let dir: string;
  let app: FastifyInstance;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hocba-guide-'));
    await mkdir(join(dir, 'images'));
    await writeFile(join(dir, 'xu-ly-su-co.md'), '# Xử lý sự cố\n\n<a id="token"></a>\n## Không thấy USB token\n');
    await writeFile(join(dir, 'images', 'xac-minh-1-trang.png'), PNG);
    await writeFile(join(dir, 'secret.md'), 'not a guide page');
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.setErrorHandler(errorHandler);
    guideRoutes(app, { database: {} as Database, guideDir: dir });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a listed page comes back as markdown, cacheable, and revalidates with 304', async () => {
    const res = await app.inject({ url: '/api/guide/xu-ly-su-co' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/markdown; charset=utf-8/);
    assert.match(res.body, /Không thấy USB token/);
    assert.match(res.headers['cache-control'] as string, /public, max-age=300/);
    const again = await app.inject({ url: '/api/guide/xu-ly-su-co', headers: { 'if-none-match': res.headers.etag as string } });
    assert.equal(again.statusCode, 304);
    assert.equal((await app.inject({ url: '/api/guide/xu-ly-su-co.md' })).statusCode, 200);
  });

  test('a listed page missing on disk is 404 naming the page', async () => {
    const res = await app.inject({ url: '/api/guide/van-thu' });
    assert.equal(res.statusCode, 404);
    assert.match(res.json().error.message, /van-thu/);
  });

  test('names outside the list or with path tricks never reach the disk', async () => {
    for (const url of ['/api/guide/secret', '/api/guide/..%2Fsecret', '/api/guide/%2e%2e%2fpackage.json', '/api/guide/XU-LY-SU-CO', '/api/guide/images/..%2F..%2Fpackage.json', '/api/guide/images/a.md', '/api/guide/images/.hidden.png', '/api/guide/images/A.PNG', '/api/guide/images/a%00.png']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, `${url} → ${res.statusCode} ${res.body}`);
      assert.doesNotMatch(res.body, /not a guide page/);
    }
  });

  test('an image comes back with its content type and a long cache', async () => {
    const res = await app.inject({ url: '/api/guide/images/xac-minh-1-trang.png' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.headers['cache-control'] as string, /public, max-age=3600/);
    assert.deepEqual(res.rawPayload, PNG);
    assert.equal((await app.inject({ url: '/api/guide/images/xac-minh-9-khong-co.png' })).statusCode, 404);
  });
});

for (const kind of BACKENDS) {
  describe(`first-run tour flag (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(async () => t?.close());

    test('starts undismissed, is remembered per person, can be reset; needs a session', async () => {
      const teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      const principal = await sessionFor(t, t.school.users.principal.id, t.school.schoolId);
      assert.deepEqual((await teacher.request({ method: 'GET', url: '/api/me/help' })).json(), { tourDismissedAt: null });
      const put = await teacher.request({ method: 'PUT', url: '/api/me/help', payload: { tourDismissed: true } });
      assert.equal(put.statusCode, 200, put.body);
      const after1 = (await teacher.request({ method: 'GET', url: '/api/me/help' })).json();
      assert.ok(after1.tourDismissedAt && !Number.isNaN(Date.parse(after1.tourDismissedAt)));
      assert.deepEqual((await principal.request({ method: 'GET', url: '/api/me/help' })).json(), { tourDismissedAt: null });
      await teacher.request({ method: 'PUT', url: '/api/me/help', payload: { tourDismissed: false } });
      assert.deepEqual((await teacher.request({ method: 'GET', url: '/api/me/help' })).json(), { tourDismissedAt: null });
      assert.equal((await client(t.app).request({ method: 'GET', url: '/api/me/help' })).statusCode, 401);
      assert.equal((await teacher.request({ method: 'PUT', url: '/api/me/help', payload: { tourDismissed: 'yes' } })).statusCode, 400);
    });
  });
}
