/// <reference types="vite/client" />
/**
 * The real panel (App + PanelStore, as in the preview harness
 * test/fixtures/panel-preview) fed synthetic data at scale, with hooks for
 * test/bench/fig-panel.ts to time: first render, filtering, scrolling, a
 * million progress events, HAR export. Served by Vite from fig-panel.ts.
 */
import { render } from 'preact';
import '../../../panel/panel.css';
import { App } from '../../../panel/App';
import { writeHar } from '../../../panel/har/build';
import { blobWriter } from '../../../panel/har/download';
import { visibleRows } from '../../../panel/state/select';
import { frameOrTimeout, PanelStore } from '../../../panel/state/store';
import type { EventEnvelope, FrameRef, HookEvent, RegistrationData, RequestData } from '../../../extension/protocol';

const ORIGIN = 'https://bench.example';
const frame: FrameRef = { frameId: 0, documentId: 'DOC-1', url: `${ORIGIN}/` };
const SESSION = 's-bench';
let seq = 0;
const envelope = (event: HookEvent): EventEnvelope => ({ kind: 'event', session: SESSION, seq: ++seq, event });

function registration(i: number, requests: number, running: boolean): RegistrationData {
  const list: RequestData[] = [];
  for (let r = 0; r < requests; r++) {
    list.push({ method: 'GET', url: `${ORIGIN}/media/item-${i}/part-${r}.bin`, mode: 'cors', credentials: 'same-origin', headers: [['accept', '*/*']], bodySize: 0 });
  }
  const total = 1_000_000 + (i % 50) * 1_000_000;
  const at = Date.now() - 600_000 + i;
  return {
    key: `k${i}`,
    id: `bench-${String(i).padStart(5, '0')}`,
    scope: `${ORIGIN}/`,
    options: { title: `Bench item ${i}`, icons: [], downloadTotal: total },
    uploadTotal: 0,
    uploaded: 0,
    downloadTotal: total,
    downloaded: running ? 0 : total,
    result: running ? '' : 'success',
    failureReason: '',
    recordsAvailable: true,
    requests: list,
    requestCount: requests,
    origin: 'fetch',
    calledAt: at,
    seenAt: at + 3,
    settledAt: running ? null : at + 900,
    injected: null,
  } as RegistrationData;
}

/** Registrations as the hook sends them: batches of 1,000 events. */
function registrationBatches(count: number, requests: number, running: (i: number) => boolean): EventEnvelope[][] {
  const batches: EventEnvelope[][] = [];
  for (let base = 0; base < count; base += 1000) {
    const batch: EventEnvelope[] = [];
    for (let i = base; i < Math.min(count, base + 1000); i++) batch.push(envelope({ type: 'registered', registration: registration(i, requests, running(i)) }));
    batches.push(batch);
  }
  return batches;
}

const afterPaint = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const root = document.getElementById('app')!;
let store = new PanelStore(frameOrTimeout);

function longTasks(): { stop(): number[] } {
  const seen: number[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.push(e.duration);
  });
  obs.observe({ type: 'longtask' });
  return {
    stop() {
      for (const e of obs.takeRecords()) seen.push(e.duration);
      obs.disconnect();
      return seen;
    },
  };
}

async function frameTimes(count: number, each?: () => void): Promise<number[]> {
  const frames: number[] = [];
  let last = performance.now();
  for (let i = 0; i < count; i++) {
    each?.();
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    frames.push(now - last);
    last = now;
  }
  return frames;
}

const bench = {
  /** 10,000 registrations of 10 requests each, loaded into a new store as the hook would send them. */
  async load(count: number, requests: number) {
    const batches = registrationBatches(count, requests, (i) => i % 20 === 0);
    const idleFrames = await frameTimes(30);
    store = new PanelStore(frameOrTimeout);
    const t0 = performance.now();
    store.dispatch({ type: 'frame-connected', frame });
    for (const envelopes of batches) store.dispatch({ type: 'events', frame, envelopes });
    return { loadMs: performance.now() - t0, idleFrames };
  },

  /** The panel's first render of what the store holds, to the first painted frame. */
  async firstRender() {
    const t0 = performance.now();
    render(<App store={store} commands={null} theme="light" />, root);
    await afterPaint();
    return { renderMs: performance.now() - t0, rowCount: document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') ?? null };
  },

  /** Per keystroke typed into the filter (by puppeteer): from the key event to the frame after the table changed. */
  watchFilter() {
    const input = document.querySelector('input[aria-label="Filter"]') as HTMLInputElement;
    const results: { ms: number; rows: string | null }[] = [];
    input.addEventListener(
      'keydown',
      (e) => {
        const at = e.timeStamp;
        void afterPaint().then(() => results.push({ ms: performance.now() - at, rows: document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') ?? null }));
      },
      { capture: true },
    );
    input.focus();
    (window as unknown as { filterResults: typeof results }).filterResults = results;
  },

  /** Frame times while scrolling the table `step` px per frame. */
  async scroll(step: number, frames: number) {
    const grid = document.querySelector('[role="grid"]') as HTMLElement;
    const tasks = longTasks();
    const times = await frameTimes(frames, () => {
      grid.scrollTop += step;
    });
    return { frames: times, rowsInDom: document.querySelectorAll('[data-testid="bgf-row"]').length, longTasks: tasks.stop() };
  },

  /** `count` running registrations, rendered, before the million events. */
  async memorySetup(count: number) {
    store = new PanelStore(frameOrTimeout);
    store.dispatch({ type: 'frame-connected', frame });
    for (const envelopes of registrationBatches(count, 1, () => true)) store.dispatch({ type: 'events', frame, envelopes });
    render(<App store={store} commands={null} theme="light" />, root);
    await afterPaint();
  },

  /** `events` progress events round-robin over the registrations, in hook-sized batches, letting frames render. */
  async memoryPump(count: number, events: number) {
    const t0 = performance.now();
    let sent = 0;
    let batchNo = 0;
    while (sent < events) {
      const envelopes: EventEnvelope[] = [];
      for (let j = 0; j < 1000 && sent < events; j++, sent++) {
        const i = sent % count;
        const round = Math.floor(sent / count) + 1;
        envelopes.push(envelope({ type: 'progress', key: `k${i}`, at: Date.now(), uploaded: 0, downloaded: round * 1000, result: '', failureReason: '', recordsAvailable: true }));
      }
      store.dispatch({ type: 'events', frame, envelopes });
      if (++batchNo % 20 === 0) await afterPaint();
    }
    await afterPaint();
    let timeline = 0;
    for (const row of store.state.rows.values()) timeline += row.timeline.length;
    return { ms: performance.now() - t0, rows: store.state.rows.size, timelineEntries: timeline };
  },

  /** Figure 6: what Export HAR does in the panel, up to the Blob it saves. */
  async har() {
    const rows = visibleRows(store.state, '');
    const tasks = longTasks();
    const t0 = performance.now();
    const out = blobWriter();
    const { entries } = await writeHar(rows, { network: store.state.network }, out.write);
    const blob = await out.blob();
    const ms = performance.now() - t0;
    // Long tasks are reported after they end: one more frame lets the last arrive.
    await afterPaint();
    return { ms, entries, bytes: blob.size, rows: rows.length, longTasks: tasks.stop() };
  },
};

(window as unknown as { bench: typeof bench }).bench = bench;
document.title = 'bench ready';
