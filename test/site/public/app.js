// The demo page: starts background fetches of several kinds and shows what
// happens. `window.demo` is the same thing for automated tests.

const params = new URLSearchParams(location.search);
const forcePolyfill = params.get('polyfill') === 'force';
const counters = {};

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`Could not load ${src}`));
    document.head.append(s);
  });
}

async function setUp() {
  if (!('BackgroundFetchManager' in self) || forcePolyfill) {
    if (forcePolyfill) self.BACKGROUND_FETCH_POLYFILL_MANUAL = true;
    await loadScript('/polyfill/background-fetch-polyfill.js').catch(() => undefined);
    if (forcePolyfill) self.BackgroundFetchPolyfill?.install({ force: true });
  }
  await navigator.serviceWorker.register(forcePolyfill ? '/sw.js?polyfill=force' : '/sw.js', { scope: '/' });
  const reg = await navigator.serviceWorker.ready;
  const support = document.getElementById('support');
  if (!reg.backgroundFetch) {
    support.textContent = 'Background Fetch not supported in this browser';
  } else {
    support.textContent = self.BackgroundFetchPolyfill && (forcePolyfill || !('BackgroundFetchManager' in self) || self.BackgroundFetchPolyfill.installed)
      ? 'Background Fetch (polyfill)'
      : 'Background Fetch (native)';
  }
  return reg;
}

const ready = setUp();
const events = loadScript('/events-store.js').then(() => self.demoEvents);
const allEvents = () => events.then((e) => e.allEvents());

const KINDS = {
  small: () => ({
    requests: ['/media/feed.json?size=4096', '/media/cover.png', '/media/intro.mp3?size=32768'],
    options: { title: 'Small files' },
  }),
  large: ({ size = 5_000_000, ms = 5000 } = {}) => ({
    requests: [`/media/episode-large.mp3?size=${size}&ms=${ms}`],
    options: { title: 'Large episode', downloadTotal: size },
  }),
  season: ({ size = 200_000, ms = 400 } = {}) => ({
    requests: [1, 2, 3, 4, 5].map((n) => `/media/s1e${n}.mp3?size=${size}&ms=${ms}`),
    options: { title: 'Season 1', downloadTotal: 5 * size },
  }),
  missing: () => ({ requests: ['/missing/episode.mp3'], options: { title: 'Broken link' } }),
  'too-small': ({ size = 1_000_000 } = {}) => ({
    requests: [`/media/big.mp3?size=${size}`],
    options: { title: 'Too small downloadTotal', downloadTotal: 1000 },
  }),
  upload: ({ size = 100_000 } = {}) => ({
    requests: [new Request('/upload', { method: 'POST', body: 'u'.repeat(size), headers: { 'Content-Type': 'text/plain' } })],
    options: { title: 'Upload' },
  }),
};

function showRegistration(registration) {
  const li = document.createElement('li');
  const bar = document.createElement('progress');
  const text = document.createElement('span');
  li.append(`${registration.id} `, bar, ' ', text);
  document.getElementById('registrations').prepend(li);
  const update = () => {
    bar.max = registration.downloadTotal || 1;
    bar.value = registration.downloadTotal ? registration.downloaded : 0;
    const state = registration.result ? `${registration.result}${registration.failureReason ? ` (${registration.failureReason})` : ''}` : 'running';
    text.textContent = `${registration.downloaded} B — ${state}`;
    li.className = registration.result;
  };
  registration.addEventListener('progress', update);
  update();
}

async function rawFetch(id, requests, options) {
  try {
    const reg = await ready;
    const registration = await reg.backgroundFetch.fetch(id, requests, options);
    showRegistration(registration);
    return { id: registration.id };
  } catch (e) {
    return { error: { name: e?.name ?? 'Error', message: e?.message ?? String(e) } };
  }
}

async function start(kind, opts = {}) {
  const make = KINDS[kind];
  if (!make) return { error: { name: 'TypeError', message: `Unknown kind ${kind}` } };
  counters[kind] = (counters[kind] ?? 0) + 1;
  const { requests, options } = make(opts);
  return rawFetch(opts.id ?? `${kind}-${counters[kind]}-${Date.now() % 100000}`, requests, options);
}

function logEvent(entry) {
  const li = document.createElement('li');
  li.textContent = `${new Date(entry.at).toLocaleTimeString()} ${entry.type} — ${entry.id}: ${entry.result || 'no result'}${entry.failureReason ? ` (${entry.failureReason})` : ''}, ${entry.readable}/${entry.records} records readable`;
  document.getElementById('log').prepend(li);
}

navigator.serviceWorker.addEventListener('message', (event) => {
  if (event.data?.demo === 'sw-event') logEvent(event.data.entry);
});
allEvents().then((events) => events.forEach(logEvent), () => undefined);

async function waitForSwEvent(id, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await allEvents()).filter((e) => e.id === id).at(-1);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No service-worker event for ${id} within ${timeoutMs} ms`);
}

for (const button of document.querySelectorAll('button[data-kind]')) {
  button.addEventListener('click', () => start(button.dataset.kind));
}

window.demo = { ready, start, fetch: rawFetch, swEvents: allEvents, waitForSwEvent };
