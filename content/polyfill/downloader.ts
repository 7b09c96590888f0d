/**
 * Runs one background fetch inside the service worker: its records download
 * `concurrency` at a time, bodies stream into Cache Storage segments with
 * every chunk counted before it is stored, and an interrupted GET resumes with a
 * validated Range request.
 */
import { BufferPool, StoreError, deleteSegmentsFrom, writeSegments } from './bodies';
import { parseContentRange, resumeStart, validatePartialResponse } from './range';
import { abortFetch, completeRecord } from './state';
import type { FaultReason, FetchState, RecordResult, RecordState, ResponseMeta, SerializedRequest } from './types';

export interface RunnerHost {
  concurrency: number;
  segmentSize: number;
  /** Something changed; `durable` changes must reach IndexedDB before going on. */
  changed(state: FetchState, durable: boolean): Promise<void>;
  settled(state: FetchState): Promise<void>;
}

class DownloadTotalExceeded extends Error {
  override name = 'DownloadTotalExceeded';
}

class InjectedFault extends Error {
  constructor(readonly reason: FaultReason) {
    super(`Fault injected: ${reason}`);
  }
}

/** A server answering 206 forever without progress must not spin. */
const MAX_ATTEMPTS = 20;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export function buildRequest(r: SerializedRequest, rangeStart: number, signal: AbortSignal): Request {
  const headers = new Headers(r.headers);
  if (rangeStart > 0) headers.set('Range', `bytes=${rangeStart}-`);
  const init: RequestInit = {
    method: r.method,
    headers,
    mode: r.mode === 'navigate' ? 'same-origin' : r.mode,
    credentials: r.credentials,
    cache: rangeStart > 0 ? 'no-store' : r.cache,
    redirect: r.redirect,
    referrerPolicy: r.referrerPolicy,
    integrity: rangeStart > 0 ? '' : r.integrity,
    signal,
  };
  if (r.referrer && r.referrer !== 'about:client') init.referrer = r.referrer;
  if (r.body && r.method !== 'GET' && r.method !== 'HEAD') init.body = r.body;
  return new Request(r.url, init);
}

function metaOf(response: Response): ResponseMeta {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    url: response.url,
    type: response.type,
  };
}

