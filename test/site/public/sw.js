// The demo's service worker: stores downloaded episodes, updates the
// download UI, and reports every background-fetch event to the page
// (IndexedDB, postMessage to every window, BroadcastChannel 'bgfetch-demo').

// Registered as sw.js?polyfill=force when the page wants the polyfill over a
// native implementation.
const forcePolyfill = new URL(self.location.href).searchParams.get('polyfill') === 'force';
if (!('BackgroundFetchManager' in self) || forcePolyfill) {
  try {
    // Install it ourselves (with force) rather than let the script auto-install.
    if (forcePolyfill) self.BACKGROUND_FETCH_POLYFILL_MANUAL = true;
    importScripts('/polyfill/background-fetch-polyfill.js');
    if (forcePolyfill) self.BackgroundFetchPolyfill?.install({ force: true });
  } catch (e) {
    // No polyfill built: this browser simply has no Background Fetch.
  }
}

importScripts('/events-store.js');
const { addEvent } = self.demoEvents;
const channel = 'BroadcastChannel' in self ? new BroadcastChannel('bgfetch-demo') : null;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** A record's response, or null if it has none (failed, aborted), without waiting forever. */
function responseOf(record) {
  return Promise.race([
    record.responseReady.then(
      (response) => response,
      () => null,
    ),
    new Promise((resolve) => setTimeout(() => resolve(null), 15_000)),
  ]);
}

/** Reads (and, on success, caches) the records, then logs the event everywhere. */
async function report(event, { store }) {
  const reg = event.registration;
  let records = [];
  let readable = 0;
  let error = '';
  try {
    records = await reg.matchAll();
    const cache = store ? await caches.open('episodes') : null;
    for (const record of records) {
      const response = await responseOf(record);
      if (!response) continue;
      readable++;
      // Cache Storage keeps GET responses only (an upload's answer is just counted).
      if (cache && record.request.method === 'GET') await cache.put(record.request, response).catch((e) => (error ||= `cache.put: ${e?.message ?? e}`));
    }
  } catch (e) {
    // Records are no longer available.
    error = `matchAll: ${e?.name ?? 'Error'}: ${e?.message ?? e}`;
  }
  const entry = {
    type: event.type,
    id: reg.id,
    result: reg.result,
    failureReason: reg.failureReason,
    records: records.length,
    readable,
    at: Date.now(),
  };
  if (error) entry.error = error;
  await addEvent(entry).catch(() => undefined);
  const message = { demo: 'sw-event', entry };
  try {
    channel?.postMessage(message);
  } catch {
    // A closed channel: the windows still get the postMessage below.
  }
  const windows = await self.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  for (const client of windows) client.postMessage(message);
  return entry;
}

async function updateUI(event, title) {
  try {
    await event.updateUI({ title, icons: [{ src: '/icon.png', sizes: '128x128', type: 'image/png' }] });
  } catch {
    // updateUI may be called once only, and some implementations lack it.
  }
}

self.addEventListener('backgroundfetchsuccess', (event) => {
  event.waitUntil(
    report(event, { store: true }).then((entry) => updateUI(event, `Downloaded ${entry.id}`)),
  );
});

self.addEventListener('backgroundfetchfail', (event) => {
  event.waitUntil(
    report(event, { store: false }).then((entry) =>
      updateUI(event, `Download failed: ${entry.id} (${entry.failureReason}, ${entry.readable}/${entry.records} files readable)`),
    ),
  );
});

self.addEventListener('backgroundfetchabort', (event) => {
  event.waitUntil(report(event, { store: false }));
});

self.addEventListener('backgroundfetchclick', (event) => {
  event.waitUntil(
    (async () => {
      await report(event, { store: false }).catch(() => undefined);
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((c) => new URL(c.url).origin === self.location.origin);
      if (open && 'focus' in open) return open.focus().catch(() => self.clients.openWindow('/'));
      return self.clients.openWindow('/');
    })(),
  );
});
