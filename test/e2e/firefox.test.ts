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
import webExt from 'web-ext';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_HOOK_NAME } from '../../extension/protocol';
import { startDemoServer } from '../site/server';
import { ROOT } from '../support/chromium';
import { FIREFOX_DIST, launchFirefox, type LaunchedFirefox } from '../support/firefox';
import { openFirefoxPanel, screenshotWindow, type FirefoxPanel } from '../support/firefox-devtools';
import { ROW_SELECTOR, startDemo, swEvent, toRowViews, waitForRowIn, type RowView } from './panel-driver';

let firefox: LaunchedFirefox;
let server: Awaited<ReturnType<typeof startDemoServer>>;
let page: Page;
let panel: FirefoxPanel;

const rows = (): Promise<RowView[]> =>
  panel.evaluate<RowView[]>(`(doc) => (${String(toRowViews)})([...doc.querySelectorAll(${JSON.stringify(ROW_SELECTOR)})])`);

const waitForRow = (id: string, test?: (r: RowView) => boolean, timeoutMs?: number) => waitForRowIn(rows, id, test, timeoutMs);

/** Polls `fn` in the panel until it returns something truthy, and returns that. */
async function until<T>(fn: (doc: Document, arg: unknown) => T, arg: unknown, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await panel.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A user's click on the (last) row `id`. */
const selectRow = (id: string) =>
  until(
    (doc, i) => {
      const row = [...doc.querySelectorAll('[data-testid="bgf-row"]')].filter((e) => (e as HTMLElement).dataset.id === i).pop();
      (row as HTMLElement | undefined)?.click();
      return !!row && !!doc.querySelector('[data-testid="bgf-details"]');
    },
    id,
    `row ${id}`,
  );

/** A user's click on the first enabled button named `name` (its text or aria-label). */
const clickButton = (name: string) =>
  until(
    (doc, n) => {
      const b = [...doc.querySelectorAll('button')].find((e) => (e.getAttribute('aria-label') ?? e.textContent?.trim()) === n && !e.disabled);
      b?.click();
      return !!b;
    },
    name,
    `an enabled "${name}" button`,
  );

const openTab = (name: string) =>
  until(
    (doc, n) => {
      const tab = [...doc.querySelectorAll('[role="tab"]')].find((t) => t.textContent === n);
      (tab as HTMLElement | undefined)?.click();
      return !!tab;
    },
    name,
    `the ${name} tab`,
  );

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
  it('dist/firefox passes web-ext lint without errors', async () => {
    const report = await webExt.cmd.lint({ sourceDir: FIREFOX_DIST, output: 'none' }, { shouldExitProgram: false });
    expect(report.errors).toEqual([]);
  });

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
    await selectRow('abort-me');
    await clickButton('Abort');
    expect((await waitForRow('abort-me', (r) => r.status === 'failure')).failureReason).toBe('aborted');
    expect(await swEvent(page, 'abort-me')).toMatchObject({ type: 'backgroundfetchabort', failureReason: 'aborted' });
  });

  it('previews a record\'s body, read in the page through the polyfill, while the fetch runs', async () => {
    // The table is virtualized and the toolbox is short: start from an empty one.
    await clickButton('Clear');
    expect(await startDemo(page, 'season', { id: 'season-1', size: 100_000, ms: 2500 })).toEqual({ id: 'season-1' });
    await waitForRow('season-1', (r) => r.status === 'running' && r.downloaded >= 100_000);
    await selectRow('season-1');
    await openTab('Records');
    await until((doc) => doc.querySelector('[data-testid="bgf-record"][data-status="200"]'), null, 'a finished record');
    await clickButton('Preview body');
    const preview = await until((doc) => (doc.querySelector('.preview') as HTMLElement | null)?.innerText, null, 'the body preview');
    // audio/mpeg is shown as a hex dump of the real bytes, capped.
    expect(preview).toMatch(/audio\/mpeg · 100 kB read/);
    expect(preview).toMatch(/^00000000  [0-9a-f]{2} /m);
    await waitForRow('season-1', (r) => r.status === 'success', 120_000);
  });

  it('replays a settled upload through the polyfill under the same id', async () => {
    await clickButton('Clear');
    expect(await startDemo(page, 'upload', { id: 'upload-1', size: 50_000 })).toEqual({ id: 'upload-1' });
    await waitForRow('upload-1', (r) => r.status === 'success');
    await selectRow('upload-1');
    await clickButton('Replay');
    await until(
      (doc) => {
        const rs = [...doc.querySelectorAll('[data-testid="bgf-row"]')].filter((e) => (e as HTMLElement).dataset.id === 'upload-1');
        return rs.length === 2 && rs.every((e) => (e as HTMLElement).dataset.status === 'success');
      },
      null,
      'two successful upload-1 rows',
    );
    const events = await page.evaluate(() => (window as unknown as { demo: { swEvents(): Promise<{ id: string; type: string }[]> } }).demo.swEvents());
    expect(events.filter((e) => e.id === 'upload-1' && e.type === 'backgroundfetchsuccess')).toHaveLength(2);
  });
});
