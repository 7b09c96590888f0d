/**
 * Reading and driving the panel's DOM from tests, the way a user would see
 * it: rows by their visible data attributes, buttons by accessible name.
 */
import type { Frame, Page } from 'puppeteer-core';

export interface RowView {
  id: string;
  status: string;
  failureReason: string;
  downloaded: number;
  text: string;
}

/**
 * The rows' visible data. Self-contained, so it can be sent as source to a
 * panel in Chromium ($$eval) or Firefox (firefox-devtools.ts).
 */
export const toRowViews = (els: Element[]): RowView[] =>
  els.map((el) => {
    const e = el as HTMLElement;
    return {
      id: e.dataset.id ?? '',
      status: e.dataset.status ?? '',
      failureReason: e.dataset.failureReason ?? '',
      downloaded: Number(e.dataset.downloaded ?? 0),
      text: e.innerText,
    };
  });

export const ROW_SELECTOR = '[data-testid="bgf-row"]';

export async function rows(panel: Frame): Promise<RowView[]> {
  return panel.$$eval(ROW_SELECTOR, toRowViews);
}

/** Waits until a row with `id` satisfies `test` (one id may have several rows); returns it. */
export async function waitForRow(
  panel: Frame,
  id: string,
  test: (row: RowView) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<RowView> {
  return waitForRowIn(() => rows(panel), id, test, timeoutMs);
}

/** waitForRow over any way of reading the rows. */
export async function waitForRowIn(
  read: () => Promise<RowView[]>,
  id: string,
  test: (row: RowView) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<RowView> {
  const deadline = Date.now() + timeoutMs;
  let last: RowView[] = [];
  while (Date.now() < deadline) {
    last = await read();
    const row = last.find((r) => r.id === id && test(r));
    if (row) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Row "${id}" not as expected within ${timeoutMs} ms; rows: ${JSON.stringify(last)}`);
}

/** What `window.demo.start()` returns in the demo page. */
export type StartResult = { id: string } | { error: { name: string; message: string } };

/** A page or frame showing the demo site; both evaluate the same way. */
type DemoContext = Page | Frame;

/** Waits until the demo in `ctx` has its service worker active. */
export async function demoReady(ctx: DemoContext): Promise<void> {
  await ctx.evaluate(() => (window as unknown as { demo: { ready: Promise<unknown> } }).demo.ready.then(() => undefined));
}

/** The demo server's second origin: on 127.0.0.1, `localhost` reaches the same server as another origin. */
export function otherOrigin(origin: string): string {
  return origin.replace('127.0.0.1', 'localhost');
}

export async function startDemo(page: DemoContext, kind: string, opts: Record<string, unknown> = {}): Promise<StartResult> {
  return page.evaluate(
    async (k, o) => (window as unknown as { demo: { ready: Promise<unknown>; start(k: string, o: unknown): Promise<StartResult> } }).demo.ready.then(() =>
      (window as unknown as { demo: { start(k: string, o: unknown): Promise<StartResult> } }).demo.start(k, o),
    ),
    kind,
    opts,
  );
}

export async function swEvent(page: DemoContext, id: string, timeoutMs = 60_000): Promise<{ type: string; result: string; failureReason: string; records: number; readable: number }> {
  return page.evaluate(
    (i, t) => (window as unknown as { demo: { waitForSwEvent(i: string, t: number): Promise<never> } }).demo.waitForSwEvent(i, t),
    id,
    timeoutMs,
  );
}

/** Selects a row, as a click would (DOM click: works whether or not the DevTools window is in front). */
export async function selectRow(panel: Frame, id: string, status?: string): Promise<void> {
  await panel.$$eval(
    '[data-testid="bgf-row"]',
    (els, i, s) => {
      const el = els.find((e) => (e as HTMLElement).dataset.id === i && (!s || (e as HTMLElement).dataset.status === s));
      if (!el) throw new Error(`No row ${i}`);
      (el as HTMLElement).click();
    },
    id,
    status ?? '',
  );
  await panel.waitForSelector('[data-testid="bgf-details"]');
}

/** Clicks the button whose accessible name (text or aria-label) is `name`. */
export async function clickButton(panel: Frame, name: string): Promise<void> {
  await panel.waitForFunction(
    (n) => [...document.querySelectorAll('button')].some((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === n && !b.disabled),
    { timeout: 15_000 },
    name,
  );
  await panel.$$eval(
    'button',
    (els, n) => {
      const b = els.find((e) => (e.getAttribute('aria-label') ?? e.textContent?.trim()) === n);
      (b as HTMLButtonElement).click();
    },
    name,
  );
}

export async function detailsText(panel: Frame): Promise<string> {
  return panel.$eval('[data-testid="bgf-details"]', (el) => (el as HTMLElement).innerText);
}

export async function openTab(panel: Frame, name: string): Promise<void> {
  await panel.$$eval('[role="tab"]', (tabs, n) => (tabs.find((t) => t.textContent === n) as HTMLElement).click(), name);
}

/** The Timeline tab's event labels for the selected row, as the user reads them. */
export async function timelineKinds(panel: Frame): Promise<string[]> {
  await openTab(panel, 'Timeline');
  return panel.$$eval('table.timeline tbody tr', (trs) => trs.map((tr) => (tr.children[2] as HTMLElement).innerText));
}

/** Ticks or unticks "Preserve log" in the toolbar. */
export async function setPreserveLog(panel: Frame, on: boolean): Promise<void> {
  await panel.$$eval(
    'label.checkbox',
    (labels, want) => {
      const box = labels.find((l) => l.textContent?.includes('Preserve log'))?.querySelector('input') as HTMLInputElement;
      if (box.checked !== want) box.click();
    },
    on,
  );
  await panel.waitForFunction(
    (want) => [...document.querySelectorAll('label.checkbox')].some((l) => l.textContent?.includes('Preserve log') && (l.querySelector('input') as HTMLInputElement).checked === want),
    { timeout: 5_000 },
    on,
  );
}

/**
 * Aborts, from the page, every registration of its origin still running:
 * Chromium runs one origin's fetches one at a time, so a long fetch a test
 * leaves behind would hold every later one.
 */
export async function abortAll(ctx: DemoContext): Promise<string[]> {
  return ctx.evaluate(async () => {
    const manager = (await navigator.serviceWorker.ready).backgroundFetch;
    const aborted: string[] = [];
    for (const id of await manager.getIds()) if (await (await manager.get(id))?.abort()) aborted.push(id);
    return aborted;
  });
}
