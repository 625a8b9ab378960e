/**
 * Headless Chromium for browser tests: the Debian package at /usr/bin/chromium driven by
 * playwright-core (`npx playwright install` cannot work here).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.HOCBA_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests must skip on this machine, or null when they can run. */
export function chromiumMissingReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  // CI installs Chromium (.ci/run): there a missing browser is a failure, never a skip.
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM_PATH} although CI is set: .ci/run must install it`);
  return `Chromium not found at ${CHROMIUM_PATH}: install the Debian package \`chromium\` (or set HOCBA_CHROMIUM) to run the browser tests`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const DESKTOP = { width: 1366, height: 860 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** A fresh context (own cookies and localStorage) on `baseURL`, desktop-sized unless told. */
export async function newContext(
  browser: Browser,
  baseURL: string,
  opts: { phone?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: opts.phone ? PHONE : DESKTOP,
    deviceScaleFactor: opts.phone ? 2 : 1,
    isMobile: opts.phone ?? false,
    hasTouch: opts.phone ?? false,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
}

/**
 * Uncaught exceptions and console errors of a page, to assert none happened. Chromium's
 * own "Failed to load resource" lines are left out: a 401 from /api/session is how the
 * UI learns nobody is signed in.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console.error: ${message.text()}`);
    }
  });
  return errors;
}
