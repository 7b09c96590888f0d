/**
 * The extension end to end in Firefox ESR, which has no Background Fetch:
 * dist/firefox installed as a temporary add-on, the demo site running on the
 * polyfill with its real service worker, and the real DevTools panel opened
 * in Firefox's toolbox and read from its DOM (firefox-devtools.ts). Each
 * row the panel shows went page hook -> relay -> background -> panel, so a
 * hook that missed the polyfill or a relay that dropped events fails here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_HOOK_NAME } from '../../extension/protocol';
import { startDemoServer } from '../site/server';
import { ROOT } from '../support/chromium';
import { launchFirefox, type LaunchedFirefox } from '../support/firefox';
import { openFirefoxPanel, screenshotWindow, type FirefoxPanel } from '../support/firefox-devtools';
import { ROW_SELECTOR, startDemo, swEvent, toRowViews, waitForRowIn, type RowView } from './panel-driver';

let firefox: LaunchedFirefox;
let server: Awaited<ReturnType<typeof startDemoServer>>;
let page: Page;
let panel: FirefoxPanel;

const rows = (): Promise<RowView[]> =>
  panel.evaluate<RowView[]>(`(doc) => (${String(toRowViews)})([...doc.querySelectorAll(${JSON.stringify(ROW_SELECTOR)})])`);

const waitForRow = (id: string, test?: (r: RowView) => boolean, timeoutMs?: number) => waitForRowIn(rows, id, test, timeoutMs);

/** Clicks a row, then the enabled button named `name` in its details, as a user would. */
async function clickInRow(id: string, name: string): Promise<void> {
  await panel.evaluate((doc, i) => {
    const row = [...doc.querySelectorAll('[data-testid="bgf-row"]')].find((e) => (e as HTMLElement).dataset.id === i);
    if (!row) throw new Error(`No row ${String(i)}`);
    (row as HTMLElement).click();
  }, id);
  const deadline = Date.now() + 15_000;
  while (
    !(await panel.evaluate((doc, n) => {
      const b = [...doc.querySelectorAll('button')].find((e) => (e.getAttribute('aria-label') ?? e.textContent?.trim()) === n);
      if (!b || b.disabled) return false;
      b.click();
      return true;
    }, name))
  ) {
    if (Date.now() > deadline) throw new Error(`No enabled "${name}" button for ${id}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
  firefox = await launchFirefox({ systemAccess: true });
  page = (await firefox.browser.pages())[0] ?? (await firefox.browser.newPage());
  await page.goto(`${server.origin}/`);
  await page.evaluate(() => (window as unknown as { demo: { ready: Promise<unknown> } }).demo.ready.then(() => undefined));
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe('Background Fetch DevTools in Firefox ESR', () => {
  it('runs the demo on the polyfill, with the extension\'s hook in the page', async () => {
    const facts = await page.evaluate((hookName) => {
      const w = window as unknown as { demo: { implementation: string }; BackgroundFetchPolyfill?: { isInstalled(): boolean } };
      return {
        implementation: w.demo.implementation,
        polyfillInstalled: w.BackgroundFetchPolyfill?.isInstalled() ?? false,
        manager: typeof (window as unknown as { BackgroundFetchManager?: unknown }).BackgroundFetchManager,
        hook: Symbol.for(hookName) in window && hookName in window,
      };
    }, GLOBAL_HOOK_NAME);
    expect(facts).toEqual({ implementation: 'polyfill', polyfillInstalled: true, manager: 'function', hook: true });
  });

  it('picks up a fetch that started before DevTools opened', async () => {
    expect(await startDemo(page, 'large', { id: 'early-1', ms: 6000, size: 2_000_000 })).toEqual({ id: 'early-1' });
    panel = await openFirefoxPanel(firefox.browser, page);
    const row = await waitForRow('early-1');
    expect(['running', 'success']).toContain(row.status);
    expect((await waitForRow('early-1', (r) => r.status === 'success')).downloaded).toBe(2_000_000);
    expect((await swEvent(page, 'early-1')).type).toBe('backgroundfetchsuccess');
  });

  it('shows registrations live: progress while running, then success', async () => {
    expect(await startDemo(page, 'large', { id: 'live-1', ms: 4000, size: 3_000_000 })).toEqual({ id: 'live-1' });
    const running = await waitForRow('live-1', (r) => r.status === 'running' && r.downloaded > 0 && r.downloaded < 3_000_000);
    expect(running.text).toContain('live-1');
    expect((await waitForRow('live-1', (r) => r.status === 'success')).downloaded).toBe(3_000_000);
    expect((await swEvent(page, 'live-1')).type).toBe('backgroundfetchsuccess');
    // The demo with Firefox's toolbox showing the panel, as a test artifact.
    mkdirSync(join(ROOT, 'test/artifacts'), { recursive: true });
    writeFileSync(join(ROOT, 'test/artifacts/panel-firefox.png'), await screenshotWindow(firefox.browser));
  });

  it('shows failures with their reason, and rejected fetch() calls with their error', async () => {
    expect(await startDemo(page, 'missing', { id: 'broken-1' })).toEqual({ id: 'broken-1' });
    const failed = await waitForRow('broken-1', (r) => r.status === 'failure');
    expect(failed.failureReason).toBe('bad-status');
    expect(await swEvent(page, 'broken-1')).toMatchObject({ type: 'backgroundfetchfail', failureReason: 'bad-status' });

    const blocked = await page.evaluate(() =>
      (window as unknown as { demo: { fetch(id: string, r: unknown, o: unknown): Promise<unknown> } }).demo.fetch('blocked-port', ['http://127.0.0.1:1/x'], {}),
    );
    expect(blocked).toMatchObject({ error: { name: 'TypeError' } });
    expect((await waitForRow('blocked-port', (r) => r.status === 'rejected')).text).toContain('TypeError');
  });

  it('aborts a polyfilled fetch from the panel: the command reaches the page and the service worker gets backgroundfetchabort', async () => {
    expect(await startDemo(page, 'large', { id: 'abort-me', ms: 20_000 })).toEqual({ id: 'abort-me' });
    await waitForRow('abort-me', (r) => r.status === 'running');
    await clickInRow('abort-me', 'Abort');
    expect((await waitForRow('abort-me', (r) => r.status === 'failure')).failureReason).toBe('aborted');
    expect(await swEvent(page, 'abort-me')).toMatchObject({ type: 'backgroundfetchabort', failureReason: 'aborted' });
  });
});
