/**
 * Navigations while background fetches run, in real Chromium: reloads,
 * same-document navigations, a trip to another origin and back, and a
 * back/forward-cache restore. Registrations are found again, "Preserve log"
 * keeps history, and no row is ever duplicated.
 *
 * Chromium stalls a download for ~30 s after the page that started it goes
 * away, so after a navigation these tests assert presence, uniqueness and
 * state, not completion.
 */
import type { CDPSession, Frame } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openPanel } from '../support/chromium';
import {
  abortAll,
  clickButton,
  demoReady,
  otherOrigin,
  rows,
  selectRow,
  setPreserveLog,
  startDemo,
  timelineKinds,
  waitForRow,
} from './panel-driver';
import { useDemoSession } from './demo-session';

const s = useDemoSession({ warmUp: true });

/** Long enough to still be running whatever a test does to the page. */
const LONG = { ms: 120_000, size: 5_000_000 };

/** Exactly one row with `id`, in a state `test` accepts. */
async function onlyRow(panel: Frame, id: string, test: (status: string) => boolean): Promise<void> {
  const matching = (await rows(panel)).filter((r) => r.id === id);
  expect(matching, `rows for ${id}`).toHaveLength(1);
  expect(test(matching[0]!.status), `status of ${id}: ${matching[0]!.status}`).toBe(true);
}

