/**
 * The public verification page in the browser (issue 9): no sign-in, Vietnamese first with
 * the language switch. Records sealed through the real signing chain are verified by code
 * (as the QR link opens them) and by upload; each case shows the same verdict as the API
 * gives for the same bytes — genuine, tampered mark, removed signature, revoked signer,
 * superseded, revoked record, unknown root, OCSP unreachable (could not check). Screenshots
 * go to test-results/screenshots/verify-*.png.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import type { Database } from '../../src/db/client.ts';
import { recordVersions } from '../../src/db/schema.ts';
import { currentSignedXml, sealedPdfOf } from '../../src/services/records/document-store.ts';
import { hbsV1, serializeHbsV1 } from '../../src/documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../../src/documents/hbs-xml/test-snapshots.ts';
import { verificationCode } from '../../src/domain/record/verification-code.ts';
import { buildApp } from '../../src/server/app.ts';
import type { VerificationReportView } from '../../src/server/api-types.ts';
import { revokeRecordVersion } from '../../src/services/verification/revoke-record.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { sealedSchool, type SealedSchool } from '../../src/services/verification/testing.ts';
import { listenPkiServices } from '../../src/signing/pki/pki-services.ts';
import { createTestPki, type PkiIdentity } from '../../src/signing/pki/test-pki.ts';
import { signXmlInOrder } from '../../src/signing/validation/testing.ts';
import { freshDatabase } from '../helpers/db.ts';
import { sharedTestPki } from '../helpers/test-pki.ts';
import { chromiumMissingReason, collectPageErrors, launchBrowser, newContext } from './helpers/browser.ts';
import { screenshot } from './helpers/screenshots.ts';
import { ensureWebBuilt } from './helpers/server.ts';

const TIMEOUT = 60_000;
const skip = chromiumMissingReason() ?? false;
const signedBy = (who: PkiIdentity, chain?: Uint8Array[]) => signXmlInOrder(serializeHbsV1(fullSnapshot()), [{ id: 'sig-subject-TOAN', who, role: 'Giáo viên bộ môn', references: ['subject-TOAN'], ...(chain ? { chain } : {}) }], hbsV1.signatureContainer);

describe('the public verification page', { skip, timeout: 900_000, concurrency: 1 }, () => {
  let database: Database;
  let fx: SealedSchool;
  let app: FastifyInstance;
  let url: string;
  let dir: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const saved = { anchors: process.env.HOCBA_TRUST_ANCHORS, rate: process.env.HOCBA_VERIFY_RATE_LIMIT };
  const files: Record<string, string> = {};
  const codes: Record<string, string> = {};

  before(async () => {
    await ensureWebBuilt();
    database = await freshDatabase('pglite');
    fx = await sealedSchool(database, 'vfb', 3);
    dir = await mkdtemp(join(tmpdir(), 'hocba-verify-ui-'));
    const shared = await sharedTestPki();
    await writeFile(join(dir, 'root.crt'), shared.pki.root.certificatePem);
    process.env.HOCBA_TRUST_ANCHORS = dir;
    process.env.HOCBA_VERIFY_RATE_LIMIT = '1000';

    const pdfOf = async (id: string) => (await sealedPdfOf(database.db, id))!.pdf;
    const xmlOf = async (id: string) => (await currentSignedXml(database.db, [id])).get(id)!.xml;
    const codeOf = async (id: string) => verificationCode((await database.db.select({ digest: recordVersions.digest }).from(recordVersions).where(eq(recordVersions.id, id)))[0]!.digest);
    const [a, b, c] = fx.versionIds as [string, string, string];
    await fx.supersede(b);
    await revokeRecordVersion({ db: database.db, actor: await loadActor(database.db, fx.school.users.principal.id, fx.school.schoolId), who: { userId: fx.school.users.principal.id, label: 'Nguyễn Văn Hiệu (principal)' }, schoolId: fx.school.schoolId, versionId: c, reason: 'Cấp nhầm học sinh' });
    codes.genuine = await codeOf(a);
    codes.superseded = await codeOf(b);
    codes.revoked = await codeOf(c);

    const xml = await xmlOf(a);
    const m = /(<Subject Id="subject-TOAN"[\s\S]*?<WholeYear>)([0-9.]+)(<\/WholeYear>)/.exec(xml)!;
    const revoked = await shared.pki.issue({ commonName: 'Giáo viên Bị Thu Hồi', organization: 'Trường THPT TEST — KHÔNG DÙNG THẬT' });
    shared.pki.revoke(revoked.certificate, { date: new Date(Date.now() - 3600_000) });
    const stranger = await createTestPki({ label: 'hocba TEST Lạ' });
    const strangerId = await stranger.issue({ commonName: 'Người Lạ' });
    const services = await listenPkiServices();
    const down = await createTestPki({ baseUrl: services.url, label: 'hocba TEST Mất Mạng' });
    services.attach(down);
    const offline = await down.issue({ commonName: 'Hoàng Thị Ngoại Tuyến' });
    await services.close();
    await writeFile(join(dir, 'down-root.crt'), down.root.certificatePem);
    const docs: Record<string, string | Uint8Array> = {
      'genuine.pdf': await pdfOf(a),
      'genuine.xml': xml,
      'tampered.xml': xml.replace(m[0], `${m[1]}${m[2] === '9.9' ? '9.8' : '9.9'}${m[3]}`),
      'removed-signature.xml': xml.replace(/<ds:Signature [^>]*Id="sig-subject-TOAN"[\s\S]*?<\/ds:Signature>\s*/, ''),
      'revoked-signer.xml': await signedBy(revoked),
      'superseded.pdf': await pdfOf(b),
      'revoked-record.pdf': await pdfOf(c),
      'unknown-root.xml': await signedBy(strangerId, [...strangerId.chain, stranger.root.certificate]),
      'ocsp-down.xml': await signedBy(offline),
    };
    for (const [name, content] of Object.entries(docs)) {
      files[name] = join(dir, name);
      await writeFile(files[name], content);
    }
    app = await buildApp({ database, dataDir: null, rateLimit: { global: 100_000, login: 100_000 }, publicUrl: 'http://127.0.0.1:8080' });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const context = await newContext(browser, url);
    page = await context.newPage();
    errors = collectPageErrors(page);
  });
  after(async () => {
    for (const [k, v] of [['HOCBA_TRUST_ANCHORS', saved.anchors], ['HOCBA_VERIFY_RATE_LIMIT', saved.rate]] as const) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    await browser?.close();
    await app?.close();
    await database?.close();
    await fx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The API's verdict for the same bytes (what the page must show). */
  const apiVerdict = async (name: string) => {
    const { readFile } = await import('node:fs/promises');
    const res = await app.inject({ method: 'POST', url: '/api/public/verify', headers: { 'content-type': 'application/octet-stream' }, payload: await readFile(files[name]!) });
    return (res.json() as VerificationReportView).verdict;
  };
  const shownVerdict = async () => {
    const alert = page.locator('[data-testid^="verdict-"]');
    await alert.waitFor({ timeout: TIMEOUT });
    return (await alert.getAttribute('data-testid'))!.replace('verdict-', '');
  };

  test('the QR link /verify/<code> shows a genuine record as valid, with its content and every signer, without signing in', async () => {
    await page.goto(`/verify/${codes.genuine}`);
    assert.equal(await shownVerdict(), 'valid');
    await page.getByText('Học bạ hợp lệ').waitFor();
    await page.getByTestId('verify-record').getByText('Nguyễn Văn An').waitFor();
    const cards = page.getByTestId('signature-card');
    assert.ok((await cards.count()) >= 9, `seal on the PDF + 8 XML signatures (${await cards.count()})`);
    await page.getByText('Văn thư').first().waitFor();
    await page.getByText('Hiệu trưởng', { exact: false }).first().waitFor();
    await screenshot(page, 'verify-genuine-by-code', { fullPage: true });
    assert.equal(await page.locator('input[type="password"]').count(), 0, 'no sign-in form');
  });

  test('uploads: every case shows the verdict the API gives for the same bytes', async () => {
    const expected: Record<string, string> = {
      'genuine.xml': 'valid',
      'tampered.xml': 'invalid',
      'removed-signature.xml': 'invalid',
      'revoked-signer.xml': 'invalid',
      'superseded.pdf': 'superseded',
      'revoked-record.pdf': 'revoked',
      'unknown-root.xml': 'invalid',
      'ocsp-down.xml': 'indeterminate',
    };
    await page.goto('/verify');
    for (const [name, verdict] of Object.entries(expected)) {
      const chooser = page.waitForEvent('filechooser');
      await page.getByTestId('verify-upload').click();
      await (await chooser).setFiles(files[name]!);
      const shown = await shownVerdict();
      assert.equal(shown, verdict, name);
      assert.equal(await apiVerdict(name), shown, `${name}: page and API agree`);
      await screenshot(page, `verify-${name.replace('.', '-')}`, { fullPage: true });
    }
    // Could-not-check says so in words, not as valid or invalid.
    await page.getByText('Chưa kiểm tra được đầy đủ').waitFor();
  });

  test('superseded (link to the newer version) and revoked (reason) by code; English through the switch', async () => {
    await page.goto(`/verify/${codes.superseded}`);
    assert.equal(await shownVerdict(), 'superseded');
    await page.getByTestId('successor-link').click();
    assert.equal(await shownVerdict(), 'valid');
    await page.goto(`/verify/${codes.revoked}`);
    assert.equal(await shownVerdict(), 'revoked');
    await page.getByText('Cấp nhầm học sinh').waitFor();
    await screenshot(page, 'verify-revoked-by-code', { fullPage: true });
    await page.getByTestId('lang-en').click();
    await page.getByText('The record was revoked').waitFor();
    await screenshot(page, 'verify-revoked-en');
    await page.getByTestId('lang-vi').click();
    await page.getByTestId('verify-code').fill('0000-0000-00');
    await page.getByTestId('verify-code-submit').click();
    await page.getByTestId('verify-error').getByText('Không tìm thấy').waitFor();
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  });
});
