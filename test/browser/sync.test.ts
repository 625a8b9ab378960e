/**
 * The IT officer's sync screen in the browser, on a real `hocba serve` whose data directory
 * holds a class of six sealed records and whose HBS settings point at the reference server
 * (run by this test, scripted to reject one record for identity and one for marks): start a
 * sync, follow it to the end, see the rejections grouped with who must fix them, resubmit one
 * after its correction, see the history and the jobs list; the principal sees it read-only.
 * Screenshots: test-results/screenshots/sync-*.png.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../src/db/client.ts';
import { startReferenceServer, type ReferenceServer } from '../../src/services/sync/reference-server.ts';
import { updateSyncSettings } from '../../src/services/sync/sync-settings.ts';
import { TEST_PASSWORD } from '../helpers/factories.ts';
import { makeSealedSchool, type SealedSchool } from '../http/sync-fixture.ts';
import { newContext } from './helpers/browser.ts';
import { LoginPage } from './helpers/pages.ts';
import { usePlatform } from './helpers/platform.ts';
import { screenshot } from './helpers/screenshots.ts';

const TIMEOUT = 60_000;
const SECRET = 'bi-mat-trinh-duyet';

describe('sync screen: start, follow, rejections, resubmit, jobs', { timeout: 900_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hocba-sync-ui-'));
  const keyDir = mkdtempSync(join(tmpdir(), 'hocba-sync-ui-keys-'));
  let fx: SealedSchool;
  let server: ReferenceServer;
  let marksFixed = false;
  const platform = usePlatform({
    serverEnv: async () => {
      const database = await openDatabase({ dataDir });
      try {
        fx = await makeSealedSchool(database, 'sch', keyDir, 6);
        const others = fx.versionIds.filter((v) => v !== fx.e101VersionId);
        server = await startReferenceServer({
          clientSecret: SECRET,
          script: (r) =>
            r.versionId === fx.e101VersionId
              ? { kind: 'reject', code: 'HBS-E101', message: 'Thiếu số định danh cá nhân' }
              : r.versionId === others[0] && !marksFixed
                ? { kind: 'reject', code: 'HBS-E201', message: 'Môn Toán (TOAN): điểm trung bình cả năm không khớp' }
                : null,
        });
        await updateSyncSettings({ db: database.db, who: { userId: null, label: 'test' }, schoolId: fx.school.schoolId, target: 'hbs', baseUrl: server.url, clientId: 'hocba-test', clientSecret: SECRET, enabled: true });
      } finally {
        await database.close();
      }
      return { DATA_DIR: dataDir };
    },
  });
  after(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(keyDir, { recursive: true, force: true });
  });

  async function signIn(page: Page, username: string) {
    const login = await new LoginPage(page).open();
    await login.signIn(username, TEST_PASSWORD);
    await page.getByTestId('home-heading').waitFor({ timeout: TIMEOUT });
  }

  const count = async (page: Page, s: string) => (await page.getByTestId(`sync-count-${s}`).locator('.ant-statistic-content-value').textContent())?.trim();

  test('the IT officer syncs, sees who must fix what, resubmits after correction', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    try {
      await signIn(page, fx.school.users.school_admin.username);
      await page.goto('/sync');
      await page.getByTestId('sync-heading').waitFor();
      assert.equal((await page.getByTestId('sync-waiting').locator('.ant-statistic-content-value').textContent())?.trim(), '6');
      const settingsText = (await page.getByTestId('sync-settings').textContent()) ?? '';
      assert.ok(settingsText.includes(server.url) && settingsText.includes('đã lưu'), settingsText);
      assert.ok(!(await page.content()).includes(SECRET), 'the secret is not in the page');
      await screenshot(page, 'sync-before', { fullPage: true });

      await page.getByTestId('sync-start').click();
      await page.getByTestId('sync-group-HBS-E201').waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-testid="sync-active"]'));
      assert.equal(await count(page, 'accepted'), '4');
      assert.equal(await count(page, 'rejected'), '2');
      const e101 = (await page.getByTestId('sync-group-HBS-E101').textContent()) ?? '';
      assert.match(e101, /GVCN của lớp/);
      const e201 = (await page.getByTestId('sync-group-HBS-E201').textContent()) ?? '';
      assert.match(e201, /Giáo viên bộ môn/);
      assert.match(e201, /Giáo viên Toán|Toán/);
      await page.getByTestId('sync-runs').getByText('Xong').first().waitFor();
      await screenshot(page, 'sync-rejections', { fullPage: true });

      // The marks error was fixed on the Ministry's side: resubmit that record.
      marksFixed = true;
      await page.getByTestId('sync-group-HBS-E201').locator('.ant-checkbox-input').last().check();
      await page.getByTestId('sync-resubmit').click();
      await page.waitForFunction(() => !document.querySelector('[data-testid="sync-group-HBS-E201"]'), null, { timeout: TIMEOUT });
      await page.waitForFunction(() => !document.querySelector('[data-testid="sync-active"]'));
      assert.equal(await count(page, 'accepted'), '5');
      assert.equal(await count(page, 'rejected'), '1');
      await page.getByTestId('jobs').getByText('sync.run').first().waitFor();
      assert.equal(await page.getByTestId('sync-runs').locator('tbody tr').count(), 2);
      const resubmitted = fx.versionIds.filter((x) => x !== fx.e101VersionId)[0]!;
      for (const v of fx.versionIds) assert.equal(server.received.get(`hocba:SCH:${v}`), v === resubmitted ? 2 : 1, `record ${v}: sent once (the resubmitted one twice, on purpose)`);
      await screenshot(page, 'sync-after-resubmit', { fullPage: true });

      await page.getByTestId('sync-edit-hbs').click();
      await page.getByTestId('sync-settings-form').waitFor();
      assert.equal(await page.getByTestId('sync-settings-form').locator('input[type="password"]').inputValue(), '', 'the secret is never filled in');
      await screenshot(page, 'sync-settings-modal');
    } finally {
      await context.close();
    }
  });

  test('the principal sees the screen read-only', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    try {
      await signIn(page, fx.school.users.principal.username);
      await page.goto('/sync');
      await page.getByTestId('sync-read-only').waitFor();
      assert.equal(await page.getByTestId('sync-start').count(), 0);
      assert.equal(await page.getByTestId('sync-resubmit').count(), 0);
      await screenshot(page, 'sync-principal', { fullPage: true });
    } finally {
      await context.close();
    }
  });
});
