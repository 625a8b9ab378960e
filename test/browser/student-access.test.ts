/**
 * Student access in the browser, on a real `hocba serve` whose data directory holds a class
 * with one sealed record (A) and one frozen (B): the student signs in, finds "Học bạ của em",
 * views the sealed PDF in the app, downloads it, and makes a share link; the link opens in a
 * fresh browser context with nobody signed in; the principal downloads a copy with a reason
 * and sees every copy in the issued-copy log; the GVCN issues the class's student accounts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../src/db/client.ts';
import { recordVersions } from '../../src/db/schema.ts';
import { putSealedPdf } from '../../src/services/records/document-store.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { recordVersionPdf } from '../../src/services/records/freeze-class.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from '../helpers/factories.ts';
import { collectPageErrors, newContext } from './helpers/browser.ts';
import { LoginPage } from './helpers/pages.ts';
import { usePlatform } from './helpers/platform.ts';
import { screenshot } from './helpers/screenshots.ts';

const TIMEOUT = 30_000;

describe('student access: my records, share links, issued copies', { timeout: 600_000, concurrency: 1 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hocba-access-ui-'));
  const dl = mkdtempSync(join(tmpdir(), 'hocba-access-dl-'));
  let school: TestSchool;
  let sealedVersion = '';
  let sealedPdf = Buffer.alloc(0);
  const platform = usePlatform({
    serverEnv: async () => {
      const database = await openDatabase({ dataDir });
      try {
        school = await makeSchool(database, 'sch');
        const [a, b] = school.studentIds as [string, string];
        await completeAndFreezeClass({ db: database.db, schoolId: school.schoolId, classId: school.classId, studentIds: [a, b], teacherUserId: school.users.subject_teacher.id, homeroomUserId: school.users.homeroom_teacher.id });
        // A's version as the signing chain leaves it: sealed, with its PDF.
        const [v] = await database.db.select().from(recordVersions).where(eq(recordVersions.studentId, a));
        sealedVersion = v!.id;
        const actor = await loadActor(database.db, school.users.homeroom_teacher.id, school.schoolId);
        const { pdf } = await recordVersionPdf({ db: database.db, actor, schoolId: school.schoolId, versionId: v!.id, publicUrl: 'http://localhost:8080' });
        sealedPdf = Buffer.from(pdf);
        await database.db.update(recordVersions).set({ state: 'sealed' }).where(eq(recordVersions.id, v!.id));
        await putSealedPdf(database.db, { schoolId: school.schoolId, versionId: v!.id, pdf: sealedPdf });
      } finally {
        await database.close();
      }
      return { DATA_DIR: dataDir };
    },
  });
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dl, { recursive: true, force: true });
  });

  async function signIn(page: Page, username: string) {
    const login = await new LoginPage(page).open();
    await login.signIn(username, TEST_PASSWORD);
    await page.getByTestId('home-heading').waitFor({ timeout: TIMEOUT });
  }

  let shareUrl = '';

  test('a student signs in, views the sealed record in the app, downloads it and makes a share link', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await signIn(page, school.users.student.username);
      await page.getByTestId('side-menu').getByTestId('nav-my-records').click();
      await page.getByTestId('my-records-title').waitFor();
      const row = page.getByTestId(`my-version-${sealedVersion}`);
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /Bản v1.*Đã đóng dấu/);
      await screenshot(page, 'access-my-records', { fullPage: true });

      // View: the sealed PDF inside the app.
      const [pdfResponse] = await Promise.all([page.waitForResponse((r) => r.url().includes(`/api/my/record-versions/${sealedVersion}/pdf`)), row.getByTestId('my-view').click()]);
      assert.equal(pdfResponse.status(), 200);
      assert.equal(pdfResponse.headers()['content-type'], 'application/pdf');
      await page.getByTestId('my-pdf-frame').waitFor();
      await page.waitForTimeout(1500); // the browser's PDF viewer draws the page
      await screenshot(page, 'access-my-record-view');
      await page.keyboard.press('Escape');

      // Download the PDF: the same bytes as sealed.
      const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('my-pdf').click()]);
      const saved = join(dl, 'mine.pdf');
      await download.saveAs(saved);
      assert.equal(download.suggestedFilename(), 'hocba-2025-2026-v1.pdf');
      assert.ok(readFileSync(saved).equals(sealedPdf), 'the sealed PDF as stored');

      // Share for 7 days with a purpose.
      await row.getByTestId('my-share').click();
      const panel = page.getByTestId('share-panel');
      await panel.waitFor();
      await panel.getByTestId('share-days').click();
      await page.getByTitle('7 ngày').click();
      await panel.getByTestId('share-purpose').fill('Hồ sơ xét tuyển đại học');
      await panel.getByTestId('share-create').click();
      const url = panel.getByTestId('share-url');
      await url.waitFor();
      shareUrl = ((await url.textContent()) ?? '').trim();
      assert.match(shareUrl, /\/share\/[A-Za-z0-9_-]{43}$/);
      await panel.getByTestId('share-status').first().waitFor();
      assert.equal(await panel.getByTestId('share-status').first().textContent(), 'Còn hiệu lực');
      await screenshot(page, 'access-share-created');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the share link opens in a fresh context without signing in; once revoked it is refused', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    assert.ok(shareUrl, 'the previous test made a link');
    const path = new URL(shareUrl).pathname;
    const context = await newContext(platform.browser, platform.server.url);
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    try {
      await page.goto(path);
      const facts = page.getByTestId('shared-facts');
      await facts.waitFor();
      const text = (await facts.textContent()) ?? '';
      assert.match(text, /Nguyễn Văn An/);
      assert.match(text, /2025-2026/);
      assert.match(text, /Hồ sơ xét tuyển đại học/);
      assert.match(text, new RegExp(createHash('sha256').update(sealedPdf).digest('hex')));
      assert.equal(await page.getByTestId('login-username').count(), 0, 'no sign-in asked for');
      await page.getByTestId('shared-pdf-frame').waitFor();
      await page.waitForTimeout(1500);
      await screenshot(page, 'access-shared-page', { fullPage: true });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('shared-pdf').click()]);
      const saved = join(dl, 'shared.pdf');
      await download.saveAs(saved);
      assert.ok(readFileSync(saved).equals(sealedPdf));
    } finally {
      await context.close();
    }

    // The student revokes it; the holder's page then says so.
    const owner = await newContext(platform.browser, platform.server.url);
    owner.setDefaultTimeout(TIMEOUT);
    const ownerPage = await owner.newPage();
    try {
      await signIn(ownerPage, school.users.student.username);
      await ownerPage.goto('/my-records');
      await ownerPage.getByTestId(`my-version-${sealedVersion}`).getByTestId('my-share').click();
      await ownerPage.getByTestId('share-revoke').first().click();
      await ownerPage.locator('.ant-popconfirm').getByRole('button', { name: 'Thu hồi' }).click();
      await ownerPage.getByTestId('share-status').filter({ hasText: 'Đã thu hồi' }).first().waitFor();
    } finally {
      await owner.close();
    }
    const again = await newContext(platform.browser, platform.server.url);
    const againPage = await again.newPage();
    try {
      await againPage.goto(path);
      const error = againPage.getByTestId('shared-error');
      await error.waitFor({ timeout: TIMEOUT });
      assert.match((await error.textContent()) ?? '', /đã bị thu hồi/);
      await screenshot(againPage, 'access-shared-revoked');
    } finally {
      await again.close();
    }
  });

  test('the principal downloads a copy with a reason and reads the issued-copy log; the GVCN issues student accounts', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    try {
      await signIn(page, school.users.principal.username);
      await page.goto(`/classes/${school.classId}`);
      await page.getByTestId(`record-view-${school.studentIds[0]}`).click();
      const timeline = page.getByTestId('signature-timeline');
      await timeline.waitFor();
      await timeline.getByTestId('timeline-sealed-pdf').click();
      const reason = page.getByTestId('copy-reason');
      await reason.waitFor();
      await screenshot(page, 'access-staff-reason');
      await reason.fill('Cấp cho phụ huynh theo đơn ngày 02/06');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('copy-reason-ok').click()]);
      const saved = join(dl, 'staff.pdf');
      await download.saveAs(saved);
      assert.ok(readFileSync(saved).equals(sealedPdf));

      await page.goto('/issued-copies');
      const table = page.getByTestId('issued-table');
      await table.waitFor();
      await table.getByText('Cấp cho phụ huynh theo đơn ngày 02/06').waitFor();
      const text = (await table.textContent()) ?? '';
      for (const expected of ['Tải PDF', 'Tạo đường dẫn', 'Mở đường dẫn', 'Người giữ đường dẫn', 'Hồ sơ xét tuyển đại học', 'Bản hiện hành']) assert.ok(text.includes(expected), `${expected} in the log`);
      await screenshot(page, 'access-issued-copies', { fullPage: true });
    } finally {
      await context.close();
    }

    const gvcn = await newContext(platform.browser, platform.server.url);
    gvcn.setDefaultTimeout(TIMEOUT);
    const gp = await gvcn.newPage();
    try {
      await signIn(gp, school.users.homeroom_teacher.username);
      await gp.getByTestId('side-menu').getByTestId('nav-family-accounts').click();
      await gp.getByTestId('family-table').getByText('Lê Thị Bình').waitFor();
      const [sheet] = await Promise.all([gp.waitForEvent('download'), gp.getByTestId('family-issue-student').click()]);
      assert.match(sheet.suggestedFilename(), /^tai-khoan-hoc-sinh-10A1\.pdf$/);
      const path = join(dl, 'sheet.pdf');
      await sheet.saveAs(path);
      assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
      await gp.getByTestId('family-table').getByText(/Học sinh: hs\d+ \(chưa đổi mật khẩu lần đầu\)/).first().waitFor();
      await screenshot(gp, 'access-family-accounts', { fullPage: true });
    } finally {
      await gvcn.close();
    }
  });
});
