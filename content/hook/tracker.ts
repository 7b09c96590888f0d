/**
 * What the hook knows: every registration it has seen in this realm, the
 * fetch() calls that rejected, and a bounded log of the events it emitted.
 *
 * Every event gets `{session, seq}`. The log lets a panel that lost its
 * connection (MV3 worker killed, panel reopened) resume from the last seq it
 * applied; when the log no longer reaches back that far, a snapshot.
 */
import {
  LIMITS,
  PROGRESS_FLUSH_MS,
  PROTOCOL_VERSION,
  type EventEnvelope,
  type FailureReason,
  type FetchOptionsData,
  type FetchResult,
  type HookEvent,
  type HookInfo,
  type HookToRelay,
  type InjectedFault,
  type Implementation,
  type RegistrationData,
  type RejectionData,
  type RequestData,
  type SyncResult,
} from '../../extension/protocol';
import { cap, num } from './capture';
import { append, pristine, valuesOf } from './pristine';

/** What the hook saw of a fetch() call, before the registration exists. */
export interface CallInfo {
  id: string;
  options: FetchOptionsData;
  requests: RequestData[];
  requestCount: number;
  calledAt: number;
}

interface Tracked {
  data: RegistrationData;
  /** The page's registration object, read again for fresh values. */
  registration: BackgroundFetchRegistration;
}

