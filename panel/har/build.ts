/**
 * Panel rows -> HAR 1.2 JSON text. Pure: no browser API, unit-tested in Node.
 *
 * One `log.entries` item per request of each registration row, in row order;
 * rejected fetch() calls and every row's background-fetch context (options,
 * totals, timeline...) go into the custom field `log._backgroundFetch`,
 * which is what "Import HAR" reads back.
 *
 * Per-request timing comes from the network detail (webRequest, Chromium)
 * when `opts.network` has it; otherwise an entry's `time` is the
 * registration's duration (start to settle) and its timings say so.
 */
import type { Content, Entry, Header, Log, PostData, QueryString, Request, Response } from 'har-format';
import type { BodyPreview, RecordData, RequestData } from '../../extension/protocol';
import { attemptsOfRow, type NetworkRequest } from '../state/network';
import type { RegistrationRow, Row, TimelineEntry } from '../state/types';

export const HAR_CREATOR = 'Background Fetch DevTools';
/** Bumped when the shape of `log._backgroundFetch` changes incompatibly. */
export const HAR_FORMAT = 1;

export interface HarOptions {
  /** Written as log.creator.version. */
  version?: string;
  /** Response status and headers per row, by rowKey (from the `records` command). */
  records?: ReadonlyMap<string, RecordData[]>;
  /** Response bodies, by bodyKey(rowKey, record index). */
  bodies?: ReadonlyMap<string, BodyPreview>;
  /** Longest request or response body text written, in characters. */
  maxBodyChars?: number;
  /** The panel's network detail (state.network), for real start times, timings and server addresses. */
  network?: ReadonlyMap<string, NetworkRequest>;
}

/** A row as stored in the file: what the panel shows, without its live wiring. */
export interface ExportedRow {
  kind: Row['kind'];
  source: { frameUrl: string; origin: string };
  data: Row['data'];
  timeline: TimelineEntry[];
  lost: boolean;
  previousPage: boolean;
}

/** The background-fetch context of one entry. */
export interface EntryContext {
  /** Index into log._backgroundFetch.rows. */
  row: number;
  /** Index of the request (and record) within the registration. */
  request: number;
  id: string;
  title: string;
  result: string;
  failureReason: string;
  simulated: boolean;
  /** What the record's response looked like when read, or null when it was not. */
  record: { state: RecordData['state']; type: string; url: string; error: string } | null;
  /** The last network attempt's outcome, where the browser reported it. */
  network?: { error: string; redirects: string[]; statusLine: string };
}

export interface BackgroundFetchLog {
  format: number;
  exportedAt: string;
  rows: ExportedRow[];
}

/** Chrome's own exports name a failed request's error `_error`; DevTools' importer reads it. */
export type HarResponse = Response & { _error?: string };
export type HarEntry = Entry & { response: HarResponse; _backgroundFetch: EntryContext };
export type HarLog = Omit<Log, 'entries'> & { entries: HarEntry[]; _backgroundFetch: BackgroundFetchLog };

const DEFAULT_BODY_CHARS = 1024 * 1024;

export const bodyKey = (rowKey: string, index: number) => `${rowKey}#${index}`;

/**
 * The HAR as JSON text, handed to `write` one entry or row at a time, with a
 * yield to the event loop every ~10 ms of work. No log object is ever whole:
 * 100,000 entries held at once cost a major garbage collection long enough to
 * freeze the panel, and a single JSON.stringify of them is a long task too.
 * The text parses to `{ log: HarLog }`.
 */
export async function writeHar(rows: Row[], opts: HarOptions, write: (text: string) => void): Promise<{ entries: number }> {
  const head: Omit<HarLog, 'entries' | '_backgroundFetch'> = {
    version: '1.2',
    creator: { name: HAR_CREATOR, version: opts.version ?? '0' },
    comment: 'Background fetches recorded by the Background Fetch DevTools panel. Timings come from the browser where it reported the request; otherwise an entry spans its whole registration.',
  };
  const bfHead: Omit<BackgroundFetchLog, 'rows'> = { format: HAR_FORMAT, exportedAt: new Date().toISOString() };
  const pause = timeSlicer();
  write(`{"log":${JSON.stringify(head).slice(0, -1)},"entries":[`);
  let entries = 0;
  for (let i = 0; i < rows.length; i++) {
    for (const entry of entriesOf(rows[i]!, i, opts)) write((entries++ ? ',' : '') + JSON.stringify(entry));
    await pause();
  }
  write(`],"_backgroundFetch":${JSON.stringify(bfHead).slice(0, -1)},"rows":[`);
  for (let i = 0; i < rows.length; i++) {
    write((i ? ',' : '') + JSON.stringify(exportedRow(rows[i]!)));
    await pause();
  }
  write(']}}}');
  return { entries };
}

/** Work slices this long keep the panel responsive (well under the 50 ms of a long task). */
const SLICE_MS = 10;

/**
 * A pause that yields to the event loop only once a slice of work is used
 * up, through a MessageChannel task: setTimeout(0) is clamped to 4 ms once
 * nested, which would cost seconds over thousands of yields.
 */
function timeSlicer(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
    since = performance.now();
  };
}

function exportedRow(row: Row): ExportedRow {
  return {
    kind: row.kind,
    source: { frameUrl: row.source.frameUrl, origin: row.source.origin },
    data: row.data,
    timeline: row.timeline,
    lost: row.lost,
    previousPage: row.previousPage,
  };
}

