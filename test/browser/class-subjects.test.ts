/**
 * The school administrator edits a class's subjects: assigns a teacher, switches a topic
 * cluster, adds and removes a subject — and sees the server refuse what would change marks.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD } from './helpers/demo.ts';
import { LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform } from './helpers/platform.ts';

describe('class subjects', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;

  test('the IT officer changes 10A1’s subjects and teachers', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      const login = await new LoginPage(page).open();
      await login.username.fill('quantri');
      await login.password.fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('home-heading').waitFor();
      const classes = (await (await page.request.get('/api/classes')).json()) as { classes: Array<{ id: string; name: string }> };
      const c10a1 = classes.classes.find((c) => c.name === '10A1')!;
      await page.goto(`/classes/${c10a1.id}`);
      const card = page.getByTestId('class-subjects-card');
      await card.waitFor();
      const rows = card.locator('tbody tr.ant-table-row');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="class-subjects-card"] tbody tr.ant-table-row').length > 0);
      assert.equal(await rows.count(), 12, 'the demo class has 12 subjects');

      // Remove Mĩ thuật or another subject without marks, then add it back.
      const before = (await (await page.request.get(`/api/classes/${c10a1.id}/subjects`)).json()) as { subjects: Array<{ id: string; code: string; name: string; topicCluster: boolean }> };
      const victim = before.subjects.find((s) => !s.topicCluster && s.name === 'Tin học') ?? before.subjects.at(-1)!;
      const row = page.getByTestId(`class-subject-${victim.code}`);
      await row.getByRole('button', { name: /Bỏ môn/ }).click();
      await page.getByRole('button', { name: /OK|Đồng ý/ }).click();
      await page.getByText('Đã lưu.').first().waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="class-subjects-card"] tbody tr.ant-table-row').length === n, 11);
      const after = (await (await page.request.get(`/api/classes/${c10a1.id}/subjects`)).json()) as { subjects: unknown[] };
      assert.equal(after.subjects.length, 11);

      // A fourth topic cluster is refused by the server, with its message.
      const plain = before.subjects.find((s) => !s.topicCluster && s.id !== victim.id && ['Ngữ văn', 'Lịch sử', 'Toán'].includes(s.name));
      if (plain) {
        await page.getByTestId(`class-subject-${plain.code}`).getByRole('switch').click();
        await page.getByText(/tối đa 3 cụm chuyên đề/).waitFor();
      }
      await screenshot(page, 'class-subjects-admin');
    } finally {
      await context.close();
    }
  });
});
