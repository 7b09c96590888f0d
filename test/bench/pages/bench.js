// Page side of the benchmark (test/bench/run.ts). ?mode= picks what backs
// Background Fetch here: native (Chromium's own), polyfill (forced over it),
// fake (an in-page implementation announced like a polyfill, to drive
// progress at an exact rate), plain (no Background Fetch: fetch + cache.put).
(() => {
  const mode = new URLSearchParams(location.search).get('mode') ?? 'native';
  const now = () => performance.timeOrigin + performance.now();
  const settled = new Map();
  const waiters = new Map();
  new BroadcastChannel('bench').onmessage = (e) => {
    settled.set(e.data.id, e.data);
    waiters.get(e.data.id)?.(e.data);
  };
  const waitSettled = (id) => (settled.has(id) ? Promise.resolve(settled.get(id)) : new Promise((r) => waiters.set(id, r)));

  const loadScript = (src) =>
    new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error(`${src} did not load (npm run build)`));
      document.head.append(s);
    });

  class FakeRegistration extends EventTarget {
    constructor(id, requests, downloadTotal) {
      super();
      Object.assign(this, { id, requests, downloadTotal, uploadTotal: 0, uploaded: 0, downloaded: 0, result: '', failureReason: '', recordsAvailable: true });
    }
    async abort() { return false; }
    async match() { return undefined; }
    async matchAll() { return []; }
  }
  class FakeManager {
    active = new Map();
    async fetch(id, requests, options = {}) {
      if (this.active.has(id)) throw new TypeError('There already is a registration for the given id.');
      const list = (Array.isArray(requests) ? requests : [requests]).map((r) => new Request(r));
      const reg = new FakeRegistration(id, list, options.downloadTotal ?? 0);
      this.active.set(id, reg);
      return reg;
    }
    async get(id) { return this.active.get(id); }
    async getIds() { return [...this.active.keys()]; }
  }
  function installFake() {
    const managers = new WeakMap();
    for (const [name, value] of [['BackgroundFetchManager', FakeManager], ['BackgroundFetchRegistration', FakeRegistration]]) {
      Object.defineProperty(window, name, { value, configurable: true, writable: true });
    }
    Object.defineProperty(ServiceWorkerRegistration.prototype, 'backgroundFetch', {
      configurable: true,
      enumerable: true,
      get() {
        if (!managers.has(this)) managers.set(this, new FakeManager());
        return managers.get(this);
      },
    });
    window.__BACKGROUND_FETCH_DEVTOOLS_GLOBAL_HOOK__?.onImplementation({ kind: 'polyfill', version: 'bench-fake' });
  }

  async function setUp() {
    if (mode === 'plain') return null;
    if (mode === 'polyfill') {
      self.BACKGROUND_FETCH_POLYFILL_MANUAL = true;
      await loadScript('/polyfill/background-fetch-polyfill.js');
      self.BackgroundFetchPolyfill.install({ force: true });
    }
    if (mode === 'fake') installFake();
    await navigator.serviceWorker.register(`/bench/sw.js?mode=${mode === 'polyfill' ? 'polyfill' : 'native'}`, { scope: '/bench/' });
    return navigator.serviceWorker.ready;
  }
  const ready = setUp();

  /** Figure 1: fetch() to its promise, and when the first progress with bytes fired. */
  async function timedFetch(id, url) {
    const reg = await ready;
    const t0 = now();
    const bgf = await reg.backgroundFetch.fetch(id, [url]);
    const t1 = now();
    let progressAt = 0;
    const progressed = new Promise((resolve) =>
      bgf.addEventListener('progress', () => {
        if (!progressAt && bgf.downloaded > 0) resolve((progressAt = now()));
      }),
    );
    const done = await waitSettled(id);
    // The worker's settle message may overtake the page's progress event.
    await Promise.race([progressed, new Promise((r) => setTimeout(r, 5000))]);
    return { fetchMs: t1 - t0, progressAt, result: done.result };
  }

  /** Figure 7: wall time to have every file downloaded. */
  async function transfer(id, urls) {
    const t0 = now();
    if (mode === 'plain') {
      const cache = await caches.open(`plain-${id}`);
      await Promise.all(urls.map((u) => fetch(u).then((r) => cache.put(u, r))));
      return { ms: now() - t0, result: 'success' };
    }
    const reg = await ready;
    await reg.backgroundFetch.fetch(id, urls);
    const done = await waitSettled(id);
    return { ms: done.at - t0, result: done.result, failureReason: done.failureReason };
  }

  /** Figure 3: `count` fake registrations, each advancing `hz` times a second for `seconds`. */
  async function fakeProgress(count, hz, seconds) {
    const reg = await ready;
    const regs = [];
    for (let i = 0; i < count; i++) regs.push(await reg.backgroundFetch.fetch(`live-${String(i).padStart(2, '0')}`, [`/data/live-${i}`], { downloadTotal: 1e12 }));
    // Lets the panel list every registration before timing starts.
    await new Promise((r) => setTimeout(r, 1500));
    const emits = [];
    await new Promise((resolve) => {
      const end = performance.now() + seconds * 1000;
      const timer = setInterval(() => {
        for (const r of regs) {
          r.downloaded += 1000;
          emits.push([r.id, r.downloaded, now()]);
          r.dispatchEvent(new Event('progress'));
        }
        if (performance.now() >= end) {
          clearInterval(timer);
          resolve();
        }
      }, 1000 / hz);
    });
    return emits;
  }

  window.bench = { mode, ready: ready.then(() => true), now, timedFetch, transfer, fakeProgress };
})();
