/**
 * Resuming a GET with a Range request, and checking that the 206 really
 * continues what was stored (spec: "validate a partial response").
 */
export interface ContentRange {
  first: number;
  last: number;
  complete: number | null;
}

type HeaderSource = Headers | [string, string][];

function header(headers: HeaderSource, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const lower = name.toLowerCase();
  const found = headers.find(([k]) => k.toLowerCase() === lower);
  return found ? found[1] : null;
}

/** "bytes first-last/complete" (a single byte range, complete may be "*"). */
export function parseContentRange(value: string | null): ContentRange | null {
  if (value === null) return null;
  const m = /^\s*bytes[ =](\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value);
  if (!m) return null;
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (last < first) return null;
  return { first, last, complete: m[3] === '*' ? null : Number(m[3]) };
}

/** Same value, or absent from both. */
export function headerEquals(name: string, a: HeaderSource, b: HeaderSource): boolean {
  return header(a, name) === header(b, name);
}

export interface PartialLike {
  status: number;
  headers: HeaderSource;
}

export function validatePartialResponse(
  expectedStart: number,
  partial: PartialLike,
  previous: PartialLike | null = null,
  previousCompleteLength: number | null = null,
): boolean {
  if (partial.status !== 206) return false;
  const range = parseContentRange(header(partial.headers, 'Content-Range'));
  if (!range) return false;
  if (range.first !== expectedStart) return false;
  if (previous) {
    // Only headers the first response had are compared: a server that adds an
    // ETag later has not proved anything changed.
    for (const name of ['ETag', 'Last-Modified']) {
      if (header(previous.headers, name) !== null && !headerEquals(name, previous.headers, partial.headers)) return false;
    }
    const prevComplete =
      previous.status === 206
        ? parseContentRange(header(previous.headers, 'Content-Range'))?.complete ?? null
        : previousCompleteLength;
    if (previous.status === 206 && !parseContentRange(header(previous.headers, 'Content-Range'))) return false;
    if (prevComplete !== null && range.complete !== null && prevComplete !== range.complete) return false;
  }
  return true;
}

/** What a stopped download should do next, given what was stored. */
export function resumeStart(record: { bytes: number; response: unknown; request: { method: string } }): number {
  return record.request.method === 'GET' && record.response !== null ? record.bytes : 0;
}
