/**
 * Launching Chromium with the built extension and showing its DevTools panel,
 * shared by the end-to-end tests, the benchmark and `npm start`.
 * Every step here follows ../shared/notes/browser-facts.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROME_DIST = process.env.BGF_DIST ?? join(ROOT, 'dist/chrome');

export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error('Chromium not found: install it (apt-get install -y chromium) or set CHROME_PATH.');
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A fresh profile in which background fetches are allowed: Chromium derives
 * the permission from the automatic-downloads setting, and in a default
 * profile refuses every fetch of a tab after the first. `dock` is where
 * DevTools opens (Chromium's default is the right side, narrow for a table).
 */
export function makeProfile(dock?: 'bottom' | 'right' | 'undocked'): string {
  const dir = mkdtempSync(join(tmpdir(), 'bgfetch-profile-'));
  mkdirSync(join(dir, 'Default'), { recursive: true });
  writeFileSync(
    join(dir, 'Default', 'Preferences'),
    JSON.stringify({
      profile: { default_content_setting_values: { automatic_downloads: 1 } },
      // DevTools keeps its settings as JSON strings inside the preferences.
      ...(dock ? { devtools: { preferences: { currentDockState: JSON.stringify(dock) } } } : {}),
    }),
  );
  return dir;
}

export interface Launched {
  browser: Browser;
  profile: string;
  close(): Promise<void>;
}

export async function launchChromium(
  opts: { extension?: boolean; extensionDir?: string; headless?: boolean; args?: string[]; dock?: 'bottom' | 'right' | 'undocked' } = {},
): Promise<Launched> {
  const profile = makeProfile(opts.dock);
  const withExtension = opts.extension ?? true;
  const extensionDir = opts.extensionDir ?? CHROME_DIST;
  if (withExtension && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`${extensionDir} is missing: run \`npm run build\` first.`);
  }
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: opts.headless ?? true,
    pipe: true,
    // The caller stops the browser itself (npm start removes its profile on Ctrl+C).
    handleSIGINT: false,
    userDataDir: profile,
    enableExtensions: withExtension ? [extensionDir] : false,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    defaultViewport: { width: 1280, height: 800 },
  });
  return {
    browser,
    profile,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The extension's id, from its background service worker target. */
export async function extensionId(browser: Browser): Promise<string> {
  const target = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
    { timeout: 15_000 },
  );
  return new URL(target.url()).host;
}

export interface OpenPanel {
  devtools: Page;
  panel: Frame;
}

/** Opens DevTools for `page` and shows the Background Fetch panel in it. */
export async function openPanel(page: Page, id: string): Promise<OpenPanel> {
  const devtools = await page.openDevTools();
  await devtools.waitForFunction(() => 'DevToolsAPI' in window, { timeout: 20_000 });
  const panelUrl = `chrome-extension://${id}/panel/index.html`;
  const deadline = Date.now() + 30_000;
  // The extension registers its panel asynchronously: repeat until it shows.
  while (Date.now() < deadline) {
    await devtools
      .evaluate((name) => (window as unknown as { DevToolsAPI: { showPanel(n: string): void } }).DevToolsAPI.showPanel(name), `chrome-extension://${id}BackgroundFetch`)
      .catch(() => undefined);
    const frame = devtools.frames().find((f) => f.url().startsWith(panelUrl));
    if (frame) {
      await frame.waitForSelector('[data-testid="bgf-app"]', { timeout: 15_000 });
      return { devtools, panel: frame };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('The Background Fetch panel did not appear in DevTools.');
}

/**
 * Tab ids the extension's background worker holds state for (see
 * extension/background.ts), read through the worker's DevTools target.
 */
export async function backgroundTabIds(browser: Browser): Promise<number[]> {
  const target = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
    { timeout: 15_000 },
  );
  const worker = await target.worker();
  if (!worker) throw new Error('The extension has no background worker.');
  return worker.evaluate(() => (globalThis as unknown as { bgfetchDevtoolsState: { tabIds(): number[] } }).bgfetchDevtoolsState.tabIds());
}

/** Stops the extension's background worker, as the browser does when idle. */
export async function killExtensionWorker(browser: Browser): Promise<void> {
  const target = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
    { timeout: 15_000 },
  );
  const worker = await Promise.race([target.worker(), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
  if (worker) {
    await worker.close();
    return;
  }
  const session = await browser.target().createCDPSession();
  await session.send('Target.closeTarget', { targetId: (target as unknown as { _targetId: string })._targetId });
}
