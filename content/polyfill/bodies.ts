/**
 * Response bodies in Cache Storage, split into segments of `segmentSize`
 * bytes, each its own cache entry. A segment is committed once its put()
 * resolves, so a worker stopped mid-download loses at most one segment and
 * resumes with a Range request from the committed length. Bodies stream in
 * and out; none is ever held whole in memory.
 */
import type { RecordState } from './types';

export function cacheName(uid: string): string {
  return `background-fetch-polyfill:${uid}`;
}

function segmentUrl(uid: string, index: number, segment: number): string {
  return new URL(`/__background-fetch-polyfill__/${encodeURIComponent(uid)}/${index}/${segment}`, globalThis.location.href).href;
}

/** Thrown by a segment write when storage (not the network) failed. */
export class StoreError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = (cause as { name?: string } | null)?.name === 'QuotaExceededError' ? 'QuotaExceededError' : 'StoreError';
  }
}

export interface WriteOptions {
  uid: string;
  index: number;
  firstSegment: number;
  segmentSize: number;
  /** Runs before each segment is stored; throwing fails the store step (fault injection). */
  beforeStore?: () => void;
  /** A segment is durable: persist the new length. */
  onCommit: (segmentBytes: number) => Promise<void>;
}

/**
 * Streams `source` into segments. Rejects with the source's own error if the
 * network side failed, or a StoreError if Cache Storage did.
 */
export async function writeSegments(source: ReadableStream<Uint8Array>, opts: WriteOptions): Promise<void> {
  const cache = await caches.open(cacheName(opts.uid));
  const reader = source.getReader();
  let segment = opts.firstSegment;
  let sourceError: { error: unknown } | null = null;
  let ended = false;
  try {
    for (;;) {
      const first = await reader.read();
      if (first.done) return;
      let bytes = first.value.byteLength;
      let pending: Uint8Array | null = first.value;
      const segmentStream = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          if (pending) {
            controller.enqueue(pending);
            pending = null;
            if (bytes >= opts.segmentSize) controller.close();
            return;
          }
          try {
            const next = await reader.read();
            if (next.done) {
              ended = true;
              controller.close();
              return;
            }
            bytes += next.value.byteLength;
            controller.enqueue(next.value);
            if (bytes >= opts.segmentSize) controller.close();
          } catch (error) {
            sourceError = { error };
            controller.error(error);
          }
        },
      });
      try {
        opts.beforeStore?.();
        await cache.put(segmentUrl(opts.uid, opts.index, segment), new Response(segmentStream));
      } catch (error) {
        // put() reports a failed body stream as its own TypeError; the
        // network's error is the one that decides the failure reason.
        const failed = sourceError as { error: unknown } | null;
        if (failed) throw failed.error;
        throw new StoreError(error);
      }
      segment++;
      await opts.onCommit(bytes);
      if (ended) return;
    }
  } finally {
    reader.releaseLock();
  }
}

export async function deleteSegmentsFrom(uid: string, index: number, fromSegment: number, toSegment: number): Promise<void> {
  const cache = await caches.open(cacheName(uid));
  for (let s = fromSegment; s < toSegment; s++) await cache.delete(segmentUrl(uid, index, s));
}

export function deleteBodies(uid: string): Promise<boolean> {
  return caches.delete(cacheName(uid));
}

/** Aborted records error with AbortError; other failures (not bad-status) with TypeError. */
export function bodyError(result: RecordState['result']): Error | null {
  if (result === 'success' || result === 'bad-status' || result === '') return null;
  if (result === 'aborted') return new DOMException('The fetch was aborted.', 'AbortError');
  return new TypeError(`The record failed: ${result}.`);
}

/**
 * A body that follows the record as it downloads: it waits for segments that
 * are not stored yet, closes when the record completed, errors if it failed.
 */
export function readBody(
  uid: string,
  index: number,
  load: () => Promise<{ record: RecordState | undefined; available: boolean }>,
  wait: () => Promise<void>,
): ReadableStream<Uint8Array> {
  let segment = 0;
  let current: ReadableStreamDefaultReader<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      for (;;) {
        if (current) {
          const next = await current.read();
          if (!next.done) {
            controller.enqueue(next.value);
            return;
          }
          current = null;
          segment++;
        }
        const { record, available } = await load();
        if (!record || !available) {
          controller.error(new TypeError('The records of this background fetch are no longer available.'));
          return;
        }
        if (segment < record.segments) {
          const cache = await caches.open(cacheName(uid));
          const stored = await cache.match(segmentUrl(uid, index, segment));
          if (!stored?.body) {
            controller.error(new TypeError('A stored response segment is missing.'));
            return;
          }
          current = stored.body.getReader();
          continue;
        }
        if (record.result !== '') {
          const error = bodyError(record.result);
          if (error) controller.error(error);
          else controller.close();
          return;
        }
        await wait();
      }
    },
    cancel: async () => {
      await current?.cancel();
    },
  });
}
