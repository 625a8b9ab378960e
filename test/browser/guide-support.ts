/**
 * Support for the user-guide test (guide.test.ts): screenshots written into docs/guide/images,
 * one signed-in browser context per demo account (reused across steps), the app's JSON API
 * through the same cookies, and the list of app links and images the guide's pages name.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from './helpers/server.ts';

export const GUIDE_DIR = join(REPO_ROOT, 'docs', 'guide');
export const GUIDE_IMAGES = join(GUIDE_DIR, 'images');
/** Every guide picture has the same size, so pages look alike in the guide. */
export const GUIDE_VIEWPORT = { width: 1280, height: 800 } as const;
const TIMEOUT = 60_000;

/**
 * A fresh Vietnamese desktop context at the guide's viewport. No base URL: the test may restart
 * the server on another port (see guide.test.ts), and the session cookie (host-only, any port) survives.
 */
export async function guideContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: GUIDE_VIEWPORT, deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(TIMEOUT);
  return context;
}

/** Waits until the page has its data: no request in flight for a moment and no spinner or skeleton left. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
  const busy = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.ant-spin-spinning, .ant-skeleton-active, .ant-btn-loading')]
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => `${e.className}: ${(e.textContent ?? '').slice(0, 60)}`),
    );
  await page
    .waitForFunction(
      () =>
        ![...document.querySelectorAll('.ant-spin-spinning, .ant-skeleton-active, .ant-btn-loading')].some((e) => e.getClientRects().length > 0) &&
        document.body.innerText.trim().length > 0,
      null,
      { timeout: TIMEOUT },
    )
    .catch(async (error: unknown) => {
      throw new Error(`${page.url()} is still loading: ${JSON.stringify(await busy())} (${String(error)})`);
    });
}

/** Whether the page shows the app's "not found" or "no permission" result instead of a real page. */
export async function errorShown(page: Page): Promise<'404' | '403' | null> {
  if (await page.getByTestId('error-404').count()) return '404';
  if (await page.getByTestId('error-403').count()) return '403';
  return null;
}

/** Takes the guide's pictures; remembers which were written in this run. */
export class GuideCamera {
  readonly written = new Set<string>();
  constructor() {
    mkdirSync(GUIDE_IMAGES, { recursive: true });
  }

  /** `name` is `<page>-<n>-<what>` (without .png); the page must show data, not an error. */
  async shot(page: Page, name: string, opts: { fullPage?: boolean; allowError?: boolean } = {}): Promise<void> {
    assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/, `image name ${name}`);
    assert.ok(!this.written.has(name), `${name} taken twice`);
    await settle(page);
    if (!opts.allowError) assert.equal(await errorShown(page), null, `${name}: ${page.url()} shows an error page`);
    // A confirmation toast ("Đã lưu", "Đã nộp bảng điểm") is not part of the page: wait until it fades.
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    // Let antd's motion (modal zoom, drawer slide) settle into the end state.
    await page.waitForTimeout(450);
    await page.screenshot({ path: join(GUIDE_IMAGES, `${name}.png`), fullPage: opts.fullPage ?? false, animations: 'disabled', caret: 'hide' });
    this.written.add(name);
  }
}

export type ApiCall = <T = unknown>(method: string, url: string, data?: unknown) => Promise<T>;

/** The JSON API with a context's cookies and its session's CSRF token; a failure names the request. */
export async function apiOf(context: BrowserContext, base: () => string): Promise<ApiCall> {
  const session = (await (await context.request.get(`${base()}/api/session`)).json()) as { csrfToken: string };
  return async <T>(method: string, url: string, data?: unknown): Promise<T> => {
    const response = await context.request.fetch(`${base()}${url}`, { method, headers: { 'x-csrf-token': session.csrfToken }, ...(data === undefined ? {} : { data }) });
    const text = await response.text();
    if (!response.ok()) throw new Error(`${method} ${url} → ${response.status()}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}

export interface GuideReference {
  file: string;
  target: string;
}

/** Markdown files of the guide (README first). */
export function guidePages(): string[] {
  return readdirSync(GUIDE_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort((a, b) => (a === 'README.md' ? -1 : b === 'README.md' ? 1 : a.localeCompare(b)));
}

/**
 * Links in the guide: app paths (`](/grade-book)`), images (`](images/x.png)`) and links to
 * other guide pages (`](hieu-truong.md#anchor)`). Code spans are left out.
 */
export function guideReferences(): { appLinks: GuideReference[]; images: GuideReference[]; pageLinks: GuideReference[] } {
  const appLinks: GuideReference[] = [];
  const images: GuideReference[] = [];
  const pageLinks: GuideReference[] = [];
  for (const file of guidePages()) {
    const text = readFileSync(join(GUIDE_DIR, file), 'utf8').replace(/`[^`\n]*`/g, '');
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (target.startsWith('/')) appLinks.push({ file, target });
      else if (target.startsWith('images/')) images.push({ file, target });
      else if (/^[a-z0-9-]+\.md(#[a-z0-9-]+)?$|^#[a-z0-9-]+$/i.test(target)) pageLinks.push({ file, target });
      else assert.ok(/^https?:\/\//.test(target), `${file}: link ${target} is neither an app path, an image, a guide page nor a web address`);
    }
  }
  return { appLinks, images, pageLinks };
}

/** The explicit anchors (`<a id="…"></a>`) of a guide page. */
export function anchorsOf(file: string): Set<string> {
  const text = readFileSync(join(GUIDE_DIR, file), 'utf8');
  return new Set([...text.matchAll(/^<a id="([a-z0-9-]+)"><\/a>$/gm)].map((m) => m[1]!));
}
