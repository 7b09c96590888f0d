/**
 * Inspecting records, and the panel's one-click actions, end to end in real
 * Chromium: what the page sees and what the demo's service worker receives.
 */
import { describe, expect, it } from 'vitest';
import { openPanel } from '../support/chromium';
import { clickButton, detailsText, openTab, rows, selectRow, startDemo, swEvent, waitForRow } from './panel-driver';
import { useDemoSession } from './demo-session';

const s = useDemoSession({ warmUp: true });

describe('records and actions', () => {
  it('shows each record with its real status and headers, and a pretty-printed JSON body on demand', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'small', { id: 'inspect-1' })).toEqual({ id: 'inspect-1' });
    await waitForRow(panel, 'inspect-1', (r) => r.status === 'success');
    await swEvent(page, 'inspect-1');
    await selectRow(panel, 'inspect-1');
    await openTab(panel, 'Records');
    await panel.waitForSelector('[data-testid="bgf-record"]');
    const records = await panel.$$eval('[data-testid="bgf-record"]', (els) => els.map((e) => (e as HTMLElement).dataset.status));
    expect(records).toEqual(['200', '200', '200']);
    const text = await detailsText(panel);
    // The demo's service worker has handled backgroundfetchsuccess, so the
    // records are gone from the API; the panel still shows what it kept.
    expect(text).toContain('recordsAvailable is false');
    // Numbered in the order the demo requested them, whatever order they finished in.
    expect(text).toMatch(/#1 GET \S+\/media\/feed\.json\?size=4096 200[\s\S]*#2 GET \S+\/media\/cover\.png 200[\s\S]*#3 GET \S+\/media\/intro\.mp3/);
    expect(text).toMatch(/content-type\s+application\/json/i);
    expect(text).toMatch(/x-demo-episode\s+feed\.json/i);
    await clickButton(panel, 'Preview body');
    await panel.waitForSelector('.body-preview');
    expect(await panel.$eval('.body-preview', (el) => el.textContent)).toContain('"podcast": "Demo Cast"');
    // Per-request network detail from webRequest: status and remote address of each download.
    await openTab(panel, 'Requests');
    const network = await panel.$$eval('[data-testid="bgf-network-summary"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(network).toHaveLength(3);
    for (const cell of network) expect(cell).toMatch(/^200 · 127\.0\.0\.1 · /);
    await page.close();
  });

  it('previews a finished record\'s body while later records are still downloading', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'season', { id: 'season-1', size: 100_000, ms: 2500 })).toEqual({ id: 'season-1' });
    await waitForRow(panel, 'season-1', (r) => r.status === 'running' && r.downloaded >= 100_000);
    await selectRow(panel, 'season-1');
    await openTab(panel, 'Records');
    await panel.waitForSelector('[data-testid="bgf-record"][data-status="200"]');
    await clickButton(panel, 'Preview body');
    await panel.waitForSelector('.body-preview');
    const preview = await panel.$eval('.preview', (el) => (el as HTMLElement).innerText);
    // audio/mpeg is shown as a hex dump of the real bytes, capped.
    expect(preview).toMatch(/audio\/mpeg · 100 kB read/);
    expect(preview).toMatch(/^00000000  [0-9a-f]{2} /m);
    await page.close();
  });

  it('aborts a running registration with one click: failure / aborted, and the service worker gets backgroundfetchabort', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'large', { id: 'abort-me', ms: 8000, size: 4_000_000 })).toEqual({ id: 'abort-me' });
    await waitForRow(panel, 'abort-me', (r) => r.status === 'running');
    await selectRow(panel, 'abort-me');
    await clickButton(panel, 'Abort');
    const row = await waitForRow(panel, 'abort-me', (r) => r.status === 'failure');
    expect(row.failureReason).toBe('aborted');
    const event = await swEvent(page, 'abort-me');
    expect(event).toMatchObject({ type: 'backgroundfetchabort', result: 'failure', failureReason: 'aborted' });
    expect(await detailsText(panel)).toContain('abort() resolved true.');
    await page.close();
  });

  it('replays a settled fetch with the same id, requests and body, and a running one under a derived id', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'upload', { id: 'upload-1', size: 50_000 })).toEqual({ id: 'upload-1' });
    await waitForRow(panel, 'upload-1', (r) => r.status === 'success');
    await selectRow(panel, 'upload-1');
    await clickButton(panel, 'Replay');
    // The same id again, free now that the first settled; the body was captured at fetch() time.
    await panel.waitForFunction(() => document.querySelectorAll('[data-testid="bgf-row"][data-id="upload-1"]').length === 2, { timeout: 30_000 });
    await panel.waitForFunction(() => [...document.querySelectorAll('[data-testid="bgf-row"][data-id="upload-1"]')].every((e) => (e as HTMLElement).dataset.status === 'success'), { timeout: 30_000 });
    const events = await page.evaluate(() => (window as unknown as { demo: { swEvents(): Promise<{ id: string; type: string }[]> } }).demo.swEvents());
    expect(events.filter((e) => e.id === 'upload-1' && e.type === 'backgroundfetchsuccess')).toHaveLength(2);
    const replayed = await panel.$$eval('[data-testid="bgf-row"][data-id="upload-1"]', (els) => els.map((e) => (e as HTMLElement).innerText));
    expect(replayed.every((t) => t.includes('Upload'))).toBe(true);

    expect(await startDemo(page, 'large', { id: 'busy', ms: 5000, size: 1_000_000 })).toEqual({ id: 'busy' });
    await waitForRow(panel, 'busy', (r) => r.status === 'running');
    await selectRow(panel, 'busy', 'running');
    await clickButton(panel, 'Replay');
    await waitForRow(panel, 'busy (replay 2)');
    expect(await detailsText(panel)).toContain('Replayed as “busy (replay 2)”.');
    await page.close();
  });

  it('edits and replays: a new id, URL and downloadTotal', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'missing', { id: 'to-fix' })).toEqual({ id: 'to-fix' });
    await waitForRow(panel, 'to-fix', (r) => r.status === 'failure');
    await selectRow(panel, 'to-fix');
    await clickButton(panel, 'Edit and replay');
    await panel.waitForSelector('form.replay-editor');
    await panel.$eval('input[aria-label="Replay id"]', (el) => {
      const input = el as HTMLInputElement;
      input.value = 'fixed';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await panel.$eval('textarea[aria-label="Replay URLs"]', (el, url) => {
      const input = el as HTMLTextAreaElement;
      input.value = url;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, `${s.server.origin}/media/fixed.mp3?size=1000`);
    await clickButton(panel, 'Replay edited');
    const fixed = await waitForRow(panel, 'fixed', (r) => r.status === 'success');
    expect(fixed.downloaded).toBe(1000);
    expect(await swEvent(page, 'fixed')).toMatchObject({ type: 'backgroundfetchsuccess', readable: 1 });
    expect((await rows(panel)).map((r) => r.id)).toContain('to-fix');
    await page.close();
  });
});
