/**
 * Wraps BackgroundFetchManager.prototype (fetch, get, getIds) and the
 * ServiceWorkerRegistration.prototype.backgroundFetch getter of whichever
 * implementation is present: Chromium's native one, or a polyfill that
 * announced itself through the global hook.
 *
 * Wrappers return the page exactly what the original returned (same promise,
 * same objects); the hook only watches.
 */
import { LIMITS } from '../../extension/protocol';
import { cap, describeError, describeOptions, describeRequest, previewBytes, readBodies, toRequestList, type CapturedBody } from './capture';
import { append, pristine } from './pristine';
import { FaultRules, emulateFailure, type PolyfillFaults } from './faults';
import type { CallInfo, Tracker } from './tracker';

/** Armed fault rules, and the polyfill's fault API when one announced itself. */
export interface FaultContext {
  rules: FaultRules;
  polyfill: PolyfillFaults | null;
}

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/** The originals, used by discovery so it never re-enters the wrappers. */
export interface Originals {
  managerOf(swRegistration: ServiceWorkerRegistration): BackgroundFetchManager | null;
  get(manager: BackgroundFetchManager, id: string): Promise<BackgroundFetchRegistration | undefined>;
  getIds(manager: BackgroundFetchManager): Promise<string[]>;
  matchAll(registration: BackgroundFetchRegistration): Promise<readonly BackgroundFetchRecord[]>;
  abort(registration: BackgroundFetchRegistration): Promise<boolean>;
}

export interface Instrumented {
  originals: Originals | null;
  /** Plain-words reason when something could not be wrapped. */
  problem: string | null;
}

const scopes: WeakMap<object, string> = new pristine.WeakMap();
const wrapped: WeakMap<object, true> = new pristine.WeakMap();

export function scopeOf(manager: unknown): string {
  const scope = manager ? (pristine.weakGet(scopes, manager) as string | undefined) : undefined;
  return scope ?? '';
}

function replaceMethod(proto: object, name: string, make: (original: AnyFn) => AnyFn): AnyFn {
  const desc = pristine.getOwnPropertyDescriptor(proto, name);
  const original = desc?.value as AnyFn | undefined;
  if (typeof original !== 'function') throw new Error(`${name} is missing`);
  if (pristine.weakHas(wrapped, original)) return original;
  const wrapper = make(original);
  pristine.weakSet(wrapped, wrapper, true);
  pristine.defineProperty(wrapper, 'name', { value: name });
  pristine.defineProperty(wrapper, 'length', { value: original.length });
  pristine.defineProperty(proto, name, { ...desc, value: wrapper });
  return original;
}

export function instrument(global: typeof globalThis, tracker: Tracker, faults: FaultContext): Instrumented {
  const Manager = (global as { BackgroundFetchManager?: { prototype: object } }).BackgroundFetchManager;
  const SWReg = global.ServiceWorkerRegistration;
  const Registration = (global as { BackgroundFetchRegistration?: { prototype: object } }).BackgroundFetchRegistration;
  if (!Manager || !SWReg) return { originals: null, problem: null };

  const swDesc = pristine.getOwnPropertyDescriptor(SWReg.prototype, 'backgroundFetch');
  const managerGetter = swDesc?.get;
  const method = (name: string) =>
    Registration ? (pristine.getOwnPropertyDescriptor(Registration.prototype, name)?.value as AnyFn | undefined) : undefined;
  const matchAll = method('matchAll');
  const abort = method('abort');
  const proto = Manager.prototype;
  let originalGet: AnyFn;
  let originalGetIds: AnyFn;
  try {
    if (!managerGetter) throw new Error('ServiceWorkerRegistration.prototype.backgroundFetch is missing');
    if (!pristine.weakHas(wrapped, managerGetter)) {
      const getter = function (this: ServiceWorkerRegistration) {
        const manager = pristine.apply(managerGetter, this, []) as object | null;
        if (manager) {
          const scope = pristine.registrationScope?.(this);
          if (typeof scope === 'string') pristine.weakSet(scopes, manager, cap(scope));
        }
        return manager;
      };
      pristine.weakSet(wrapped, getter, true);
      pristine.defineProperty(SWReg.prototype, 'backgroundFetch', { ...swDesc, get: getter });
    }
    replaceMethod(proto, 'fetch', (original) => function (this: unknown, ...args: unknown[]) {
      return wrappedFetch(this, original, args, tracker, faults, abort);
    });
    originalGet = replaceMethod(proto, 'get', (original) => function (this: unknown, ...args: unknown[]) {
      const result = pristine.apply(original, this, args) as Promise<BackgroundFetchRegistration | undefined>;
      const scope = scopeOf(this);
      pristine.then(result, (r) => r && tracker.track(r, scope, null), () => undefined);
      return result;
    });
    originalGetIds = replaceMethod(proto, 'getIds', (original) => original);
  } catch (error) {
    return {
      originals: null,
      problem: `Could not instrument Background Fetch in ${tracker.info.origin || 'this frame'} (${describeError(error).message}). The page may have frozen or replaced BackgroundFetchManager; fetches it starts are only found by polling get()/getIds().`,
    };
  }
  return {
    problem: null,
    originals: {
      managerOf(swRegistration) {
        const manager = pristine.apply(managerGetter, swRegistration, []) as BackgroundFetchManager | null;
        const scope = pristine.registrationScope?.(swRegistration);
        if (manager && typeof scope === 'string') pristine.weakSet(scopes, manager, cap(scope));
        return manager;
      },
      get: (manager, id) => pristine.apply(originalGet, manager, [id]) as Promise<BackgroundFetchRegistration | undefined>,
      getIds: (manager) => pristine.apply(originalGetIds, manager, []) as Promise<string[]>,
      matchAll: (registration) =>
        matchAll
          ? (pristine.apply(matchAll, registration, []) as Promise<readonly BackgroundFetchRecord[]>)
          : pristine.resolve([]),
      abort: (registration) =>
        abort ? (pristine.apply(abort, registration, []) as Promise<boolean>) : pristine.resolve(false),
    },
  };
}

