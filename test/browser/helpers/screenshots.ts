/** Screenshots for people to look at: test-results/screenshots/<name>.png (gitignored). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './server.ts';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Let antd's motion (drawer slide, message fade) settle so the picture shows the end state.
  await page.waitForTimeout(400);
  await page.screenshot({ path, fullPage: opts.fullPage ?? false });
  return path;
}