export class FetchRunner {
  private readonly controllers = new Map<number, AbortController>();
  /** Per-record faults still to apply (armed, or injected into a running fetch). */
  private readonly faults = new Map<number, FaultReason>();
  /** Forced outcome of an in-flight record whose attempt was cut short. */
  private readonly forced = new Map<number, FaultReason>();
  private totalFault = false;
  private stopped = false;
  private next = 0;
  /** Two buffers per lane: the segment being stored and the one being read. */
  private readonly pool: BufferPool;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    readonly state: FetchState,
    private readonly host: RunnerHost,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    this.pool = new BufferPool(2 * Math.max(1, Math.floor(host.concurrency)));
    const f = state.faultInjected;
    if (f && f.reason !== 'aborted') this.plan(f.reason, f.target);
  }

  private plan(reason: FaultReason, target: number): void {
    if (reason === 'download-total-exceeded') this.totalFault = true;
    else this.faults.set(target, reason);
  }

  start(): void {
    // Downloaded bytes not committed before a stop are fetched again.
    this.state.downloaded = this.state.records.reduce((n, r) => n + r.bytes, 0);
    const workers = Math.max(1, Math.floor(this.host.concurrency));
    const lanes: Promise<void>[] = [];
    for (let i = 0; i < workers; i++) lanes.push(this.lane());
    void Promise.all(lanes).then(() => this.resolveDone());
  }

  private async lane(): Promise<void> {
    while (!this.stopped && this.state.active) {
      const index = this.state.records.findIndex((r, i) => i >= this.next && r.result === '');
      if (index < 0) return;
      this.next = index + 1;
      await this.runRecord(index).catch((error: unknown) => this.finish(index, this.classify(index, error)));
    }
  }

  /** abort(): resolves once the fetch settled as aborted. */
  async abort(): Promise<boolean> {
    if (!abortFetch(this.state, Date.now())) return false;
    this.stop();
    await this.host.changed(this.state, true);
    await this.host.settled(this.state);
    return true;
  }

  /** DevTools: fail a running fetch through the same paths a real failure takes. */
  inject(reason: FaultReason): void {
    this.state.faultInjected = { reason, token: null, target: -1 };
    if (reason === 'download-total-exceeded') {
      this.totalFault = true;
      if (this.controllers.size === 0) this.plan(reason, this.firstPending());
      return;
    }
    const inflight = [...this.controllers.keys()].sort((a, b) => a - b)[0];
    if (inflight === undefined) {
      this.plan(reason, this.firstPending());
      return;
    }
    this.forced.set(inflight, reason);
    this.controllers.get(inflight)?.abort(new InjectedFault(reason));
  }

  private firstPending(): number {
    return Math.max(0, this.state.records.findIndex((r) => r.result === ''));
  }

  private stop(): void {
    this.stopped = true;
    for (const c of this.controllers.values()) c.abort(new DOMException('The background fetch was aborted.', 'AbortError'));
  }

  private classify(index: number, error: unknown): Exclude<RecordResult, ''> {
    if (this.state.abortRequested) return 'aborted';
    const forced = this.forced.get(index);
    if (forced) return forced;
    if (error instanceof InjectedFault) return error.reason;
    if (error instanceof DownloadTotalExceeded) return 'download-total-exceeded';
    if (error instanceof StoreError) return 'quota-exceeded';
    if ((error as { name?: string } | null)?.name === 'QuotaExceededError') return 'quota-exceeded';
    return 'fetch-error';
  }

  private async finish(index: number, result: Exclude<RecordResult, ''>): Promise<void> {
    this.controllers.delete(index);
    if (result === 'bad-status' && this.forced.get(index) === 'bad-status') {
      // An injected bad-status leaves a 404-like stored response behind.
      const r = this.state.records[index];
      if (r) r.response = { ...(r.response ?? { headers: [], url: r.request.url, type: 'basic' }), status: 404, statusText: 'Not Found (fault injected)' };
    }
    const t = completeRecord(this.state, index, result, Date.now());
    if (t.stopOthers) this.stop();
    await this.host.changed(this.state, true);
    if (t.settled) {
      this.stopped = true;
      await this.host.settled(this.state);
    }
  }

  private async restartRecord(index: number, record: RecordState): Promise<void> {
    await deleteSegmentsFrom(this.state.uid, index, 0, record.segments);
    this.state.downloaded -= record.bytes;
    record.bytes = 0;
    record.segments = 0;
    record.response = null;
    record.completeLength = null;
    await this.host.changed(this.state, true);
  }

  private async runRecord(index: number): Promise<void> {
    const record = this.state.records[index];
    if (!record) return;
    if (record.request.blocked) {
      record.error = record.request.blocked;
      return this.finish(index, 'fetch-error');
    }
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (this.stopped || !this.state.active) return;
      const start = resumeStart(record);
      if (start > 0 && record.completeLength !== null && start >= record.completeLength) return this.finish(index, 'success');
      const controller = new AbortController();
      this.controllers.set(index, controller);
      const fault = this.faults.get(index);
      if (fault) this.faults.delete(index);
      if (fault === 'fetch-error') throw new InjectedFault('fetch-error');

      let response = await fetch(buildRequest(record.request, start, controller.signal));
      if (fault === 'bad-status') {
        const headers = new Headers(response.headers);
        response = new Response(NULL_BODY_STATUS.has(response.status) ? null : response.body, {
          status: 404,
          statusText: 'Not Found (fault injected)',
          headers,
        });
      }

      if (start > 0) {
        const previous = record.response as ResponseMeta;
        if (!validatePartialResponse(start, response, previous, record.completeLength)) {
          // Not a continuation of what is stored (changed resource, wrong
          // start, or a full 200): throw the stored bytes away and start over.
          await response.body?.cancel().catch(() => undefined);
          await this.restartRecord(index, record);
          continue;
        }
      } else {
        const firstResponse = record.response === null;
        record.response = metaOf(response);
        if (firstResponse && record.request.body) this.state.uploaded += record.request.body.byteLength;
        await this.host.changed(this.state, true);
      }
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get('Content-Range'));
        if (range?.complete !== null && range?.complete !== undefined) record.completeLength = range.complete;
      }

      const before = record.bytes;
      const length = Number(response.headers.get('Content-Length'));
      await writeSegments(response.body, {
        uid: this.state.uid,
        index,
        firstSegment: record.segments,
        segmentSize: this.host.segmentSize,
        expected: response.headers.has('Content-Length') && Number.isFinite(length) ? length : null,
        onBytes: (n) => this.count(index, n),
        pool: this.pool,
        beforeStore: fault === 'quota-exceeded' ? () => {
          throw new DOMException('Injected: the quota was exceeded while storing the response.', 'QuotaExceededError');
        } : undefined,
        onCommit: async (n) => {
          record.bytes += n;
          record.segments++;
          await this.host.changed(this.state, true);
        },
      });
      if (fault === 'quota-exceeded' && record.segments === 0) {
        // An empty body never reaches the store step: fail it there anyway.
        throw new StoreError(new DOMException('Injected quota failure.', 'QuotaExceededError'));
      }
      if (this.totalFault) throw new DownloadTotalExceeded();
      if (response.status === 206) {
        if (record.completeLength !== null && record.bytes >= record.completeLength) return this.finish(index, 'success');
        if (record.bytes === before) throw new TypeError('A partial response made no progress.');
        continue;
      }
      return this.finish(index, response.ok ? 'success' : 'bad-status');
    }
    throw new TypeError('Too many partial responses.');
  }

  /** Counts bytes for progress and enforces downloadTotal before a byte is stored. */
  private count(index: number, n: number): void {
    if (this.stopped || !this.state.active) throw new DOMException('The background fetch was aborted.', 'AbortError');
    const total = this.state.downloadTotal;
    if (this.totalFault || (total > 0 && this.state.downloaded + n > total)) {
      this.forced.set(index, 'download-total-exceeded');
      throw new DownloadTotalExceeded(`More than downloadTotal (${total}) bytes.`);
    }
    this.state.downloaded += n;
    void this.host.changed(this.state, false);
  }
}