function wrappedFetch(
  manager: unknown,
  original: AnyFn,
  args: unknown[],
  tracker: Tracker,
  faults: FaultContext,
  abort: AnyFn | undefined,
): unknown {
  const [id, requestsArg, options] = args;
  const calledAt = pristine.now();
  const list = toRequestList(requestsArg);
  const described = list ? list.slice(0, LIMITS.requests).map(describeRequest) : [];
  const call: CallInfo = {
    id: cap(id, LIMITS.id),
    options: describeOptions(options),
    requests: described.map((d) => d.data),
    requestCount: list ? list.length : 0,
    calledAt,
  };
  // Clone bodies before the real fetch() reads them.
  const bodies = readBodies(described.map((d) => d.request));
  const armed = faults.rules.take(call.id, call.requests.map((r) => r.url));
  let callArgs = list && list !== requestsArg ? [id, list, ...args.slice(2)] : args;
  if (armed?.rule.reason === 'download-total-exceeded') callArgs = [callArgs[0], callArgs[1], FaultRules.adjustOptions(armed.rule, callArgs[2])];
  const scope = scopeOf(manager);
  const result = pristine.apply(original, manager, callArgs) as Promise<BackgroundFetchRegistration>;
  const withBodies = (found: CapturedBody[]) => {
    const requests: CallInfo['requests'] = [];
    for (let i = 0; i < call.requests.length; i++) {
      const r = call.requests[i]!;
      const b = found[i];
      append(requests, b?.bytes && b.bytes.byteLength ? { ...r, bodySize: b.size, bodyPreview: previewBytes(b.bytes) } : { ...r, bodySize: b?.size ?? null });
    }
    return requests;
  };
  const keep = (key: string, found: CapturedBody[]) => tracker.keepBodies(key, found.map((b) => b.bytes));
  pristine.then(
    result,
    (registration) => {
      const { key } = tracker.track(registration, scope, call);
      if (armed) injectArmed(registration, key, armed, tracker, faults, abort);
      pristine.then(bodies, (found) => {
        keep(key, found);
        if (call.requests.some((r) => r.bodySize === null)) tracker.describeRequests(key, withBodies(found), call.requestCount);
      }, () => undefined);
    },
    (error) =>
      pristine.then(bodies, (found) => keep(tracker.rejected({ ...call, requests: withBodies(found) }, scope, describeError(error)), found), () => undefined),
  );
  return result;
}

/** Carries out an armed rule on the fetch it matched, just after it registered. */
function injectArmed(
  registration: BackgroundFetchRegistration,
  key: string,
  { rule, byUrl }: NonNullable<ReturnType<FaultRules['take']>>,
  tracker: Tracker,
  faults: FaultContext,
  abort: AnyFn | undefined,
): void {
  const { reason } = rule;
  const polyfill = faults.polyfill;
  const simulated = !polyfill && !FaultRules.realOnNative(reason, byUrl);
  tracker.markInjected(key, { reason, simulated, ruleId: rule.id });
  if (polyfill) {
    // The polyfill fails it through its own download code: real events in its service worker.
    const scope = tracker.scopeOf(key);
    pristine.then(swRegistrationFor(scope), (sw) => sw && polyfill.failRegistration(sw, registration.id, reason), () => undefined);
    return;
  }
  if (reason === 'aborted' || simulated) {
    if (simulated) emulateFailure(registration, reason);
    if (abort) pristine.then(pristine.apply(abort, registration, []) as Promise<boolean>, () => undefined, () => undefined);
  }
}

export async function swRegistrationFor(scope: string): Promise<ServiceWorkerRegistration | null> {
  const container = pristine.serviceWorker?.(navigator) as ServiceWorkerContainer | undefined;
  const registrations = container && pristine.swGetRegistrations ? await pristine.swGetRegistrations(container) : [];
  for (const reg of registrations) if (pristine.registrationScope?.(reg) === scope) return reg;
  return null;
}
