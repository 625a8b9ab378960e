/**
 * The transfer screens in the browser, between two hocba deployments running in this process
 * (separate databases, data directories and demo PKIs, each trusting the other's root).
 * School A seals a record and its clerk exports the package from the form and downloads
 * it; at school B the clerk opens "Chuyển
 * trường", first uploads a tampered package (refused: the message names the file and the
 * check), then the genuine one (received: student, class, acknowledgment link), downloads the
 * signed acknowledgment and sees the record on the student's profile; back at school A the
 * clerk uploads the acknowledgment and the package shows as acknowledged. Screenshots of each
 * step go to test-results/screenshots/transfer-*.png.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { students } from '../../src/db/schema.ts';
import { buildApp } from '../../src/server/app.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/generate-demo-school.ts';
import { sealSomeRecords, startDeployment, type Deployment } from '../../src/services/transfer/testing.ts';
import { freshDatabase } from '../helpers/db.ts';
import { toolSkip } from '../helpers/test-pki.ts';
import { chromiumMissingReason, collectPageErrors, launchBrowser, newContext } from './helpers/browser.ts';
import { LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { ensureWebBuilt, freePort } from './helpers/server.ts';

const TIMEOUT = 60_000;
const skip = chromiumMissingReason() ?? toolSkip('xmlsec1');

describe('transfer screens between two schools', { timeout: 900_000, skip }, () => {
  const dirs: string[] = [];
  const dbs: Database[] = [];
  let A: Deployment;
  let B: Deployment;
  let browser: Browser;
  let studentLabel: string;
  const savedAnchors = process.env.HOCBA_TRUST_ANCHORS;
  const tmp = async (p: string) => {
    const d = await mkdtemp(join(tmpdir(), p));
    dirs.push(d);
    return d;
  };

  before(async () => {
    await ensureWebBuilt();
    const anchors = await tmp('hocba-ui-anchors-');
    process.env.HOCBA_TRUST_ANCHORS = anchors;
    const dbA = await freshDatabase('pglite');
    const dbB = await freshDatabase('pglite');
    dbs.push(dbA, dbB);
    A = await startDeployment({ buildApp, database: dbA, dataDir: await tmp('hocba-ui-a-'), port: await freePort(), students: 15, year: true });
    B = await startDeployment({ buildApp, database: dbB, dataDir: await tmp('hocba-ui-b-'), port: await freePort(), students: 9, year: false, seed: 7, school: { code: '79000702', name: 'Trường THPT Chu Văn An' } });
    await copyFile(join(A.dataDir, 'pki', 'root.crt.pem'), join(anchors, 'a.pem'));
    await copyFile(join(B.dataDir, 'pki', 'root.crt.pem'), join(anchors, 'b.pem'));
    const [sealed] = await sealSomeRecords(A, 1);
    const [st] = await A.database.db.select({ fullName: students.fullName, code: students.studentCode }).from(students).where(eq(students.id, sealed!.studentId));
    studentLabel = `${st!.fullName} (${st!.code})`;
    browser = await launchBrowser();
  });
  after(async () => {
    if (savedAnchors === undefined) delete process.env.HOCBA_TRUST_ANCHORS;
    else process.env.HOCBA_TRUST_ANCHORS = savedAnchors;
    await browser?.close();
    await A?.close();
    await B?.close();
    for (const d of dbs) await d.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function signIn(page: Page, username: string) {
    // The page object's 15 s wait is short on a loaded machine: wait here with this file's timeout.
    await page.goto('/');
    await page.getByTestId('login-username').waitFor({ timeout: TIMEOUT });
    await new LoginPage(page).signIn(username, DEMO_PASSWORD);
    await page.getByTestId('home-heading').waitFor({ timeout: TIMEOUT });
  }

  /** Full-page pictures taken after scrolling show the sticky header mid-page: go to the top first. */
  async function shot(page: Page, name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, name, { fullPage: true });
  }

  async function chooseOption(page: Page, testId: string, label: string) {
    await page.getByTestId(testId).click();
    await page.locator('.ant-select-item-option', { hasText: label }).first().click();
  }

  test('school A exports the package; school B refuses a tampered copy, receives the genuine one; school A records the acknowledgment', async () => {
    const dl = await tmp('hocba-ui-dl-');
    // School A: the clerk exports the package from the form and downloads it.
    const ctxA = await newContext(browser, A.url);
    ctxA.setDefaultTimeout(TIMEOUT);
    const pageA = await ctxA.newPage();
    const errorsA = collectPageErrors(pageA);
    await signIn(pageA, 'vanthu');
    await pageA.goto('/transfers');
    await pageA.getByTestId('transfer-export-card').waitFor();
    await chooseOption(pageA, 'transfer-export-class', '10A1');
    await chooseOption(pageA, 'transfer-export-student', studentLabel);
    await pageA.getByTestId('transfer-export-destination').fill(B.school.name);
    await pageA.getByTestId('transfer-export-reason').fill('Gia đình chuyển đến TP. Hồ Chí Minh');
    await pageA.getByTestId('transfer-export-password').fill(DEMO_PASSWORD);
    await pageA.getByTestId('transfer-export-submit').click();
    const exportedNotice = pageA.getByTestId('transfer-export-notice');
    await exportedNotice.waitFor();
    assert.match((await exportedNotice.textContent()) ?? '', /Đã xuất gói hồ sơ/);
    const exportedTable = pageA.getByTestId('transfer-export-table');
    await exportedTable.getByText('Chờ xác nhận').waitFor();
    await shot(pageA, 'transfer-0-exported');
    const [zipDownload] = await Promise.all([pageA.waitForEvent('download'), exportedTable.getByRole('link').first().click()]);
    await zipDownload.saveAs(join(dl, 'goi.zip'));
    assert.match(zipDownload.suggestedFilename(), /^hocba-chuyen-truong-\d+-\d{4}-\d\d-\d\d\.zip$/);
    const pkg = await readFile(join(dl, 'goi.zip'));
    // The same package with one byte of the sealed PDF changed.
    const files = unzipSync(new Uint8Array(pkg));
    const pdf = new Uint8Array(files['records/2025-2026-v1.pdf']!);
    pdf[pdf.length - 30] = pdf[pdf.length - 30]! ^ 0x01;
    const tampered = Buffer.from(zipSync({ ...files, 'records/2025-2026-v1.pdf': pdf }));

    const ctxB = await newContext(browser, B.url);
    ctxB.setDefaultTimeout(TIMEOUT);
    const page = await ctxB.newPage();
    const errors = collectPageErrors(page);
    try {
      await signIn(page, 'vanthu');
      await page.getByTestId('side-menu').getByText('Chuyển trường', { exact: true }).click();
      await page.getByTestId('transfers-heading').waitFor();
      await shot(page, 'transfer-1-empty');

      const card = page.getByTestId('transfer-import-card');
      await chooseOption(page, 'transfer-import-class', '10A1');
      await card.locator('input[type=file]').setInputFiles({ name: 'goi-bi-sua.zip', mimeType: 'application/zip', buffer: tampered });
      await page.getByTestId('transfer-import-password').fill(DEMO_PASSWORD);
      await page.getByTestId('transfer-import-submit').click();
      const error = page.getByTestId('transfer-import-error');
      await error.waitFor();
      const text = (await error.textContent()) ?? '';
      assert.match(text, /Không tiếp nhận gói hồ sơ/);
      assert.match(text, /records\/2025-2026-v1\.pdf/);
      assert.match(text, /SHA-256/);
      assert.match(text, /Không có gì được lưu/);
      await shot(page, 'transfer-2-refused');

      await card.locator('input[type=file]').setInputFiles({ name: 'goi-ho-so.zip', mimeType: 'application/zip', buffer: pkg });
      await page.getByTestId('transfer-import-password').fill(DEMO_PASSWORD);
      await page.getByTestId('transfer-import-submit').click();
      const result = page.getByTestId('transfer-import-result');
      await result.waitFor();
      assert.match((await result.textContent()) ?? '', /Đã tiếp nhận .+ vào lớp 10A1/);
      assert.match((await result.textContent()) ?? '', /Trường THPT Hậu Lộc I/);
      await page.getByTestId('transfer-import-table').getByRole('link').first().waitFor();
      await shot(page, 'transfer-3-received');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('transfer-import-ack').click()]);
      const ackPath = join(dl, 'ack.xml');
      await download.saveAs(ackPath);
      const ack = await readFile(ackPath, 'utf8');
      assert.match(ack, /<TransferAcknowledgment xmlns="urn:hocba:transfer:1"/);
      assert.match(ack, /Id="sig-acknowledgment"/);

      await page.getByTestId('transfer-import-table').getByRole('link').first().click();
      const ext = page.getByTestId('external-records-card');
      await ext.waitFor();
      assert.match((await ext.textContent()) ?? '', /2025-2026 · 10A1 · v1/);
      assert.match((await ext.textContent()) ?? '', /Chữ ký hợp lệ khi nhận/);
      await shot(page, 'transfer-4-profile');
      assert.deepEqual(errors, []);

      // School A: the clerk uploads the acknowledgment.
      await pageA.reload();
      const exportedCard = pageA.getByTestId('transfer-exported-card');
      await exportedCard.waitFor();
      await exportedCard.locator('input[type=file]').setInputFiles({ name: 'xac-nhan.xml', mimeType: 'application/xml', buffer: Buffer.from(ack) });
      const notice = pageA.getByTestId('transfer-ack-notice');
      await notice.waitFor();
      assert.match((await notice.textContent()) ?? '', /Trường THPT Chu Văn An \(79000702\) đã xác nhận tiếp nhận/);
      await pageA.getByTestId('transfer-export-table').getByText('Đã xác nhận').waitFor();
      await shot(pageA, 'transfer-5-acknowledged');
      assert.deepEqual(errorsA, []);
    } finally {
      await ctxB.close();
      await ctxA.close();
    }
  });
});
