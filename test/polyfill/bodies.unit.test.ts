import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BufferPool, StoreError, writeSegments, type WriteOptions } from '../../content/polyfill/bodies';

const SEGMENT = 65536;
const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);

/** A network-like byte stream: BYOB reads get at most `chunk` bytes each. */
function byteSource(data: Uint8Array, chunk: number, failAt = Infinity): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (offset >= failAt) return controller.error(new TypeError('network down'));
      if (offset >= data.byteLength) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const slice = data.slice(offset, offset + chunk);
      offset += slice.byteLength;
      controller.enqueue(slice);
    },
  });
}

/** A stream without BYOB support, as some engines' fetch bodies are. */
function defaultSource(data: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.byteLength) return controller.close();
      controller.enqueue(data.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

/** Cache Storage reading each body only after a delay, as a real put() does: a buffer reused too early shows. */
function fakeCaches() {
  const stored = new Map<string, Uint8Array>();
  const cache = {
    put: async (url: string, response: Response) => {
      await new Promise((r) => setTimeout(r, 2));
      stored.set(url, new Uint8Array(await response.arrayBuffer()));
    },
  };
  return { stored, caches: { open: async () => cache } };
}

let store: ReturnType<typeof fakeCaches>;
beforeEach(() => {
  store = fakeCaches();
  vi.stubGlobal('caches', store.caches);
  vi.stubGlobal('location', { href: 'https://app.test/sw.js' });
});
afterEach(() => vi.unstubAllGlobals());

function options(over: Partial<WriteOptions> = {}) {
  const commits: number[] = [];
  let counted = 0;
  const opts: WriteOptions = {
    uid: 'u',
    index: 0,
    firstSegment: 0,
    segmentSize: SEGMENT,
    expected: null,
    onBytes: (n) => void (counted += n),
    onCommit: async (n) => void commits.push(n),
    pool: new BufferPool(2),
    ...over,
  };
  return { opts, commits, counted: () => counted };
}

const segments = () =>
  [...store.stored.entries()]
    .map(([url, bytes]) => [Number(url.split('/').pop()), bytes] as const)
    .sort((a, b) => a[0] - b[0]);

function joined(): Uint8Array {
  const parts = segments().map(([, b]) => b);
  const out = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

describe('writeSegments', () => {
  for (const [name, source] of [
    ['BYOB', byteSource],
    ['default reader', defaultSource],
  ] as const) {
    it(`stores a body byte for byte in ordered segments (${name})`, async () => {
      const data = pattern(300_000);
      const { opts, commits, counted } = options({ firstSegment: 3 });
      await writeSegments(source(data, 10_000), opts);
      expect(segments().map(([n]) => n)).toEqual([3, 4, 5, 6, 7]);
      expect(commits).toEqual([SEGMENT, SEGMENT, SEGMENT, SEGMENT, 300_000 - 4 * SEGMENT]);
      expect(counted()).toBe(300_000);
      expect(joined()).toEqual(data);
    });
  }

  it('sizes the buffer to a small expected body', async () => {
    const { opts, commits } = options({ segmentSize: 1 << 22, expected: 1000 });
    await writeSegments(byteSource(pattern(100_000), 4096), opts);
    // At least 64 KiB, so a wrong Content-Length cannot make segments tiny.
    expect(commits).toEqual([SEGMENT, 100_000 - SEGMENT]);
    expect(joined()).toEqual(pattern(100_000));
  });

  it('hands its two buffers back for the next record, and they store it byte for byte', async () => {
    const pool = new BufferPool(2);
    await writeSegments(byteSource(pattern(300_000), 10_000), options({ pool }).opts);
    expect(pool.size).toBe(2);
    const taken = [pool.take(SEGMENT), pool.take(SEGMENT)];
    expect(pool.size).toBe(0);
    for (const b of taken) {
      new Uint8Array(b).fill(0xee);
      pool.give(b);
    }
    store.stored.clear();
    await writeSegments(byteSource(pattern(200_000), 7_000), options({ pool, index: 1 }).opts);
    expect(joined()).toEqual(pattern(200_000));
  });

  it('keeps at most its limit and never a detached buffer', () => {
    const pool = new BufferPool(2);
    const detached = new ArrayBuffer(8);
    structuredClone(detached, { transfer: [detached] });
    pool.give(detached);
    expect(pool.size).toBe(0);
    for (let i = 0; i < 3; i++) pool.give(new ArrayBuffer(16));
    expect(pool.size).toBe(2);
    expect(pool.take(16).byteLength).toBe(16);
    expect(pool.take(32).byteLength).toBe(32);
    expect(pool.size).toBe(1);
  });

  it('stores nothing for a null body', async () => {
    const { opts, commits } = options();
    await writeSegments(null, opts);
    expect(commits).toEqual([]);
    expect(store.stored.size).toBe(0);
  });

  it('stops with the byte counter’s error and stores nothing past it', async () => {
    const limit = new Error('over downloadTotal');
    let seen = 0;
    const { opts, commits } = options({
      onBytes: (n) => {
        seen += n;
        if (seen > 100_000) throw limit;
      },
    });
    await expect(writeSegments(byteSource(pattern(300_000), 10_000), opts)).rejects.toBe(limit);
    expect(commits).toEqual([SEGMENT]);
    expect(segments().map(([n]) => n)).toEqual([0]);
  });

  it('rejects with the network’s error, after the segments before it committed', async () => {
    const { opts, commits } = options();
    await expect(writeSegments(byteSource(pattern(300_000), 10_000, 150_000), opts)).rejects.toThrow('network down');
    expect(commits).toEqual([SEGMENT, SEGMENT]);
  });

  it('reports a storage failure as a StoreError named after its cause', async () => {
    const { opts, commits } = options({
      beforeStore: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    });
    const error = await writeSegments(byteSource(pattern(100_000), 10_000), opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).name).toBe('QuotaExceededError');
    expect(commits).toEqual([]);
  });
});
