/**
 * The Background Fetch panel end to end: real headless Chromium with the
 * built extension, the demo site and its real service worker, real
 * background fetches from localhost.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../site/server';
import { extensionId, launchChromium, openPanel, ROOT, type Launched } from '../support/chromium';
import { rows, startDemo, swEvent, waitForRow } from './panel-driver';

const ARTIFACTS = join(ROOT, 'test/artifacts');

let chromium: Launched;
let server: Awaited<ReturnType<typeof startDemoServer>>;
let extId: string;

async function demoTab(origin = server.origin): Promise<Page> {
  const page = await chromium.browser.newPage();
  await page.goto(`${origin}/`);
  await page.evaluate(() => (window as unknown as { demo: { ready: Promise<unknown> } }).demo.ready.then(() => undefined));
  return page;
}

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
  chromium = await launchChromium();
  extId = await extensionId(chromium.browser);
  // The first background fetch of a fresh profile waits ~4 s for the
  // download service; warm it up once so the tests measure the panel.
  const warm = await demoTab();
  const started = await startDemo(warm, 'small', { id: 'warm-up' });
  expect(started).toEqual({ id: 'warm-up' });
  await swEvent(warm, 'warm-up');
  await warm.close();
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe('Background Fetch panel in Chromium', () => {
  it('shows a fetch started after the panel opened, with live progress, until success', async () => {
    const page = await demoTab();
    const { panel, devtools } = await openPanel(page, extId);
    expect(await startDemo(page, 'large', { id: 'live-1', ms: 3000, size: 3_000_000 })).toEqual({ id: 'live-1' });
    const running = await waitForRow(panel, 'live-1', (r) => r.status === 'running' && r.downloaded > 0 && r.downloaded < 3_000_000);
    expect(running.text).toContain('live-1');
    const done = await waitForRow(panel, 'live-1', (r) => r.status === 'success');
    expect(done.downloaded).toBe(3_000_000);
    expect((await swEvent(page, 'live-1')).type).toBe('backgroundfetchsuccess');
    // A screenshot of the real panel, with the row selected, as a test artifact.
    mkdirSync(ARTIFACTS, { recursive: true });
    await devtools.bringToFront();
    await panel.$eval('[data-testid="bgf-row"][data-id="live-1"]', (el) => (el as HTMLElement).click());
    await panel.waitForSelector('[data-testid="bgf-details"]');
    await panel.$eval('[role="tab"]:nth-child(4)', (el) => (el as HTMLElement).click()); // Timeline
    await devtools.screenshot({ path: join(ARTIFACTS, 'panel-chromium.png') });
    await page.close();
  });

  it('shows a 404 fetch ending failure / bad-status', async () => {
    const page = await demoTab();
    const { panel } = await openPanel(page, extId);
    expect(await startDemo(page, 'missing', { id: 'broken-1' })).toEqual({ id: 'broken-1' });
    const row = await waitForRow(panel, 'broken-1', (r) => r.status === 'failure');
    expect(row.failureReason).toBe('bad-status');
    expect(row.text).toContain('bad-status');
    await page.close();
  });

  it('picks up a fetch the page started before DevTools opened', async () => {
    const page = await demoTab();
    // Long enough to still be running once DevTools is open on a loaded machine.
    expect(await startDemo(page, 'large', { id: 'early-1', ms: 15_000, size: 2_000_000 })).toEqual({ id: 'early-1' });
    await new Promise((r) => setTimeout(r, 500));
    const { panel } = await openPanel(page, extId);
    await waitForRow(panel, 'early-1', (r) => r.status === 'running');
    await waitForRow(panel, 'early-1', (r) => r.status === 'success' && r.downloaded === 2_000_000);
    await page.close();
  });

  // Chromium stalls a download for ~30 s after the page that started it
  // reloads, then resumes it: the row must follow what the new page sees.
  it('re-attaches after a reload during a running fetch, and the row keeps updating', async () => {
    const page = await demoTab();
    const { panel, devtools } = await openPanel(page, extId);
    expect(await startDemo(page, 'large', { id: 'reload-1', ms: 4000, size: 2_000_000 })).toEqual({ id: 'reload-1' });
    const before = await waitForRow(panel, 'reload-1', (r) => r.downloaded > 0 && r.status === 'running');
    await page.reload();
    await page.evaluate(() => (window as unknown as { demo: { ready: Promise<unknown> } }).demo.ready.then(() => undefined));
    // Only the new page's hook can report the settle: the old one is gone.
    const done = await waitForRow(panel, 'reload-1', (r) => r.status === 'success', 90_000);
    expect(done.downloaded).toBeGreaterThan(before.downloaded);
    expect((await rows(panel)).filter((r) => r.id === 'reload-1')).toHaveLength(1);
    await devtools.bringToFront();
    await panel.$eval('[data-testid="bgf-row"][data-id="reload-1"]', (el) => (el as HTMLElement).click());
    await panel.$eval('[role="tab"]:nth-child(4)', (el) => (el as HTMLElement).click());
    expect(await panel.$eval('[data-testid="bgf-details"]', (el) => (el as HTMLElement).innerText)).toContain('re-attached after reload');
    await page.close();
  });

  it('lists rejected fetch() calls with their error: duplicate id and blocked port', async () => {
    const page = await demoTab();
    const { panel } = await openPanel(page, extId);
    expect(await startDemo(page, 'large', { id: 'dup-1', ms: 3000 })).toEqual({ id: 'dup-1' });
    const dup = await startDemo(page, 'large', { id: 'dup-1', ms: 3000 });
    expect(dup).toMatchObject({ error: { name: 'TypeError' } });
    const blocked = await page.evaluate(() =>
      (window as unknown as { demo: { fetch(id: string, r: unknown, o: unknown): Promise<unknown> } }).demo.fetch('blocked-port', ['http://127.0.0.1:1/x'], {}),
    );
    expect(blocked).toMatchObject({ error: { name: 'TypeError' } });
    const portRow = await waitForRow(panel, 'blocked-port', (r) => r.status === 'rejected');
    expect(portRow.text).toMatch(/port is not allowed/);
    const dupRejected = await waitForRow(panel, 'dup-1', (r) => r.status === 'rejected');
    expect(dupRejected.text).toContain('TypeError');
    const dupRows = (await rows(panel)).filter((r) => r.id === 'dup-1');
    expect(dupRows.filter((r) => r.status !== 'rejected')).toHaveLength(1);
    await page.close();
  });

  it('keeps two tabs on two origins apart: each panel sees only its own', async () => {
    const a = await demoTab(server.origin);
    const b = await demoTab(server.origin.replace('127.0.0.1', 'localhost'));
    const pa = (await openPanel(a, extId)).panel;
    const pb = (await openPanel(b, extId)).panel;
    expect(await startDemo(a, 'small', { id: 'only-a' })).toEqual({ id: 'only-a' });
    expect(await startDemo(b, 'small', { id: 'only-b' })).toEqual({ id: 'only-b' });
    await waitForRow(pa, 'only-a', (r) => r.status === 'success');
    await waitForRow(pb, 'only-b', (r) => r.status === 'success');
    expect((await rows(pa)).map((r) => r.id)).not.toContain('only-b');
    expect((await rows(pb)).map((r) => r.id)).not.toContain('only-a');
    await a.close();
    await b.close();
  });

  // Undocked, Chromium reports the DevTools window as the panel port's
  // sender.tab (id -1); the background once refused the panel because of it.
  it('works with DevTools undocked in its own window', async () => {
    const undocked = await launchChromium({ dock: 'undocked' });
    try {
      const page = await undocked.browser.newPage();
      await page.goto(`${server.origin}/`);
      await page.evaluate(() => (window as unknown as { demo: { ready: Promise<unknown> } }).demo.ready.then(() => undefined));
      const { panel } = await openPanel(page, await extensionId(undocked.browser));
      expect(await startDemo(page, 'small', { id: 'undocked-1' })).toEqual({ id: 'undocked-1' });
      await waitForRow(panel, 'undocked-1', (r) => r.status === 'success');
    } finally {
      await undocked.close();
    }
  });
});
