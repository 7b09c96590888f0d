/**
 * A cross-origin iframe with its own service worker starts its own
 * background fetch: the panel of the top page's tab shows it, attributed to
 * the iframe's frame and origin, next to the top page's own fetch.
 */
import type { Frame, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { openPanel } from '../support/chromium';
import { clickButton, demoReady, detailsText, otherOrigin, rows, selectRow, startDemo, swEvent, waitForRow } from './panel-driver';
import { useDemoSession } from './demo-session';

const s = useDemoSession();

async function childFrame(page: Page, origin: string): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(origin));
    if (frame) return frame;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No iframe on ${origin}`);
}

const escape = (s: string) => s.replace(/[.:/?]/g, '\\$&');

describe('frames', () => {
  // Measured: Chromium registers a fetch started in a cross-origin iframe but
  // holds its download for a user's permission that headless never grants,
  // so it stays running at 0 bytes. The test then aborts it from the panel,
  // which also proves commands reach the right frame.
  it('shows a cross-origin iframe’s own background fetch, attributed to its frame and origin', async () => {
    const inner = otherOrigin(s.server.origin);
    const page = await s.chromium.browser.newPage();
    await page.goto(`${s.server.origin}/fixtures/frame-host.html?src=${encodeURIComponent(`${inner}/`)}`);
    const frame = await childFrame(page, inner);
    await demoReady(frame);
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();

    expect(await startDemo(frame, 'small', { id: 'in-iframe' })).toEqual({ id: 'in-iframe' });
    const row = await waitForRow(panel, 'in-iframe', (r) => r.status === 'running');
    expect(row.text).toContain(inner);
    expect(row.text).toContain('iframe');
    expect((await rows(panel)).filter((r) => r.id === 'in-iframe')).toHaveLength(1);

    await selectRow(panel, 'in-iframe');
    const details = await detailsText(panel);
    expect(details).toMatch(new RegExp(`origin\\s+${escape(inner)}\\s*iframe`));
    expect(details).toMatch(new RegExp(`frame\\s+${escape(inner)}/`));

    // The command goes to the iframe's hook, whose service worker gets the event.
    await clickButton(panel, 'Abort');
    const aborted = await waitForRow(panel, 'in-iframe', (r) => r.status === 'failure');
    expect(aborted.failureReason).toBe('aborted');
    expect(await swEvent(frame, 'in-iframe')).toMatchObject({ type: 'backgroundfetchabort', failureReason: 'aborted' });
    await page.close();
  });

  it('keeps the top page’s fetch and the iframe’s apart, each with its own origin', async () => {
    const inner = otherOrigin(s.server.origin);
    const page = await s.chromium.browser.newPage();
    await page.goto(`${s.server.origin}/fixtures/frame-host.html?src=${encodeURIComponent(`${inner}/`)}`);
    const frame = await childFrame(page, inner);
    await demoReady(frame);
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    // The host page registers the demo's worker on its own origin and fetches from the top frame.
    await page.evaluate(async () => {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      await navigator.serviceWorker.ready;
    });
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      await reg.backgroundFetch.fetch('in-top', ['/media/top.mp3?size=20000']);
    });
    expect(await startDemo(frame, 'small', { id: 'in-iframe-2' })).toEqual({ id: 'in-iframe-2' });
    const top = await waitForRow(panel, 'in-top', (r) => r.status === 'success');
    expect(top.text).toContain(s.server.origin);
    expect(top.text).not.toContain('iframe');
    const framed = await waitForRow(panel, 'in-iframe-2', (r) => r.status === 'running');
    expect(framed.text).toContain(inner);
    expect(framed.text).toContain('iframe');
    await selectRow(panel, 'in-iframe-2');
    await clickButton(panel, 'Abort');
    await waitForRow(panel, 'in-iframe-2', (r) => r.status === 'failure');
    await page.close();
  });
});
