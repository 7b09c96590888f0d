/**
 * Turns what the page passed to fetch() and what a registration reports into
 * plain, size-capped data. Never throws: page objects may have hostile getters.
 */
import { LIMITS, type FetchOptionsData, type IconData, type RequestData } from '../../extension/protocol';
import { append, pristine } from './pristine';

export function cap(value: unknown, max: number = LIMITS.string): string {
  let text: string;
  try {
    text = pristine.String(value);
  } catch {
    return '';
  }
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export function num(value: unknown): number {
  try {
    const n = pristine.Number(value);
    return Number.isFinite(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

/**
 * Normalizes the `requests` argument to an array, the way WebIDL converts a
 * sequence. A one-shot iterable (a generator) would be consumed by reading
 * it, so the caller must pass this array on to the real fetch().
 */
export function toRequestList(requests: unknown): unknown[] | null {
  if (typeof requests === 'string' || requests instanceof pristine.Request) return [requests];
  if (pristine.isArray(requests)) return requests as unknown[];
  if (requests !== null && typeof requests === 'object') {
    const iter = (requests as Record<symbol, unknown>)[pristine.iterator];
    if (typeof iter === 'function') {
      const out: unknown[] = [];
      const it = pristine.apply(iter as () => Iterator<unknown>, requests, []);
      for (let step = it.next(); !step.done; step = it.next()) append(out, step.value);
      return out;
    }
  }
  return null;
}

function headersOf(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  try {
    for (const [name, value] of headers) {
      if (out.length >= LIMITS.headers) break;
      append(out, [cap(name, 256), cap(value)]);
    }
  } catch {
    /* unreadable headers are reported as none */
  }
  return out;
}

/** Plain data for one RequestInfo; `bodySize` is filled in later by readBodies. */
export function describeRequest(info: unknown): { data: RequestData; request: Request | null } {
  let request: Request | null = null;
  try {
    request = info instanceof pristine.Request ? info : new pristine.Request(info as string);
  } catch {
    request = null;
  }
  if (!request) {
    return {
      data: { method: 'GET', url: cap(info), mode: '', credentials: '', headers: [], bodySize: 0 },
      request: null,
    };
  }
  return {
    data: {
      method: cap(request.method, 32),
      url: cap(request.url),
      mode: cap(request.mode, 32),
      credentials: cap(request.credentials, 32),
      headers: headersOf(request.headers),
      bodySize: request.body ? null : 0,
    },
    request,
  };
}

export interface CapturedBody {
  size: number | null;
  /** Kept for replay when small enough; null when not captured. */
  bytes: ArrayBuffer | null;
}

/**
 * Reads request bodies from clones, before the real fetch() consumes them:
 * their sizes, a preview, and the bytes themselves for replay. Never rejects.
 */
export function readBodies(requests: (Request | null)[]): Promise<CapturedBody[]> {
  const reads: Promise<CapturedBody>[] = [];
  for (const request of requests) {
    if (!request || !request.body) {
      append(reads, pristine.resolve({ size: request ? 0 : null, bytes: request ? new ArrayBuffer(0) : null }));
      continue;
    }
    let clone: Request;
    try {
      clone = request.clone();
    } catch {
      append(reads, pristine.resolve({ size: null, bytes: null }));
      continue;
    }
    append(
      reads,
      pristine.then(
        clone.arrayBuffer(),
        (buf) => ({ size: buf.byteLength, bytes: buf.byteLength <= LIMITS.replayBodyBytes ? buf : null }),
        () => ({ size: null, bytes: null }),
      ) as Promise<CapturedBody>,
    );
  }
  return pristine.all(reads);
}

/** The start of a body as text when it decodes as UTF-8, else as hex. */
export function previewBytes(bytes: ArrayBuffer, max: number = LIMITS.bodyPreview): string {
  const head = new Uint8Array(bytes, 0, Math.min(bytes.byteLength, max));
  const more = bytes.byteLength > max ? '…' : '';
  try {
    return new pristine.TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true }) + more;
  } catch {
    let hex = '';
    for (let i = 0; i < head.length && i < 256; i++) hex += (i % 16 ? ' ' : i ? '\n' : '') + head[i]!.toString(16).padStart(2, '0');
    return hex + (bytes.byteLength > 256 ? '\n…' : '');
  }
}

export function describeOptions(options: unknown): FetchOptionsData {
  const out: FetchOptionsData = { title: '', icons: [], downloadTotal: 0 };
  if (options === null || typeof options !== 'object') return out;
  try {
    const o = options as Record<string, unknown>;
    if (o.title !== undefined) out.title = cap(o.title);
    out.downloadTotal = num(o.downloadTotal);
    const icons = o.icons;
    if (pristine.isArray(icons)) {
      for (let i = 0; i < icons.length && i < LIMITS.icons; i++) {
        const icon = icons[i] as Record<string, unknown> | null;
        if (!icon || typeof icon !== 'object') continue;
        const item: IconData = { src: cap(icon.src) };
        if (icon.sizes !== undefined) item.sizes = cap(icon.sizes, 256);
        if (icon.type !== undefined) item.type = cap(icon.type, 256);
        if (icon.label !== undefined) item.label = cap(icon.label, 256);
        append(out.icons, item);
      }
    }
  } catch {
    /* a throwing getter: report what was read */
  }
  return out;
}

export function describeError(error: unknown): { name: string; message: string } {
  try {
    if (error !== null && typeof error === 'object') {
      const e = error as { name?: unknown; message?: unknown };
      return { name: cap(e.name ?? 'Error', 128), message: cap(e.message ?? '') };
    }
    return { name: 'Error', message: cap(error) };
  } catch {
    return { name: 'Error', message: '(unreadable error)' };
  }
}
