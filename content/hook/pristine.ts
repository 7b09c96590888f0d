/**
 * References taken before any page script runs. The page may later replace
 * postMessage, addEventListener, Promise, JSON or Array.prototype.push; the
 * hook calls only what it captured here, so it keeps working (and the page's
 * own replacements never see our traffic).
 */
const apply = Reflect.apply;
const getOwn = Object.getOwnPropertyDescriptor;

type Fn = (...args: never[]) => unknown;

/** `uncurry(Foo.prototype.bar)(obj, ...args)` calls the original `bar` on `obj`. */
function uncurry<T extends Fn>(fn: T): (self: unknown, ...args: Parameters<T>) => ReturnType<T> {
  return (self, ...args) => apply(fn, self, args) as ReturnType<T>;
}

function getter(proto: object | undefined, name: string): ((self: unknown) => unknown) | null {
  const get = proto ? getOwn(proto, name)?.get : undefined;
  return get ? (self) => apply(get, self, []) : null;
}

export const pristine = {
  apply,
  defineProperty: Object.defineProperty,
  getOwnPropertyDescriptor: getOwn,
  freeze: Object.freeze,
  isFrozen: Object.isFrozen,
  now: Date.now,
  random: Math.random,
  setTimeout: globalThis.setTimeout.bind(globalThis),
  clearTimeout: globalThis.clearTimeout.bind(globalThis),
  setInterval: globalThis.setInterval.bind(globalThis),
  clearInterval: globalThis.clearInterval.bind(globalThis),
  Request: globalThis.Request,
  resolve: Promise.resolve.bind(Promise) as <T>(value: T) => Promise<Awaited<T>>,
  all: Promise.all.bind(Promise) as <T>(values: Promise<T>[]) => Promise<T[]>,
  race: Promise.race.bind(Promise) as <T>(values: Promise<T>[]) => Promise<T>,
  TextDecoder: globalThis.TextDecoder,
  String: globalThis.String,
  Number: globalThis.Number,
  isArray: Array.isArray,
  iterator: Symbol.iterator,
  then: uncurry(Promise.prototype.then) as <T>(
    p: PromiseLike<T>,
    ok: (v: T) => unknown,
    fail: (e: unknown) => unknown,
  ) => Promise<unknown>,
  addEventListener: uncurry(EventTarget.prototype.addEventListener),
  removeEventListener: uncurry(EventTarget.prototype.removeEventListener),
  stopImmediatePropagation: uncurry(Event.prototype.stopImmediatePropagation),
  eventData: getter(globalThis.MessageEvent?.prototype, 'data'),
  eventPorts: getter(globalThis.MessageEvent?.prototype, 'ports'),
  eventSource: getter(globalThis.MessageEvent?.prototype, 'source'),
  portPostMessage: globalThis.MessagePort ? uncurry(MessagePort.prototype.postMessage) : null,
  portStart: globalThis.MessagePort ? uncurry(MessagePort.prototype.start) : null,
  mapGet: uncurry(Map.prototype.get),
  mapSet: uncurry(Map.prototype.set),
  mapDelete: uncurry(Map.prototype.delete),
  mapValues: uncurry(Map.prototype.values),
  weakGet: uncurry(WeakMap.prototype.get),
  weakSet: uncurry(WeakMap.prototype.set),
  weakHas: uncurry(WeakMap.prototype.has),
  Map: globalThis.Map,
  WeakMap: globalThis.WeakMap,
  swGetRegistrations: globalThis.ServiceWorkerContainer
    ? uncurry(ServiceWorkerContainer.prototype.getRegistrations)
    : null,
  serviceWorker: getter(globalThis.Navigator?.prototype, 'serviceWorker'),
  registrationScope: getter(globalThis.ServiceWorkerRegistration?.prototype, 'scope'),
};

/** Appends without Array.prototype.push, which a page may have replaced. */
export function append<T>(list: T[], item: T): void {
  list[list.length] = item;
}

/** Map values as an array, via the captured iterator. */
export function valuesOf<K, V>(map: Map<K, V>): V[] {
  const out: V[] = [];
  const it = pristine.mapValues(map) as IterableIterator<V>;
  for (let step = it.next(); !step.done; step = it.next()) append(out, step.value);
  return out;
}
