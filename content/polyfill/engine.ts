/**
 * The service worker's side: the one place that registers, runs, aborts and
 * settles background fetches for a scope. Pages reach it by postMessage; it
 * answers on the transferred port and broadcasts every state change.
 */
import { deleteBodies } from './bodies';
import type { ManagerContext } from './context';
import { FetchRunner } from './downloader';
import { dispatchExtendable, eventClasses } from './events';
import { instanceFor, update } from './registry';
import { abortFetch, faultTargetIndex, newFetchState, pickFault } from './state';
import { getFetch, listFaults, listFetches, prune, putFetch, takeFault } from './store';
import {
  channelName,
  snapshotOf,
  type ChannelMessage,
  type Command,
  type FaultReason,
  type FetchCommandArgs,
  type FetchState,
  type PolyfillConfig,
  type Snapshot,
} from './types';
import { MAX_ACTIVE_FETCHES } from './validate';

/** Progress broadcasts are coalesced to this interval; state changes go at once. */
const PROGRESS_MS = 50;

type Locks = { request(name: string, opts: { ifAvailable: boolean }, cb: (lock: unknown) => Promise<unknown>): Promise<unknown> };

function newUid(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** How long an abort() waits for the worker that runs the fetch to answer. */
const ABORT_ANSWER_MS = 5000;

export class Engine {
  private readonly running = new Map<string, FetchRunner>();
  private readonly dispatching = new Set<string>();
  private readonly busy = new Set<Promise<unknown>>();
  private readonly channel: BroadcastChannel;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private queue: Promise<unknown> = Promise.resolve();
  private resuming: Promise<void> | null = null;

  constructor(
    readonly scope: string,
    private readonly config: PolyfillConfig,
    private readonly global: EventTarget,
    private readonly ctx: ManagerContext,
  ) {
    this.channel = new BroadcastChannel(channelName(scope));
    this.channel.onmessage = (e: MessageEvent<ChannelMessage>) => {
      const m = e.data;
      const runner = m?.type === 'abort' ? this.running.get(m.uid) : undefined;
      if (m?.type === 'abort' && runner) {
        void runner.abort().then((result) => this.channel.postMessage({ type: 'aborted', ask: m.ask, result } satisfies ChannelMessage));
      }
      if (m?.type === 'fault') this.running.get(m.uid)?.inject(m.reason);
    };
  }

  /** Resolves once no fetch runs and no settle event is outstanding. */
  async idle(): Promise<void> {
    while (this.busy.size) await Promise.allSettled([...this.busy]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.busy.add(p);
    const drop = () => this.busy.delete(p);
    p.then(drop, drop);
    return p;
  }

  /** The spec's "active background fetches edit queue". */
  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async handle(command: Command): Promise<unknown> {
    void this.resume();
    switch (command.op) {
      case 'fetch':
        return this.enqueue(() => this.fetch(command.args));
      case 'get':
        return this.get(command.id);
      case 'getIds':
        return (await this.activeStates()).map((s) => s.id);
      case 'abort':
        return this.enqueue(() => this.abort(command.uid));
      case 'failRegistration':
        return this.enqueue(() => this.failRegistration(command.id, command.reason));
      case 'ping':
        return true;
    }
  }

  /** Active fetches, the running ones from memory (their byte counts are newer). */
  private async activeStates(): Promise<FetchState[]> {
    const stored = await listFetches(this.scope);
    return stored.map((s) => this.running.get(s.uid)?.state ?? s).filter((s) => s.active);
  }

  private async get(id: string): Promise<Snapshot | undefined> {
    const s = (await this.activeStates()).find((f) => f.id === id);
    return s ? snapshotOf(s) : undefined;
  }

  private async fetch(args: FetchCommandArgs): Promise<Snapshot> {
    const config = { ...this.config, ...args.config };
    const active = await this.activeStates();
    if (active.some((s) => s.id === args.id)) {
      throw new TypeError(`There is already an active background fetch with the id "${args.id}".`);
    }
    if (config.rejectAtFetchTime && active.length >= MAX_ACTIVE_FETCHES) {
      throw new TypeError(`Too many active background fetches (at most ${MAX_ACTIVE_FETCHES}).`);
    }
    const state = newFetchState({ uid: newUid(), scope: this.scope, now: Date.now(), ...args });
    const urls = args.requests.map((r) => r.url);
    const fault = pickFault(await listFaults(), args.id, urls);
    if (fault && (await takeFault(fault.token))) {
      state.faultInjected = { reason: fault.reason, token: fault.token, target: faultTargetIndex(fault, urls) };
    }
    try {
      await putFetch(state);
    } catch (error) {
      if ((error as { name?: string } | null)?.name === 'QuotaExceededError') {
        throw new DOMException('Storing the background fetch exceeded the quota.', 'QuotaExceededError');
      }
      throw new TypeError('Failed to store registration due to I/O error.');
    }
    this.run(state, config);
    return snapshotOf(state);
  }

  private withLock<T>(uid: string, fn: () => Promise<T>, unavailable: () => T): Promise<T> {
    const locks = (globalThis.navigator as { locks?: Locks } | undefined)?.locks;
    if (!locks) return fn();
    // Two workers of one registration (an update in flight) must not both run it.
    return locks.request(`background-fetch-polyfill:${uid}`, { ifAvailable: true }, (lock) =>
      lock ? fn() : Promise.resolve(unavailable()),
    ) as Promise<T>;
  }

  private run(state: FetchState, config: PolyfillConfig): void {
    const runner = new FetchRunner(state, {
      concurrency: config.concurrency,
      segmentSize: config.segmentSize,
      changed: (s, durable) => this.changed(s, durable),
      settled: async (s) => this.settled(s),
    });
    this.running.set(state.uid, runner);
    this.track(
      this.withLock(
        state.uid,
        async () => {
          runner.start();
          if (state.faultInjected?.reason === 'aborted') setTimeout(() => void this.enqueue(() => this.abort(state.uid)), 0);
          await runner.done;
        },
        () => undefined,
      ).finally(() => {
        if (this.running.get(state.uid) === runner) this.running.delete(state.uid);
      }),
    );
  }

  /** Restart what a stopped worker left: running fetches and undelivered events. */
  resume(): Promise<void> {
    if (this.resuming) return this.resuming;
    this.resuming = (async () => {
      for (const listed of await listFetches(this.scope)) {
        if (this.running.has(listed.uid)) continue;
        // The list can predate a runner that settled and left `running` since
        // (an abort right after fetch()): re-running it would revive it. A
        // runner leaves `running` only after its last write, so this read sees it.
        const s = listed.active ? await getFetch(listed.uid) : listed;
        if (!s || this.running.has(s.uid)) continue;
        if (s.active) this.run(s, this.config);
        else if (!s.eventDone && !this.dispatching.has(s.uid)) this.settled(s);
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        this.resuming = null;
      });
    return this.resuming;
  }

  private async changed(state: FetchState, durable: boolean): Promise<void> {
    state.version++;
    if (!durable) {
      if (!this.timers.has(state.uid)) {
        this.timers.set(
          state.uid,
          setTimeout(() => {
            this.timers.delete(state.uid);
            this.publish(state);
          }, PROGRESS_MS),
        );
      }
      return;
    }
    await putFetch(state);
    this.publish(state);
  }

  private publish(state: FetchState): void {
    const t = this.timers.get(state.uid);
    if (t !== undefined) {
      clearTimeout(t);
      this.timers.delete(state.uid);
    }
    const snapshot = snapshotOf(state);
    // This realm's registration first, so it is current when the event fires.
    update(snapshot);
    this.channel.postMessage({ type: 'state', snapshot } satisfies ChannelMessage);
  }

  /** The fetch settled: deliver its service-worker event without holding up the caller. */
  private settled(state: FetchState): void {
    if (this.dispatching.has(state.uid)) return;
    this.dispatching.add(state.uid);
    this.track(
      this.withLock(`event:${state.uid}`, () => this.dispatchSettle(state), () => undefined).finally(() =>
        this.dispatching.delete(state.uid),
      ),
    );
  }

  private async dispatchSettle(stale: FetchState): Promise<void> {
    const state = this.running.get(stale.uid)?.state ?? (await getFetch(stale.uid)) ?? stale;
    if (state.eventDone) return;
    const classes = eventClasses();
    if (classes) {
      const type =
        state.failureReason === 'aborted' ? 'backgroundfetchabort' : state.result === 'failure' ? 'backgroundfetchfail' : 'backgroundfetchsuccess';
      const registration = instanceFor(snapshotOf(state), this.ctx);
      const Ctor = type === 'backgroundfetchabort' ? classes.BackgroundFetchEvent : classes.BackgroundFetchUpdateUIEvent;
      await dispatchExtendable(this.global, new Ctor(type, { registration }), async (ui) => {
        if (ui.title !== undefined) state.title = ui.title;
        if (ui.icons !== undefined) state.icons = ui.icons;
        await putFetch(state);
      });
    }
    state.recordsAvailable = false;
    state.eventDone = true;
    state.version++;
    await putFetch(state);
    this.publish(state);
    await deleteBodies(state.uid).catch(() => false);
    const dropped = await prune(this.scope).catch(() => [] as string[]);
    for (const uid of dropped) await deleteBodies(uid).catch(() => false);
  }

  async abort(uid: string): Promise<boolean> {
    const runner = this.running.get(uid);
    if (runner) return runner.abort();
    const state = await getFetch(uid);
    if (!state?.active) return false;
    const result = await this.withLock<boolean | null>(
      uid,
      async () => {
        const fresh = await getFetch(uid);
        if (!fresh || !abortFetch(fresh, Date.now())) return false;
        await this.changed(fresh, true);
        this.settled(fresh);
        return true;
      },
      () => null,
    );
    if (result !== null) return result;
    return this.abortElsewhere(uid);
  }

  /**
   * Another worker of this registration (an update in flight) holds the
   * fetch: ask it, and resolve with its abort()'s own answer, so a second
   * abort() still resolves false. No answer: nobody runs it any more.
   */
  private abortElsewhere(uid: string): Promise<boolean> {
    const ask = `${uid}:${Math.random().toString(36).slice(2)}`;
    const channel = new BroadcastChannel(channelName(this.scope));
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), ABORT_ANSWER_MS);
      const finish = (result: boolean) => {
        clearTimeout(timer);
        channel.close();
        resolve(result);
      };
      channel.onmessage = (e: MessageEvent<ChannelMessage>) => {
        if (e.data?.type === 'aborted' && e.data.ask === ask) finish(e.data.result);
      };
      // Sent from our own channel object: a BroadcastChannel never hears itself.
      this.channel.postMessage({ type: 'abort', uid, ask } satisfies ChannelMessage);
    });
  }

  async failRegistration(id: string, reason: FaultReason): Promise<boolean> {
    const state = (await this.activeStates()).find((s) => s.id === id);
    if (!state) return false;
    if (reason === 'aborted') {
      state.faultInjected = { reason, token: null, target: -1 };
      const runner = this.running.get(state.uid);
      if (runner) runner.state.faultInjected = state.faultInjected;
      else await putFetch(state);
      return this.abort(state.uid);
    }
    const runner = this.running.get(state.uid);
    if (runner) {
      runner.inject(reason);
      await this.changed(runner.state, true);
      return true;
    }
    state.faultInjected = { reason, token: null, target: Math.max(0, state.records.findIndex((r) => r.result === '')) };
    await putFetch(state);
    this.channel.postMessage({ type: 'fault', uid: state.uid, reason } satisfies ChannelMessage);
    return true;
  }
}
