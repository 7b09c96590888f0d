/**
 * The main-world hook's logic against an in-memory Background Fetch: what it
 * reports for fetch() calls, progress, rejections and discovery, how it
 * resumes a panel, and that a page tampering with globals does not break it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type EventEnvelope, type HookToRelay, type SyncResult } from '../../extension/protocol';
import { FakeServiceWorkerRegistration, installFakes, type FakeRegistration } from '../fixtures/fake-background-fetch';

const container = installFakes();
// The hook captures its references at load, so it must load after the fakes.
const { Tracker } = await import('../../content/hook/tracker');
const { instrument } = await import('../../content/hook/instrument');
const { FaultRules } = await import('../../content/hook/faults');
const { discover } = await import('../../content/hook/discover');

function setup() {
  const posted: HookToRelay[] = [];
  // Index assignment: one test replaces Array.prototype.push, as a hostile page might.
  const tracker = new Tracker((m) => void (posted[posted.length] = m), 'native');
  const result = instrument(globalThis, tracker, { rules: new FaultRules(), polyfill: null });
  const events = () => posted.flatMap((m) => (m.kind === 'events' ? m.envelopes : []));
  return { tracker, result, posted, events };
}

const flush = () => new Promise((r) => setTimeout(r, 80));
const swReg = (scope: string) => new FakeServiceWorkerRegistration(scope) as unknown as ServiceWorkerRegistration;

describe('main-world hook', () => {
  let env: ReturnType<typeof setup>;
  beforeAll(() => {
    env = setup();
    expect(env.result.problem).toBeNull();
  });

  it('posts nothing until a panel attaches, then reports fetch() calls and progress', async () => {
    const reg = swReg('https://app.test/');
    const registration = (await reg.backgroundFetch.fetch('ep-1', ['https://app.test/a.mp3', new Request('https://app.test/up', { method: 'POST', body: 'x'.repeat(300) })], {
      title: 'Episode 1',
      downloadTotal: 100,
    })) as unknown as FakeRegistration;
    await flush();
    expect(env.posted).toEqual([]);

    env.tracker.setAttached(true);
    const sync = env.tracker.sync(null, 0) as Extract<SyncResult, { mode: 'snapshot' }>;
    expect(sync.mode).toBe('snapshot');
    const data = sync.snapshot.registrations.find((r) => r.id === 'ep-1')!;
    expect(data).toMatchObject({ scope: 'https://app.test/', origin: 'fetch', requestCount: 2, options: { title: 'Episode 1', downloadTotal: 100 } });
    expect(data.requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', 'https://app.test/a.mp3'],
      ['POST', 'https://app.test/up'],
    ]);
    // The POST body was measured from a clone, without consuming the page's request.
    expect(data.requests[1]!.bodySize).toBe(300);
    expect(registration.requests[1]!.bodyUsed).toBe(false);

    registration.advance({ downloaded: 40 });
    registration.advance({ downloaded: 60 });
    await flush();
    const progress = env.events().filter((e) => e.event.type === 'progress');
    // Two changes inside one flush interval are coalesced into one event.
    expect(progress).toHaveLength(1);
    expect(progress[0]!.event).toMatchObject({ downloaded: 60, result: '' });

    registration.advance({ downloaded: 100, result: 'success' });
    const settled = env.events().filter((e) => e.event.type === 'progress').at(-1)!;
    expect(settled.event).toMatchObject({ result: 'success', downloaded: 100 }); // flushed at once
    registration.advance({ downloaded: 100 });
    await flush();
    expect(env.events().filter((e) => e.event.type === 'progress')).toHaveLength(2); // none after settling
  });

  it('reports a rejected fetch() with its error, and returns the page the original promise outcome', async () => {
    const reg = swReg('https://app.test/');
    const error = await reg.backgroundFetch.fetch('x', []).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TypeError);
    await flush();
    const rejected = env.events().find((e) => e.event.type === 'rejected')!;
    expect(rejected.event).toMatchObject({ rejection: { id: 'x', error: { name: 'TypeError', message: 'At least one request must be given.' } } });
  });

  it('resumes a panel from its last seq, or sends a snapshot when it cannot', () => {
    const all = env.events();
    const last = all.at(-1)!.seq;
    const resume = env.tracker.sync(env.tracker.session, last - 2);
    expect(resume.mode).toBe('events');
    expect((resume as { events: EventEnvelope[] }).events.map((e) => e.seq)).toEqual([last - 1, last]);
    expect(env.tracker.sync('another-session', 3).mode).toBe('snapshot');
    expect(env.tracker.sync(env.tracker.session, last + 10).mode).toBe('snapshot');
  });

  it('discovers fetches it did not see start, with their requests', async () => {
    const reg = new FakeServiceWorkerRegistration('https://app.test/sw/');
    container.registrations.push(reg);
    // Started "before the hook": straight on the manager, not through the wrapper.
    await Object.getPrototypeOf(reg.backgroundFetch).constructor.prototype.getIds.call(reg.backgroundFetch);
    const manager = reg.backgroundFetch;
    manager.active.set('early', new (globalThis as unknown as { BackgroundFetchRegistration: typeof FakeRegistration }).BackgroundFetchRegistration('early', 0, [new Request('https://app.test/e.mp3')]));
    await discover(env.result.originals!, env.tracker);
    await flush();
    const found = env.events().filter((e) => e.event.type === 'registered' && e.event.registration.id === 'early');
    expect(found.length).toBeGreaterThan(0);
    const latest = found.at(-1)!.event;
    expect(latest.type === 'registered' && latest.registration).toMatchObject({ origin: 'discovered', scope: 'https://app.test/sw/', requestCount: 1 });
    // Discovering again finds the same fetch, not a new one.
    const before = env.events().at(-1)!.seq;
    await discover(env.result.originals!, env.tracker);
    await flush();
    expect(env.events().filter((e) => e.seq > before && e.event.type === 'registered')).toHaveLength(0);
  });

  // Node's own Request and test runner are JavaScript that rely on these
  // globals, unlike a browser's natives; so each is replaced only around the
  // hook's synchronous work here. The browser tests tamper with all at once.
  it('keeps working after the page replaces Promise, Array.prototype.push and JSON.stringify', async () => {
    const saved = { Promise: globalThis.Promise, push: Array.prototype.push, stringify: JSON.stringify };
    const reg = swReg('https://app.test/');
    let pending: Promise<unknown>;
    try {
      (globalThis as { Promise: unknown }).Promise = function Hostile() {
        throw new Error('page replaced Promise');
      };
      JSON.stringify = () => {
        throw new Error('page replaced JSON');
      };
      pending = reg.backgroundFetch.fetch('tampered', 'https://app.test/t.mp3');
    } finally {
      globalThis.Promise = saved.Promise;
      JSON.stringify = saved.stringify;
    }
    const registration = (await pending) as unknown as FakeRegistration;
    try {
      Array.prototype.push = () => {
        throw new Error('page replaced push');
      };
      registration.advance({ downloaded: 5, result: 'success' });
    } finally {
      Array.prototype.push = saved.push;
    }
    await flush();
    const ids = env.events().filter((e) => e.event.type === 'registered').map((e) => (e.event.type === 'registered' ? e.event.registration.id : ''));
    expect(ids).toContain('tampered');
    expect(env.events().some((e) => e.event.type === 'progress' && e.event.result === 'success' && e.event.downloaded === 5)).toBe(true);
  });

  it('reports a frozen prototype in plain words instead of breaking the page', async () => {
    const g = globalThis as Record<string, unknown>;
    const saved = g.BackgroundFetchManager;
    class Frozen {}
    Object.defineProperty(Frozen.prototype, 'fetch', { value() {}, writable: false, configurable: false });
    Object.freeze(Frozen.prototype);
    g.BackgroundFetchManager = Frozen;
    try {
      const { result } = setup();
      expect(result.problem).toMatch(/could not instrument/i);
    } finally {
      g.BackgroundFetchManager = saved;
    }
  });

  it('posts a burst larger than one batch in several batches, losing none', async () => {
    const posted: HookToRelay[] = [];
    const tracker = new Tracker((m) => void posted.push(m), 'native');
    tracker.setAttached(true);
    const call = { id: 'burst', options: { title: '', icons: [], downloadTotal: 0 }, requests: [], requestCount: 0, calledAt: 1 };
    const burst = LIMITS.batchEvents + 500;
    for (let i = 0; i < burst; i++) tracker.rejected({ ...call, id: `burst-${i}` }, 'https://app.test/', { name: 'TypeError', message: 'no' });
    await flush();
    const batches = posted.flatMap((m) => (m.kind === 'events' ? [m.envelopes] : []));
    expect(batches.every((b) => b.length <= LIMITS.batchEvents)).toBe(true);
    const seqs = batches.flat().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: burst + 1 }, (_, i) => i + 1)); // hello, then every rejection, in order
  });
});

describe('records in request order', async () => {
  const { inRequestOrder } = await import('../../content/hook/commands');
  const req = (url: string, method = 'GET') => ({ method, url, mode: 'cors', credentials: 'same-origin', headers: [], bodySize: 0 });
  const rec = (url: string, method = 'GET') => ({ request: new Request(url, { method }), name: `${method} ${url}` });
  const names = (list: { name: string }[]) => list.map((r) => r.name);

  it('puts records back in the order the requests were given, as Chromium returns them as they finish', () => {
    const requests = [req('http://x/feed.json'), req('http://x/cover.png'), req('http://x/intro.mp3')];
    const finished = [rec('http://x/cover.png'), rec('http://x/intro.mp3'), rec('http://x/feed.json')];
    expect(names(inRequestOrder(finished, requests))).toEqual(['GET http://x/feed.json', 'GET http://x/cover.png', 'GET http://x/intro.mp3']);
  });

  it('pairs repeated URLs one to one, tells methods apart, and keeps unmatched records after, in their order', () => {
    const requests = [req('http://x/a', 'POST'), req('http://x/a'), req('http://x/a')];
    const list = [rec('http://x/z'), rec('http://x/a'), rec('http://x/a', 'POST'), rec('http://x/a'), rec('http://x/y')];
    expect(names(inRequestOrder(list, requests))).toEqual(['POST http://x/a', 'GET http://x/a', 'GET http://x/a', 'GET http://x/z', 'GET http://x/y']);
    // A fetch only discovered has no captured requests: matchAll()'s order stands.
    expect(names(inRequestOrder(list, []))).toEqual(names(list));
  });
});
