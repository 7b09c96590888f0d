/**
 * HAR export and import end to end in real Chromium: a log of the demo's
 * real background fetches is exported by the panel's button, validated,
 * opened by Chrome DevTools' own HAR importer, imported back identical and
 * read-only; and the copied fetch() snippet runs in the page.
 */
import { HarValidator } from '@har-sdk/validator';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarLog } from '../../panel/har/build';
import { openPanel } from '../support/chromium';
import { clickButton, detailsText, openTab, rows, selectRow, startDemo, swEvent, waitForRow } from './panel-driver';
import { useDemoSession } from './demo-session';

const s = useDemoSession();
let downloads: string;

beforeAll(async () => {
  downloads = mkdtempSync(join(tmpdir(), 'bgf-har-'));
  const cdp = await s.chromium.browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
});

afterAll(() => {
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

async function waitForHar(): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const name = readdirSync(downloads).find((f) => f.endsWith('.har'));
    if (name) return name;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No .har saved in ${downloads}: ${readdirSync(downloads).join(', ')}`);
}

async function notice(panel: Frame): Promise<string> {
  const el = await panel.waitForSelector('[data-testid="bgf-har-notice"]', { timeout: 30_000 });
  return el!.evaluate((e) => (e as HTMLElement).innerText);
}

/** Loads a HAR through the Network panel's own import (what its "Import HAR file" button calls) and lists what it shows. */
async function openInNetworkPanel(devtools: Page, json: string): Promise<{ failed: string[]; requests: { url: string; status: number; method: string }[] }> {
  return devtools.evaluate<[], () => Promise<{ failed: string[]; requests: { url: string; status: number; method: string }[] }>>(`(async (json) => {
    const Network = await import('./panels/network/network.js');
    const Logs = await import('./models/logs/logs.js');
    const view = Network.NetworkPanel.NetworkPanel.instance().networkLogView;
    const failed = [];
    const original = view.harLoadFailed;
    view.harLoadFailed = (message) => { failed.push(String(message)); original.call(view, message); };
    Logs.NetworkLog.NetworkLog.instance().reset(true);
    try {
      await view.onLoadFromFile(new File([json], 'export.har'));
    } finally {
      view.harLoadFailed = original;
    }
    const requests = Logs.NetworkLog.NetworkLog.instance().requests().map((r) => ({ url: r.url(), status: r.statusCode, method: r.requestMethod }));
    return { failed, requests };
  })(${JSON.stringify(json)})`);
}

describe('HAR export and import', () => {
  it("exports the demo's fetches as a valid HAR that DevTools' Network import opens, and imports it back identical and read-only", async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'small', { id: 'har-ok' })).toEqual({ id: 'har-ok' });
    await waitForRow(panel, 'har-ok', (r) => r.status === 'success');
    await swEvent(page, 'har-ok');
    expect(await startDemo(page, 'missing', { id: 'har-broken' })).toEqual({ id: 'har-broken' });
    await waitForRow(panel, 'har-broken', (r) => r.status === 'failure');
    const rejected = await page.evaluate(() =>
      (window as unknown as { demo: { fetch(id: string, r: string[], o: object): Promise<unknown> } }).demo.fetch('har-rejected', ['http://127.0.0.1:1/x'], {}),
    );
    expect(rejected).toMatchObject({ error: { name: 'TypeError' } });
    await waitForRow(panel, 'har-rejected', (r) => r.status === 'rejected');
    const before = await rows(panel);

    await clickButton(panel, 'Export HAR');
    const name = await waitForHar();
    expect(name).toMatch(/^127\.0\.0\.1_\d+-background-fetch-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.har$/);
    expect(await notice(panel)).toContain(`Saved ${name}: 3 registrations, 4 requests.`);
    const text = readFileSync(join(downloads, name), 'utf8');
    const log = JSON.parse(text).log as HarLog;

    // Valid HAR 1.2, one entry per record, with the real responses read through the hook.
    expect(await new HarValidator().verify({ log } as never)).toEqual([]);
    const entries = log.entries.map((e) => ({ id: e._backgroundFetch.id, url: new URL(e.request.url).pathname, status: e.response.status }));
    expect(entries).toEqual([
      { id: 'har-ok', url: '/media/feed.json', status: 200 },
      { id: 'har-ok', url: '/media/cover.png', status: 200 },
      { id: 'har-ok', url: '/media/intro.mp3', status: 200 },
      { id: 'har-broken', url: '/media/missing.mp3', status: 404 },
    ]);
    const feed = log.entries[0]!.response;
    expect(feed.content.mimeType).toMatch(/application\/json/);
    expect(feed.headers).toContainEqual({ name: 'x-demo-episode', value: 'feed.json' });
    expect(log.entries[3]!._backgroundFetch).toMatchObject({ result: 'failure', failureReason: 'bad-status' });
    // Real per-request network detail (webRequest): the server address and timings of each download.
    for (const e of log.entries) expect(e.serverIPAddress).toBe('127.0.0.1');
    expect(log.entries[3]!._backgroundFetch.network).toMatchObject({ statusLine: expect.stringContaining('404') });
    expect(log._backgroundFetch.rows.map((r) => [r.data.id, r.kind])).toEqual([
      ['har-ok', 'registration'],
      ['har-broken', 'registration'],
      ['har-rejected', 'rejection'],
    ]);
    expect(log._backgroundFetch.rows[0]!.timeline.some((t) => t.kind === 'settled' && t.result === 'success')).toBe(true);

    // Chrome DevTools' own importer takes it without error and lists every request.
    const opened = await openInNetworkPanel(devtools, text);
    expect(opened.failed).toEqual([]);
    expect(opened.requests.map((r) => [new URL(r.url).pathname, r.status, r.method])).toEqual([
      ['/media/feed.json', 200, 'GET'],
      ['/media/cover.png', 200, 'GET'],
      ['/media/intro.mp3', 200, 'GET'],
      ['/media/missing.mp3', 404, 'GET'],
    ]);
    // ...and it does report a file it cannot read, so the check above can fail.
    const broken = JSON.parse(text);
    delete broken.log.entries[0].timings;
    expect((await openInNetworkPanel(devtools, JSON.stringify(broken))).failed).toHaveLength(1);

    // Import into a fresh panel (another tab): identical rows, marked imported, actions disabled.
    const other = await s.demoTab();
    const second = await openPanel(other, s.extId);
    await second.devtools.bringToFront();
    const input = await second.panel.$('[data-testid="bgf-har-input"]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(join(downloads, name));
    expect(await notice(second.panel)).toContain(`Imported 3 rows from ${name}, read-only.`);
    const imported = await rows(second.panel);
    const strip = (r: { id: string; status: string; failureReason: string; downloaded: number }) => [r.id, r.status, r.failureReason, r.downloaded];
    expect(imported.map(strip)).toEqual(before.map(strip));
    expect(await second.panel.$$eval('[data-testid="bgf-row"][data-imported="true"]', (els) => els.length)).toBe(3);
    await selectRow(second.panel, 'har-ok');
    expect(await detailsText(second.panel)).toContain(`Imported from ${name}: read-only`);
    const disabled = await second.panel.$$eval('[data-testid="bgf-details"] button', (bs) =>
      bs.filter((b) => ['Replay', 'Edit and replay'].includes(b.textContent!.trim())).map((b) => (b as HTMLButtonElement).disabled),
    );
    expect(disabled).toEqual([true, true]);
    await openTab(second.panel, 'Records');
    await second.panel.waitForSelector('[data-testid="bgf-record"]');
    expect(await second.panel.$$eval('[data-testid="bgf-record"]', (els) => els.map((e) => (e as HTMLElement).dataset.status))).toEqual(['200', '200', '200']);
    expect(await detailsText(second.panel)).toMatch(/x-demo-episode\s+feed\.json/i);
    await other.close();
    await page.close();
  });

  it('refuses a foreign or broken file with a clear notice and changes nothing shown', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'small', { id: 'har-keep', size: 1000 })).toEqual({ id: 'har-keep' });
    await waitForRow(panel, 'har-keep', (r) => r.status === 'success');
    const before = await rows(panel);
    const foreign = join(downloads, 'chrome-network.har');
    writeFileSync(foreign, JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, entries: [] } }));
    const input = await panel.$('[data-testid="bgf-har-input"]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(foreign);
    expect(await notice(panel)).toContain('Import HAR failed: chrome-network.har is a HAR file from "WebInspector 537.36", not from this panel');
    expect(await panel.$eval('[data-testid="bgf-har-notice"]', (e) => e.getAttribute('role'))).toBe('alert');
    const garbage = join(downloads, 'garbage.har');
    writeFileSync(garbage, '<html>not json</html>');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(garbage);
    await panel.waitForFunction(() => document.querySelector('[data-testid="bgf-har-notice"]')?.textContent?.includes('garbage.har is not a HAR file'), { timeout: 15_000 });
    expect(await rows(panel)).toEqual(before);
    await page.close();
  });

  it('"Copy as fetch()" copies code that starts the same fetch again in the page; "Copy as cURL" a shell command', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'upload', { id: 'har-copy', size: 300 })).toEqual({ id: 'har-copy' });
    await waitForRow(panel, 'har-copy', (r) => r.status === 'success');
    await swEvent(page, 'har-copy');
    await selectRow(panel, 'har-copy');
    await panel.evaluate(() => {
      document.addEventListener('copy', (e) => {
        (window as unknown as { copied: string[] }).copied ??= [];
        (window as unknown as { copied: string[] }).copied.push((e.target as HTMLTextAreaElement).value);
      });
    });
    const copied = () => panel.evaluate(() => (window as unknown as { copied?: string[] }).copied ?? []);
    /** Copies with a real key press on the button: copying needs a user gesture, and DOM clicks are not one. */
    const copyButton = async (label: string): Promise<string> => {
      const count = (await copied()).length;
      const handle = await panel.waitForFunction(
        (l) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === l),
        { timeout: 15_000 },
        label,
      );
      await (handle.asElement() as unknown as { focus(): Promise<void> }).focus();
      await devtools.keyboard.press('Enter');
      await panel.waitForFunction((n) => ((window as unknown as { copied?: string[] }).copied ?? []).length > n, { timeout: 10_000 }, count);
      return (await copied()).at(-1)!;
    };
    const snippet = await copyButton('Copy as fetch()');
    expect(await panel.$eval('.copy-note', (e) => e.textContent)).toBe('Copied');
    expect(snippet).toContain('await registration.backgroundFetch.fetch(\n  "har-copy",');
    expect(snippet).toContain(`new Request("${s.server.origin}/upload", { method: "POST", headers: { "content-type": "text/plain" }, body: "${'u'.repeat(300)}" })`);
    // The snippet runs as pasted into the console; the id is free again since the first fetch settled.
    await page.evaluate(`(async () => { ${snippet} })()`);
    await panel.waitForFunction(() => document.querySelectorAll('[data-testid="bgf-row"][data-id="har-copy"]').length === 2, { timeout: 30_000 });

    await openTab(panel, 'Records');
    const curl = await copyButton('Copy as cURL');
    expect(curl).toBe(`curl '${s.server.origin}/upload' \\\n  -X 'POST' \\\n  -H 'content-type: text/plain' \\\n  --data-raw '${'u'.repeat(300)}'`);
    await page.close();
  });
});
