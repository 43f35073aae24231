/**
 * A real Chromium (Debian's, installed by .ci/run) driven by playwright-core, for the console and widget tests.
 * Screenshots go to test-artifacts/screenshots/ (kept by CI as test artefacts).
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'screenshots');
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];

export function chromiumPath(): string | undefined {
  return CANDIDATES.find((path) => existsSync(path));
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(`no Chromium found (tried ${CANDIDATES.join(', ')}); .ci/run installs Debian's chromium`);
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN'] });
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const ROOT = resolve(import.meta.dirname, '..', '..');

function newestSource(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

/**
 * Builds the console and the widget (`npm run build:console`, in production mode) when a build is missing or older
 * than its sources, so that a browser test run on its own never tests a stale build. `npm test` builds first anyway.
 */
export function ensureConsoleBuilt(): void {
  const outputs = [join(ROOT, 'console', 'dist', 'index.html'), join(ROOT, 'console', 'dist', 'widget', 'kefu-widget.js')];
  const sources = Math.max(...['src', 'widget', 'index.html', 'vite.config.ts', 'widget.vite.config.ts'].map((p) => newestSource(join(ROOT, 'console', p))));
  if (outputs.every((file) => existsSync(file) && statSync(file).mtimeMs >= sources)) return;
  execSync('npm run build:console', { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

/**
 * A fresh browser context and page for a console test, with every page error and console error collected in `errors`
 * except the responses the test expects (`expected`, matched against the console message: e.g. /status of (400|409)/).
 * The context is added to `contexts` so the test's afterAll closes it.
 */
export async function newConsolePage(
  browser: Browser,
  contexts: BrowserContext[],
  options: { readonly expected?: RegExp; readonly locale?: string; readonly viewport?: { width: number; height: number } } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: options.locale ?? 'zh-CN', viewport: options.viewport ?? { width: 1440, height: 1100 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !(options.expected?.test(message.text()) ?? false)) errors.push(message.text());
  });
  return { page, errors };
}

/** Signs in on the console's sign-in screen with the local issuer's password. */
export async function signIn(page: Page, username: string, password = 'kefu'): Promise<void> {
  await page.getByTestId('sign-in-username').fill(username);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
}
