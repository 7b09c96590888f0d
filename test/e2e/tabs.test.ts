/**
 * Five tabs on five origins, each with its own DevTools and panel: every
 * panel sees only its own tab's registrations (even when ids collide), and
 * closing a tab frees what the background held for it.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../site/server';
import { backgroundTabIds, extensionId, launchChromium, openPanel, type Launched } from '../support/chromium';
import { demoReady, otherOrigin, rows, startDemo, waitForRow } from './panel-driver';

let chromium: Launched;
const servers: DemoServer[] = [];
let extId: string;

interface Tab {
  origin: string;
  page: Page;
  panel: Frame;
  tabId: number;
}

beforeAll(async () => {
  // Three servers, each on 127.0.0.1 and localhost: five distinct origins.
  for (let i = 0; i < 3; i++) servers.push(await startDemoServer({ port: 0 }));
  chromium = await launchChromium();
  extId = await extensionId(chromium.browser);
});

afterAll(async () => {
  await chromium?.close();
  for (const s of servers) await s.close();
});

async function waitForTabIds(expected: number[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last: number[] = [];
  while (Date.now() < deadline) {
    last = await backgroundTabIds(chromium.browser);
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The background holds tabs ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
}

describe('many tabs', () => {
  it('five tabs with five panels each see only their own; closing a tab frees its state in the background', { timeout: 240_000 }, async () => {
    const origins = [servers[0]!.origin, otherOrigin(servers[0]!.origin), servers[1]!.origin, otherOrigin(servers[1]!.origin), servers[2]!.origin];
    const tabs: Tab[] = [];
    for (const origin of origins) {
      const page = await chromium.browser.newPage();
      await page.goto(`${origin}/`);
      await demoReady(page);
      const { panel } = await openPanel(page, extId);
      const tabId = await panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);
      tabs.push({ origin, page, panel, tabId });
    }
    const ids = tabs.map((t) => t.tabId).sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(5);
    await waitForTabIds(ids);

    // The same id in every tab, and one id of its own.
    for (const [i, t] of tabs.entries()) {
      expect(await startDemo(t.page, 'small', { id: 'same-id' })).toEqual({ id: 'same-id' });
      expect(await startDemo(t.page, 'small', { id: `own-${i}` })).toEqual({ id: `own-${i}` });
    }
    for (const [i, t] of tabs.entries()) {
      await waitForRow(t.panel, `own-${i}`, (r) => r.status === 'success');
      const same = await waitForRow(t.panel, 'same-id', (r) => r.status === 'success');
      expect(same.text).toContain(t.origin);
      const seen = await rows(t.panel);
      expect(seen.map((r) => r.id).sort()).toEqual([`own-${i}`, 'same-id']);
      for (const other of origins.filter((o) => o !== t.origin)) {
        expect(seen.some((r) => r.text.includes(`${other}\n`) || r.text.endsWith(other))).toBe(false);
      }
    }

    // Closing the middle tab frees it, and only it.
    const [closed] = tabs.splice(2, 1);
    await closed!.page.close();
    await waitForTabIds(tabs.map((t) => t.tabId).sort((a, b) => a - b));
    // The others keep working.
    expect(await startDemo(tabs[0]!.page, 'small', { id: 'after-close' })).toEqual({ id: 'after-close' });
    await waitForRow(tabs[0]!.panel, 'after-close', (r) => r.status === 'success');
    for (const t of tabs.slice(1)) expect((await rows(t.panel)).map((r) => r.id)).not.toContain('after-close');

    for (const t of tabs) await t.page.close();
    await waitForTabIds([]);
  });
});
