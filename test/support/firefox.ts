/**
 * Launching Firefox ESR over WebDriver BiDi, with or without the built
 * extension, shared by the polyfill conformance suite, the Firefox end-to-end
 * tests and `npm run start:firefox`. See ../shared/notes/browser-facts.md.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { ROOT } from './chromium';

export const FIREFOX_DIST = process.env.BGF_FIREFOX_DIST ?? join(ROOT, 'dist/firefox');

export function firefoxPath(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error('Firefox not found: install it (apt-get install -y firefox-esr) or set FIREFOX_PATH.');
}

export interface LaunchedFirefox {
  browser: Browser;
  /** The extension's moz-extension:// origin, when it was installed. */
  extensionOrigin: string | null;
  close(): Promise<void>;
}

export interface FirefoxOptions {
  extension?: boolean;
  headless?: boolean;
  /**
   * Lets the BiDi session script Firefox's own windows, which is the only way
   * to open and read the DevTools toolbox (firefox-devtools.ts). Test-only.
   */
  systemAccess?: boolean;
}

export async function launchFirefox(opts: FirefoxOptions = {}): Promise<LaunchedFirefox> {
  const withExtension = opts.extension ?? true;
  let addonId: string | null = null;
  if (withExtension) {
    const manifest = join(FIREFOX_DIST, 'manifest.json');
    if (!existsSync(manifest)) throw new Error('dist/firefox is missing: run `npm run build` first.');
    addonId = (JSON.parse(readFileSync(manifest, 'utf8')) as { browser_specific_settings: { gecko: { id: string } } })
      .browser_specific_settings.gecko.id;
  }
  // Firefox picks a random moz-extension:// host per profile unless told one.
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: opts.headless ?? true,
    args: opts.systemAccess ? ['--remote-allow-system-access'] : [],
    extraPrefsFirefox: addonId ? { 'extensions.webextensions.uuids': JSON.stringify({ [addonId]: uuid }) } : {},
    // Callers close Firefox themselves (start-firefox.ts on Ctrl+C); puppeteer's
    // SIGINT handler would exit first. It still kills Firefox if the process exits.
    handleSIGINT: false,
    // A headed window keeps its own size; headless keeps puppeteer's default viewport.
    ...(opts.headless === false ? { defaultViewport: null } : {}),
  });
  try {
    if (withExtension) await browser.installExtension(FIREFOX_DIST);
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
  return {
    browser,
    extensionOrigin: withExtension ? `moz-extension://${uuid}` : null,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}
