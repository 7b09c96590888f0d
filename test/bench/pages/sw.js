// The bench's service worker. ?mode=polyfill force-installs the polyfill over
// Chromium's native Background Fetch, as the demo site does; every settle is
// announced with its time so the page can time whole fetches.
const mode = new URL(self.location.href).searchParams.get('mode');
if (mode === 'polyfill') {
  self.BACKGROUND_FETCH_POLYFILL_MANUAL = true;
  importScripts('/polyfill/background-fetch-polyfill.js');
  self.BackgroundFetchPolyfill.install({ force: true });
}
const channel = new BroadcastChannel('bench');
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
for (const type of ['backgroundfetchsuccess', 'backgroundfetchfail', 'backgroundfetchabort']) {
  self.addEventListener(type, (event) => {
    const r = event.registration;
    channel.postMessage({ type, id: r.id, result: r.result, failureReason: r.failureReason, downloaded: r.downloaded, at: performance.timeOrigin + performance.now() });
  });
}
