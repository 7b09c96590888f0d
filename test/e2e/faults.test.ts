/**
 * Failure simulation end to end in real Chromium: fault rules armed from the
 * panel and "Fail with…" on a running fetch, for each of the five reasons.
 * Asserts what the page's registration says, what the demo's service worker
 * received, and whether the panel calls it real or simulated.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../site/server';
import { extensionId, launchChromium, openPanel, type Launched } from '../support/chromium';
import { clickButton, detailsText, openTab, selectRow, startDemo, swEvent, waitForRow } from './panel-driver';

let chromium: Launched;
let server: Awaited<ReturnType<typeof startDemoServer>>;
let extId: string;
let page: Page;
let panel: Frame;
let devtools: Page;

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
  chromium = await launchChromium();
  extId = await extensionId(chromium.browser);
  page = await chromium.browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.evaluate(() => (window as unknown as { demo: { ready: Promise<unknown> } }).demo.ready.then(() => undefined));
  const opened = await openPanel(page, extId);
  panel = opened.panel;
  devtools = opened.devtools;
  await devtools.bringToFront();
  await clickButton(panel, 'Fault rules');
  await panel.waitForSelector('[data-testid="bgf-fault-rules"]');
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

/** Arms a rule through the panel's own form, as a user would. */
async function armRule(match: string, reason: string): Promise<void> {
  await panel.$eval(
    'input[aria-label="Match text"]',
    (el, value) => {
      const input = el as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    match,
  );
  await panel.$eval(
    'select[aria-label="Failure reason"]',
    (el, value) => {
      const select = el as HTMLSelectElement;
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    },
    reason,
  );
  await clickButton(panel, 'Arm rule');
  await panel.waitForFunction(
    (m) => [...document.querySelectorAll('[data-testid="bgf-fault-rule"]')].some((li) => li.textContent?.includes(`“${m}”`)),
    { timeout: 10_000 },
    match,
  );
  // The hook has the rule once the panel's set-fault-rules round trip is done.
  await new Promise((r) => setTimeout(r, 300));
}

/** What the demo page's own registration object says. */
async function pageView(id: string): Promise<{ result: string; failureReason: string }> {
  await page.waitForFunction((i) => document.querySelector(`#registrations li[data-id="${i}"]`)?.getAttribute('data-result'), { timeout: 60_000 }, id);
  return page.$eval(`#registrations li[data-id="${id}"]`, (li) => ({
    result: (li as HTMLElement).dataset.result ?? '',
    failureReason: (li as HTMLElement).dataset.failureReason ?? '',
  }));
}

async function ruleCount(): Promise<number> {
  return panel.$$eval('[data-testid="bgf-fault-rule"]', (els) => els.length);
}

interface Case {
  reason: string;
  /** What the rule matches: the fetch's id, or a request URL. */
  match: string;
  start: [kind: string, opts: Record<string, unknown>];
  sw: { type: string; failureReason: string };
  simulated: boolean;
  /** What the Requests tab's network column shows for the request, where the network was involved. */
  network?: RegExp;
}

const CASES: Case[] = [
  {
    reason: 'aborted',
    match: 'rule-aborted',
    start: ['large', { id: 'rule-aborted', size: 2_000_000, ms: 8000 }],
    sw: { type: 'backgroundfetchabort', failureReason: 'aborted' },
    simulated: false,
  },
  {
    reason: 'bad-status',
    // A request URL: the background's network rule blocks it for real.
    match: 'size=111111',
    start: ['large', { id: 'rule-bad-status', size: 111_111, ms: 500 }],
    sw: { type: 'backgroundfetchfail', failureReason: 'bad-status' },
    simulated: false,
    network: /^net::ERR_BLOCKED_BY_CLIENT/,
  },
  {
    reason: 'fetch-error',
    match: 'size=222222',
    start: ['large', { id: 'rule-fetch-error', size: 222_222, ms: 500 }],
    sw: { type: 'backgroundfetchfail', failureReason: 'fetch-error' },
    simulated: false,
    network: /^(net::ERR_|30\d)/,
  },
  {
    reason: 'quota-exceeded',
    match: 'rule-quota',
    start: ['large', { id: 'rule-quota', size: 2_000_000, ms: 8000 }],
    // Not producible for real in Chromium: the page's view says so, the download is aborted.
    sw: { type: 'backgroundfetchabort', failureReason: 'aborted' },
    simulated: true,
  },
  {
    reason: 'download-total-exceeded',
    match: 'rule-dte',
    start: ['large', { id: 'rule-dte', size: 300_000, ms: 500 }],
    sw: { type: 'backgroundfetchfail', failureReason: 'download-total-exceeded' },
    simulated: false,
  },
];

describe('failure simulation', () => {
  for (const c of CASES) {
    it(`an armed rule makes the next matching fetch end with ${c.reason} (${c.simulated ? 'simulated' : 'real'})`, async () => {
      const before = await ruleCount();
      await armRule(c.match, c.reason);
      expect(await ruleCount()).toBe(before + 1);
      const [kind, opts] = c.start;
      const id = String(opts.id);
      expect(await startDemo(page, kind, opts)).toEqual({ id });

      expect(await pageView(id)).toEqual({ result: 'failure', failureReason: c.reason });
      const event = await swEvent(page, id);
      expect({ type: event.type, failureReason: event.failureReason }).toEqual(c.sw);

      const row = await waitForRow(panel, id, (r) => r.status === 'failure');
      expect(row.failureReason).toBe(c.reason);
      expect(row.text.includes('(simulated)')).toBe(c.simulated);
      await selectRow(panel, id);
      const details = await detailsText(panel);
      expect(details).toContain(c.simulated ? 'Simulated by this panel (an armed fault rule)' : 'for real');
      if (c.network) {
        // The failure is explained with the request that failed and how.
        expect(details).toMatch(/Request #1 \(GET http:\/\/127\.0\.0\.1:\d+\/media\/episode-large\.mp3\?size=\d+&ms=500\) (failed on the network: net::ERR_|was redirected cross-origin to data:)/);
        await openTab(panel, 'Requests');
        expect(await panel.$eval('[data-testid="bgf-network-summary"]', (el) => el.textContent)).toMatch(c.network);
        await openTab(panel, 'Overview');
      }
      // Used up: the rule leaves the list once its fetch has settled.
      await panel.waitForFunction(
        (m) => ![...document.querySelectorAll('[data-testid="bgf-fault-rule"]')].some((li) => li.textContent?.includes(`“${m}”`)),
        { timeout: 10_000 },
        c.match,
      );
    });
  }

  it('leaves fetches that match no rule alone, and a removed rule applies to nothing', async () => {
    await armRule('never-started', 'bad-status');
    await armRule('feed.json', 'fetch-error');
    await clickButton(panel, 'Remove rule “feed.json”');
    await panel.waitForFunction(() => document.querySelectorAll('[data-testid="bgf-fault-rule"]').length === 1, { timeout: 10_000 });
    // The small kind fetches feed.json: with the rule removed it must succeed.
    expect(await startDemo(page, 'small', { id: 'rule-none' })).toEqual({ id: 'rule-none' });
    expect(await pageView('rule-none')).toEqual({ result: 'success', failureReason: '' });
    expect((await swEvent(page, 'rule-none')).type).toBe('backgroundfetchsuccess');
    await clickButton(panel, 'Remove rule “never-started”');
    await panel.waitForFunction(() => document.querySelectorAll('[data-testid="bgf-fault-rule"]').length === 0, { timeout: 10_000 });
  });

  for (const [reason, simulated, sw] of [
    ['aborted', false, { type: 'backgroundfetchabort', failureReason: 'aborted' }],
    ['bad-status', true, { type: 'backgroundfetchabort', failureReason: 'aborted' }],
  ] as const) {
    it(`Fail with… ${reason} on a running fetch (${simulated ? 'simulated' : 'real'})`, async () => {
      const id = `fail-with-${reason}`;
      expect(await startDemo(page, 'large', { id, size: 2_000_000, ms: 10_000 })).toEqual({ id });
      await waitForRow(panel, id, (r) => r.status === 'running');
      await selectRow(panel, id);
      await panel.$eval(
        'select[aria-label="Fail with"]',
        (el, value) => {
          const select = el as HTMLSelectElement;
          select.value = value;
          select.dispatchEvent(new Event('change', { bubbles: true }));
        },
        reason,
      );
      expect(await pageView(id)).toEqual({ result: 'failure', failureReason: reason });
      const event = await swEvent(page, id);
      expect({ type: event.type, failureReason: event.failureReason }).toEqual(sw);
      const row = await waitForRow(panel, id, (r) => r.status === 'failure');
      expect(row.failureReason).toBe(reason);
      expect(await detailsText(panel)).toContain(simulated ? 'Simulated by this panel (“Fail with…”)' : 'for real');
    });
  }

  it('disarms every rule, in the page and in the network, and stops observing the network when DevTools closes', async () => {
    await armRule('size=333333', 'bad-status');
    await armRule('after-close', 'quota-exceeded');
    const worker = await chromium.browser
      .waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extId}/`))
      .then((t) => t.worker());
    const sessionRules = () => worker!.evaluate(() => chrome.declarativeNetRequest.getSessionRules().then((r) => r.length));
    // The network detail's webRequest listeners live as long as a panel is open.
    const listening = () => worker!.evaluate(() => chrome.webRequest.onResponseStarted.hasListeners());
    await expect.poll(sessionRules, { timeout: 10_000 }).toBe(1);
    expect(await listening()).toBe(true);
    await devtools.close();
    await expect.poll(sessionRules, { timeout: 10_000 }).toBe(0);
    await expect.poll(listening, { timeout: 10_000 }).toBe(false);
    // The next fetch matching both rules is left alone: the hook dropped its rules too.
    expect(await startDemo(page, 'large', { id: 'after-close', size: 333_333, ms: 200 })).toEqual({ id: 'after-close' });
    expect(await pageView('after-close')).toEqual({ result: 'success', failureReason: '' });
  });
});
