/**
 * A hostile page and a dying background worker, in real Chromium: nothing
 * lost, nothing duplicated, nothing the page sends ever interpreted.
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { killExtensionWorker, openPanel } from '../support/chromium';
import { rows, selectRow, startDemo, timelineKinds, waitForRow } from './panel-driver';
import { useDemoSession } from './demo-session';

const s = useDemoSession({ warmUp: true });

async function tab(path = '/'): Promise<Page> {
  const page = await s.chromium.browser.newPage();
  await page.goto(`${s.server.origin}${path}`);
  return page;
}

describe('resilience', () => {
  it('survives the background worker being killed 10 times mid-fetch: every event exactly once', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    expect(await startDemo(page, 'large', { id: 'kill-1', ms: 14_000, size: 3_500_000 })).toEqual({ id: 'kill-1' });
    await waitForRow(panel, 'kill-1', (r) => r.downloaded > 0);
    for (let i = 0; i < 10; i++) {
      await killExtensionWorker(s.chromium.browser);
      await new Promise((r) => setTimeout(r, 700));
    }
    // Every kill landed while the fetch was still running.
    const pageView = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).backgroundFetch.get('kill-1'))?.result);
    expect(pageView).toBe('');
    const done = await waitForRow(panel, 'kill-1', (r) => r.status === 'success', 90_000);
    expect(done.downloaded).toBe(3_500_000);
    expect((await rows(panel)).filter((r) => r.id === 'kill-1')).toHaveLength(1);
    await devtools.bringToFront();
    await selectRow(panel, 'kill-1');
    const kinds = await timelineKinds(panel);
    expect(kinds.filter((k) => k === 'settled')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'registered')).toHaveLength(1);
    const downloaded = await panel.$$eval('table.timeline tbody tr', (trs) =>
      trs.filter((tr) => (tr.children[2] as HTMLElement).innerText === 'progress').map((tr) => (tr.children[0] as HTMLElement).innerText),
    );
    expect(new Set(downloaded).size).toBe(downloaded.length); // no sample applied twice
    await page.close();
  });

  it('drops and counts 10,000 forged messages, renders page strings as text, and keeps real events flowing', async () => {
    const page = await tab('/fixtures/hostile.html');
    const { panel, devtools } = await openPanel(page, s.extId);
    await page.evaluate(() => (window as unknown as { hostile: { forge(n: number): void } }).hostile.forge(10_000));
    await panel.waitForFunction(() => /forged/.test(document.querySelector('[data-testid="bgf-diagnostics"]')?.textContent ?? ''), { timeout: 30_000 });
    const diagnostics = await panel.$eval('[data-testid="bgf-diagnostics"]', (el) => el.textContent ?? '');
    const forged = Number(/(\d+) forged/.exec(diagnostics)?.[1] ?? 0);
    expect(forged).toBeGreaterThan(5000);
    // None of the forged registrations became a row, no forged command ran.
    expect(await rows(panel)).toEqual([]);

    // A real fetch with markup in its id still shows, as text.
    const demo = await s.demoTab();
    const xss = await page.evaluate(() => (window as unknown as { hostile: { xss: string } }).hostile.xss);
    await devtools.close();
    const { panel: demoPanel, devtools: demoTools } = await openPanel(demo, s.extId);
    expect(await startDemo(demo, 'small', { id: xss })).toEqual({ id: xss });
    await waitForRow(demoPanel, xss, (r) => r.status === 'success');
    await demoTools.bringToFront();
    await selectRow(demoPanel, xss);
    expect(await demoPanel.$$eval('img, script:not([src])', (els) => els.length)).toBe(0);
    expect(await demoPanel.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await demoPanel.$eval('[data-testid="bgf-details"]', (el) => (el as HTMLElement).innerText)).toContain(xss);
    await page.close();
    await demo.close();
  });

  it('keeps working after the page replaces postMessage, addEventListener, Promise, JSON.stringify and Array.prototype.push', async () => {
    const page = await s.demoTab();
    const { panel } = await openPanel(page, s.extId);
    await page.addScriptTag({ url: '/fixtures/hostile.js' });
    const result = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      const OriginalPromise = Promise;
      (window as unknown as { hostile: { tamper(): void } }).hostile.tamper();
      // The page's own promise from the native fetch() still works for it.
      return new OriginalPromise<string>((resolve) => {
        reg.backgroundFetch.fetch('tampered-1', ['/media/t.mp3?size=20000']).then(
          (r) => resolve(r.id),
          (e: Error) => resolve(`error ${e.message}`),
        );
      });
    });
    expect(result).toBe('tampered-1');
    await waitForRow(panel, 'tampered-1', (r) => r.status === 'success');
    await page.close();
  });

  it('works on a page with a strict Content-Security-Policy', async () => {
    const page = await s.demoTab('/?strict-csp');
    const { panel } = await openPanel(page, s.extId);
    // default-src 'none' blocks the download itself (connect-src): Chromium
    // rejects fetch(), and the panel shows why.
    const started = await startDemo(page, 'small', { id: 'csp-1' });
    expect(started).toMatchObject({ error: { name: 'TypeError' } });
    const row = await waitForRow(panel, 'csp-1', (r) => r.status === 'rejected');
    expect(row.text).toMatch(/Content Security Policy|refused|connect-src/i);
    await page.close();
  });
});
