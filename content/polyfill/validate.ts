/**
 * fetch() argument checks. Pure: the page, the service worker and the unit
 * tests share them.
 */

/** https://fetch.spec.whatwg.org/#port-blocking */
export const BAD_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Chromium's per-origin cap on active fetches. */
export const MAX_ACTIVE_FETCHES = 5;

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Why a URL must not be fetched in the background, or null. From an https
 * context only https and loopback http are allowed (mixed content,
 * WICG/background-fetch#44); Chromium applies no such rule to an http
 * context (measured: http://127.0.0.1 may fetch http://example.com), and
 * neither does this. `raw` is the caller's string, for the dangling-markup
 * check that URL parsing would otherwise hide.
 */
export function urlProblem(url: string, raw?: string, contextProtocol = 'https:'): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `Invalid URL: ${url}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `Refused to fetch '${url}': only http: and https: URLs are supported.`;
  }
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  if (BAD_PORTS.has(port)) {
    return `Refused to fetch '${url}' because that port is not allowed.`;
  }
  if (contextProtocol === 'https:' && parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    return `Mixed Content: '${url}' must be requested over https (or be a loopback address).`;
  }
  if (raw !== undefined && /[\n\r\t]/.test(raw) && raw.includes('<')) {
    return `Refused to fetch '${url}': the URL contains dangling markup (a newline and '<').`;
  }
  return null;
}

export interface NormalizedOptions {
  title: string;
  icons: { src: string; sizes?: string; type?: string; label?: string }[];
  downloadTotal: number;
}

/** WebIDL conversion of BackgroundFetchOptions, loosely. */
export function normalizeOptions(options: unknown): NormalizedOptions {
  const o = (options ?? {}) as { title?: unknown; icons?: unknown; downloadTotal?: unknown };
  const downloadTotal = o.downloadTotal === undefined ? 0 : Number(o.downloadTotal);
  if (!Number.isFinite(downloadTotal) || downloadTotal < 0) {
    throw new TypeError("Failed to execute 'fetch' on 'BackgroundFetchManager': downloadTotal is not a valid unsigned long long.");
  }
  const icons = Array.isArray(o.icons)
    ? o.icons.map((i: { src?: unknown; sizes?: unknown; type?: unknown; label?: unknown }) => ({
        src: String(i?.src ?? ''),
        ...(i?.sizes !== undefined ? { sizes: String(i.sizes) } : {}),
        ...(i?.type !== undefined ? { type: String(i.type) } : {}),
        ...(i?.label !== undefined ? { label: String(i.label) } : {}),
      }))
    : [];
  return { title: o.title === undefined ? '' : String(o.title), icons, downloadTotal: Math.floor(downloadTotal) };
}

/** `requests` is one RequestInfo or a sequence of them. */
export function toRequestList(requests: unknown): unknown[] {
  if (requests instanceof Request || typeof requests === 'string') return [requests];
  if (requests && typeof requests === 'object' && typeof (requests as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return Array.from(requests as Iterable<unknown>);
  }
  // Anything else is stringified, as WebIDL does for a USVString.
  return [String(requests)];
}
