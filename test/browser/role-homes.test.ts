/**
 * Each demo account (one per role, as `hocba serve` lists them) signs in and gets its
 * own home page: "Trang chủ — <role>", figures or a next-step hint, and a menu that
 * shows only the pages its permissions open. Its own server, because the sign-in
 * rate limit (10 a minute) would otherwise be shared with the other browser tests.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ROLE_LABELS } from '../../src/domain/policies/roles.ts';
import { newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, parseDemoLogins, type DemoLogin } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform } from './helpers/platform.ts';


/** Pages each demo role may open, by the permission the menu checks. */
const STAFF_PAGES = ['classes', 'staff', 'audit'];

describe('home page per role', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;
  let logins: DemoLogin[] = [];

  before(() => {
    if (!skipReason) logins = parseDemoLogins(platform.server.output());
  });

  test('every demo account signs in to the home page of its role', async (t) => {
    if (skipReason) return t.skip(skipReason);
    assert.ok(logins.length >= 5, `hocba serve lists the demo sign-ins:\n${platform.server.output()}`);
    assert.ok(logins.some((l) => l.role === 'principal'), 'the demo has a principal');

    for (const login of logins) {
      await t.test(`${login.role} (${login.username})`, async () => {
        const context = await newContext(platform.browser, platform.server.url);
        const page = await context.newPage();
        try {
          await (await new LoginPage(page).open()).signIn(login.username, DEMO_PASSWORD);
          const shell = new AppShell(page);
          await shell.waitUntilShown();
          await shell.switchLanguage('vi');
          const label = ROLE_LABELS[login.role].vi;
          await shell.waitUntilShown(`Trang chủ — ${label}`);
          assert.ok((await shell.headingText()).startsWith('Trang chủ — '), await shell.headingText());

          const section = page.getByTestId(`home-section-${login.role}`);
          await section.waitFor({ state: 'visible' });
          const shown = await section.locator('[data-testid^="home-card-"], [data-testid^="home-empty-"]').count();
          assert.ok(shown > 0, 'the section shows figures or says what to do next');

          const menu = page.getByTestId('side-menu');
          for (const key of ['home', 'account']) await menu.getByTestId(`nav-${key}`).waitFor({ state: 'visible' });
          await screenshot(page, `role-${login.role}`, { fullPage: true });
          if (login.role === 'student' || login.role === 'parent') {
            for (const key of STAFF_PAGES) assert.equal(await menu.getByTestId(`nav-${key}`).count(), 0, `no ${key} for a ${login.role}`);
            // Typing the address of a staff page gets the friendly 403 page, not a broken one.
            await page.goto('/staff');
            await page.getByTestId('error-403').waitFor({ state: 'visible' });
            await screenshot(page, `role-${login.role}-403`);
          }
        } finally {
          await context.close();
        }
      });
    }
  });
});
