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

export async function startDemo(page: Page, kind: string, opts: Record<string, unknown> = {}): Promise<StartResult> {
  return page.evaluate(
    async (k, o) => (window as unknown as { demo: { ready: Promise<unknown>; start(k: string, o: unknown): Promise<StartResult> } }).demo.ready.then(() =>
      (window as unknown as { demo: { start(k: string, o: unknown): Promise<StartResult> } }).demo.start(k, o),
    ),
    kind,
    opts,
  );
}

export async function swEvent(page: Page, id: string, timeoutMs = 60_000): Promise<{ type: string; result: string; failureReason: string; records: number; readable: number }> {
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
