/**
 * Network detail of background-fetch downloads (from the background's
 * webRequest observer), merged per request and matched to a registration's
 * requests by URL and time. Pure.
 */
import type { NetworkEvent } from '../../extension/protocol';
import type { Row } from './types';

export interface NetworkRequest {
  requestId: string;
  url: string;
  method: string;
  startedAt: number;
  responseAt: number | null;
  endedAt: number | null;
  statusCode: number | null;
  statusLine: string;
  ip: string;
  fromCache: boolean;
  responseHeaders: [string, string][];
  /** Where it was redirected, in order (a DNR fault rule shows up here too). */
  redirects: string[];
  /** The network error (net::ERR_...), when it failed. */
  error: string;
}

/** Most requests kept; the oldest go first. Background fetches are few, retries and resumes included. */
export const MAX_NETWORK_REQUESTS = 2000;

export function applyNetworkEvent(requests: Map<string, NetworkRequest>, event: NetworkEvent): void {
  let r = requests.get(event.requestId);
  if (!r) {
    if (event.phase !== 'start') return; // Began before the panel listened: its start time is unknown.
    r = {
      requestId: event.requestId,
      url: event.url,
      method: event.method,
      startedAt: event.at,
      responseAt: null,
      endedAt: null,
      statusCode: null,
      statusLine: '',
      ip: '',
      fromCache: false,
      responseHeaders: [],
      redirects: [],
      error: '',
    };
    requests.set(event.requestId, r);
    if (requests.size > MAX_NETWORK_REQUESTS) requests.delete(requests.keys().next().value!);
    return;
  }
  if (event.statusCode !== undefined) r.statusCode = event.statusCode;
  if (event.statusLine !== undefined) r.statusLine = event.statusLine;
  if (event.ip !== undefined) r.ip = event.ip;
  if (event.fromCache !== undefined) r.fromCache = event.fromCache;
  if (event.responseHeaders) r.responseHeaders = event.responseHeaders;
  switch (event.phase) {
    case 'redirect':
      if (event.redirectUrl) r.redirects.push(event.redirectUrl);
      return;
    case 'response':
      r.responseAt = event.at;
      return;
    case 'completed':
      r.endedAt = event.at;
      return;
    case 'error':
      r.endedAt = event.at;
      r.error = event.error ?? 'failed';
      return;
  }
}

/** Slack for clock differences between the page's Date.now() and the browser's webRequest timestamps. */
const SLACK_MS = 1000;

/**
 * The network attempts for one request of a registration: same URL, started
 * between the fetch() call and the settle. Several attempts happen when the
 * download service retries or resumes after a reload.
 */
export function attemptsFor(
  requests: ReadonlyMap<string, NetworkRequest>,
  url: string,
  from: number,
  until: number | null,
): NetworkRequest[] {
  const out: NetworkRequest[] = [];
  for (const r of requests.values()) {
    if (r.url !== url || r.startedAt < from - SLACK_MS) continue;
    if (until !== null && r.startedAt > until + SLACK_MS) continue;
    out.push(r);
  }
  return out;
}

/** The network attempts of each request of a row, in request order (empty lists where nothing was seen). */
export function attemptsOfRow(requests: ReadonlyMap<string, NetworkRequest>, row: Row): NetworkRequest[][] {
  if (row.kind !== 'registration') return row.data.requests.map(() => []);
  const d = row.data;
  const from = d.calledAt ?? d.seenAt;
  return d.requests.map((r) => attemptsFor(requests, r.url, from, d.settledAt));
}

/** Why requests failed on the network, in plain words, for the failure explanation. */
export function networkFailures(requests: ReadonlyMap<string, NetworkRequest>, row: Row): string[] {
  const out: string[] = [];
  attemptsOfRow(requests, row).forEach((attempts, i) => {
    const last = attempts.at(-1);
    if (!last) return;
    const what = `Request #${i + 1} (${last.method} ${last.url})`;
    const redirect = last.redirects.at(-1);
    // A bad status first: Chromium then cancels the download, which also reports net::ERR_ABORTED.
    if (last.statusCode !== null && last.statusCode >= 400) out.push(`${what} got ${last.statusLine || last.statusCode}.`);
    else if (last.error) out.push(`${what} failed on the network: ${last.error}${redirect ? ` after a redirect to ${redirect}` : ''}.`);
    // Chromium fails a record whose redirect chain ends cross-origin without CORS.
    else if (redirect && new URL(redirect, last.url).origin !== new URL(last.url).origin)
      out.push(`${what} was redirected cross-origin to ${redirect}, which a background fetch cannot use without CORS.`);
  });
  return out;
}
