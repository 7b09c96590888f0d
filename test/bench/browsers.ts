/** Browser plumbing the figures share: pages on the bench server, heaps, process memory. */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'puppeteer-core';

/** The bench page (pages/bench.js) with Background Fetch backed by `mode`, once its worker is ready. */
export async function openBenchPage(browser: Browser, origin: string, mode: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`  [page error] ${e}`));
  await page.goto(`${origin}/bench/index.html?mode=${mode}`, { waitUntil: 'load' });
  await page.waitForFunction('window.bench && window.bench.ready', { timeout: 30_000 });
  await page.evaluate('window.bench.ready');
  return page;
}

/**
 * An MV3 extension that does nothing: a service worker, no permissions, no
 * content scripts. Two browser instances differ anyway, by up to 40% here;
 * one with this loaded, running none of our code, shows by how much in the
 * same run. Returns its directory, to remove when done.
 */
export function emptyExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bgf-empty-ext-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'empty', version: '1', background: { service_worker: 'sw.js' } }));
  writeFileSync(join(dir, 'sw.js'), '// does nothing\n');
  return dir;
}

/** Used JS heap after a full GC, in bytes. */
export async function heapAfterGc(session: CDPSession): Promise<number> {
  await session.send('HeapProfiler.enable');
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return usedSize;
}

function childrenOf(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = map.get(ppid) ?? [];
      list.push(Number(name));
      map.set(ppid, list);
    } catch {
      /* the process ended while we looked */
    }
  }
  return map;
}

/** Resident memory of a browser and all its child processes, in bytes (shared pages counted per process). */
export function treeRss(rootPid: number): number {
  const children = childrenOf();
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* gone */
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Samples `treeRss` every 100 ms while `work` runs; returns its result and the peak. */
export async function withPeakRss<T>(rootPid: number, work: () => Promise<T>): Promise<{ result: T; before: number; peak: number }> {
  const before = treeRss(rootPid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(rootPid))), 100);
  try {
    const result = await work();
    peak = Math.max(peak, treeRss(rootPid));
    return { result, before, peak };
  } finally {
    clearInterval(timer);
  }
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const ms = (n: number): string => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ms` : 'n/a');

interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  ph: string;
  dur?: number;
  tdur?: number;
  args?: { name?: string; labels?: string };
}

export interface TaskTimes {
  count: number;
  /** Sum of the tasks' wall time, ms. */
  wall: number;
  /** Sum of the tasks' thread CPU time, ms. */
  cpu: number;
  /** CPU time of each task that used more than 50 ms of it. */
  overCpu: number[];
  longestCpu: number;
}

/**
 * Top-level tasks on the main thread of the renderers whose process label
 * passes `process`, from a trace with the 'toplevel' category: wall time and
 * thread CPU time, which differ by the time the OS ran something else.
 */
export function mainThreadTasks(trace: Uint8Array | undefined, process: (label: string) => boolean): TaskTimes {
  const parsed = JSON.parse(new TextDecoder().decode(trace)) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const labels = new Map<number, string>();
  const mainThreads = new Set<string>();
  for (const e of events) {
    if (e.name === 'process_labels' || e.name === 'process_name') labels.set(e.pid, `${labels.get(e.pid) ?? ''} ${e.args?.labels ?? e.args?.name ?? ''}`);
    if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mainThreads.add(`${e.pid}:${e.tid}`);
  }
  const tasks = events.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`) && process(labels.get(e.pid) ?? ''));
  const ms = (us = 0) => us / 1000;
  return {
    count: tasks.length,
    wall: tasks.reduce((a, e) => a + ms(e.dur), 0),
    cpu: tasks.reduce((a, e) => a + ms(e.tdur), 0),
    overCpu: tasks.filter((e) => ms(e.tdur) > 50).map((e) => ms(e.tdur)),
    longestCpu: Math.max(0, ...tasks.map((e) => ms(e.tdur))),
  };
}

