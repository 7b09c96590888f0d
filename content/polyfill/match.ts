/**
 * The Cache API's request matching, as match()/matchAll() use it.
 * https://w3c.github.io/ServiceWorker/#request-matches-cached-item-algorithm
 */
export interface MatchOptions {
  ignoreSearch?: boolean;
  ignoreMethod?: boolean;
  ignoreVary?: boolean;
}

export interface StoredRequestLike {
  url: string;
  method: string;
  headers: [string, string][];
}

export interface QueryLike {
  url: string;
  method: string;
  headers: [string, string][];
}

function headerValue(headers: [string, string][], name: string): string | null {
  const lower = name.toLowerCase();
  const values = headers.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
  return values.length ? values.join(', ') : null;
}

function comparableUrl(url: string, ignoreSearch: boolean): string {
  const u = new URL(url);
  u.hash = '';
  if (ignoreSearch) u.search = '';
  return u.href;
}

export function requestMatches(
  query: QueryLike,
  stored: StoredRequestLike,
  responseHeaders: [string, string][] | null,
  options: MatchOptions = {},
): boolean {
  // Background Fetch records keep their method, so without ignoreMethod the
  // methods must agree (the Cache API only ever stores GETs).
  if (!options.ignoreMethod && query.method.toUpperCase() !== stored.method.toUpperCase()) return false;
  if (comparableUrl(query.url, !!options.ignoreSearch) !== comparableUrl(stored.url, !!options.ignoreSearch)) return false;
  if (options.ignoreVary || !responseHeaders) return true;
  const vary = headerValue(responseHeaders, 'Vary');
  if (vary === null) return true;
  for (const raw of vary.split(',')) {
    const name = raw.trim();
    if (!name) continue;
    if (name === '*') return false;
    if (headerValue(query.headers, name) !== headerValue(stored.headers, name)) return false;
  }
  return true;
}

export function matchIndexes(
  query: QueryLike | null,
  records: { request: StoredRequestLike; response: { headers: [string, string][] } | null }[],
  options: MatchOptions = {},
): number[] {
  const out: number[] = [];
  records.forEach((r, i) => {
    if (!query || requestMatches(query, r.request, r.response?.headers ?? null, options)) out.push(i);
  });
  return out;
}
