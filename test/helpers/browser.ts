// Browser tests' harness: Debian's Chromium driven by playwright-core (Playwright's own browser download is not
// used), against a real test server serving the built admin center. Each test gets a fresh browser context
// (its own storage); screenshots go to docs/screenshots/, committed, so a change of look shows in review.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { DEFAULT_WEB_ROOT } from '../../src/server/web-app.js';
import { startTestServer, type TestServer } from './server.js';

/** Where Debian's `chromium` package puts the browser (`apt-get install -y chromium`; .ci/run installs it). */
export const CHROMIUM = process.env.TARMAC_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const WEB_SOURCES = fileURLToPath(new URL('../../web/', import.meta.url));

/** The first file under `dir` changed after `builtMs`: the build the tests would use is older than the code. */
function newerThan(dir: string, builtMs: number): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = newerThan(path, builtMs);
      if (found) return found;
    } else if (statSync(path).mtimeMs > builtMs) return path;
  }
  return undefined;
}

/** Screenshots of the same screens look the same from run to run. */
const VIEWPORT = { width: 1440, height: 960 };

/**
 * A private copy of the admin center's build (dist/web), for a test server's `webRoot`: a build started
 * meanwhile (it empties dist/web) cannot pull files from under the page.
 */
export function copyWebBuild(): { readonly root: string; remove(): void } {
  const built = join(DEFAULT_WEB_ROOT, 'index.html');
  if (!existsSync(built)) throw new Error('The admin center is not built (dist/web): run `npm run build` first.');
  // Warned, not refused: in a shared working tree someone is always editing web/; `npm test` builds first.
  const changed = newerThan(WEB_SOURCES, statSync(built).mtimeMs);
  if (changed) console.warn(`${changed} changed after the admin center was built: these tests use the last build (\`npm run build\` updates it).`);
  const root = mkdtempSync(join(tmpdir(), 'tarmac-web-build-'));
  cpSync(DEFAULT_WEB_ROOT, root, { recursive: true });
  const remove = () => rmSync(root, { recursive: true, force: true });
  const missing = [...readFileSync(join(root, 'index.html'), 'utf8').matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!).filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) {
    remove();
    throw new Error(`dist/web changed while it was copied (${missing.join(', ')} missing): let the build finish, then run the tests again.`);
  }
  return { root, remove };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with 'apt-get install -y chromium' (or set TARMAC_CHROMIUM).`);
  // launch() starts Chromium with a fresh --user-data-dir of its own, removed on close, and adds --headless.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface BrowserPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors and console errors of the page: a test ends by checking there were none. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** A new page in its own context (empty storage: nobody signed in), on the server at `baseURL`. */
export async function openPage(browser: Browser, baseURL: string): Promise<BrowserPage> {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light', reducedMotion: 'reduce' });
  // Waits end on the element, not on a clock: this only bounds how long a broken page is waited for.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // A refused request is logged by the browser even when the app shows it as intended.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`console: ${msg.text()}`);
  });
  return { context, page, errors, close: () => context.close() };
}

/**
 * Writes docs/screenshots/<name>.png (overwriting it), animations and caret off. The admin center scrolls
 * inside its <main>, so for `wholeScreen` the window is made as tall as the screen's content for the shot.
 */
export async function screenshot(page: Page, name: string, options: { wholeScreen?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const viewport = page.viewportSize() ?? VIEWPORT;
  const height = options.wholeScreen ? await page.evaluate(() => document.body.scrollHeight - (document.querySelector('main')?.clientHeight ?? 0) + (document.querySelector('main')?.scrollHeight ?? 0)) : viewport.height;
  if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
  if (height > viewport.height) await page.setViewportSize(viewport);
}

export interface BrowserSuite {
  /** The test server (serving a private copy of the build), once the suite's beforeAll has run. */
  readonly server: TestServer;
  /** A new page, nobody signed in; closed after the test, which fails if the page logged an error. */
  page(): Promise<Page>;
  /** A new page signed in through the screens as a person does (control key, tenant, user, password), on Home. */
  signIn(tenantLabel: string, upn: string, password: string): Promise<Page>;
}

/**
 * One browser test file's setup: a private copy of the build (a rebuild during the run cannot take the pages
 * away) served by a test server, one Chromium, a fresh page per test. Registers its own hooks: call it at
 * the top of the file, before the file's own beforeAll.
 */
export function browserSuite(): BrowserSuite {
  let web: ReturnType<typeof copyWebBuild> | undefined;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let open: BrowserPage | undefined;
  beforeAll(async () => {
    web = copyWebBuild();
    [server, browser] = await Promise.all([startTestServer({ webRoot: web.root }), launchChromium()]);
  });
  afterEach(async () => {
    // Nothing broke in the page that the test did not see.
    const errors = open?.errors ?? [];
    await open?.close();
    open = undefined;
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    web?.remove();
  });
  const page = async () => {
    open = await openPage(browser!, server!.url);
    return open.page;
  };
  return {
    get server() {
      return server!;
    },
    page,
    async signIn(tenantLabel, upn, password) {
      const p = await page();
      await p.goto('/');
      await p.getByLabel('Control key').fill(server!.controlKey);
      await p.getByRole('button', { name: 'Continue' }).click();
      const picker = p.getByRole('combobox', { name: 'Tenant' });
      await picker.click();
      await p.getByRole('option', { name: tenantLabel }).click();
      await expect.poll(() => picker.textContent()).toBe(tenantLabel);
      await p.getByLabel('User name').fill(upn);
      await p.getByLabel('Password').fill(password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { name: 'Setup checklist' }).waitFor();
      return p;
    },
  };
}
