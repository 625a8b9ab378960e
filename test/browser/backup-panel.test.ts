/**
 * The IT officer's backup page in the browser, on a real `hocba serve` with scheduled
 * backups configured: the daily job runs at start (nothing was ever backed up), and the page
 * shows the last success, its size, the next run and the file; the principal has no such
 * menu entry. Screenshots: test-results/screenshots/backup-*.png.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { collectPageErrors, newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, DEMO_USERS, parseDemoLogins } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { usePlatform } from './helpers/platform.ts';
import { screenshot } from './helpers/screenshots.ts';

describe('backup page', { timeout: 600_000 }, () => {
  const backupDir = mkdtempSync(join(tmpdir(), 'hocba-backup-ui-'));
  const platform = usePlatform({ serverEnv: async () => ({ HOCBA_BACKUP_DIR: backupDir, HOCBA_BACKUP_PASSPHRASE: 'cụm mật khẩu sao lưu thử' }) });
  after(() => rmSync(backupDir, { recursive: true, force: true }));

  test('the IT officer sees the last backup, its size and the next run', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const admin = parseDemoLogins(platform.server.output()).find((l) => l.role === 'school_admin');
    assert.ok(admin, platform.server.output());
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await (await new LoginPage(page).open()).signIn(admin.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown();
      await shell.goTo('backup');
      await page.getByTestId('backup-heading').waitFor();
      // The job started with the server; reload until its file is listed.
      for (let i = 0; i < 120; i++) {
        if ((await page.getByTestId('backup-state').textContent())?.includes('thành công')) break;
        await page.waitForTimeout(1000);
        await page.reload();
        await page.getByTestId('backup-heading').waitFor();
      }
      assert.match((await page.getByTestId('backup-state').textContent()) ?? '', /Sao lưu gần nhất thành công/);
      assert.match((await page.getByTestId('backup-files').textContent()) ?? '', /hocba-backup-\d{8}T\d{6}Z\.hbak/);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'backup-01-panel-vi');
      await shell.switchLanguage('en');
      await page.getByText('The last backup succeeded').waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'backup-02-panel-en');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the principal has no backup page', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      await (await new LoginPage(page).open()).signIn(DEMO_USERS.principal.username, DEMO_USERS.principal.password);
      const shell = new AppShell(page);
      await shell.waitUntilShown();
      const menu = await shell.openMenu();
      await menu.getByTestId('nav-audit').waitFor();
      assert.equal(await menu.getByTestId('nav-backup').count(), 0);
    } finally {
      await context.close();
    }
  });
});