export class Tracker {
  readonly session: string;
  private seq = 0;
  private readonly log: EventEnvelope[] = [];
  private readonly byKey: Map<string, Tracked> = new pristine.Map();
  private readonly byObject: WeakMap<object, Tracked> = new pristine.WeakMap();
  private rejections: RejectionData[] = [];
  private readonly dirty: Map<string, Tracked> = new pristine.Map();
  private readonly bodies: Map<string, (ArrayBuffer | null)[]> = new pristine.Map();
  private bodyBytes = 0;
  private outbox: EventEnvelope[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private nextKey = 1;
  private attachedOnce = false;
  attached = false;
  info: HookInfo;
  /**
   * Called once when a tracked fetch settles, while its records are still
   * available: the one moment to read their responses' metadata.
   */
  onSettled: ((key: string, registration: BackgroundFetchRegistration) => void) | null = null;

  constructor(
    private readonly post: (message: HookToRelay) => void,
    implementation: Implementation,
  ) {
    this.session = `${pristine.now().toString(36)}-${pristine.random().toString(36).slice(2, 10)}`;
    let url = '';
    let origin = '';
    let isTop = false;
    try {
      url = cap(location.href);
      origin = cap(location.origin);
      isTop = window.top === window;
    } catch {
      /* a cross-origin parent makes window.top throw in some engines: not top */
    }
    this.info = { url, origin, isTop, implementation, protocol: PROTOCOL_VERSION, degraded: null };
  }

  /** A panel attached or went away for this tab. */
  setAttached(attached: boolean): boolean {
    this.attached = attached;
    if (!attached) {
      this.outbox = [];
      return false;
    }
    const first = !this.attachedOnce;
    if (first) {
      this.attachedOnce = true;
      this.emit({ type: 'hello', info: this.info });
    }
    return first;
  }

  setInfo(patch: Partial<HookInfo>): void {
    this.info = { ...this.info, ...patch };
    if (this.attachedOnce) this.emit({ type: 'hello', info: this.info });
  }

  /**
   * Starts tracking a registration object, or finds the fetch it belongs to:
   * get() may hand out a new object for a fetch already tracked.
   */
  track(registration: BackgroundFetchRegistration, scope: string, call: CallInfo | null): { key: string; isNew: boolean } {
    const known = pristine.weakGet(this.byObject, registration) as Tracked | undefined;
    if (known) {
      this.refresh(known);
      return { key: known.data.key, isNew: false };
    }
    const live = readLive(registration);
    const id = cap(readId(registration) ?? call?.id ?? '', LIMITS.id);
    for (const t of valuesOf(this.byKey)) {
      if (t.data.id === id && t.data.scope === scope && t.data.result === '') {
        pristine.weakSet(this.byObject, registration, t);
        t.registration = registration;
        this.listen(t);
        this.refresh(t);
        return { key: t.data.key, isNew: false };
      }
    }
    const now = pristine.now();
    const data: RegistrationData = {
      key: `k${this.nextKey++}`,
      id,
      scope,
      options: call?.options ?? { title: '', icons: [], downloadTotal: live.downloadTotal },
      uploadTotal: live.uploadTotal,
      uploaded: live.uploaded,
      downloadTotal: live.downloadTotal,
      downloaded: live.downloaded,
      result: live.result,
      failureReason: live.failureReason,
      recordsAvailable: live.recordsAvailable,
      requests: call?.requests ?? [],
      requestCount: call?.requestCount ?? 0,
      origin: call ? 'fetch' : 'discovered',
      calledAt: call?.calledAt ?? null,
      seenAt: now,
      settledAt: live.result !== '' ? now : null,
      injected: null,
    };
    const t: Tracked = { data, registration };
    pristine.mapSet(this.byKey, data.key, t);
    pristine.weakSet(this.byObject, registration, t);
    this.listen(t);
    this.evictSettled();
    this.emit({ type: 'registered', registration: data });
    return { key: data.key, isNew: true };
  }

  /** Replaces what is known of a tracked fetch's requests (body sizes, discovery). */
  describeRequests(key: string, requests: RequestData[], requestCount: number): void {
    const t = pristine.mapGet(this.byKey, key) as Tracked | undefined;
    if (!t) return;
    t.data = { ...t.data, requests, requestCount };
    this.emit({ type: 'registered', registration: t.data });
  }

  rejected(call: CallInfo, scope: string, error: { name: string; message: string }): string {
    const rejection: RejectionData = {
      key: `k${this.nextKey++}`,
      id: call.id,
      scope,
      options: call.options,
      requests: call.requests,
      requestCount: call.requestCount,
      error,
      calledAt: call.calledAt,
    };
    const kept = this.rejections.length >= LIMITS.snapshotRejections ? this.rejections.slice(1) : this.rejections;
    append(kept, rejection);
    this.rejections = kept;
    this.emit({ type: 'rejected', rejection });
    return rejection.key;
  }

  /**
   * Request bodies kept for replay, oldest dropped first past the total cap:
   * a page uploading all day must not grow the hook without bound.
   */
  keepBodies(key: string, bodies: (ArrayBuffer | null)[]): void {
    let size = 0;
    for (const b of bodies) size += b?.byteLength ?? 0;
    pristine.mapSet(this.bodies, key, bodies);
    this.bodyBytes += size;
    for (const [k, kept] of this.bodies) {
      if (this.bodyBytes <= LIMITS.replayBodiesTotal) break;
      for (const b of kept) this.bodyBytes -= b?.byteLength ?? 0;
      pristine.mapDelete(this.bodies, k);
    }
  }

  /** What replay needs: the call's requests and options, and the kept bodies. */
  callOf(key: string): { id: string; scope: string; options: FetchOptionsData; requests: RequestData[]; bodies: (ArrayBuffer | null)[] } | null {
    const t = pristine.mapGet(this.byKey, key) as Tracked | undefined;
    const source = t?.data ?? this.rejections.find((r) => r.key === key);
    if (!source) return null;
    const bodies = (pristine.mapGet(this.bodies, key) as (ArrayBuffer | null)[] | undefined) ?? [];
    return { id: source.id, scope: source.scope, options: source.options, requests: source.requests, bodies };
  }

  /** Records that the panel made this fetch fail, so the row can say so. */
  markInjected(key: string, injected: InjectedFault): void {
    const t = pristine.mapGet(this.byKey, key) as Tracked | undefined;
    if (!t) return;
    t.data = { ...t.data, injected };
    this.emit({ type: 'registered', registration: t.data });
    this.refresh(t);
  }

  scopeOf(key: string): string {
    return (pristine.mapGet(this.byKey, key) as Tracked | undefined)?.data.scope ?? '';
  }

  /** The requests given to fetch(), as captured; empty for a registration only discovered. */
  requestsOf(key: string): readonly RequestData[] {
    return (pristine.mapGet(this.byKey, key) as Tracked | undefined)?.data.requests ?? [];
  }

  registrationOf(key: string): BackgroundFetchRegistration | null {
    return (pristine.mapGet(this.byKey, key) as Tracked | undefined)?.registration ?? null;
  }

  /** Everything tracked, for rediscovery to know what is already known. */
  trackedRegistrations(): BackgroundFetchRegistration[] {
    const out: BackgroundFetchRegistration[] = [];
    for (const t of valuesOf(this.byKey)) append(out, t.registration);
    return out;
  }

  sync(session: string | null, since: number): SyncResult {
    this.flush();
    const first = this.log.length ? this.log[0]!.seq : this.seq + 1;
    if (session === this.session && since + 1 >= first && since <= this.seq) {
      const events: EventEnvelope[] = [];
      for (const e of this.log) if (e.seq > since) append(events, e);
      return { mode: 'events', session: this.session, events };
    }
    const registrations: RegistrationData[] = [];
    for (const t of valuesOf(this.byKey)) {
      this.refresh(t, false);
      append(registrations, t.data);
    }
    return {
      mode: 'snapshot',
      session: this.session,
      seq: this.seq,
      snapshot: {
        info: this.info,
        registrations: registrations.slice(-LIMITS.snapshotRegistrations),
        rejections: this.rejections.slice(),
      },
    };
  }

  private listen(t: Tracked): void {
    pristine.addEventListener(t.registration, 'progress', () => this.refresh(t));
  }

  /** Reads the registration again; queues a progress event if anything changed. */
  private refresh(t: Tracked, emit = true): void {
    const live = readLive(t.registration);
    const d = t.data;
    if (d.result !== '') return; // no progress after settling, as the spec says
    if (
      live.uploaded === d.uploaded &&
      live.downloaded === d.downloaded &&
      live.result === d.result &&
      live.failureReason === d.failureReason &&
      live.recordsAvailable === d.recordsAvailable &&
      live.uploadTotal === d.uploadTotal &&
      live.downloadTotal === d.downloadTotal
    ) {
      return;
    }
    t.data = { ...d, ...live, settledAt: live.result !== '' ? pristine.now() : null };
    if (live.result !== '' && this.attached) this.onSettled?.(d.key, t.registration);
    if (!emit) return;
    pristine.mapSet(this.dirty, d.key, t);
    if (live.result !== '') this.flush();
    else this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    this.flushTimer = pristine.setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, PROGRESS_FLUSH_MS);
  }

