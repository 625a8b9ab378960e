/**
 * In-product help in headless Chromium against `hocba serve` (demo school): the first-run
 * tour card starts a tour over the real page and, once finished, stays dismissed after a
 * reload; the "Trợ giúp" button opens the guide section of the screen being used; the guide
 * renders as a public page (tables, images) whose app links navigate inside the app; an empty
 * list says what to do with a working action; an expired session says so at sign-in.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { collectPageErrors, newContext } from './helpers/browser.ts';
import { DEMO_USERS } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform } from './helpers/platform.ts';
import { REPO_ROOT } from './helpers/server.ts';

const TIMEOUT = 15_000;
const { username, password } = DEMO_USERS.principal;
const GUIDE = join(REPO_ROOT, 'docs/guide');

/** Opens the help drawer and returns the guide page and section it shows. */
async function openHelp(page: Page): Promise<{ page: string | null; anchor: string | null; anchorTop: number | null; bodyTop: number }> {
  await page.getByTestId('help-button').click();
  const view = page.getByTestId('help-drawer').getByTestId('guide-view');
  await view.waitFor({ state: 'visible', timeout: TIMEOUT });
  const shown = { page: await view.getAttribute('data-page'), anchor: (await view.getAttribute('data-anchor')) || null };
  await page.waitForTimeout(400); // the drawer slides in; positions settle after
  const bodyTop = (await page.locator('.ant-drawer-body').boundingBox())!.y;
  const anchorBox = shown.anchor ? await view.locator(`[data-anchor="${shown.anchor}"]`).boundingBox() : null;
  return { ...shown, anchorTop: anchorBox?.y ?? null, bodyTop };
}

async function closeHelp(page: Page): Promise<void> {
  await page.locator('.ant-drawer-close').click();
  await page.getByTestId('help-drawer').waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** The first guide page that shows an image the guide folder really has. */
function pageWithImage(): { page: string; file: string } | null {
  for (const name of readdirSync(GUIDE).filter((f) => f.endsWith('.md')).sort()) {
    for (const m of readFileSync(join(GUIDE, name), 'utf8').matchAll(/!\[[^\]]*\]\(images\/([a-z0-9-]+\.png)\)/g)) {
      if (existsSync(join(GUIDE, 'images', m[1]!))) return { page: name.replace(/\.md$/, ''), file: m[1]! };
    }
  }
  return null;
}

