/**
 * BackgroundFetchEvent and BackgroundFetchUpdateUIEvent, real ExtendableEvent
 * subclasses. Script-dispatched events are untrusted, and the native
 * waitUntil() refuses untrusted events, so events this polyfill dispatches
 * keep their own extend-lifetime bookkeeping (the spec's "active" rules).
 * Events a page script constructs itself keep the native behaviour.
 */
import type { IconDefinition } from './types';

export const SETTLE_EVENT_TYPES = ['backgroundfetchsuccess', 'backgroundfetchfail', 'backgroundfetchabort', 'backgroundfetchclick'] as const;

interface Lifetime {
  dispatching: boolean;
  pending: number;
  uiUpdated: boolean;
  onUpdateUI: (options: { title?: string; icons?: IconDefinition[] }) => Promise<void>;
  settle: () => void;
  added: Promise<unknown>[];
}

const lifetimes = new WeakMap<Event, Lifetime>();

function isActive(l: Lifetime): boolean {
  return l.dispatching || l.pending > 0;
}

function invalidState(message: string): DOMException {
  return new DOMException(message, 'InvalidStateError');
}

type ExtendableEventLike = Event & { waitUntil(p: Promise<unknown>): void };
type ExtendableEventCtor = new (type: string, init?: EventInit) => ExtendableEventLike;

export interface EventClasses {
  BackgroundFetchEvent: new (type: string, init: EventInit & { registration: unknown }) => ExtendableEventLike & {
    readonly registration: unknown;
  };
  BackgroundFetchUpdateUIEvent: new (type: string, init: EventInit & { registration: unknown }) => ExtendableEventLike & {
    readonly registration: unknown;
    updateUI(options?: { title?: string; icons?: IconDefinition[] }): Promise<void>;
  };
}

let classes: EventClasses | null = null;

/** Only service workers have ExtendableEvent; the classes are made there. */
export function eventClasses(): EventClasses | null {
  if (classes) return classes;
  const Base = (globalThis as { ExtendableEvent?: ExtendableEventCtor }).ExtendableEvent;
  if (typeof Base !== 'function') return null;

  class BackgroundFetchEvent extends Base {
    #registration: unknown;
    constructor(type: string, init: EventInit & { registration: unknown }) {
      if (!init || typeof init !== 'object' || !init.registration) {
        throw new TypeError("Failed to construct 'BackgroundFetchEvent': required member registration is undefined.");
      }
      super(type, init);
      this.#registration = init.registration;
    }
    get registration(): unknown {
      return this.#registration;
    }
    override waitUntil(promise: Promise<unknown>): void {
      const l = lifetimes.get(this);
      if (!l) return super.waitUntil(promise);
      if (!isActive(l)) throw invalidState('The event handler is already finished and no extend lifetime promises are outstanding.');
      l.pending++;
      const p = Promise.resolve(promise);
      l.added.push(p);
      const done = () =>
        // A microtask later, as the spec's "upon fulfillment or rejection",
        // so a handler can chain another waitUntil from the settling promise.
        queueMicrotask(() => {
          l.pending--;
          if (!isActive(l)) l.settle();
        });
      p.then(done, done);
    }
  }

  class BackgroundFetchUpdateUIEvent extends BackgroundFetchEvent {
    updateUI(options: { title?: string; icons?: IconDefinition[] } = {}): Promise<void> {
      const l = lifetimes.get(this);
      if (!l || !isActive(l)) return Promise.reject(invalidState('The event is no longer active.'));
      if (l.uiUpdated) return Promise.reject(invalidState('updateUI() may only be called once.'));
      l.uiUpdated = true;
      const p = l.onUpdateUI({
        ...(options.title !== undefined ? { title: String(options.title) } : {}),
        ...(options.icons !== undefined ? { icons: options.icons } : {}),
      });
      this.waitUntil(p);
      return p;
    }
  }

  Object.defineProperty(BackgroundFetchEvent, 'name', { value: 'BackgroundFetchEvent' });
  Object.defineProperty(BackgroundFetchUpdateUIEvent, 'name', { value: 'BackgroundFetchUpdateUIEvent' });
  classes = { BackgroundFetchEvent, BackgroundFetchUpdateUIEvent } as unknown as EventClasses;
  return classes;
}

/**
 * Dispatches at `target` and resolves when the handlers returned and every
 * waitUntil() promise settled (whatever their outcome).
 */
export function dispatchExtendable(
  target: EventTarget,
  event: Event,
  onUpdateUI: Lifetime['onUpdateUI'],
): Promise<void> {
  return new Promise<void>((resolve) => {
    const l: Lifetime = { dispatching: true, pending: 0, uiUpdated: false, onUpdateUI, settle: resolve, added: [] };
    lifetimes.set(event, l);
    try {
      target.dispatchEvent(event);
    } finally {
      l.dispatching = false;
    }
    if (!isActive(l)) resolve();
  });
}

/** `self.onbackgroundfetchsuccess = fn` and friends, as event handler attributes. */
export function defineHandlerAttributes(target: EventTarget): void {
  for (const type of SETTLE_EVENT_TYPES) {
    let handler: ((e: Event) => unknown) | null = null;
    let listening = false;
    const listener = (e: Event) => {
      handler?.call(target, e);
    };
    Object.defineProperty(target, `on${type}`, {
      configurable: true,
      enumerable: true,
      get: () => handler,
      set: (value: unknown) => {
        handler = typeof value === 'function' ? (value as (e: Event) => unknown) : null;
        if (handler && !listening) {
          target.addEventListener(type, listener);
          listening = true;
        }
      },
    });
  }
}
