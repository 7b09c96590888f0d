/**
 * Fetch state in IndexedDB: it must survive the service worker being stopped
 * and the browser restarting, and pages read it directly for match().
 */
import type { ArmedFault, FetchState } from './types';

const DB_NAME = 'background-fetch-polyfill';
const DB_VERSION = 1;
/** Settled fetches kept per scope for inspection before the oldest are dropped. */
const KEEP_SETTLED = 50;

/** Faults are armed origin-wide: any realm may arm one, the worker takes it. */
export type StoredFault = ArmedFault;

let dbPromise: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('fetches')) db.createObjectStore('fetches', { keyPath: 'uid' });
      if (!db.objectStoreNames.contains('faults')) db.createObjectStore('faults', { keyPath: 'token' });
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another realm upgrading later must not be blocked by this connection.
      db.onversionchange = () => {
        db.close();
        dbPromise = null;
      };
      resolve(db);
    };
    req.onerror = () => reject(req.error);
  });
  dbPromise.catch(() => {
    dbPromise = null;
  });
  return dbPromise;
}

function run<T>(store: string, mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(store, mode);
        let value: T;
        const req = body(tx.objectStore(store));
        if (req) req.onsuccess = () => (value = req.result);
        tx.oncomplete = () => resolve(value);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
      }),
  );
}

export function putFetch(state: FetchState): Promise<void> {
  return run('fetches', 'readwrite', (s) => {
    s.put(state);
  });
}

export function getFetch(uid: string): Promise<FetchState | undefined> {
  return run<FetchState | undefined>('fetches', 'readonly', (s) => s.get(uid) as IDBRequest<FetchState | undefined>);
}

export async function listFetches(scope: string): Promise<FetchState[]> {
  const all = await run<FetchState[]>('fetches', 'readonly', (s) => s.getAll() as IDBRequest<FetchState[]>);
  return all.filter((f) => f.scope === scope).sort((a, b) => a.created - b.created);
}

export async function activeFetch(scope: string, id: string): Promise<FetchState | undefined> {
  return (await listFetches(scope)).find((f) => f.active && f.id === id);
}

/** Drops the oldest settled fetches whose records are no longer available. */
export async function prune(scope: string): Promise<string[]> {
  const done = (await listFetches(scope)).filter((f) => !f.active && f.eventDone);
  const drop = done.slice(0, Math.max(0, done.length - KEEP_SETTLED)).map((f) => f.uid);
  if (drop.length) {
    await run('fetches', 'readwrite', (s) => {
      for (const uid of drop) s.delete(uid);
    });
  }
  return drop;
}

export function putFault(fault: StoredFault): Promise<void> {
  return run('faults', 'readwrite', (s) => {
    s.put(fault);
  });
}

export function listFaults(): Promise<StoredFault[]> {
  return run<StoredFault[]>('faults', 'readonly', (s) => s.getAll() as IDBRequest<StoredFault[]>);
}

export function deleteFault(token: string): Promise<void> {
  return run('faults', 'readwrite', (s) => {
    s.delete(token);
  });
}

/** Resolves true if this call removed it: a fault is taken by one fetch only. */
export function takeFault(token: string): Promise<boolean> {
  return open().then(
    (db) =>
      new Promise<boolean>((resolve, reject) => {
        const tx = db.transaction('faults', 'readwrite');
        const s = tx.objectStore('faults');
        let found = false;
        const req = s.get(token);
        req.onsuccess = () => {
          if (req.result) {
            found = true;
            s.delete(token);
          }
        };
        tx.oncomplete = () => resolve(found);
        tx.onerror = () => reject(tx.error);
      }),
  );
}
