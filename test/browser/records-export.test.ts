/**
 * Records in the browser, on a real `hocba serve` whose data directory was prepared with a
 * class where two of three students have frozen records: the homeroom page's records tab
 * shows each state from the server, the viewer shows a version's PDF inside the app, the
 * class export goes button → progress → download, and the principal's "Học bạ" page exports
 * the whole school. The downloaded ZIPs are opened and checked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../src/db/client.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from '../helpers/factories.ts';
import { newContext } from './helpers/browser.ts';
import { LoginPage } from './helpers/pages.ts';
import { usePlatform } from './helpers/platform.ts';
import { screenshot } from './helpers/screenshots.ts';

const TIMEOUT = 30_000;

describe('records: states, preview and ZIP export', { timeout: 600_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hocba-records-ui-'));
  let school: TestSchool;
  const platform = usePlatform({
    // The data directory is made before the server starts (it holds the embedded database alone).
    serverEnv: async () => {
      const database = await openDatabase({ dataDir });
      try {
        school = await makeSchool(database, 'sch');
        const [a, b] = school.studentIds as [string, string];
        await completeAndFreezeClass({ db: database.db, schoolId: school.schoolId, classId: school.classId, studentIds: [a, b], teacherUserId: school.users.subject_teacher.id, homeroomUserId: school.users.homeroom_teacher.id });
      } finally {
        await database.close();
      }
      return { DATA_DIR: dataDir };
    },
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  async function signIn(page: Page, username: string) {
    const login = await new LoginPage(page).open();
    await login.signIn(username, TEST_PASSWORD);
    await page.getByTestId('home-heading').waitFor({ timeout: TIMEOUT });
  }

  /** Clicks the download link, saves the file, and reads the ZIP. */
  async function downloadZip(page: Page, dir: string, name: string) {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.getByTestId('export-download').first().click()]);
    const path = join(dir, name);
    await download.saveAs(path);
    assert.match(download.suggestedFilename(), /^hoc-ba_SCH_.*_2025-2026\.zip$/);
    return unzipSync(readFileSync(path));
  }

  test('the GVCN sees the record states, previews a PDF and exports the class', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const [a, , c] = school.studentIds as [string, string, string];
    const context = await newContext(platform.browser, platform.server.url);
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    const dir = mkdtempSync(join(tmpdir(), 'hocba-records-dl-'));
    try {
      await signIn(page, school.users.homeroom_teacher.username);
      await page.goto(`/homeroom/${school.classId}`);
      await page.getByTestId('homeroom-tab-records').click();
      await page.getByTestId('class-records-table').waitFor();
      const stateA = page.getByTestId(`record-state-${a}`);
      await stateA.waitFor();
      assert.equal(await stateA.getAttribute('data-state'), 'frozen');
      assert.match((await stateA.textContent()) ?? '', /Đã chốt v1\s*ngày \d\d\/\d\d\/\d{4}/);
      assert.equal(await page.getByTestId(`record-state-${c}`).getAttribute('data-state'), 'none');
      assert.match((await page.getByTestId(`record-state-${c}`).textContent()) ?? '', /Chưa chốt/);
      assert.equal(await page.getByTestId(`record-view-${c}`).isDisabled(), true, 'nothing to view yet');
      await screenshot(page, 'records-homeroom-tab', { fullPage: true });

      // The viewer: the version list and the PDF inside the app.
      const preview = page.waitForResponse((r) => r.url().includes('/preview'));
      await page.getByTestId(`record-view-${a}`).click();
      const frame = page.getByTestId('record-preview-frame');
      await frame.waitFor();
      const res = await preview;
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['content-type'], 'application/pdf');
      assert.match(res.headers()['content-disposition'] ?? '', /^inline/);
      assert.match((await frame.getAttribute('src')) ?? '', /^\/api\/record-versions\/[0-9a-f-]{36}\/preview$/);
      await page.getByTestId('record-version-1').waitFor();
      assert.match((await page.getByTestId('record-download-xml').getAttribute('href')) ?? '', /\/xml$/);
      await page.waitForTimeout(1500); // the browser's PDF viewer draws the page
      await screenshot(page, 'records-preview');
      await page.keyboard.press('Escape');
      await frame.waitFor({ state: 'detached' });

      // The export: button → progress → download link.
      await page.getByTestId('export-start').click();
      await page.getByTestId('export-progress').waitFor();
      await screenshot(page, 'records-export-progress');
      await page.getByTestId('export-download').waitFor({ timeout: 120_000 });
      assert.match((await page.getByTestId('export-ready').textContent()) ?? '', /học bạ của 2 học sinh.*1 học sinh chưa có học bạ/s);
      await screenshot(page, 'records-export-ready');
      const files = await downloadZip(page, dir, 'class.zip');
      const pdfs = Object.keys(files).filter((n) => n.endsWith('.pdf'));
      assert.equal(pdfs.length, 2);
      assert.ok(pdfs.every((n) => n.startsWith('10A1/')));
      assert.ok(pdfs.every((n) => Buffer.from(files[n]!.subarray(0, 5)).toString('latin1') === '%PDF-'));
      const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8'));
      assert.deepEqual(manifest.counts, { students: 3, records: 2, missing: 1 });
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the principal exports the whole school from the "Học bạ" page; the class page shows the states', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const [a] = school.studentIds as [string];
    const context = await newContext(platform.browser, platform.server.url);
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    const dir = mkdtempSync(join(tmpdir(), 'hocba-records-dl-'));
    try {
      await signIn(page, school.users.principal.username);
      await page.getByRole('menuitem').filter({ hasText: /^\s*Học bạ\s*$/ }).first().click();
      await page.getByTestId('records-count-10A1').waitFor();
      assert.match((await page.getByTestId('records-heading').textContent()) ?? '', /Học bạ năm học 2025-2026/);
      assert.match((await page.getByTestId('records-count-10A1').textContent()) ?? '', /2\/3 đã chốt/);
      assert.match((await page.getByTestId('records-count-10A2').textContent()) ?? '', /0\/1 đã chốt/);
      await page.getByTestId('export-panel-school').getByTestId('export-start').click();
      await page.getByRole('button', { name: /OK|Đồng ý/ }).click();
      await page.getByTestId('export-panel-school').getByTestId('export-progress').waitFor();
      await page.getByTestId('export-panel-school').getByTestId('export-download').waitFor({ timeout: 120_000 });
      // The recent exports list shows it too (newest first; the principal also sees the GVCN's), with its own link.
      // The list refreshes once the panel reports the export done: wait for that refresh.
      await page.waitForFunction(
        () => document.querySelector('[data-testid="recent-exports-table"] [data-testid="export-download"]')?.getAttribute('download') === 'hoc-ba_SCH_toan-truong_2025-2026.zip',
        undefined,
        { timeout: TIMEOUT },
      );
      const recentLink = page.getByTestId('recent-exports-table').getByTestId('export-download').first();
      assert.equal(await recentLink.getAttribute('download'), 'hoc-ba_SCH_toan-truong_2025-2026.zip');
      await screenshot(page, 'records-page', { fullPage: true });
      const files = await downloadZip(page, dir, 'school.zip');
      const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8'));
      assert.deepEqual(manifest.scope, { kind: 'school', classes: 2 });
      assert.deepEqual(manifest.missing.map((m: { className: string }) => m.className).sort(), ['10A1', '10A2']);

      await page.goto(`/classes/${school.classId}`);
      const stateA = page.getByTestId(`record-state-${a}`);
      await stateA.waitFor();
      assert.equal(await stateA.getAttribute('data-state'), 'frozen');
      await screenshot(page, 'records-class-students', { fullPage: true });
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
