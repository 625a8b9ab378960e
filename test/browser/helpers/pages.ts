/**
 * Page objects for the web UI shell: the sign-in page and the signed-in app frame.
 * Tests talk to these, not to selectors, so a layout change is fixed in one place.
 * Elements are found by their `data-testid`.
 */
import type { Locator, Page } from 'playwright-core';

export type UiLocale = 'vi' | 'en';

const TIMEOUT = 15_000;

async function chooseLanguage(page: Page, locale: UiLocale): Promise<void> {
  await page.getByTestId('lang-switch').getByTestId(`lang-${locale}`).click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, locale, { timeout: TIMEOUT });
}

export class LoginPage {
  constructor(readonly page: Page) {}

  get username(): Locator {
    return this.page.getByTestId('login-username');
  }
  get password(): Locator {
    return this.page.getByTestId('login-password');
  }
  get totp(): Locator {
    return this.page.getByTestId('login-totp');
  }
  get heading(): Locator {
    return this.page.getByTestId('login-heading');
  }
  get error(): Locator {
    return this.page.getByTestId('login-error');
  }

  async open(path = '/'): Promise<this> {
    await this.page.goto(path);
    await this.waitUntilShown();
    return this;
  }

  async waitUntilShown(): Promise<void> {
    await this.username.waitFor({ state: 'visible', timeout: TIMEOUT });
  }

  async chooseLanguage(locale: UiLocale): Promise<void> {
    await chooseLanguage(this.page, locale);
  }

  /** Fill in and submit; does not wait for the outcome (see AppShell.waitUntilShown). */
  async signIn(username: string, password: string, totp?: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    if (totp !== undefined) await this.totp.fill(totp);
    await this.page.getByTestId('login-submit').click();
  }
}

export class AppShell {
  constructor(
    readonly page: Page,
    readonly opts: { phone?: boolean } = {},
  ) {}

  get homeHeading(): Locator {
    return this.page.getByTestId('home-heading');
  }
  get userName(): Locator {
    return this.page.getByTestId('user-name');
  }
  get schoolName(): Locator {
    return this.page.getByTestId('school-name');
  }
  homeCard(key: string): Locator {
    return this.page.getByTestId(`home-card-${key}`);
  }

  /** Waits for the home page after sign-in (the heading carries the role name). */
  async waitUntilShown(headingText?: string | RegExp): Promise<void> {
    const heading = headingText ? this.homeHeading.filter({ hasText: headingText }) : this.homeHeading;
    await heading.waitFor({ state: 'visible', timeout: TIMEOUT });
  }

  async headingText(): Promise<string> {
    return (await this.homeHeading.textContent())?.trim() ?? '';
  }

  async switchLanguage(locale: UiLocale): Promise<void> {
    await chooseLanguage(this.page, locale);
  }

  /** Phones: the menu lives in a drawer opened from the header. */
  async openMenu(): Promise<Locator> {
    const drawer = this.page.getByTestId('menu-drawer');
    if (this.opts.phone && !(await drawer.isVisible())) {
      await this.page.getByTestId('menu-toggle').click();
    }
    const menu = this.opts.phone ? drawer : this.page.getByTestId('side-menu');
    await menu.waitFor({ state: 'visible', timeout: TIMEOUT });
    return menu;
  }

  /** Follow a menu entry: home, classes, staff, audit or account. */
  async goTo(key: string): Promise<void> {
    const menu = await this.openMenu();
    await menu.getByTestId(`nav-${key}`).click();
    if (this.opts.phone) await this.page.getByTestId('menu-drawer').waitFor({ state: 'hidden', timeout: TIMEOUT });
  }

  async signOut(): Promise<void> {
    if (this.opts.phone) await this.openMenu();
    await this.page.getByTestId('logout').click();
  }

  /** Status of GET /api/session as seen by this page's cookies (200 signed in, 401 not). */
  async sessionStatus(): Promise<number> {
    return this.page.evaluate(async () => (await fetch('/api/session', { credentials: 'same-origin' })).status);
  }
}
