/**
 * Per-request network detail for native background fetches, from webRequest
 * (browser-facts.md: Chromium's download service shows up there with tabId
 * -1, type "other" and the page's origin as initiator). Pure: background.ts
 * registers the listeners, the router sends each event to the panels of tabs
 * showing that origin.
 */
import type { NetworkEvent } from './protocol';

/** The webRequest filter: downloads made outside any tab, not the service worker's own fetch() (xmlhttprequest). */
export const NETWORK_FILTER = { urls: ['<all_urls>'], types: ['other'], tabId: -1 } as const;

const MAX_URL = 4096;
const MAX_HEADERS = 64;
const MAX_VALUE = 1024;

type Details = {
  requestId: string;
  url: string;
  method: string;
  initiator?: string;
  timeStamp: number;
  statusCode?: number;
  statusLine?: string;
  ip?: string;
  fromCache?: boolean;
  responseHeaders?: { name: string; value?: string }[];
  redirectUrl?: string;
  error?: string;
};

export function toNetworkEvent(phase: NetworkEvent['phase'], d: Details): NetworkEvent | null {
  // Without an initiator there is no page to show it to.
  if (!d.initiator || d.initiator === 'null') return null;
  const event: NetworkEvent = {
    requestId: String(d.requestId),
    phase,
    url: d.url.slice(0, MAX_URL),
    method: d.method,
    initiator: d.initiator,
    at: d.timeStamp,
  };
  if (d.statusCode !== undefined) event.statusCode = d.statusCode;
  if (d.statusLine !== undefined) event.statusLine = d.statusLine.slice(0, 256);
  if (d.ip !== undefined) event.ip = d.ip;
  if (d.fromCache !== undefined) event.fromCache = d.fromCache;
  if (d.redirectUrl !== undefined) event.redirectUrl = d.redirectUrl.slice(0, MAX_URL);
  if (d.error !== undefined) event.error = d.error.slice(0, 256);
  if (d.responseHeaders) {
    event.responseHeaders = d.responseHeaders.slice(0, MAX_HEADERS).map((h) => [h.name.slice(0, 256), (h.value ?? '').slice(0, MAX_VALUE)]);
  }
  return event;
}