function entriesOf(row: Row, index: number, opts: HarOptions): HarEntry[] {
  // A rejected fetch() sent nothing over the network: it lives in the custom field only.
  if (row.kind !== 'registration') return [];
  const records = opts.records?.get(row.rowKey) ?? row.imported?.records ?? null;
  const requests = row.data.requests;
  const attempts = opts.network ? attemptsOfRow(opts.network, row) : [];
  return requests.map((req, i) => {
    const record = records?.find((r) => r.index === i) ?? null;
    const entry = entryFor(row, index, i, req, record, opts.bodies?.get(bodyKey(row.rowKey, i)) ?? null, opts);
    const network = attempts[i]?.at(-1);
    if (network) withNetwork(entry, network);
    return entry;
  });
}

function entryFor(
  row: RegistrationRow,
  rowIndex: number,
  index: number,
  req: RequestData,
  record: RecordData | null,
  body: BodyPreview | null,
  opts: HarOptions,
): HarEntry {
  const d = row.data;
  const started = d.calledAt ?? d.seenAt;
  const time = d.settledAt !== null ? Math.max(0, d.settledAt - started) : 0;
  const maxChars = opts.maxBodyChars ?? DEFAULT_BODY_CHARS;
  const entry: HarEntry = {
    startedDateTime: new Date(started).toISOString(),
    time,
    request: requestFor(req, maxChars),
    response: responseFor(row, record, body, maxChars),
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: time, comment: 'The registration from fetch() to its settle.' },
    _backgroundFetch: {
      row: rowIndex,
      request: index,
      id: d.id,
      title: d.options.title,
      result: d.result,
      failureReason: d.failureReason,
      simulated: d.injected?.simulated ?? false,
      record: record
        ? {
            state: record.state,
            type: record.response?.type ?? '',
            url: record.response?.url ?? '',
            error: record.error ? `${record.error.name}: ${record.error.message}` : '',
          }
        : null,
    },
  };
  return entry;
}

/** Real timings of the request's last network attempt, as the browser reported them. */
function withNetwork(entry: HarEntry, n: NetworkRequest): void {
  const end = n.endedAt ?? n.responseAt ?? n.startedAt;
  const wait = n.responseAt !== null ? n.responseAt - n.startedAt : end - n.startedAt;
  entry.startedDateTime = new Date(n.startedAt).toISOString();
  entry.time = Math.max(0, end - n.startedAt);
  entry.timings = { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: Math.max(0, wait), receive: Math.max(0, end - n.startedAt - wait) };
  if (n.ip) entry.serverIPAddress = n.ip;
  entry._backgroundFetch.network = { error: n.error, redirects: n.redirects, statusLine: n.statusLine };
}

function requestFor(req: RequestData, maxChars: number): Request {
  const out: Request = {
    method: req.method,
    url: req.url,
    httpVersion: '',
    cookies: [],
    headers: headers(req.headers),
    queryString: queryString(req.url),
    headersSize: -1,
    bodySize: req.bodySize ?? -1,
  };
  if (req.bodySize && req.bodyPreview !== undefined) {
    const post: PostData = { mimeType: headerValue(req.headers, 'content-type') || 'application/octet-stream', text: cap(req.bodyPreview, maxChars) };
    // The hook keeps the start of each body (as hex when it is not UTF-8), not all of it.
    if (req.bodyPreview.length !== req.bodySize) post.comment = `Preview of a ${req.bodySize}-byte body`;
    out.postData = post;
  }
  return out;
}

function responseFor(row: RegistrationRow, record: RecordData | null, body: BodyPreview | null, maxChars: number): HarResponse {
  const res = record?.response ?? null;
  if (!res) {
    const error = record?.error
      ? `${record.error.name}: ${record.error.message}`
      : row.data.result === 'failure'
        ? `background fetch failed: ${row.data.failureReason || 'unknown'}`
        : '';
    return {
      status: 0,
      statusText: '',
      httpVersion: '',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      ...(error ? { _error: error } : {}),
      comment: record ? `Record ${record.state}` : 'Response not read',
    };
  }
  const contentType = headerValue(res.headers, 'content-type');
  const length = Number(headerValue(res.headers, 'content-length'));
  const content: Content = {
    size: Number.isSafeInteger(length) && length >= 0 ? length : body && !body.truncated ? body.bytes : row.data.requests.length === 1 ? row.data.downloaded : 0,
    mimeType: contentType || 'x-unknown',
  };
  if (body) {
    content.text = cap(body.data, maxChars);
    if (body.encoding === 'base64') content.encoding = 'base64';
    if (body.truncated || content.text.length < body.data.length) content.comment = `First ${body.bytes} bytes of the body`;
  }
  return {
    status: res.status,
    statusText: res.statusText,
    httpVersion: '',
    cookies: [],
    headers: headers(res.headers),
    content,
    redirectURL: headerValue(res.headers, 'location'),
    headersSize: -1,
    bodySize: -1,
  };
}

function headers(list: [string, string][]): Header[] {
  return list.map(([name, value]) => ({ name, value }));
}

function headerValue(list: [string, string][], name: string): string {
  return list.find(([n]) => n.toLowerCase() === name)?.[1] ?? '';
}

function queryString(url: string): QueryString[] {
  // Parsing every URL cost a quarter of a 100,000-record export; most have no query.
  if (!url.includes('?')) return [];
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** Base64 is cut at a multiple of 4 so it still decodes. */
function cap(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - (max % 4));
}
