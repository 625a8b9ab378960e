/**
 * The homeroom teacher freezes the class from the homeroom page; in the demo school no
 * marks are entered yet, so every student is reported as not frozen, with the reason.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, parseDemoLogins } from './helpers/demo.ts';
import { LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform } from './helpers/platform.ts';

describe('freezing records', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;

  test('the report says who could not be frozen and why', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const homeroom = parseDemoLogins(platform.server.output()).find((l) => l.role === 'homeroom_teacher')!;
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      const login = await new LoginPage(page).open();
      await login.username.fill(homeroom.username);
      await login.password.fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('home-heading').waitFor();
      const classes = (await (await page.request.get('/api/classes')).json()) as { classes: Array<{ id: string; name: string }> };
      const own = classes.classes.find((c) => c.name === '10A1')!;
      await page.goto(`/homeroom/${own.id}`);
      await page.getByTestId('freeze-class').click();
      await page.getByRole('button', { name: /OK|Đồng ý/ }).click();
      const blocked = page.getByTestId('freeze-blocked');
      await blocked.waitFor();
      await page.getByText(/Chưa chốt được \(42\)/).waitFor();
      assert.match((await blocked.textContent()) ?? '', /Còn thiếu/);
      await screenshot(page, 'freeze-report');
    } finally {
      await context.close();
    }
  });
});
