/**
 * Figures 4, 5 (panel half) and 6: the real panel UI built by Vite for
 * production from test/bench/panel/ (the preview harness's approach: App +
 * PanelStore with synthetic data), in headless Chromium without the
 * extension. A production build, because the dev server adds preact/debug and
 * hot-reload bookkeeping that cost more than the panel itself.
 */
import preact from '@preact/preset-vite';
import type { Page } from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { launchChromium } from '../support/chromium';
import { heapAfterGc, mainThreadTasks, mb, ms, type TaskTimes } from './browsers';
import type { Figure } from './report';
import { median, percentile, ratio } from './stats';

const REGISTRATIONS = 10_000;
const REQUESTS_EACH = 10;
const MEMORY_REGISTRATIONS = 1_000;
const PROGRESS_EVENTS = 1_000_000;

type Bench = Record<string, (...args: never[]) => Promise<unknown> | unknown>;
const call = <T>(page: Page, name: string, ...args: unknown[]): Promise<T> =>
  page.evaluate((n, a) => (window as unknown as { bench: Bench }).bench[n]!(...(a as never[])), name, args) as Promise<T>;

export async function panelFigures(which: { scale: boolean; memory: boolean; har: boolean }): Promise<Figure[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'bgf-bench-panel-'));
  const config = { configFile: false as const, root: `${import.meta.dirname}/panel`, base: './', logLevel: 'error' as const, build: { outDir, emptyOutDir: true } };
  await build({ ...config, plugins: [preact()] });
  const vite = await preview({ ...config, preview: { host: '127.0.0.1', port: 0 } });
  const url = vite.resolvedUrls!.local[0]!;
  const launched = await launchChromium({ extension: false });
  const figures: Figure[] = [];
  try {
    const open = async () => {
      const page = await launched.browser.newPage();
      await page.setViewport({ width: 1280, height: 720 });
      page.on('pageerror', (e) => console.error(`  [panel page error] ${e}`));
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.title === 'bench ready', { timeout: 60_000 });
      return page;
    };
    if (which.scale || which.har) {
      const page = await open();
      const loaded = await call<{ loadMs: number; idleFrames: number[] }>(page, 'load', REGISTRATIONS, REQUESTS_EACH);
      const traced = async <T>(work: () => Promise<T>): Promise<[T, TaskTimes]> => {
        await page.tracing.start({ categories: ['toplevel'] });
        const result = await work();
        return [result, mainThreadTasks(await page.tracing.stop(), () => true)];
      };
      const [s, renderCpu] = await traced(() => call<{ renderMs: number; rowCount: string }>(page, 'firstRender'));
      if (which.scale) {
        await call(page, 'watchFilter');
        const [, filterCpu] = await traced(async () => {
          for (const ch of 'bench-0421') {
            await page.keyboard.type(ch);
            await new Promise((r) => setTimeout(r, 150));
          }
        });
        const filter = await page.evaluate(() => (window as unknown as { filterResults: { ms: number; rows: string | null }[] }).filterResults);
        await page.keyboard.press('Escape');
        await new Promise((r) => setTimeout(r, 300));
        type Scroll = { frames: number[]; rowsInDom: number; longTasks: number[] };
        const [[slow, fast], scrollCpu] = await traced(async () => [await call<Scroll>(page, 'scroll', 60, 60), await call<Scroll>(page, 'scroll', 2000, 60)] as const);
        const idle = median(loaded.idleFrames);
        const filterMs = filter.map((f) => f.ms);
        const scrollP50 = median(slow.frames);
        const flingP50 = median(fast.frames);
        const scrollTasks = [...slow.longTasks, ...fast.longTasks];
        figures.push(
          {
            id: '4a',
            what: `panel first render, ${REGISTRATIONS.toLocaleString('en')} registrations × ${REQUESTS_EACH} requests`,
            value: ms(s.renderMs),
            target: '≤ 300 ms',
            met: s.renderMs <= 300,
            note: `render() to the first painted frame, wall time; ${ms(renderCpu.cpu)} of main-thread CPU (aria-rowcount ${s.rowCount})`,
            raw: { ...s, renderCpu },
          },
          {
            id: '4d',
            what: `loading those ${REGISTRATIONS.toLocaleString('en')} registrations into the panel's store (reducer)`,
            value: ms(loaded.loadMs),
            target: 'part of first render: ≤ 300 ms with it',
            met: loaded.loadMs + s.renderMs <= 300,
            note: 'ten hook-sized batches of 1,000 registered events each',
            raw: loaded,
          },
          {
            id: '4b',
            what: 'filter keystroke to painted result, median / worst',
            value: `${ms(median(filterMs))} / ${ms(Math.max(...filterMs))}`,
            target: '≤ 50 ms',
            met: Math.max(...filterMs) <= 50,
            note: `typed "bench-0421" one key at a time; rows after each key: ${filter.map((f) => Number(f.rows) - 1).join(', ')}; longest main-thread task ${ms(filterCpu.longestCpu)} of CPU`,
            raw: { filter, filterCpu },
          },
          {
            id: '4c',
            what: 'scrolling frame time, p50: 60 px per frame / 2,000 px per frame (every row replaced)',
            value: `${ms(scrollP50)} / ${ms(flingP50)}`,
            baseline: `${ms(idle)} idle frame`,
            ratio: ratio(scrollP50, idle),
            target: 'smooth: p50 ≈ idle frame, no long tasks',
            met: ratio(scrollP50, idle) <= 1.2 && scrollTasks.length === 0,
            note: `${slow.rowsInDom} rows in the DOM; ${scrollTasks.length} long tasks (wall) while scrolling, ${scrollCpu.overCpu.length} over 50 ms of CPU (longest ${ms(scrollCpu.longestCpu)})`,
            raw: { slow, fast, idle, scrollCpu },
          },
        );
      }
      if (which.har) {
        const h = await call<{ ms: number; entries: number; bytes: number; rows: number; longTasks: number[] }>(page, 'har');
        figures.push({
          id: '6',
          what: `HAR export of ${(REGISTRATIONS * REQUESTS_EACH).toLocaleString('en')} records (JSON streamed into a Blob, as Export HAR)`,
          value: `${ms(h.ms)}, ${h.entries.toLocaleString('en')} entries, ${(h.bytes / 1e6).toFixed(1)} MB, ${h.longTasks.length} long tasks (longest ${ms(Math.max(0, ...h.longTasks))})`,
          target: '≤ 2 s, no frozen panel',
          met: h.ms <= 2000 && h.longTasks.every((t) => t <= 50),
          raw: h,
        });
      }
      await page.close();
    }
    if (which.memory) {
      const page = await open();
      const cdp = await page.createCDPSession();
      await call(page, 'memorySetup', MEMORY_REGISTRATIONS);
      const before = await heapAfterGc(cdp);
      const pump = await call<{ ms: number; rows: number; timelineEntries: number }>(page, 'memoryPump', MEMORY_REGISTRATIONS, PROGRESS_EVENTS);
      const after = await heapAfterGc(cdp);
      figures.push({
        id: '5b',
        what: `panel heap after ${PROGRESS_EVENTS.toLocaleString('en')} progress events over ${MEMORY_REGISTRATIONS.toLocaleString('en')} registrations`,
        value: mb(after),
        baseline: `${mb(before)} before`,
        ratio: ratio(after, before),
        target: 'bounded',
        met: pump.timelineEntries <= MEMORY_REGISTRATIONS * 300,
        note: `${pump.timelineEntries.toLocaleString('en')} timeline entries kept (cap 300 per registration, progress samples coalesced); reducer + render took ${ms(pump.ms)}`,
        raw: { before, after, ...pump },
      });
      await page.close();
    }
  } finally {
    await launched.close();
    await vite.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return figures;
}
