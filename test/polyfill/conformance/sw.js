// The suite's service worker. Reports every settle event to the pages with
// its registration's fields and each record's response, like WPT's sw.js.
const params = new URL(location.href).searchParams;
const mode = params.get('mode') || 'polyfill';
if (mode !== 'native') {
  if (mode === 'force') self.BACKGROUND_FETCH_POLYFILL_MANUAL = true;
  importScripts('/polyfill/background-fetch-polyfill.js');
  if (mode === 'force') BackgroundFetchPolyfill.install({ force: true, segmentSize: 65536 });
}

self.addEventListener('install', (event) => {
  if (params.has('slowInstall')) event.waitUntil(new Promise((r) => setTimeout(r, 4000)));
  self.skipWaiting();
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function post(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true, type: 'window' })) client.postMessage(message);
}

function fields(reg) {
  return {
    id: reg.id,
    result: reg.result,
    failureReason: reg.failureReason,
    uploaded: reg.uploaded,
    uploadTotal: reg.uploadTotal,
    downloaded: reg.downloaded,
    downloadTotal: reg.downloadTotal,
    recordsAvailable: reg.recordsAvailable,
  };
}

async function results(reg) {
  const out = [];
  for (const record of await reg.matchAll()) {
    try {
      const response = await record.responseReady;
      const bytes = new Uint8Array(await response.arrayBuffer());
      const text = bytes.length > 200 ? `${bytes.length} bytes` : new TextDecoder().decode(bytes);
      // /res/big's content is (i * 31 + 7) & 255: a resumed body must match it exactly.
      const bigOk = bytes.every((b, i) => b === ((i * 31 + 7) & 0xff));
      out.push({ url: response.url, status: response.status, text, length: bytes.length, bigOk, method: record.request.method, requestUrl: record.request.url, contentLength: response.headers.get('content-length') });
    } catch (e) {
      out.push({ response: false, name: e.name, requestUrl: record.request.url });
    }
  }
  return out;
}

for (const type of ['backgroundfetchsuccess', 'backgroundfetchfail', 'backgroundfetchabort']) {
  self.addEventListener(type, (event) => {
    const id = event.registration.id;
    const isExtendable = event instanceof ExtendableEvent;
    if (id.startsWith('update-inactive')) {
      setTimeout(() => {
        event.updateUI({ title: 'late' }).then(() => 'update success', (e) => e.name)
          .then((update) => post({ tag: 'bgf-event', type: event.type, id, update }));
      }, 50);
      return;
    }
    event.waitUntil((async () => {
      let update;
      if (id.startsWith('update-once')) update = await event.updateUI({ title: 'Done' }).then(() => 'update success', (e) => e.name);
      if (id.startsWith('update-twice')) {
        await event.updateUI({ title: 'one' });
        update = await event.updateUI({ title: 'two' }).then(() => 'update success', (e) => e.name);
      }
      const res = await results(event.registration);
      if (id.startsWith('records-after')) {
        setTimeout(async () => {
          let matchError = 'none';
          try { await event.registration.match('/res/text'); } catch (e) { matchError = e.name; }
          post({ tag: 'bgf-after', id, recordsAvailable: event.registration.recordsAvailable, matchError });
        }, 500);
      }
      await post({ tag: 'bgf-event', type: event.type, id, isExtendable, eventRegistration: fields(event.registration), results: res, update });
    })());
  });
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.cmd !== 'sw-fetch') return;
  event.waitUntil((async () => {
    try {
      const reg = await self.registration.backgroundFetch.fetch(data.id, data.url);
      await post({ tag: 'sw-fetch', ok: true, id: reg.id, same: (await self.registration.backgroundFetch.get(data.id)) === reg });
    } catch (e) {
      await post({ tag: 'sw-fetch', ok: false, name: e.name, message: e.message });
    }
  })());
});
