/**
 * Signature images over HTTP: a signer manages only their own blue signature, the school
 * administrator or clerk the red seal; uploads are PNG only, size-limited, explained when
 * refused; another school never sees them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { opaqueTestPng, sealTestPng, signatureTestPng } from '../../src/documents/pdf/test-png.ts';
import { BACKENDS } from '../helpers/db.ts';
import { sessionFor, startTestApp, type TestApp } from '../helpers/app.ts';
import { multipart } from '../helpers/multipart.ts';

for (const kind of BACKENDS) {
  describe(`signature images over HTTP (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(() => t.close());

    const as = (role: 'homeroom_teacher' | 'subject_teacher' | 'clerk' | 'school_admin' | 'principal', school = t.school) => sessionFor(t, school.users[role].id, school.schoolId);

    test('a teacher uploads, sees, replaces and removes their own signature; a colleague does not see it', async () => {
      const me = await as('homeroom_teacher');
      assert.deepEqual((await me.request({ method: 'GET', url: '/api/me/signature-image' })).json(), { image: null });
      const put = await me.request({ method: 'PUT', url: '/api/me/signature-image', ...multipart('chu-ky.png', signatureTestPng(), 'image/png') });
      assert.equal(put.statusCode, 200, put.body);
      const image = put.json().image;
      assert.deepEqual([image.kind, image.width, image.height], ['signature', 360, 140]);
      assert.match(image.dataUrl, /^data:image\/png;base64,iVBORw0KGgo/);
      assert.deepEqual((await me.request({ method: 'GET', url: '/api/me/signature-image' })).json().image, image);
      const colleague = await as('subject_teacher');
      assert.deepEqual((await colleague.request({ method: 'GET', url: '/api/me/signature-image' })).json(), { image: null }, 'one sees only one’s own');
      const again = await me.request({ method: 'PUT', url: '/api/me/signature-image', ...multipart('chu-ky-2.png', signatureTestPng(1), 'image/png') });
      assert.notEqual(again.json().image.sha256, image.sha256);
      assert.equal((await me.request({ method: 'DELETE', url: '/api/me/signature-image' })).statusCode, 204);
      assert.deepEqual((await me.request({ method: 'GET', url: '/api/me/signature-image' })).json(), { image: null });
      const gone = await me.request({ method: 'DELETE', url: '/api/me/signature-image' });
      assert.equal(gone.statusCode, 404);
    });

    test('uploads must be a transparent PNG of at most 1 MB; the answer says what is wrong', async () => {
      const me = await as('principal');
      const cases: Array<[Buffer, number, RegExp]> = [
        [Buffer.from('%PDF-1.4\n'), 400, /not a PNG file/],
        [opaqueTestPng(), 400, /background is not transparent/],
        [Buffer.concat([signatureTestPng(), Buffer.alloc(1024 * 1024)]), 413, /./],
      ];
      for (const [content, status, reason] of cases) {
        const body = multipart('x.png', content, 'image/png');
        const res = await me.request({ method: 'PUT', url: '/api/me/signature-image', payload: body.payload, headers: { ...body.headers, 'accept-language': 'en' } });
        assert.equal(res.statusCode, status, res.body);
        assert.match(res.json().error.message, reason);
      }
      const json = await me.request({ method: 'PUT', url: '/api/me/signature-image', payload: { png: 'AAAA' } });
      assert.equal(json.statusCode, 415, 'a JSON body is not an upload');
      assert.deepEqual((await me.request({ method: 'GET', url: '/api/me/signature-image' })).json(), { image: null });
    });

    test('the clerk uploads the seal, the school administrator sees it, another school does not', async () => {
      const clerk = await as('clerk');
      const put = await clerk.request({ method: 'PUT', url: '/api/school/seal-image', ...multipart('con-dau.png', sealTestPng(), 'image/png') });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().image.kind, 'seal');
      assert.ok(Math.abs(put.json().image.sizeMm.width - 36) < 0.1);
      const admin = await as('school_admin');
      assert.equal((await admin.request({ method: 'GET', url: '/api/school/seal-image' })).json().image.sha256, put.json().image.sha256);
      const otherClerk = await sessionFor(t, t.other.users.clerk.id, t.other.schoolId);
      assert.deepEqual((await otherClerk.request({ method: 'GET', url: '/api/school/seal-image' })).json(), { image: null });
      const principal = await as('principal');
      assert.equal((await principal.request({ method: 'DELETE', url: '/api/school/seal-image' })).statusCode, 403);
      assert.equal((await admin.request({ method: 'DELETE', url: '/api/school/seal-image' })).statusCode, 204);
    });
  });
}
