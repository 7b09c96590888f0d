/**
 * BackgroundFetchRegistration: a per-realm view of one background fetch whose
 * attributes are copies, updated from the worker's broadcasts, so they read
 * synchronously.
 */
import { INTERNAL, illegalConstructor, type ManagerContext } from './context';
import { requestMatches, type MatchOptions } from './match';
import { createRecord, type BackgroundFetchRecord } from './record';
import { getFetch } from './store';
import type { FailureReason, FetchResult, Snapshot } from './types';

let apply: (registration: BackgroundFetchRegistration, snapshot: Snapshot) => void;
let uidOf: (registration: BackgroundFetchRegistration) => string;

export class BackgroundFetchRegistration extends EventTarget {
  #s: Snapshot;
  #ctx: ManagerContext;
  #onprogress: ((this: BackgroundFetchRegistration, ev: Event) => unknown) | null = null;

  static {
    apply = (r, s) => r.#apply(s);
    uidOf = (r) => r.#s.uid;
  }

  constructor(token: typeof INTERNAL, snapshot: Snapshot, ctx: ManagerContext) {
    if (token !== INTERNAL) throw illegalConstructor();
    super();
    this.#s = { ...snapshot };
    this.#ctx = ctx;
  }

  get id(): string {
    return this.#s.id;
  }
  get uploadTotal(): number {
    return this.#s.uploadTotal;
  }
  get uploaded(): number {
    return this.#s.uploaded;
  }
  get downloadTotal(): number {
    return this.#s.downloadTotal;
  }
  get downloaded(): number {
    return this.#s.downloaded;
  }
  get result(): FetchResult {
    return this.#s.result;
  }
  get failureReason(): FailureReason {
    return this.#s.failureReason;
  }
  get recordsAvailable(): boolean {
    return this.#s.recordsAvailable;
  }

  get onprogress(): ((this: BackgroundFetchRegistration, ev: Event) => unknown) | null {
    return this.#onprogress;
  }
  set onprogress(value: ((this: BackgroundFetchRegistration, ev: Event) => unknown) | null) {
    if (this.#onprogress === null && typeof value === 'function') this.addEventListener('progress', (e) => this.#onprogress?.call(this, e));
    this.#onprogress = typeof value === 'function' ? value : null;
  }

  abort(): Promise<boolean> {
    return this.#ctx.send({ op: 'abort', scope: this.#ctx.scope, uid: this.#s.uid }) as Promise<boolean>;
  }

  async match(request: RequestInfo, options?: CacheQueryOptions): Promise<BackgroundFetchRecord | undefined> {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'match' on 'BackgroundFetchRegistration': 1 argument required.");
    return (await this.#records(request, options, true))[0];
  }

  async matchAll(request?: RequestInfo, options?: CacheQueryOptions): Promise<BackgroundFetchRecord[]> {
    return this.#records(request, options, false);
  }

  async #records(request: RequestInfo | undefined, options: CacheQueryOptions | undefined, first: boolean): Promise<BackgroundFetchRecord[]> {
    if (!this.#s.recordsAvailable) throw new DOMException('The records are no longer available.', 'InvalidStateError');
    const query = request === undefined ? null : request instanceof Request ? request : new Request(request);
    const state = await getFetch(this.#s.uid);
    if (!state || !state.recordsAvailable) throw new DOMException('The records are no longer available.', 'InvalidStateError');
    const opts: MatchOptions = { ignoreSearch: !!options?.ignoreSearch, ignoreMethod: !!options?.ignoreMethod, ignoreVary: !!options?.ignoreVary };
    const q = query && { url: query.url, method: query.method, headers: [...query.headers] as [string, string][] };
    const out: BackgroundFetchRecord[] = [];
    for (let i = 0; i < state.records.length; i++) {
      const r = state.records[i];
      if (!r) continue;
      if (q && !requestMatches(q, r.request, r.response?.headers ?? null, opts)) continue;
      out.push(createRecord(state.uid, i, r));
      if (first) break;
    }
    return out;
  }

  #apply(s: Snapshot): void {
    if (s.uid !== this.#s.uid || s.version <= this.#s.version) return;
    const prev = this.#s;
    this.#s = { ...s };
    const changed =
      prev.uploaded !== s.uploaded || prev.downloaded !== s.downloaded || prev.result !== s.result || prev.failureReason !== s.failureReason;
    // No progress once the result was reported: the spec's last reported state check.
    if (changed && prev.result === '') this.dispatchEvent(new Event('progress'));
  }

  get [Symbol.toStringTag](): string {
    return 'BackgroundFetchRegistration';
  }
}

export function applySnapshot(registration: BackgroundFetchRegistration, snapshot: Snapshot): void {
  apply(registration, snapshot);
}

export function registrationUid(registration: BackgroundFetchRegistration): string {
  return uidOf(registration);
}
