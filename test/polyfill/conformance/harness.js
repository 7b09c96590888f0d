// Runs one case of cases.js in this page, against the page's service worker.
(() => {
  const messages = [];
  const waiters = new Set();
  navigator.serviceWorker.addEventListener('message', (e) => {
    messages.push(e.data);
    for (const w of [...waiters]) w();
  });
  navigator.serviceWorker.startMessages();

  function waitForMessage(predicate, timeout = 25000, label = 'a service worker message') {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = messages.findIndex(predicate);
        if (i < 0) return false;
        const [m] = messages.splice(i, 1);
        waiters.delete(check);
        clearTimeout(timer);
        resolve(m);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${label}`));
      }, timeout);
      if (!check()) waiters.add(check);
    });
  }

  function assert(cond, message) {
    if (!cond) throw new Error(`assertion failed: ${message}`);
  }
  function eq(actual, expected, message) {
    if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  async function rejects(promise, name, message) {
    try {
      await promise;
    } catch (e) {
      if (e && e.name === name) return e;
      throw new Error(`${message}: expected ${name}, got ${e && e.name}: ${e && e.message}`);
    }
    throw new Error(`${message}: expected ${name}, but it resolved`);
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let counter = 0;
  const uid = (prefix = 'case') => `${prefix}-${Date.now().toString(36)}-${++counter}`;

  async function activeWorker(reg) {
    const w = reg.installing || reg.waiting || reg.active;
    if (reg.active) return;
    await new Promise((resolve) => w.addEventListener('statechange', () => w.state === 'activated' && resolve()));
  }

  window.ready = (async () => {
    const reg = await navigator.serviceWorker.register(`sw.js?mode=${MODE}`, { scope: './' });
    await activeWorker(reg);
    window.swReg = reg;
    return true;
  })();

  async function cleanup(bf) {
    for (const id of await bf.getIds()) {
      const r = await bf.get(id);
      if (r) await r.abort().catch(() => undefined);
    }
  }

  window.caseNames = () => CASES.map((c) => ({ name: c.name, na: c.na || {} }));

  window.runCase = async (name, engine) => {
    await window.ready;
    const c = CASES.find((x) => x.name === name);
    if (!c) return { status: 'fail', detail: `no case ${name}` };
    const kind = MODE === 'native' ? 'native' : 'polyfill';
    const na = c.na && (c.na[engine] || c.na[kind]);
    if (na) return { status: 'n/a', detail: na };
    const ctx = {
      swReg, bf: swReg.backgroundFetch, mode: MODE, engine, origin: location.origin,
      assert, eq, rejects, sleep, uid, waitForMessage,
      waitEvent: (id, timeout) => waitForMessage((m) => m && m.tag === 'bgf-event' && m.id === id, timeout, `the settle event of ${id}`),
    };
    try {
      await Promise.race([c.run(ctx), sleep(c.timeout || 40000).then(() => { throw new Error('case timed out'); })]);
      return { status: 'pass' };
    } catch (e) {
      return { status: 'fail', detail: String((e && e.message) || e) };
    } finally {
      await cleanup(swReg.backgroundFetch).catch(() => undefined);
    }
  };
})();
