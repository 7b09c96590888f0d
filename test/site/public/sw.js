// The demo's service worker: stores downloaded episodes, updates the
// download UI, and reports every background-fetch event to the page.
const params = new URL(self.location.href).searchParams;
if (!('BackgroundFetchManager' in self) || params.get('polyfill') === 'force') {
  try {
    if (params.get('polyfill') === 'force') self.BACKGROUND_FETCH_POLYFILL_MANUAL = true;
    importScripts('/polyfill/background-fetch-polyfill.js');
    if (params.get('polyfill') === 'force') self.BackgroundFetchPolyfill.install({ force: true });
  } catch (e) {
    // No polyfill built: this browser simply has no Background Fetch.
  }
}

importScripts('/events-store.js');
const { addEvent } = self.demoEvents;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function report(event, store) {
  const reg = event.registration;
  let records = [];
  let readable = 0;
  try {
    records = await reg.matchAll();
    const cache = store ? await caches.open('episodes') : null;
    for (const record of records) {
      try {
        const response = await record.responseReady;
        readable++;
        if (cache && response.ok) await cache.put(record.request, response);
      } catch {
        // This record has no response: it failed or was aborted before it arrived.
      }
    }
  } catch {
    // Records are no longer available.
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
  await addEvent(entry);
  const clients = await self.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  for (const client of clients) client.postMessage({ demo: 'sw-event', entry });
  return entry;
}

self.addEventListener('backgroundfetchsuccess', (event) => {
  event.waitUntil(
    report(event, true).then((entry) =>
      event.updateUI({ title: `Downloaded ${entry.id} (${entry.readable} files)` }).catch(() => undefined),
    ),
  );
});

self.addEventListener('backgroundfetchfail', (event) => {
  event.waitUntil(
    report(event, false).then((entry) =>
      event.updateUI({ title: `Download failed: ${entry.failureReason}` }).catch(() => undefined),
    ),
  );
});

self.addEventListener('backgroundfetchabort', (event) => event.waitUntil(report(event, false)));

self.addEventListener('backgroundfetchclick', (event) => event.waitUntil(self.clients.openWindow('/')));
