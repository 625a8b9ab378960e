/**
 * The certificate registry over HTTP, on each back end: every refusal names why (wrong name,
 * expired, not yet valid, no signing key usage, RSA-1024, untrusted root, revoked, garbage);
 * a new certificate replaces the earlier one (kept as 'replaced', audited); the board shows
 * each signer's standing against their deadline; another school sees none of it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { auditLog, schoolYears, signingCertificates, users } from '../../src/db/schema.ts';
import { inSchool, inSystem } from '../../src/db/scope.ts';
import { registerCertificate } from '../../src/services/certificates/signing-certificates.ts';
import { toPem } from '../../src/signing/pki/der.ts';
import { createTestPki, type TestPki } from '../../src/signing/pki/test-pki.ts';
import { sessionFor, startTestApp, type TestApp } from '../helpers/app.ts';
import { BACKENDS } from '../helpers/db.ts';
import { multipart } from '../helpers/multipart.ts';
import { sharedTestPki } from '../helpers/test-pki.ts';

const DAY = 86_400_000;
const ORG = 'Trường THPT TEST — KHÔNG DÙNG THẬT';

let anchorsDir: string;
let stranger: TestPki; // a root nobody trusts
let deadPki: TestPki; // trusted, but its OCSP/CRL URL answers nothing
const savedEnv = { anchors: process.env.HOCBA_TRUST_ANCHORS, revocation: process.env.HOCBA_REVOCATION };

before(async () => {
  const { pki } = await sharedTestPki();
  stranger = await createTestPki({ label: 'STRANGER' });
  deadPki = await createTestPki({ baseUrl: 'http://127.0.0.1:9', label: 'DEAD' });
  anchorsDir = await mkdtemp(join(tmpdir(), 'hocba-anchors-'));
  await writeFile(join(anchorsDir, 'root.pem'), toPem(pki.root.certificate, 'CERTIFICATE'));
  // The licensed (issuing) CA too, as a deployment does: a bare .cer upload then still chains.
  await writeFile(join(anchorsDir, 'issuing.pem'), toPem(pki.issuing.certificate, 'CERTIFICATE'));
  await writeFile(join(anchorsDir, 'dead-root.pem'), toPem(deadPki.root.certificate, 'CERTIFICATE'));
  process.env.HOCBA_TRUST_ANCHORS = anchorsDir;
  delete process.env.HOCBA_REVOCATION;
});
after(async () => {
  await rm(anchorsDir, { recursive: true, force: true });
  if (savedEnv.anchors === undefined) delete process.env.HOCBA_TRUST_ANCHORS;
  else process.env.HOCBA_TRUST_ANCHORS = savedEnv.anchors;
  if (savedEnv.revocation === undefined) delete process.env.HOCBA_REVOCATION;
  else process.env.HOCBA_REVOCATION = savedEnv.revocation;
});

const pemOf = (id: { certificatePem: string; chain: Uint8Array[] }) => Buffer.from(id.certificatePem + id.chain.slice(1).map((d) => toPem(d, 'CERTIFICATE')).join(''));

for (const kind of BACKENDS) {
  describe(`signing certificate registry over HTTP (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(() => t.close());

    const as = (role: 'homeroom_teacher' | 'subject_teacher' | 'clerk' | 'school_admin' | 'principal' | 'vice_principal', school = t.school) => sessionFor(t, school.users[role].id, school.schoolId);
    const upload = async (role: 'subject_teacher' | 'homeroom_teacher' | 'principal' | 'vice_principal', file: Buffer, name = 'cert.pem') => {
      const c = await as(role);
      const body = multipart(name, file, 'application/x-pem-file');
      return c.request({ method: 'POST', url: '/api/me/certificate', payload: body.payload, headers: { ...body.headers, 'accept-language': 'en' } });
    };

    test('refusals name exactly what is wrong, in Vietnamese and English', async () => {
      const { pki } = await sharedTestPki();
      const name = 'Giáo viên Toán'; // the subject teacher's full name on the staff list
      const revoked = await pki.issue({ commonName: name, organization: ORG });
      pki.revoke(revoked.certificate, { reason: 1 });
      const cases: Array<[string, Buffer, RegExp]> = [
        ['garbage', Buffer.from('this is not a certificate'), /^Tệp không phải chứng thư số X\.509.*neither PEM text nor DER/],
        ['PEM without certificate', Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), /without a CERTIFICATE block \(found: PRIVATE KEY\)/],
        ['wrong name', pemOf(await pki.issue({ commonName: 'Giáo viên Toan', organization: ORG })), /Tên trên chứng thư số \("Giáo viên Toan"\) không khớp với họ tên.*"Giáo viên Toán"/],
        ['expired', pemOf(await pki.issue({ commonName: name, notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) })), /đã hết hạn ngày \d{4}-/],
        ['not yet valid', pemOf(await pki.issue({ commonName: name, notBefore: new Date(Date.now() + 10 * DAY), notAfter: new Date(Date.now() + 400 * DAY) })), /chỉ có hiệu lực từ \d{4}-/],
        ['key usage', pemOf(await pki.issue({ commonName: name, keyUsages: ['keyEncipherment'] })), /không dùng để ký số được/],
        ['RSA-1024', pemOf(await pki.issue({ commonName: name, keyType: 'rsa-1024' })), /RSA key of 1024 bits/],
        ['SHA-1', pemOf(await pki.issue({ commonName: name, signatureHash: 'SHA-1' })), /signed with sha1WithRSAEncryption/],
        ['untrusted root', pemOf(await stranger.issue({ commonName: name, keyType: 'ec-p256' })), /không chuỗi về tổ chức chứng thực tin cậy: no path to a trusted root/],
        ['revoked', pemOf(revoked), /đã bị thu hồi ngày \d{4}-/],
      ];
      for (const [what, file, reason] of cases) {
        const res = await upload('subject_teacher', file);
        assert.equal(res.statusCode, 422, `${what}: ${res.body}`);
        assert.match(res.json().error.message, reason, what);
      }
      // In English for a person who chose English.
      await inSystem(t.database.db, (tx) => tx.update(users).set({ locale: 'en' }).where(eq(users.id, t.school.users.subject_teacher.id)));
      const c = await as('subject_teacher');
      const body = multipart('x.pem', pemOf(await pki.issue({ commonName: 'Người Khác', organization: ORG })));
      const en = await c.request({ method: 'POST', url: '/api/me/certificate', ...body });
      assert.match(en.json().error.message, /The name in the certificate \("Người Khác"\) does not match the họ tên \/ full name "Giáo viên Toán"/);
      await inSystem(t.database.db, (tx) => tx.update(users).set({ locale: 'vi' }).where(eq(users.id, t.school.users.subject_teacher.id)));
      // Nothing was registered, and the card says so.
      const card = (await c.request({ method: 'GET', url: '/api/me/certificate', headers: { 'accept-language': 'en' } })).json();
      assert.equal(card.certificate, null);
      assert.equal(card.standing, 'none');
    });

    test('a certificate registers (name compared NFC, case-insensitive), a new one replaces it; both audited', async () => {
      const { pki } = await sharedTestPki();
      // NFD and upper case in the certificate: the same name for a person.
      const first = await pki.issue({ commonName: 'GIÁO VIÊN CHỦ NHIỆM'.normalize('NFD'), organization: ORG, keyType: 'ec-p256' });
      const res = await upload('homeroom_teacher', Buffer.from(first.certificate), 'cert.der');
      assert.equal(res.statusCode, 200, res.body);
      const card = res.json();
      assert.equal(card.certificate.source, 'upload');
      assert.equal(card.certificate.serialNumber, first.serialNumber);
      assert.equal(card.certificate.revocationAtRegistration, 'good');
      assert.equal(card.standing, 'valid');
      const second = await pki.issue({ commonName: 'Giáo viên chủ nhiệm', organization: ORG });
      const res2 = await upload('homeroom_teacher', pemOf(second));
      assert.equal(res2.statusCode, 200, res2.body);
      assert.equal(res2.json().certificate.serialNumber, second.serialNumber);
      assert.deepEqual(res2.json().history.map((h: { status: string; serialNumber: string }) => [h.status, h.serialNumber]), [['active', second.serialNumber], ['replaced', first.serialNumber]]);
      const rows = await inSchool(t.database.db, t.school.schoolId, (tx) => tx.select().from(signingCertificates).where(eq(signingCertificates.userId, t.school.users.homeroom_teacher.id)));
      assert.deepEqual(rows.map((r) => r.status).sort(), ['active', 'replaced']);
      assert.equal(rows.find((r) => r.status === 'active')!.chain.length, 1, 'the issuing CA is kept as the chain');
      const audit = await inSystem(t.database.db, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.targetId, t.school.users.homeroom_teacher.id))));
      assert.deepEqual(audit.map((a) => a.action).filter((a) => a.startsWith('signing_certificate')).sort(), ['signing_certificate.registered', 'signing_certificate.replaced']);
      // The key material is never in the answer.
      assert.doesNotMatch(res2.body, /PRIVATE KEY/);
    });

    test('the local agent and the seal: sources, permissions and school isolation', async () => {
      const { pki } = await sharedTestPki();
      const vp = await as('vice_principal');
      const vpCert = await pki.issue({ commonName: 'vice_principal sch', organization: ORG, keyType: 'ec-p256' });
      const agent = await vp.request({ method: 'POST', url: '/api/me/certificate/agent', payload: { certificates: vpCert.chain.map((d) => Buffer.from(d).toString('base64')) } });
      assert.equal(agent.statusCode, 200, agent.body);
      assert.equal(agent.json().certificate.source, 'agent');

      const seal = await pki.issue({ commonName: 'Trường THPT sch', organization: 'Trường THPT sch', kind: 'seal' });
      const clerk = await as('clerk');
      const put = await clerk.request({ method: 'POST', url: '/api/school/seal-certificate', ...multipart('seal.pem', pemOf(seal)) });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().certificate.serialNumber, seal.serialNumber);
      // Another school's seal is not this school's name.
      const otherClerk = await sessionFor(t, t.other.users.clerk.id, t.other.schoolId);
      const wrong = await otherClerk.request({ method: 'POST', url: '/api/school/seal-certificate', ...multipart('seal.pem', pemOf(seal)) });
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.json().error.message, /tên trường \/ school name "Trường THPT oth"/);
      assert.equal((await otherClerk.request({ method: 'GET', url: '/api/school/seal-certificate' })).json().certificate, null, 'the other school sees no seal certificate');
      // Permissions: a teacher cannot register the seal, the clerk has no personal certificate, the board is for leadership.
      const teacher = await as('subject_teacher');
      assert.equal((await teacher.request({ method: 'POST', url: '/api/school/seal-certificate', ...multipart('seal.pem', pemOf(seal)) })).statusCode, 403);
      assert.equal((await clerk.request({ method: 'GET', url: '/api/me/certificate' })).statusCode, 403);
      assert.equal((await teacher.request({ method: 'GET', url: '/api/certificates/board' })).statusCode, 403);
      // The other school's board knows nothing of this school's certificates.
      const otherAdmin = await sessionFor(t, t.other.users.school_admin.id, t.other.schoolId);
      const otherBoard = (await otherAdmin.request({ method: 'GET', url: '/api/certificates/board' })).json();
      assert.ok(otherBoard.rows.every((r: { certificate: unknown }) => r.certificate === null));
    });

    test('the board: each signer and the seal with their standing against the deadline', async () => {
      const { pki } = await sharedTestPki();
      // A current school year that ends next year: deadlines are then in the future.
      const endYear = new Date().getFullYear() + 1;
      await inSystem(t.database.db, (tx) => tx.update(schoolYears).set({ endsOn: `${endYear}-05-31` }).where(eq(schoolYears.schoolId, t.school.schoolId)));
      const deadlineGvcn = new Date(`${endYear}-06-20T00:00:00+07:00`);
      // Homeroom teacher: replaced by one that ends before 20 June.
      const short = await pki.issue({ commonName: 'Giáo viên chủ nhiệm', organization: ORG, keyType: 'ec-p256', notAfter: new Date(Math.min(Date.now() + 30 * DAY, deadlineGvcn.getTime() - DAY)) });
      assert.equal((await upload('homeroom_teacher', pemOf(short))).statusCode, 200);
      // Subject teacher: valid through the deadline.
      assert.equal((await upload('subject_teacher', pemOf(await pki.issue({ commonName: 'Giáo viên Toán', organization: ORG, keyType: 'ec-p256', notAfter: new Date(`${endYear + 1}-01-01`) })))).statusCode, 200);
      // Vice principal: registered while revocation checking was off, then revoked.
      process.env.HOCBA_REVOCATION = 'offline';
      const vpCert = await pki.issue({ commonName: 'vice_principal sch', organization: ORG, keyType: 'ec-p256', notAfter: new Date(`${endYear + 1}-01-01`) });
      const reg = await upload('vice_principal', pemOf(vpCert));
      assert.equal(reg.statusCode, 200, reg.body);
      assert.equal(reg.json().certificate.revocationAtRegistration, 'unknown');
      assert.match(reg.json().warnings[0], /revocation not checked/);
      pki.revoke(vpCert.certificate, { reason: 1 });
      // Principal: from a CA whose OCSP/CRL address answers nothing.
      const dead = await deadPki.issue({ commonName: 'principal sch', keyType: 'ec-p256', notAfter: new Date(`${endYear + 1}-01-01`) });
      assert.equal((await upload('principal', pemOf(dead))).statusCode, 200);
      delete process.env.HOCBA_REVOCATION;
      // Expired: registered when it was still valid (service call with an earlier clock).
      const old = await pki.issue({ commonName: 'Trường THPT sch', organization: 'Trường THPT sch', kind: 'seal', keyType: 'ec-p256', notBefore: new Date(Date.now() - 20 * DAY), notAfter: new Date(Date.now() - DAY) });
      await registerCertificate({
        db: t.database.db,
        actor: { userId: t.school.users.clerk.id, schoolId: t.school.schoolId, roles: new Set(['clerk']), homeroomClassIds: new Set(), classSubjectIds: new Set(), taughtClassIds: new Set(), studentIds: new Set() },
        who: { userId: t.school.users.clerk.id, label: 'clerk' },
        schoolId: t.school.schoolId,
        userId: null,
        certificate: pemOf(old),
        source: 'upload',
        trust: { trustAnchors: [pki.root.certificate], revocation: 'offline', now: () => new Date(Date.now() - 10 * DAY) },
      });

      const admin = await as('school_admin');
      const res = await admin.request({ method: 'GET', url: '/api/certificates/board', headers: { 'accept-language': 'en' } });
      assert.equal(res.statusCode, 200, res.body);
      const board = res.json();
      const standing = Object.fromEntries(board.rows.map((r: { fullName: string; standing: string; duties: string[]; deadline: string }) => [r.fullName, [r.standing, r.duties.join('+'), r.deadline]]));
      assert.deepEqual(standing, {
        'Giáo viên chủ nhiệm': ['expires_before_deadline', 'gvcn', `${endYear}-06-20`],
        'Giáo viên Toán': ['valid', 'gvbm', `${endYear}-06-15`],
        'vice_principal sch': ['revoked', 'vice_principal', `${endYear}-06-25`],
        'principal sch': ['revocation_unknown', 'principal', `${endYear}-06-25`],
        'Trường THPT sch': ['expired', 'seal', `${endYear}-06-30`],
      });
      assert.equal(board.counts.valid, 1);
      assert.equal(board.counts.revoked, 1);
      assert.equal(board.rows.find((r: { kind: string }) => r.kind === 'seal').kind, 'seal');
      // The principal (leadership) may read it too.
      assert.equal((await (await as('principal')).request({ method: 'GET', url: '/api/certificates/board' })).statusCode, 200);
    });
  });
}
