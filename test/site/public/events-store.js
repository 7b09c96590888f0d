// The service worker's event log, in IndexedDB so it survives service-worker
// restarts and page reloads. A classic script, so the service worker can
// importScripts() it and the page can load it with a <script> tag.
(() => {
const DB = 'bgfetch-demo';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('events', { autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function addEvent(event) {
  const db = await open();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('events', 'readwrite');
    tx.objectStore('events').add(event);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

async function allEvents() {
  const db = await open();
  const events = await new Promise((resolve, reject) => {
    const req = db.transaction('events').objectStore('events').getAll();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  db.close();
  return events;
}

self.demoEvents = { addEvent, allEvents };
})();
