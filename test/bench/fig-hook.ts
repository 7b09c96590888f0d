/**
 * Figures 1 and 2: what the hook costs a page. Four browsers run side by
 * side: one without any extension, one with an extension that does nothing,
 * one with ours and no panel open anywhere, one with ours and its panel open
 * (the hook then posts every event, and the background observes the
 * network); they take turns on the same page so load on the shared machine
 * hits all alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'puppeteer-core';
import { HANDSHAKE_TAG } from '../../extension/protocol';
import { CHROME_DIST, extensionId, openPanel, type Launched } from '../support/chromium';
import { ms, openBenchPage } from './browsers';
import type { Figure } from './report';
import type { BenchServer } from './server';
import { median, percentile, ratio } from './stats';

/** Rounds per tab: on a shared machine single samples swing tenfold, medians need many. */
const ROUNDS = 30;

interface Timed {
  fetchMs: number;
  progressAt: number;
  result: string;
}

type Side = 'plain' | 'plainDevtools' | 'emptyExt' | 'ext' | 'extPanel';

/**
 * Tabs on the same page: without the extension, with it (hook dormant, no
 * panel open in that browser), and each again with DevTools open: the panel
 * case is compared with DevTools open on another panel, so what it measures
 * is the hook, the relay and the network observer, not the cost of having
 * DevTools attached. A fifth, in a browser with an empty extension, runs none
 * of our code: its ratio to none shows how far two browser instances differ
 * anyway in the same run.
 */
export async function hookOverhead(server: BenchServer, b: { plain: Launched; emptyExt: Launched; ext: Launched; extPanel: Launched }): Promise<Figure[]> {
  const origin = `http://127.0.0.1:${server.port}`;
  const pages: Record<Side, Page> = {
    plain: await openBenchPage(b.plain.browser, origin, 'native'),
    plainDevtools: await openBenchPage(b.plain.browser, origin, 'native'),
    emptyExt: await openBenchPage(b.emptyExt.browser, origin, 'native'),
    ext: await openBenchPage(b.ext.browser, origin, 'native'),
    extPanel: await openBenchPage(b.extPanel.browser, origin, 'native'),
  };
  await pages.plainDevtools.openDevTools();
  await openPanel(pages.extPanel, await extensionId(b.extPanel.browser));
  const run = (page: Page, id: string, url: string) => page.evaluate((i, u) => (window as unknown as { bench: { timedFetch(i: string, u: string): Promise<Timed> } }).bench.timedFetch(i, u), id, url);
  const sides = Object.keys(pages) as Side[];
  // The first fetch of a profile waits seconds for the download service.
  for (const side of sides) await run(pages[side], 'warm', `/data/warm-${side}?size=1000`);

  const samples = Object.fromEntries(sides.map((s) => [s, { fetch: [] as number[], progress: [] as number[] }])) as Record<Side, { fetch: number[]; progress: number[] }>;
  for (let i = 0; i < ROUNDS; i++) {
    // Rotate who goes first so none always meets a warmer machine.
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(i + k) % sides.length]!;
      // Bytes start after fetch() resolved, so the progress listener is in place.
      const url = `/data/h-${side}-${i}?size=262144&delay=150`;
      const r = await run(pages[side], `h-${i}`, url);
      const first = server.firstByte.get(url);
      if (r.result !== 'success' || !first || !r.progressAt) throw new Error(`hook round ${i} (${side}): ${JSON.stringify(r)}`);
      samples[side].fetch.push(r.fetchMs);
      samples[side].progress.push(r.progressAt - first);
    }
  }
  await Promise.all(sides.map((s) => pages[s].close()));
  const row = (id: string, what: string, metric: 'fetch' | 'progress', side: Side, base: Side, baseName: string): Figure => {
    const value = median(samples[side][metric]);
    const baseline = median(samples[base][metric]);
    const r = ratio(value, baseline);
    const low = ratio(percentile(samples[side][metric], 25), percentile(samples[base][metric], 25));
    const empty = median(samples.emptyExt[metric]);
    // Nothing of ours runs there: its ratio shows how far two browsers differ anyway.
    const vsEmpty = side === 'ext' ? `; an empty extension: ${ms(empty)}, ${ratio(empty, baseline).toFixed(2)} of none` : '';
    return {
      id,
      what,
      value: ms(value),
      baseline: `${ms(baseline)} ${baseName}`,
      ratio: r,
      target: 'ratio ≤ 1.05',
      met: r <= 1.05,
      note: `${ROUNDS} rounds each; ratio of 25th percentiles ${low.toFixed(2)}${vsEmpty}`,
      raw: { [side]: samples[side][metric], [base]: samples[base][metric], ...(side === 'ext' ? { emptyExt: samples.emptyExt[metric] } : {}) },
    };
  };
  return [
    row('1a', 'fetch() to promise resolved, extension loaded, median', 'fetch', 'ext', 'plain', 'without extension'),
    row('1b', 'fetch() to promise resolved, panel open, median', 'fetch', 'extPanel', 'plainDevtools', 'DevTools open, no extension'),
    row('1c', 'response byte to progress event, extension loaded, median', 'progress', 'ext', 'plain', 'without extension'),
    row('1d', 'response byte to progress event, panel open, median', 'progress', 'extPanel', 'plainDevtools', 'DevTools open, no extension'),
  ];
}

