/**
 * Defines the Background Fetch API where the browser lacks it (or over the
 * native one with `force`), in pages and in service workers alike.
 */
import { describe, INTERNAL, type ManagerContext } from './context';
import { devtools } from './devtools';
import { Engine } from './engine';
import { defineHandlerAttributes, eventClasses } from './events';
import { BackgroundFetchManager } from './manager';
import { BackgroundFetchRecord } from './record';
import { BackgroundFetchRegistration } from './registration';
import { callWorker } from './transport';
import { DEFAULT_CONFIG, MESSAGE_TAG, VERSION, type Command, type PolyfillConfig, type Reply } from './types';

export interface InstallOptions extends Partial<PolyfillConfig> {
  /** Install over a native implementation (for testing in Chromium). */
  force?: boolean;
}

type Global = typeof globalThis & Record<string, unknown>;

interface Installed {
  config: PolyfillConfig;
  explicit: Partial<PolyfillConfig>;
  engine: Engine | null;
}

let installed: Installed | null = null;
const managers = new WeakMap<ServiceWorkerRegistration, BackgroundFetchManager>();
const contexts = new WeakMap<ServiceWorkerRegistration, ManagerContext>();

function pickConfig(options: InstallOptions): Partial<PolyfillConfig> {
  const out: Partial<PolyfillConfig> = {};
  if (options.concurrency !== undefined) out.concurrency = Math.max(1, Math.floor(Number(options.concurrency)));
  if (options.rejectAtFetchTime !== undefined) out.rejectAtFetchTime = !!options.rejectAtFetchTime;
  if (options.segmentSize !== undefined) out.segmentSize = Math.max(1, Math.floor(Number(options.segmentSize)));
  return out;
}

function isServiceWorker(g: Global): boolean {
  const SWGS = g.ServiceWorkerGlobalScope as (new () => unknown) | undefined;
  return typeof SWGS === 'function' && g instanceof SWGS;
}

export function isInstalled(): boolean {
  return installed !== null;
}

/** The realm's way to reach the engine for `registration`. */
export function contextFor(registration: ServiceWorkerRegistration): ManagerContext {
  let ctx = contexts.get(registration);
  if (ctx) return ctx;
  const state = installed;
  if (!state) throw new TypeError('The Background Fetch polyfill is not installed in this realm.');
  const engine = state.engine;
  const local = engine !== null && engine.scope === registration.scope;
  ctx = {
    scope: registration.scope,
    config: state.config,
    explicitConfig: state.explicit,
    inServiceWorker: local,
    hasActiveWorker: () => registration.active !== null,
    send: (command: Command) => (local ? engine.handle(command) : callWorker(registration, command)),
  };
  contexts.set(registration, ctx);
  return ctx;
}

function managerFor(registration: ServiceWorkerRegistration): BackgroundFetchManager {
  let m = managers.get(registration);
  if (!m) {
    m = new BackgroundFetchManager(INTERNAL, contextFor(registration));
    managers.set(registration, m);
  }
  return m;
}

function defineGlobal(g: Global, name: string, value: unknown): void {
  // As WebIDL interface objects are: writable, configurable, not enumerable.
  Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
}

export function install(options: InstallOptions = {}): boolean {
  const g = globalThis as Global;
  const explicit = pickConfig(options);
  if (installed) {
    Object.assign(installed.config, explicit);
    Object.assign(installed.explicit, explicit);
    return true;
  }
  if (typeof g.BackgroundFetchManager === 'function' && !options.force) return false;
  const SWR: unknown = g.ServiceWorkerRegistration;
  // No service workers (an insecure context, or a browser without them): nothing to hang the API on.
  if (typeof SWR !== 'function') return false;

  const state: Installed = { config: { ...DEFAULT_CONFIG, ...explicit }, explicit: { ...explicit }, engine: null };
  installed = state;

  defineGlobal(g, 'BackgroundFetchManager', BackgroundFetchManager);
  defineGlobal(g, 'BackgroundFetchRegistration', BackgroundFetchRegistration);
  defineGlobal(g, 'BackgroundFetchRecord', BackgroundFetchRecord);

  if (isServiceWorker(g)) {
    const classes = eventClasses();
    if (classes) {
      defineGlobal(g, 'BackgroundFetchEvent', classes.BackgroundFetchEvent);
      defineGlobal(g, 'BackgroundFetchUpdateUIEvent', classes.BackgroundFetchUpdateUIEvent);
    }
    defineHandlerAttributes(g as unknown as EventTarget);
    const registration = g.registration as ServiceWorkerRegistration;
    const ctxTemplate: ManagerContext = {
      scope: registration.scope,
      config: state.config,
      explicitConfig: state.explicit,
      inServiceWorker: true,
      hasActiveWorker: () => registration.active !== null,
      send: (command) => engine.handle(command),
    };
    const engine = new Engine(registration.scope, state.config, g as unknown as EventTarget, ctxTemplate);
    state.engine = engine;
    contexts.set(registration, ctxTemplate);
    // Must be added during the worker script's first evaluation to receive messages.
    g.addEventListener('message', (event: Event) => {
      const e = event as MessageEvent & { waitUntil?(p: Promise<unknown>): void };
      const data = e.data as Record<string, unknown> | null;
      if (!data || typeof data !== 'object' || !(MESSAGE_TAG in data)) return;
      const port = e.ports[0];
      const work = engine.handle(data[MESSAGE_TAG] as Command).then(
        (value) => port?.postMessage({ ok: true, value } satisfies Reply),
        (error: unknown) => port?.postMessage({ ok: false, error: describe(error) } satisfies Reply),
      );
      // Keeps the worker alive while the fetches it runs are downloading.
      e.waitUntil?.(work.then(() => engine.idle()));
    });
    void engine.resume();
  }

  Object.defineProperty((SWR as { prototype: object }).prototype, 'backgroundFetch', {
    configurable: true,
    enumerable: true,
    get(this: ServiceWorkerRegistration) {
      return managerFor(this);
    },
  });

  const hook = g.__BACKGROUND_FETCH_DEVTOOLS_GLOBAL_HOOK__ as { onImplementation?: (impl: unknown) => void } | undefined;
  try {
    hook?.onImplementation?.({ kind: 'polyfill', version: VERSION, devtools });
  } catch {
    // A broken DevTools hook must not break the page's API.
  }
  return true;
}

/** The IIFE build calls this: installs unless the page opted out. */
export function autoInstall(): boolean {
  const g = globalThis as Global;
  if (g.BACKGROUND_FETCH_POLYFILL_MANUAL === true) return false;
  return install();
}
