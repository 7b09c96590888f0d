// Conformance cases modelled on web-platform-tests/background-fetch. Each runs
// in the page; the service worker (sw.js) reports its settle events.
// `na` marks a case not applicable to an engine kind ('native' / 'polyfill') or
// engine ('native-chromium', 'polyfill-chromium', 'polyfill-firefox').
const R = '/res/';
self.CASES = [
  {
    name: 'fetch: requires an activated service worker',
    async run({ rejects, uid, sleep }) {
      const reg = await navigator.serviceWorker.register(`pending/sw.js?mode=${MODE}&slowInstall=1`, { scope: 'pending/' });
      try {
        if (reg.active) throw new Error('there must not be an activated worker');
        await rejects(reg.backgroundFetch.fetch(uid(), [`${R}text`]), 'TypeError', 'fetch() on an installing worker');
      } finally {
        await sleep(50);
        await reg.unregister();
      }
    },
  },
  {
    name: 'fetch: argument verification (empty list, credentials in URL, no-cors)',
    async run({ bf, rejects, uid }) {
      await rejects(bf.fetch(uid(), []), 'TypeError', 'empty sequence');
      await rejects(bf.fetch(uid(), 'https://user:pass@domain/secret.txt'), 'TypeError', 'credentials in the URL');
      await rejects(bf.fetch(uid(), new Request(`${R}text`, { mode: 'no-cors' })), 'TypeError', 'no-cors request');
    },
  },
  {
    name: 'credentials in URL (user, password, both)',
    async run({ bf, rejects, uid }) {
      for (const url of ['https://username:password@example.com/', 'https://username@example.com/', 'https://:password@example.com/', `http://user:pw@${location.host}${R}text`]) {
        await rejects(bf.fetch(uid(), url), 'TypeError', url);
      }
    },
  },
  {
    name: 'fetch: ids are unique among active fetches, reusable once settled',
    async run({ bf, rejects, uid, waitEvent, eq }) {
      const id = uid('dup');
      await rejects(Promise.all([bf.fetch(id, `${R}slow?1`), bf.fetch(id, `${R}slow?2`)]), 'TypeError', 'two active fetches with one id');
      const reg = await bf.get(id);
      eq(await reg.abort(), true, 'abort');
      await waitEvent(id);
      const again = await bf.fetch(id, `${R}text`);
      eq(again.id, id, 'the id is reusable');
      eq((await waitEvent(id)).type, 'backgroundfetchsuccess', 'the reused id succeeds');
    },
  },
  {
    name: 'fetch: a single resource succeeds',
    async run({ bf, uid, waitEvent, eq, assert }) {
      const id = uid();
      const reg = await bf.fetch(id, `${R}text`);
      eq(reg.id, id, 'id');
      eq(reg.uploadTotal, 0, 'uploadTotal');
      eq(reg.uploaded, 0, 'uploaded');
      eq(reg.downloadTotal, 0, 'downloadTotal');
      eq(reg.result, '', 'result');
      eq(reg.failureReason, '', 'failureReason');
      assert(reg instanceof BackgroundFetchRegistration && reg instanceof EventTarget, 'a BackgroundFetchRegistration');
      const m = await waitEvent(id);
      eq(m.type, 'backgroundfetchsuccess', 'event type');
      assert(m.isExtendable, 'the event is an ExtendableEvent');
      eq(m.results.length, 1, 'one record');
      eq(m.eventRegistration.result, 'success', 'result in the worker');
      eq(m.eventRegistration.failureReason, '', 'failureReason in the worker');
      assert(m.results[0].url.includes('/res/text'), 'response url');
      eq(m.results[0].status, 200, 'status');
      eq(m.results[0].text, 'Background Fetch', 'body');
    },
  },
  {
    name: 'fetch: exceeding the quota rejects with QuotaExceededError',
    async run({ bf, uid, rejects }) {
      await rejects(bf.fetch(uid(), `${R}text`, { downloadTotal: Number.MAX_SAFE_INTEGER }), 'QuotaExceededError', 'huge downloadTotal');
    },
  },
  {
    name: 'fetch: duplicate URLs in one fetch',
    async run({ bf, uid, waitEvent, eq }) {
      const id = uid();
      await bf.fetch(id, [`${R}text`, `${R}text`]);
      const m = await waitEvent(id);
      eq(m.type, 'backgroundfetchsuccess', 'event type');
      eq(m.results.length, 2, 'two records');
      for (const r of m.results) eq(r.text, 'Background Fetch', 'body');
    },
  },
  {
    name: 'abort: the same registration twice',
    async run({ bf, uid, eq, waitEvent }) {
      const id = uid();
      const reg = await bf.fetch(id, [`${R}text`, `${R}slow`]);
      eq(await reg.abort(), true, 'first abort');
      eq(await reg.abort(), false, 'second abort');
      const m = await waitEvent(id);
      eq(m.type, 'backgroundfetchabort', 'event type');
      eq(m.eventRegistration.result, 'failure', 'result');
      eq(m.eventRegistration.failureReason, 'aborted', 'failureReason');
      eq(reg.result, 'failure', 'page result');
      eq(reg.failureReason, 'aborted', 'page failureReason');
    },
  },
  {
    name: 'abort: complete records stay readable, incomplete ones reject AbortError',
    async run({ bf, uid, eq, waitEvent, assert }) {
      const id = uid();
      const reg = await bf.fetch(id, [`${R}text`, `${R}slow`]);
      await new Promise((resolve) => {
        reg.onprogress = () => reg.downloaded >= 'Background Fetch'.length && resolve();
      });
      eq(await reg.abort(), true, 'abort');
      const m = await waitEvent(id);
      const slow = m.results.find((r) => r.requestUrl.includes('/res/slow'));
      assert(slow && slow.response === false && slow.name === 'AbortError', `incomplete record: ${JSON.stringify(slow)}`);
      const text = m.results.find((r) => r.requestUrl.includes('/res/text'));
      if (text.response !== false) eq(text.text, 'Background Fetch', 'complete record');
    },
  },
  {
    name: 'match: a record of an active fetch',
    async run({ bf, uid, eq, assert }) {
      const reg = await bf.fetch(uid(), [`${R}text`, `${R}slow`]);
      const record = await reg.match(`${R}text`);
      assert(record instanceof BackgroundFetchRecord, 'a BackgroundFetchRecord');
      assert(record.request instanceof Request, 'record.request');
      const response = await record.responseReady;
      assert(response.url.includes('/res/text'), 'response url');
      eq(await response.text(), 'Background Fetch', 'body');
      eq(await reg.match(`${R}missing`), undefined, 'no match');
    },
  },
  {
    name: 'match: query options (ignoreSearch, ignoreMethod)',
    async run({ bf, uid, eq }) {
      const reg = await bf.fetch(uid(), [`${R}text`, `${R}text`, `${R}text?id=3`, new Request(`${R}text`, { method: 'PUT' }), `${R}slow`]);
      eq((await reg.matchAll(`${R}text`)).length, 2, 'exact');
      eq((await reg.matchAll(`${R}text`, { ignoreSearch: true })).length, 3, 'ignoreSearch');
      eq((await reg.matchAll(`${R}text`, { ignoreMethod: true })).length, 3, 'ignoreMethod');
      eq((await reg.matchAll(`${R}text`, { ignoreSearch: true, ignoreMethod: true })).length, 4, 'both');
      eq((await reg.matchAll()).length, 5, 'all');
    },
  },
  {
    name: 'match: Vary is honoured unless ignoreVary',
    async run({ bf, uid, eq, waitEvent }) {
      const id = uid();
      const reg = await bf.fetch(id, [new Request(`${R}vary`, { headers: { 'x-flavour': 'a' } }), `${R}slow?ms=2000`]);
      await new Promise((r) => { reg.onprogress = () => reg.downloaded >= 6 && r(); });
      eq((await reg.matchAll(new Request(`${R}vary`, { headers: { 'x-flavour': 'a' } }))).length, 1, 'same header');
      eq((await reg.matchAll(new Request(`${R}vary`, { headers: { 'x-flavour': 'b' } }))).length, 0, 'other header');
      eq((await reg.matchAll(new Request(`${R}vary`, { headers: { 'x-flavour': 'b' } }), { ignoreVary: true })).length, 1, 'ignoreVary');
    },
  },
  {
    name: 'get: one registration object per fetch while active',
    async run({ bf, uid, eq, waitEvent }) {
      const id = uid();
      const reg = await bf.fetch(id, [`${R}slow?ms=1500`]);
      eq(await bf.get(id), reg, 'get() returns the fetch() object');
      eq(await bf.get(id), reg, 'get() twice returns the same object');
      eq(await bf.get('no-such-id'), undefined, 'unknown id');
      await waitEvent(id);
      eq(await bf.get(id), undefined, 'settled fetches are not returned');
    },
  },
  {
    name: 'getIds: lists active fetches only',
    async run({ bf, uid, eq, assert, waitEvent }) {
      const a = uid('ids');
      const b = uid('ids');
      const ra = await bf.fetch(a, `${R}slow`);
      await bf.fetch(b, `${R}slow`);
      const ids = await bf.getIds();
      assert(ids.includes(a) && ids.includes(b), `both listed: ${ids}`);
      await ra.abort();
      await waitEvent(a);
      const after = await bf.getIds();
      assert(!after.includes(a) && after.includes(b), `only the active one: ${after}`);
    },
  },
  {
    name: 'uploads: a request body is read up front and sent',
    async run({ bf, uid, eq, waitEvent }) {
      const id = uid();
      const data = 'Background Fetch!';
      const reg = await bf.fetch(id, new Request(`${R}upload`, { method: 'POST', body: data }));
      eq(reg.uploadTotal, data.length, 'uploadTotal');
      const m = await waitEvent(id);
      eq(m.type, 'backgroundfetchsuccess', 'event type');
      eq(m.eventRegistration.uploaded, data.length, 'uploaded');
      eq(m.results[0].text, data, 'echoed body');
    },
  },
  {
    name: 'uploads: progress includes uploaded bytes; duplicate uploads are distinct',
    async run({ bf, uid, eq, waitEvent }) {
      const data = 'Background Fetch!';
      const reg = await bf.fetch(uid(), [new Request(`${R}upload`, { method: 'POST', body: data }), `${R}slow`]);
      const uploaded = await new Promise((r) => { reg.onprogress = () => reg.downloaded > 0 && r(reg.uploaded); });
      eq(uploaded, data.length, 'uploaded in progress');
      const id = uid();
      await bf.fetch(id, [new Request(`${R}upload`, { method: 'POST', body: 'upload1' }), new Request(`${R}upload`, { method: 'POST', body: 'upload2' })]);
      const m = await waitEvent(id);
      eq(JSON.stringify(m.results.map((r) => r.text).sort()), JSON.stringify(['upload1', 'upload2']), 'both bodies');
    },
  },
  {
    name: 'updateUI: once, twice, when inactive',
    async run({ bf, uid, eq, waitEvent }) {
      for (const [prefix, expected] of [['update-once', 'update success'], ['update-twice', 'InvalidStateError'], ['update-inactive', 'InvalidStateError']]) {
        const id = uid(prefix);
        await bf.fetch(id, `${R}text`);
        eq((await waitEvent(id)).update, expected, prefix);
      }
    },
  },
  {
    name: 'port blocking',
    async run({ bf, uid, rejects }) {
      for (const url of ['https://example.com', 'https://example.com:443', 'https://example.com:80', 'https://example.com:8080', `http://127.0.0.1:${location.port}${R}text`]) {
        const reg = await bf.fetch(uid(), url);
        await reg.abort();
      }
      await rejects(bf.fetch(uid(), 'https://example.com:587'), 'TypeError', 'SMTP port');
      await rejects(bf.fetch(uid(), 'http://127.0.0.1:1/'), 'TypeError', 'port 1');
    },
  },
  {
    name: 'mixed content and allowed schemes',
    async run({ bf, uid, rejects }) {
      for (const url of [`http://127.0.0.1:${location.port}${R}text`, `http://localhost:${location.port}${R}text`, 'https://example.com']) {
        const reg = await bf.fetch(uid(), url);
        await reg.abort();
      }
      for (const url of ['wss:127.0.0.1', 'file:///', 'data:text/plain,foo', 'foobar:bazqux']) {
        await rejects(bf.fetch(uid(), url), 'TypeError', url);
      }
      const nonLoopback = ['http://example.com', 'http://192.0.2.0', 'http://[2001:db8::1]'];
      if (location.protocol === 'https:') {
        // Mixed content (WPT runs on https).
        for (const url of nonLoopback) await rejects(bf.fetch(uid(), url), 'TypeError', url);
        await rejects(bf.fetch(uid(), ['https://example.com', 'http://example.com']), 'TypeError', 'https then http');
      } else {
        // An http context has no mixed content: Chromium registers these.
        for (const url of nonLoopback) await (await bf.fetch(uid(), url)).abort();
      }
    },
  },
  {
    name: 'dangling markup',
    async run({ bf, uid, rejects }) {
      await rejects(bf.fetch(uid(), 'https://example.com/?\n<'), 'TypeError', 'newline and <');
      await rejects(bf.fetch(uid(), 'https://example.com/\t<blah'), 'TypeError', 'tab and <');
    },
  },
  {
    name: 'recordsAvailable turns false after the event; match then rejects InvalidStateError',
    async run({ bf, uid, eq, waitEvent, waitForMessage, rejects, sleep }) {
      const id = uid('records-after');
      const reg = await bf.fetch(id, `${R}text`);
      eq(reg.recordsAvailable, true, 'available while active');
      const m = await waitEvent(id);
      eq(m.eventRegistration.recordsAvailable, true, 'available during the event');
      const after = await waitForMessage((x) => x.tag === 'bgf-after' && x.id === id);
      eq(after.recordsAvailable, false, 'recordsAvailable in the worker after the event');
      eq(after.matchError, 'InvalidStateError', 'match() in the worker after the event');
      await sleep(200);
      eq(reg.recordsAvailable, false, 'recordsAvailable in the page');
      await rejects(reg.matchAll(), 'InvalidStateError', 'matchAll() in the page');
    },
  },
  {
    name: 'progress: fires on changes, reports the result once, never after',
    async run({ bf, uid, eq, assert, waitEvent, sleep }) {
      const id = uid();
      const size = 300000;
      const reg = await bf.fetch(id, `${R}big?size=${size}&delay=5`);
      const seen = [];
      reg.addEventListener('progress', () => seen.push({ downloaded: reg.downloaded, result: reg.result }));
      await waitEvent(id);
      await sleep(500);
      assert(seen.length >= 2, `several progress events (${seen.length})`);
      const last = seen[seen.length - 1];
      eq(last.result, 'success', 'the last progress reports the result');
      eq(seen.filter((s) => s.result !== '').length, 1, 'exactly one progress with a result');
      eq(last.downloaded, size, 'downloaded');
      for (let i = 1; i < seen.length; i++) assert(seen[i].downloaded >= seen[i - 1].downloaded, 'downloaded never decreases');
    },
  },
  {
    name: 'failure: 404 is bad-status, the response still readable',
    async run({ bf, uid, eq, waitEvent }) {
      const id = uid();
      const reg = await bf.fetch(id, [`${R}404`, `${R}text`]);
      const m = await waitEvent(id);
      eq(m.type, 'backgroundfetchfail', 'event type');
      eq(m.eventRegistration.failureReason, 'bad-status', 'failureReason');
      const r = m.results.find((x) => x.requestUrl.includes('/res/404'));
      eq(r.status, 404, 'stored status');
      eq(r.text, 'Not here', 'stored body');
      eq(reg.failureReason, 'bad-status', 'page failureReason');
    },
  },
  {
    name: 'failure: downloadTotal exceeded',
    async run({ bf, uid, eq, waitEvent }) {
      const id = uid();
      await bf.fetch(id, [`${R}big?size=500000`], { downloadTotal: 100 });
      const m = await waitEvent(id);
      eq(m.type, 'backgroundfetchfail', 'event type');
      eq(m.eventRegistration.failureReason, 'download-total-exceeded', 'failureReason');
    },
  },
  {
    name: 'failure: cross-origin without CORS is fetch-error',
    async run({ bf, uid, eq, waitEvent }) {
      const id = uid();
      await bf.fetch(id, `http://localhost:${location.port}${R}text`);
      const m = await waitEvent(id);
      eq(m.type, 'backgroundfetchfail', 'event type');
      eq(m.eventRegistration.failureReason, 'fetch-error', 'failureReason');
      eq(m.results[0].response, false, 'responseReady rejects');
    },
  },
  {
    name: 'fetch() from the service worker',
    na: { native: 'Chromium refuses backgroundFetch.fetch() in service workers (NotAllowedError)' },
    async run({ uid, eq, waitEvent, waitForMessage, swReg }) {
      const id = uid();
      swReg.active.postMessage({ cmd: 'sw-fetch', id, url: `${R}text` });
      const m = await waitForMessage((x) => x.tag === 'sw-fetch');
      eq(m.ok, true, `fetch() in the worker: ${m.name} ${m.message}`);
      eq(m.same, true, 'get() in the worker returns the same object');
      eq((await waitEvent(id)).type, 'backgroundfetchsuccess', 'event');
    },
  },
  {
    name: 'polyfill: requests run with the configured concurrency (default 3)',
    na: { native: 'Chromium runs one request at a time; concurrency is a polyfill option' },
    async run({ bf, uid, eq, waitEvent }) {
      const id = uid();
      const group = id;
      const urls = [1, 2, 3, 4, 5].map((i) => `${R}big?size=200000&delay=20&group=${group}&n=${i}`);
      await bf.fetch(id, urls);
      eq((await waitEvent(id)).type, 'backgroundfetchsuccess', 'event');
      const res = await fetch(`/__log/max?group=${group}`);
      eq(await res.text(), '3', `requests in flight at most (requests seen: ${res.headers.get('x-requests')})`);
    },
  },
  {
    name: 'polyfill: fault injection for every failure reason',
    na: { native: 'fault injection is a polyfill API' },
    async run({ bf, uid, eq, assert, waitEvent }) {
      const api = BackgroundFetchPolyfill.devtools;
      const expectations = [
        ['fetch-error', 'backgroundfetchfail'],
        ['bad-status', 'backgroundfetchfail'],
        ['quota-exceeded', 'backgroundfetchfail'],
        ['download-total-exceeded', 'backgroundfetchfail'],
        ['aborted', 'backgroundfetchabort'],
      ];
      for (const [reason, type] of expectations) {
        const id = uid(`fault-${reason}`);
        await api.armFault({ id, reason });
        await bf.fetch(id, `${R}text`);
        const m = await waitEvent(id);
        eq(m.type, type, `${reason}: event`);
        eq(m.eventRegistration.failureReason, reason, `${reason}: failureReason`);
        if (reason === 'bad-status') eq(m.results[0].status, 404, 'bad-status: the stored response is a 404');
      }
      // A fault armed by URL, then disarmed, does not apply.
      const token = await api.armFault({ url: 'never-used-url', reason: 'fetch-error' });
      await api.disarmFault(token);
      const ok = uid();
      await bf.fetch(ok, `${R}text?never-used-url`);
      eq((await waitEvent(ok)).type, 'backgroundfetchsuccess', 'a disarmed fault does not apply');
      // failRegistration on a running fetch.
      const running = uid();
      const reg = await bf.fetch(running, `${R}slow`);
      eq(await api.failRegistration(swReg, running, 'fetch-error'), true, 'failRegistration on an active fetch');
      eq((await waitEvent(running)).eventRegistration.failureReason, 'fetch-error', 'failRegistration reason');
      eq(await api.failRegistration(swReg, running, 'fetch-error'), false, 'failRegistration on a settled fetch');
      assert(reg.result === 'failure', 'page sees the failure');
    },
  },
  {
    name: 'polyfill: a stopped worker resumes with a validated Range request',
    na: { native: 'polyfill storage behaviour', 'polyfill-firefox': 'needs a way to stop the service worker (CDP, Chromium only)' },
    timeout: 60000,
    async run({ bf, uid, eq, assert, waitEvent, sleep }) {
      const id = uid();
      const size = 1500000;
      const reg = await bf.fetch(id, `${R}big?size=${size}&delay=15&chunk=16384`);
      await new Promise((r) => { reg.onprogress = () => reg.downloaded > 300000 && r(); });
      await window.__stopServiceWorker();
      await sleep(300);
      // Any manager call wakes the worker, which resumes the fetch.
      const ids = await bf.getIds();
      assert(ids.includes(id), 'still active after the stop');
      const m = await waitEvent(id, 50000);
      eq(m.type, 'backgroundfetchsuccess', 'event');
      eq(m.results[0].length, size, 'the whole body');
      eq(m.results[0].bigOk, true, 'the resumed body is byte-exact');
      const log = await (await fetch(`/__log/ranges?path=big`)).json();
      assert(log.some((r) => r && /^bytes=\d+-$/.test(r) && r !== 'bytes=0-'), `a Range request was made: ${JSON.stringify(log)}`);
    },
  },
  {
    name: 'polyfill: rejectAtFetchTime false registers and fails the record (newer spec)',
    na: { native: 'a polyfill option' },
    async run({ bf, uid, eq, waitEvent }) {
      BackgroundFetchPolyfill.install({ rejectAtFetchTime: false });
      try {
        const id = uid();
        await bf.fetch(id, ['https://example.com:587/', `${R}text`]);
        const m = await waitEvent(id);
        eq(m.type, 'backgroundfetchfail', 'event');
        eq(m.eventRegistration.failureReason, 'fetch-error', 'failureReason');
        eq(m.results[0].response, false, 'the blocked record rejects');
        eq(m.results[1].text, 'Background Fetch', 'the other record is stored');
      } finally {
        BackgroundFetchPolyfill.install({ rejectAtFetchTime: true });
      }
    },
  },
  {
    name: 'polyfill: announces itself to the DevTools hook; prototypes are wrappable',
    na: { native: 'the hook announcement is the polyfill\'s' },
    async run({ eq, assert, swReg }) {
      eq(__hookCalls.length, 1, 'onImplementation called once');
      eq(__hookCalls[0].kind, 'polyfill', 'kind');
      assert(__hookCalls[0].devtools === BackgroundFetchPolyfill.devtools, 'devtools API passed');
      for (const m of ['fetch', 'get', 'getIds']) assert(Object.hasOwn(BackgroundFetchManager.prototype, m), `BackgroundFetchManager.prototype.${m}`);
      for (const m of ['abort', 'match', 'matchAll']) assert(Object.hasOwn(BackgroundFetchRegistration.prototype, m), `BackgroundFetchRegistration.prototype.${m}`);
      assert(swReg.backgroundFetch instanceof BackgroundFetchManager, 'the getter returns the polyfill manager');
      assert(swReg.backgroundFetch === swReg.backgroundFetch, 'one manager per registration');
    },
  },
];