/** Waits until the selected row's timeline has `n` re-attachments: the new page's hook found it again. */
async function waitForReattached(panel: Frame, id: string, n: number): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  let kinds: string[] = [];
  while (Date.now() < deadline) {
    await selectRow(panel, id);
    kinds = await timelineKinds(panel);
    if (kinds.filter((k) => k === 're-attached after reload').length >= n) return kinds;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${id} was not re-attached ${n} times; timeline: ${kinds.join(', ')}`);
}

// A failed test must not leave a long fetch holding the next test's fetches.
afterEach(async () => {
  const page = await s.demoTab();
  await abortAll(page);
  await page.close();
});

describe('navigation with fetches running', () => {
  it('reloads 3 times: the running fetch is re-attached each time, Preserve log keeps the settled one, nothing duplicates', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    await setPreserveLog(panel, true);
    expect(await startDemo(page, 'small', { id: 'reload-done' })).toEqual({ id: 'reload-done' });
    await waitForRow(panel, 'reload-done', (r) => r.status === 'success');
    expect(await startDemo(page, 'large', { id: 'reload-run', ...LONG })).toEqual({ id: 'reload-run' });
    await waitForRow(panel, 'reload-run', (r) => r.status === 'running' && r.downloaded > 0);

    for (let i = 1; i <= 3; i++) {
      await page.reload();
      await demoReady(page);
      const kinds = await waitForReattached(panel, 'reload-run', i);
      expect(kinds.filter((k) => k === 'registered')).toHaveLength(1);
      await onlyRow(panel, 'reload-run', (s) => s === 'running');
      await onlyRow(panel, 'reload-done', (s) => s === 'success');
    }
    expect((await rows(panel)).map((r) => r.id).sort()).toEqual(['reload-done', 'reload-run']);

    // Without Preserve log, the next reload drops the settled row and keeps the running one.
    await setPreserveLog(panel, false);
    await page.reload();
    await demoReady(page);
    await waitForReattached(panel, 'reload-run', 4);
    await panel.waitForFunction(() => !document.querySelector('[data-testid="bgf-row"][data-id="reload-done"]'), { timeout: 30_000 });
    await onlyRow(panel, 'reload-run', (s) => s === 'running');
    expect(await abortAll(page)).toHaveLength(1);
    await waitForRow(panel, 'reload-run', (r) => r.status === 'failure');
    await page.close();
  });

  it('ignores same-document navigations: 5 pushState and 5 hash changes during a fetch, one row, live to the end', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'small', { id: 'spa-done' })).toEqual({ id: 'spa-done' });
    await waitForRow(panel, 'spa-done', (r) => r.status === 'success');
    expect(await startDemo(page, 'large', { id: 'spa-run', ms: 6000, size: 3_000_000 })).toEqual({ id: 'spa-run' });
    await waitForRow(panel, 'spa-run', (r) => r.status === 'running' && r.downloaded > 0);
    for (let i = 1; i <= 5; i++) {
      await page.evaluate((n) => history.pushState({ n }, '', `/episodes/${n}`), i);
      await page.evaluate((n) => (location.hash = `#t=${n}`), i);
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.evaluate(() => history.back());
    // Same document, same hook session: it sees the settle itself, with no re-attachment.
    const done = await waitForRow(panel, 'spa-run', (r) => r.status === 'success', 90_000);
    expect(done.downloaded).toBe(3_000_000);
    await onlyRow(panel, 'spa-run', (s) => s === 'success');
    await onlyRow(panel, 'spa-done', (s) => s === 'success'); // not a new page: nothing dropped without Preserve log
    await selectRow(panel, 'spa-run');
    const kinds = await timelineKinds(panel);
    expect(kinds.filter((k) => k === 're-attached after reload')).toEqual([]);
    expect(kinds.filter((k) => k === 'settled')).toHaveLength(1);
    await page.close();
  });

  it('goes to another origin and back: the running fetch is neither lost nor duplicated, Preserve log keeps history', async () => {
    const page = await s.demoTab();
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    await setPreserveLog(panel, true);
    expect(await startDemo(page, 'small', { id: 'away-done' })).toEqual({ id: 'away-done' });
    await waitForRow(panel, 'away-done', (r) => r.status === 'success');
    expect(await startDemo(page, 'large', { id: 'away-run', ...LONG })).toEqual({ id: 'away-run' });
    await waitForRow(panel, 'away-run', (r) => r.status === 'running' && r.downloaded > 0);

    const elsewhere = otherOrigin(s.server.origin);
    await page.goto(`${elsewhere}/fixtures/frame-host.html`);
    // The page on the other origin cannot list this origin's fetches: that
    // is no evidence the fetch settled, so the row must not be called lost.
    await selectRow(panel, 'away-run');
    await panel.waitForFunction(() => /From a previous page/.test(document.querySelector('[data-testid="bgf-details"]')?.textContent ?? ''), { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 2500)); // and the new page's hook has synced and rediscovered
    await onlyRow(panel, 'away-run', (s) => s === 'running');
    await onlyRow(panel, 'away-done', (s) => s === 'success');

    await page.goto(`${s.server.origin}/`);
    await demoReady(page);
    await waitForReattached(panel, 'away-run', 1);
    await onlyRow(panel, 'away-run', (s) => s === 'running');
    await onlyRow(panel, 'away-done', (s) => s === 'success');
    expect(await abortAll(page)).toHaveLength(1);
    await waitForRow(panel, 'away-run', (r) => r.status === 'failure');
    await onlyRow(panel, 'away-run', (s) => s === 'failure');
    await page.close();
  });

  it('comes back from the back/forward cache: rows kept once, and the restored page answers the panel again', async () => {
    const page = await s.demoTab();
    const cdp: CDPSession = await page.createCDPSession();
    await cdp.send('Page.enable');
    const notRestored: string[] = [];
    cdp.on('Page.backForwardCacheNotUsed', (e) => notRestored.push(...e.notRestoredExplanations.map((x) => x.reason)));
    const { panel, devtools } = await openPanel(page, s.extId);
    await devtools.bringToFront();
    expect(await startDemo(page, 'small', { id: 'bf-done' })).toEqual({ id: 'bf-done' });
    await waitForRow(panel, 'bf-done', (r) => r.status === 'success');
    expect(await startDemo(page, 'large', { id: 'bf-run', ...LONG })).toEqual({ id: 'bf-run' });
    await waitForRow(panel, 'bf-run', (r) => r.status === 'running' && r.downloaded > 0);
    await page.evaluate(() => addEventListener('pageshow', (e) => ((window as unknown as { restored: boolean }).restored = e.persisted)));

    await page.goto(`${otherOrigin(s.server.origin)}/fixtures/frame-host.html`);
    await page.goBack();
    const restored = await page.evaluate(() => (window as unknown as { restored?: boolean }).restored === true);
    expect(restored, `not restored from the back/forward cache: ${notRestored.join(', ')}`).toBe(true);

    await onlyRow(panel, 'bf-run', (s) => s === 'running');
    await waitForRow(panel, 'bf-done', (r) => r.status === 'success', 30_000);
    await onlyRow(panel, 'bf-done', (s) => s === 'success');
    // The restored page's hook takes commands again: abort from the panel reaches it.
    await selectRow(panel, 'bf-run');
    await clickButton(panel, 'Abort');
    const aborted = await waitForRow(panel, 'bf-run', (r) => r.status === 'failure');
    expect(aborted.failureReason).toBe('aborted');
    await onlyRow(panel, 'bf-run', (s) => s === 'failure');
    await onlyRow(panel, 'bf-done', (s) => s === 'success');
    await page.close();
  });
});