  /** Turns coalesced changes into progress events and posts what is queued. */
  private flush(): void {
    for (const t of valuesOf(this.dirty)) {
      const d = t.data;
      this.record({
        type: 'progress',
        key: d.key,
        at: d.settledAt ?? pristine.now(),
        uploaded: d.uploaded,
        downloaded: d.downloaded,
        result: d.result,
        failureReason: d.failureReason,
        recordsAvailable: d.recordsAvailable,
      });
    }
    this.dirty.clear();
    if (this.attached) this.postOutbox();
  }

  private postOutbox(): void {
    if (!this.outbox.length) return;
    const envelopes = this.outbox;
    this.outbox = [];
    this.post({ kind: 'events', envelopes });
  }

  private emit(event: HookEvent): void {
    this.record(event);
    this.scheduleFlush();
  }

  private record(event: HookEvent): void {
    const envelope: EventEnvelope = { kind: 'event', session: this.session, seq: ++this.seq, event };
    if (this.log.length >= LIMITS.hookEventLog) this.log.splice(0, this.log.length - LIMITS.hookEventLog + 1);
    append(this.log, envelope);
    if (!this.attached) return;
    // A full batch goes now rather than dropping what follows: the panel
    // cannot tell a dropped event from one that never happened.
    if (this.outbox.length >= LIMITS.batchEvents) this.postOutbox();
    append(this.outbox, envelope);
  }

  /** Keeps memory bounded on pages that run fetches all day. */
  private evictSettled(): void {
    if (this.byKey.size <= LIMITS.snapshotRegistrations) return;
    for (const t of valuesOf(this.byKey)) {
      if (this.byKey.size <= LIMITS.snapshotRegistrations) break;
      if (t.data.result !== '') pristine.mapDelete(this.byKey, t.data.key);
    }
  }
}

interface Live {
  uploadTotal: number;
  uploaded: number;
  downloadTotal: number;
  downloaded: number;
  result: FetchResult;
  failureReason: FailureReason;
  recordsAvailable: boolean;
}

const RESULTS: readonly string[] = ['', 'success', 'failure'];
const REASONS: readonly string[] = ['', 'aborted', 'bad-status', 'fetch-error', 'quota-exceeded', 'download-total-exceeded'];

function readId(r: BackgroundFetchRegistration): string | null {
  try {
    return r.id;
  } catch {
    return null;
  }
}

function readLive(r: BackgroundFetchRegistration): Live {
  try {
    const result = cap(r.result, 16);
    const reason = cap(r.failureReason, 32);
    return {
      uploadTotal: num(r.uploadTotal),
      uploaded: num(r.uploaded),
      downloadTotal: num(r.downloadTotal),
      downloaded: num(r.downloaded),
      result: (RESULTS.includes(result) ? result : '') as FetchResult,
      failureReason: (REASONS.includes(reason) ? reason : '') as FailureReason,
      recordsAvailable: r.recordsAvailable === true,
    };
  } catch {
    return {
      uploadTotal: 0,
      uploaded: 0,
      downloadTotal: 0,
      downloaded: 0,
      result: '',
      failureReason: '',
      recordsAvailable: false,
    };
  }
}
