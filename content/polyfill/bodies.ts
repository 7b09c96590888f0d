/**
 * Response bodies in Cache Storage, split into segments of `segmentSize`
 * bytes, each its own cache entry. A segment is committed once its put()
 * resolves, so a worker stopped mid-download loses at most the two segments
 * in flight and resumes with a Range request from the committed length.
 * Bodies stream in and out through two reused buffers; none is ever held
 * whole in memory.
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
  /** Bytes the body is expected to have (Content-Length), so a small body gets a small buffer. */
  expected: number | null;
  /** Each chunk's size, before it is stored; throwing fails the write with that error. */
  onBytes: (n: number) => void;
  /** Runs before each segment is stored; throwing fails the store step (fault injection). */
  beforeStore?: () => void;
  /** A segment is durable: persist the new length. */
  onCommit: (segmentBytes: number) => Promise<void>;
  pool: BufferPool;
}

/**
 * Segment buffers a fetch's records hand on to each other: allocated per
 * record, ten 20 MB records left 34 MB of dead buffers in the worker.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  constructor(private readonly keep: number) {}

  get size(): number {
    return this.free.length;
  }

  take(bytes: number): ArrayBuffer {
    const i = this.free.findIndex((b) => b.byteLength === bytes);
    return i >= 0 ? (this.free.splice(i, 1)[0] as ArrayBuffer) : new ArrayBuffer(bytes);
  }

  give(buffer: ArrayBuffer): void {
    // A detached buffer (its bytes moved by a read) reports 0 bytes.
    if (buffer.byteLength === 0) return;
    this.free.push(buffer);
    if (this.free.length > this.keep) this.free.shift();
  }
}

/** Smallest segment buffer, so a wrong Content-Length cannot make segments tiny. */
const MIN_BUFFER = 64 * 1024;

/**
 * Reads a body into buffers the writer owns. Every default read hands JS a
 * new ArrayBuffer, which the service worker's tiny heap does not collect
 * until V8's external-memory limit: ~80 MB of dead chunks per large body. A
 * BYOB read moves the network's bytes into the same two buffers instead.
 */
class BufferFiller {
  private readonly byob: ReadableStreamBYOBReader | null = null;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  private leftover: Uint8Array | null = null;
  ended = false;

  constructor(source: ReadableStream<Uint8Array>) {
    try {
      this.byob = source.getReader({ mode: 'byob' });
    } catch {
      // Not a byte stream in this engine: chunks are copied, at the old cost.
      this.reader = source.getReader();
    }
  }

  /** Fills `buffer` from its start; a shorter view means the body ended. */
  async fill(buffer: ArrayBuffer, onBytes: (n: number) => void): Promise<Uint8Array> {
    let filled = 0;
    while (filled < buffer.byteLength && !this.ended) {
      if (this.byob) {
        const { value, done } = await this.byob.read(new Uint8Array(buffer, filled));
        // The read transferred the buffer; its bytes continue under `value.buffer`.
        buffer = value ? (value.buffer as ArrayBuffer) : new ArrayBuffer(buffer.byteLength);
        if (done || !value) {
          this.ended = true;
          break;
        }
        onBytes(value.byteLength);
        filled += value.byteLength;
        continue;
      }
      let chunk = this.leftover;
      this.leftover = null;
      if (!chunk) {
        const next = await (this.reader as ReadableStreamDefaultReader<Uint8Array>).read();
        if (next.done) {
          this.ended = true;
          break;
        }
        onBytes(next.value.byteLength);
        chunk = next.value;
      }
      const room = buffer.byteLength - filled;
      if (chunk.byteLength > room) this.leftover = chunk.subarray(room);
      new Uint8Array(buffer, filled).set(chunk.subarray(0, room));
      filled += Math.min(room, chunk.byteLength);
    }
    return new Uint8Array(buffer, 0, filled);
  }

  async close(): Promise<void> {
    const reader = this.byob ?? this.reader;
    if (!this.ended) await reader?.cancel().catch(() => undefined);
    reader?.releaseLock();
  }
}

/** One chunk as a stream body: put() copies it out, so the buffer is free once put() resolves. */
function bodyOf(view: Uint8Array): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start: (controller) => {
        controller.enqueue(view);
        controller.close();
      },
    }),
  );
}

/**
 * Streams `source` into segments, reading the next segment while the
 * previous one is stored; segments commit in order. Rejects with the
 * source's own error if the network side failed, or a StoreError if Cache
 * Storage did.
 */
export async function writeSegments(source: ReadableStream<Uint8Array> | null, opts: WriteOptions): Promise<void> {
  if (!source) return;
  const cache = await caches.open(cacheName(opts.uid));
  const size = Math.max(1, Math.min(opts.segmentSize, Math.max(MIN_BUFFER, opts.expected ?? opts.segmentSize)));
  const filler = new BufferFiller(source);
  let segment = opts.firstSegment;
  let spare: ArrayBuffer | null = null;
  /** The previous segment's store: resolves with its buffer once committed. */
  let storing: Promise<ArrayBuffer> | null = null;
  const store = async (view: Uint8Array, at: number, before: Promise<ArrayBuffer> | null): Promise<ArrayBuffer> => {
    await before;
    try {
      opts.beforeStore?.();
      await cache.put(segmentUrl(opts.uid, opts.index, at), bodyOf(view));
    } catch (error) {
      throw new StoreError(error);
    }
    await opts.onCommit(view.byteLength);
    return view.buffer as ArrayBuffer;
  };
  try {
    for (;;) {
      const buffer = spare ?? opts.pool.take(size);
      spare = null;
      let view: Uint8Array;
      try {
        view = await filler.fill(buffer, opts.onBytes);
      } catch (error) {
        // The network's (or the byte counter's) error decides the failure reason.
        await storing?.catch(() => undefined);
        throw error;
      }
      const previous = storing;
      storing = null;
      if (view.byteLength === 0) {
        opts.pool.give(view.buffer as ArrayBuffer);
        if (previous) opts.pool.give(await previous);
        return;
      }
      const next = store(view, segment++, previous);
      // Observed later; a store failure must not surface as an unhandled rejection meanwhile.
      next.catch(() => undefined);
      if (filler.ended) {
        if (previous) opts.pool.give(await previous);
        opts.pool.give(await next);
        return;
      }
      // At most two buffers: the one being stored and the one being filled.
      if (previous) spare = await previous;
      storing = next;
    }
  } finally {
    await filler.close();
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
