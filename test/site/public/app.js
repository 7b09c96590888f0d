// The demo page: starts background fetches of several kinds and shows what
// happens. `window.demo` is the same thing for automated tests (see README.md).

const params = new URLSearchParams(location.search);
const forcePolyfill = params.get('polyfill') === 'force';
const ICONS = [{ src: '/icon.png', sizes: '128x128', type: 'image/png' }];
const $ = (id) => document.getElementById(id);

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`Could not load ${src}`));
    document.head.append(s);
  });
}

function setSupport(text, state) {
  const el = $('support');
  el.textContent = text;
  el.dataset.state = state;
}

/** Resolves once `reg` has an active worker running `scriptURL` (an update may be under way). */
async function activeWorker(reg, scriptURL, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (reg.active?.scriptURL !== scriptURL) {
    if (Date.now() > deadline) throw new Error(`The service worker ${scriptURL} did not activate within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return reg;
}

let implementation = 'none';

async function setUp() {
  if (!('serviceWorker' in navigator)) {
    setSupport('Service workers are not available here (use http://localhost or 127.0.0.1)', 'unsupported');
    throw new Error('Service workers are not available');
  }
  const nativeSupport = 'BackgroundFetchManager' in self;
  let polyfill = false;
  if (!nativeSupport || forcePolyfill) {
    // The classic build installs itself unless told not to; when forcing it
    // over a native implementation we install it ourselves with force.
    if (forcePolyfill) self.BACKGROUND_FETCH_POLYFILL_MANUAL = true;
    polyfill = await loadScript('/polyfill/background-fetch-polyfill.js').then(
      () => true,
      () => false,
    );
    if (polyfill && forcePolyfill) self.BackgroundFetchPolyfill?.install({ force: true });
  }
  const script = forcePolyfill ? '/sw.js?polyfill=force' : '/sw.js';
  const reg = await navigator.serviceWorker.register(script, { scope: '/' });
  await activeWorker(reg, new URL(script, location.href).href);
  if (!reg.backgroundFetch) {
    implementation = 'none';
    setSupport('Background Fetch not supported', 'unsupported');
  } else {
    const usingPolyfill = polyfill && (forcePolyfill || !nativeSupport || self.BackgroundFetchPolyfill?.isInstalled?.());
    implementation = usingPolyfill ? 'polyfill' : 'native';
    setSupport(`Background Fetch (${implementation})`, implementation);
    rediscover(reg);
  }
  return reg;
}

const ready = setUp();
ready.catch((e) => {
  if ($('support').dataset.state !== 'unsupported') setSupport(`Not ready: ${e?.message ?? e}`, 'error');
});

// --- The service worker's event log (shared IndexedDB) ---------------------

const store = loadScript('/events-store.js').then(() => self.demoEvents);
const swEvents = () => store.then((s) => s.allEvents());

// --- What each button starts ------------------------------------------------

const KINDS = {
  small: ({ size = 32 * 1024 } = {}) => ({
    requests: ['/media/feed.json?size=4096', '/media/cover.png', `/media/intro.mp3?size=${size}`],
    options: { title: 'Small files', icons: ICONS },
  }),
  large: ({ size = 5_000_000, ms = 5000 } = {}) => ({
    requests: [`/media/episode-large.mp3?size=${size}&ms=${ms}`],
    options: { title: 'Large episode', icons: ICONS, downloadTotal: size },
  }),
  season: ({ size = 200_000, ms = 400 } = {}) => ({
    requests: [1, 2, 3, 4, 5].map((n) => `/media/s1e${n}.mp3?size=${size}&ms=${ms}`),
    options: { title: 'Season 1 (5 episodes)', icons: ICONS, downloadTotal: 5 * size },
  }),
  missing: () => ({
    requests: ['/media/missing.mp3'],
    options: { title: 'Broken link', icons: ICONS },
  }),
  'too-small': ({ size = 1_000_000, ms } = {}) => ({
    requests: [`/media/big.mp3?size=${size}${ms ? `&ms=${ms}` : ''}`],
    options: { title: 'Too small downloadTotal', icons: ICONS, downloadTotal: 1000 },
  }),
  upload: ({ size = 100_000 } = {}) => ({
    requests: [new Request('/upload', { method: 'POST', body: 'u'.repeat(size), headers: { 'Content-Type': 'text/plain' } })],
    options: { title: 'Upload', icons: ICONS },
  }),
};

/** A fresh id per click: `small-1`, `small-2`, ... counted per profile, skipping ids already used. */
async function nextId(kind) {
  const key = `bgfetch-demo:count:${kind}`;
  let n = Number(safeStorage(() => localStorage.getItem(key))) || 0;
  const used = new Set((await swEvents().catch(() => [])).map((e) => e.id));
  for (const id of startedAt.keys()) used.add(id);
  do n++;
  while (used.has(`${kind}-${n}`));
  safeStorage(() => localStorage.setItem(key, String(n)));
  return `${kind}-${n}`;
}

function safeStorage(f) {
  try {
    return f();
  } catch {
    return null;
  }
}

// --- Live list of this page's registrations ---------------------------------

/** id -> Date.now() when this page started it (waitForSwEvent ignores older events for that id). */
const startedAt = new Map();
const shown = new Map();

function showRegistration(registration, note = '') {
  shown.get(registration.id)?.remove();
  const li = document.createElement('li');
  li.dataset.id = registration.id;
  const name = document.createElement('strong');
  name.textContent = registration.id;
  const bar = document.createElement('progress');
  const text = document.createElement('span');
  const abort = document.createElement('button');
  abort.textContent = 'Abort';
  abort.className = 'small';
  abort.addEventListener('click', () => registration.abort().catch(() => undefined));
  li.append(name, ' ', bar, ' ', text, ' ', abort);
  $('registrations').prepend(li);
  shown.set(registration.id, li);
  const update = () => {
    const total = registration.downloadTotal;
    bar.max = total || 1;
    if (total) bar.value = Math.min(registration.downloaded, total);
    else if (registration.result) bar.value = registration.result === 'success' ? 1 : 0;
    else bar.removeAttribute('value');
    const state = registration.result
      ? `${registration.result}${registration.failureReason ? ` (${registration.failureReason})` : ''}`
      : 'running';
    const up = registration.uploadTotal ? `, uploaded ${registration.uploaded}/${registration.uploadTotal}` : '';
    text.textContent = `${registration.downloaded}/${total || '?'} B${up} — ${state}${note}`;
    li.className = registration.result || 'running';
    li.dataset.result = registration.result;
    li.dataset.failureReason = registration.failureReason;
    abort.hidden = !!registration.result;
  };
  registration.addEventListener('progress', update);
  update();
}

/** Fetches started before a reload keep running: show them again. */
async function rediscover(reg) {
  try {
    for (const id of await reg.backgroundFetch.getIds()) {
      if (shown.has(id)) continue;
      const registration = await reg.backgroundFetch.get(id);
      if (registration && !shown.has(id)) showRegistration(registration, ' (started earlier)');
    }
  } catch {
    // Nothing to rediscover.
  }
}

function asError(e) {
  return { error: { name: e?.name ?? 'Error', message: e?.message ?? String(e) } };
}

/** backgroundFetch.fetch() as is; never throws: a rejection comes back as `{ error }`. */
async function rawFetch(id, requests, options) {
  try {
    const reg = await ready;
    if (!reg.backgroundFetch) {
      const e = new Error('Background Fetch is not supported in this browser');
      e.name = 'NotSupportedError';
      throw e;
    }
    const previous = startedAt.get(id);
    startedAt.set(id, Date.now());
    let registration;
    try {
      registration = await reg.backgroundFetch.fetch(id, requests, options);
    } catch (e) {
      if (previous === undefined) startedAt.delete(id);
      else startedAt.set(id, previous);
      throw e;
    }
    showRegistration(registration);
    return { id: registration.id };
  } catch (e) {
    logLine(`fetch("${id}") rejected: ${e?.name ?? 'Error'}: ${e?.message ?? e}`, 'rejected');
    return asError(e);
  }
}

/** Starts one of the demo's kinds of fetch; never throws. */
async function start(kind, opts = {}) {
  try {
    const make = Object.hasOwn(KINDS, kind) ? KINDS[kind] : null;
    if (!make) throw new TypeError(`Unknown kind "${kind}"; one of ${Object.keys(KINDS).join(', ')}`);
    const o = opts ?? {};
    const { requests, options } = make(o);
    const id = o.id ?? (await nextId(kind));
    return await rawFetch(String(id), requests, options);
  } catch (e) {
    return asError(e);
  }
}

// --- Service-worker event log -----------------------------------------------

const logged = new Set();

function logLine(text, className = '') {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  li.className = className;
  $('log').prepend(li);
}

function logEvent(entry) {
  const key = `${entry.at}|${entry.type}|${entry.id}`;
  if (logged.has(key)) return;
  logged.add(key);
  const li = document.createElement('li');
  li.className = entry.result || '';
  const records = entry.records ? `, ${entry.readable}/${entry.records} records readable` : '';
  li.textContent = `${new Date(entry.at).toLocaleTimeString()} ${entry.type} — ${entry.id}: ${entry.result || 'no result'}${entry.failureReason ? ` (${entry.failureReason})` : ''}${records}`;
  $('log').prepend(li);
}

const onMessage = (event) => {
  if (event.data?.demo === 'sw-event') logEvent(event.data.entry);
};
if ('serviceWorker' in navigator) navigator.serviceWorker.addEventListener('message', onMessage);
if ('BroadcastChannel' in self) new BroadcastChannel('bgfetch-demo').addEventListener('message', onMessage);
swEvents().then((events) => events.forEach(logEvent), () => undefined);

/** The latest service-worker event for `id` (newer than this page's last start of that id). */
async function waitForSwEvent(id, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const since = startedAt.get(id) ?? 0;
    const found = (await swEvents()).filter((e) => e.id === id && e.at >= since).at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No service-worker event for ${id} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const button of document.querySelectorAll('button[data-kind]')) {
  button.addEventListener('click', () => void start(button.dataset.kind));
}
$('clear-log')?.addEventListener('click', () => {
  $('log').replaceChildren();
});

window.demo = {
  ready,
  start,
  fetch: rawFetch,
  swEvents,
  waitForSwEvent,
  /** 'native', 'polyfill' or 'none' once `ready` settled. */
  get implementation() {
    return implementation;
  },
};