const LOADS = 15;

/**
 * The hook's own start-up, measured by evaluating the built file at
 * document_start (parse, compile and run) in a browser without the
 * extension, handed a port as the relay would; and whether it posts
 * anything on a page that never touches Background Fetch.
 */
export async function pageCost(server: BenchServer, plain: Launched, withExt: Launched): Promise<Figure[]> {
  const source = readFileSync(join(CHROME_DIST, 'content/hook.js'), 'utf8');
  const gz = gzipSync(source, { level: 9 }).length;
  const page = await plain.browser.newPage();
  await page.evaluateOnNewDocument(
    (src, tag) => {
      const w = window as unknown as { __hookMs: number; __portMessages: number; __pageMessages: number };
      const t0 = performance.now();
      (0, eval)(src);
      w.__hookMs = performance.now() - t0;
      const channel = new MessageChannel();
      w.__portMessages = 0;
      w.__pageMessages = 0;
      channel.port2.onmessage = () => w.__portMessages++;
      window.postMessage({ [tag]: 1 }, '*', [channel.port1]);
      window.addEventListener('message', () => w.__pageMessages++);
    },
    source,
    HANDSHAKE_TAG,
  );
  const startMs: number[] = [];
  const url = `http://127.0.0.1:${server.port}/bench/blank.html`;
  for (let i = 0; i < LOADS; i++) {
    await page.goto(url, { waitUntil: 'load' });
    startMs.push(await page.evaluate(() => (window as unknown as { __hookMs: number }).__hookMs));
  }
  await new Promise((r) => setTimeout(r, 1500));
  const posted = await page.evaluate(() => {
    const w = window as unknown as { __portMessages: number; __pageMessages: number };
    return w.__portMessages + w.__pageMessages;
  });
  await page.close();

  // The real extension: its handshake never reaches the page's own first script.
  const extPage = await withExt.browser.newPage();
  await extPage.goto(url, { waitUntil: 'load' });
  await new Promise((r) => setTimeout(r, 1500));
  const seenWithExt = await extPage.evaluate(() => (window as unknown as { __seen: number }).__seen);
  await extPage.close();

  const p50 = median(startMs.slice(1));
  return [
    { id: '2a', what: 'main-world hook size, gzipped', value: `${(gz / 1024).toFixed(2)} KB (${(source.length / 1024).toFixed(1)} KB raw)`, target: '≤ 8 KB', met: gz <= 8 * 1024 },
    {
      id: '2b',
      what: 'hook start-up at document_start (parse+compile+run), median of warm loads',
      value: `${ms(p50)} (cold first load ${ms(startMs[0]!)})`,
      target: '≤ 1 ms',
      met: p50 <= 1,
      raw: { startMs },
    },
    {
      id: '2c',
      what: 'messages posted on a page that never uses Background Fetch',
      value: `${posted} from the hook, ${seenWithExt} seen by the page with the extension`,
      target: '0',
      met: posted === 0 && seenWithExt === 0,
    },
  ];
}
