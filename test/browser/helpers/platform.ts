/**
 * One real platform (`hocba serve` on a fresh data directory) and one headless Chromium per
 * test file, started in `before` and stopped in `after`. Skips (outside CI) when Chromium
 * is missing.
 */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumMissingReason, launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

export interface Platform {
  /** Why the tests must skip here, or null. */
  readonly skipReason: string | null;
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * Call inside a describe(): registers the hooks and returns accessors for the running pair.
 * `serverEnv` may prepare data first (e.g. a data directory with frozen records) and return
 * environment for the server.
 */
export function usePlatform(opts: { serverEnv?: () => Promise<Record<string, string>> } = {}): Platform {
  const skipReason = chromiumMissingReason();
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    if (skipReason) return;
    // The demo school's year of marks (≈15 s to load) only where a test asks for it
    // (HOCBA_DEMO_YEAR=1 from serverEnv): most pages are tested on the empty grade book.
    server = await startServer({ env: { HOCBA_DEMO_YEAR: '0', ...(opts.serverEnv ? await opts.serverEnv() : {}) } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    skipReason,
    get server() {
      if (!server) throw new Error('the platform is not running');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not running');
      return browser;
    },
  };
}