describe('in-product help', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;

  test('first-run tour: the card starts a tour over the page; finished, it stays dismissed after a reload', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await (await new LoginPage(page).open()).signIn(username, password);
      const shell = new AppShell(page);
      await shell.waitUntilShown();
      const card = page.getByTestId('tour-card');
      await card.waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.match((await card.textContent()) ?? '', /Lần đầu dùng Học bạ số\?.*Hiệu trưởng/);
      // Non-blocking: no tour is open until asked for, the menu still works underneath.
      assert.equal(await page.locator('.ant-tour:visible').count(), 0);
      await screenshot(page, 'help-01-tour-card');

      await page.getByTestId('tour-start').click();
      const tour = page.locator('.ant-tour:visible');
      await tour.waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.match((await tour.textContent()) ?? '', /Chào mừng đến với Học bạ số/);
      await screenshot(page, 'help-02-tour-step1');
      const titles: string[] = [];
      for (let i = 0; i < 10 && (await tour.count()) > 0; i++) {
        titles.push((await tour.locator('.ant-tour-title').textContent()) ?? '');
        if (i === 1) await screenshot(page, 'help-03-tour-menu');
        await tour.locator('.ant-tour-next-btn').click();
        await page.waitForTimeout(150);
      }
      assert.equal(await tour.count(), 0, 'the last step closes the tour');
      assert.ok(titles.includes('Menu') && titles.includes('Trợ giúp ở mọi màn hình') && titles.includes('Việc đầu tiên của bạn'), titles.join(' | '));
      await card.waitFor({ state: 'hidden', timeout: TIMEOUT });

      const stored = await page.evaluate(async () => (await (await fetch('/api/me/help')).json()) as { tourDismissedAt: string | null });
      assert.ok(stored.tourDismissedAt, 'the server remembers the dismissal');
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/me/help'));
      await page.reload();
      await shell.waitUntilShown();
      await answered;
      await page.waitForTimeout(300);
      assert.equal(await card.count(), 0, 'the card does not come back');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the help button opens the guide section of the current screen', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await (await new LoginPage(page).open()).signIn(username, password);
      const shell = new AppShell(page);
      await shell.waitUntilShown();

      const cases: Array<[string, string, string, string]> = [
        ['plan-board', '/plan/board', 'hieu-truong', 'tien-do'],
        ['classes', '/classes', 'can-bo-cntt', 'lop-hoc'],
        ['signing', '/signing', 'hieu-truong', 'phe-duyet-hoc-ba'],
      ];
      for (const [nav, path, guidePage, anchor] of cases) {
        await shell.goTo(nav);
        await page.waitForURL((u) => u.pathname === path, { timeout: TIMEOUT });
        const shown = await openHelp(page);
        assert.equal(shown.page, guidePage, path);
        assert.equal(shown.anchor, anchor, path);
        assert.ok(shown.anchorTop !== null && Math.abs(shown.anchorTop - shown.bodyTop) < 120, `${path}: section #${anchor} is scrolled to the top of the drawer (${shown.anchorTop} vs ${shown.bodyTop})`);
        await screenshot(page, `help-04-drawer-${nav}`);
        if (nav !== 'signing') await closeHelp(page);
      }
      // "Open full page" shows the same section as a page of its own; its app links stay in the app.
      await page.getByTestId('help-open-full').click();
      await page.waitForURL((u) => u.pathname === '/guide/hieu-truong' && u.hash === '#phe-duyet-hoc-ba', { timeout: TIMEOUT });
      await page.getByTestId('guide-view').waitFor({ state: 'visible', timeout: TIMEOUT });
      await screenshot(page, 'help-05-guide-full-page');
      const appLink = page.locator('[data-testid="guide-view"] a[data-link-kind="app"]').first();
      const target = await appLink.getAttribute('href');
      assert.ok(target?.startsWith('/'), 'the principal guide links to app screens');
      await page.evaluate(() => ((window as unknown as { hbNoReload: boolean }).hbNoReload = true));
      await appLink.click();
      await page.waitForURL((u) => u.pathname === target!.split('#')[0], { timeout: TIMEOUT });
      await page.getByTestId('side-menu').waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.equal(await page.evaluate(() => (window as unknown as { hbNoReload?: boolean }).hbNoReload), true, 'navigated inside the app, no page reload');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the guide is public: markdown with tables and images, reachable from the verification page', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await page.goto('/verify');
      await page.getByTestId('verify-guide').click();
      await page.waitForURL((u) => u.pathname === '/guide/xac-minh', { timeout: TIMEOUT });
      const view = page.getByTestId('guide-view');
      await view.waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.ok((await view.locator('h1').count()) === 1, 'one page title');
      assert.ok((await view.locator('h2').count()) >= 3, 'sections');

      await page.goto('/guide/README');
      await view.waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.ok((await view.locator('table th').count()) >= 2, 'the README tables render as tables');
      assert.equal(await view.locator('script, iframe, [onclick]').count(), 0);

      const withImage = pageWithImage();
      assert.ok(withImage, 'docs/guide references at least one image that exists in docs/guide/images');
      await page.goto(`/guide/${withImage.page}`);
      const img = view.locator(`img[src="/api/guide/images/${withImage.file}"]`).first();
      await img.scrollIntoViewIfNeeded({ timeout: TIMEOUT });
      await page.waitForFunction((el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: TIMEOUT });
      await screenshot(page, 'help-06-guide-image');

      await page.goto('/guide/khong-co-trang-nay');
      await view.waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.match((await page.textContent('body')) ?? '', /Trang hướng dẫn này chưa có/);
      assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
    } finally {
      await context.close();
    }
  });

  test('an empty list says what to do and its action works; an expired session says so at sign-in', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      await (await new LoginPage(page).open()).signIn(username, password);
      const shell = new AppShell(page);
      await shell.waitUntilShown();
      await shell.goTo('corrections');
      const empty = page.getByTestId('corrections-empty');
      await empty.waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.match((await empty.textContent()) ?? '', /Chưa có yêu cầu sửa nào\..*Tạo yêu cầu sửa/);
      await screenshot(page, 'help-07-empty-corrections');
      await page.getByTestId('corrections-empty-action').click();
      await page.waitForURL((u) => u.pathname === '/records', { timeout: TIMEOUT });

      // The session disappears (expired on the server): the next call lands on sign-in, which says why.
      await context.clearCookies();
      // The next call finds no session. Clicking the menu makes one — unless a call the page was
      // already making got there first and the sign-in page has replaced the menu.
      await page.getByTestId('side-menu').getByTestId('nav-classes').click({ timeout: 5_000 }).catch(() => undefined);
      const expired = page.getByTestId('login-expired');
      await expired.waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.match((await expired.textContent()) ?? '', /Phiên đăng nhập đã hết hạn/);
      await screenshot(page, 'help-08-session-expired');
    } finally {
      await context.close();
    }
  });
});
