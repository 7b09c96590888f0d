import { describe, expect, it } from 'vitest';
import { toNetworkEvent } from '../../extension/network-detail';
import type { NetworkEvent } from '../../extension/protocol';
import { Router, type RoutedPort } from '../../extension/router';
import { applyNetworkEvent, attemptsFor, MAX_NETWORK_REQUESTS, networkFailures, type NetworkRequest } from '../../panel/state/network';
import type { RegistrationRow } from '../../panel/state/types';

const base = { requestId: '7', url: 'http://127.0.0.1:8787/media/a.mp3', method: 'GET', initiator: 'http://127.0.0.1:8787' };

function event(phase: NetworkEvent['phase'], at: number, extra: Partial<NetworkEvent> = {}): NetworkEvent {
  return { ...base, phase, at, ...extra };
}

describe('webRequest details to network events', () => {
  it('keeps what the panel shows, capped, and drops requests with no initiating page', () => {
    const e = toNetworkEvent('response', {
      ...base,
      timeStamp: 10,
      statusCode: 200,
      statusLine: 'HTTP/1.1 200 OK',
      ip: '127.0.0.1',
      responseHeaders: Array.from({ length: 100 }, (_, i) => ({ name: `h${i}`, value: 'v'.repeat(5000) })),
    });
    expect(e).toMatchObject({ requestId: '7', phase: 'response', statusCode: 200, ip: '127.0.0.1', at: 10 });
    expect(e!.responseHeaders).toHaveLength(64);
    expect(e!.responseHeaders![0]![1]).toHaveLength(1024);
    expect(toNetworkEvent('start', { ...base, initiator: undefined, timeStamp: 1 })).toBeNull();
    expect(toNetworkEvent('start', { ...base, initiator: 'null', timeStamp: 1 })).toBeNull();
  });
});

describe('network requests in the panel', () => {
  it('merges the phases of one request, redirects and errors included', () => {
    const map = new Map<string, NetworkRequest>();
    applyNetworkEvent(map, event('start', 100));
    applyNetworkEvent(map, event('redirect', 110, { redirectUrl: 'data:,x', statusCode: 307 }));
    applyNetworkEvent(map, event('error', 120, { error: 'net::ERR_FAILED' }));
    expect(map.get('7')).toMatchObject({ startedAt: 100, endedAt: 120, redirects: ['data:,x'], error: 'net::ERR_FAILED', statusCode: 307 });
  });

  it('ignores requests whose start it never saw, and keeps a bounded number', () => {
    const map = new Map<string, NetworkRequest>();
    applyNetworkEvent(map, event('completed', 5));
    expect(map.size).toBe(0);
    for (let i = 0; i < MAX_NETWORK_REQUESTS + 10; i++) applyNetworkEvent(map, event('start', i, { requestId: String(i) }));
    expect(map.size).toBe(MAX_NETWORK_REQUESTS);
    expect(map.has('0')).toBe(false);
  });

  it('matches attempts to a request by URL and the fetch time window', () => {
    const map = new Map<string, NetworkRequest>();
    applyNetworkEvent(map, event('start', 1_000, { requestId: 'old' }));
    applyNetworkEvent(map, event('start', 10_000, { requestId: 'a' }));
    applyNetworkEvent(map, event('start', 12_000, { requestId: 'b' }));
    applyNetworkEvent(map, event('start', 10_500, { requestId: 'other', url: 'http://127.0.0.1:8787/media/b.mp3' }));
    expect(attemptsFor(map, base.url, 9_800, null).map((r) => r.requestId)).toEqual(['a', 'b']);
    expect(attemptsFor(map, base.url, 9_800, 10_200).map((r) => r.requestId)).toEqual(['a']);
  });
});

describe('network failures in plain words', () => {
  it('names the request and what happened to it', () => {
    const map = new Map<string, NetworkRequest>();
    const url2 = 'http://127.0.0.1:8787/media/b.mp3';
    const url3 = 'http://127.0.0.1:8787/media/c.mp3';
    applyNetworkEvent(map, event('start', 100));
    applyNetworkEvent(map, event('error', 120, { error: 'net::ERR_BLOCKED_BY_CLIENT' }));
    applyNetworkEvent(map, event('start', 100, { requestId: '8', url: url2 }));
    applyNetworkEvent(map, event('redirect', 110, { requestId: '8', url: url2, statusCode: 307, redirectUrl: 'data:,x' }));
    applyNetworkEvent(map, event('start', 100, { requestId: '9', url: url3 }));
    applyNetworkEvent(map, event('response', 120, { requestId: '9', url: url3, statusCode: 404, statusLine: 'HTTP/1.1 404 Not Found' }));
    applyNetworkEvent(map, event('error', 130, { requestId: '9', url: url3, error: 'net::ERR_ABORTED' }));
    const request = (url: string) => ({ url, method: 'GET', headers: [], mode: '', credentials: '', bodySize: 0 });
    const row = {
      kind: 'registration',
      data: { calledAt: 50, seenAt: 60, settledAt: 200, requests: [request(base.url), request(url2), request(url3), request('http://127.0.0.1:8787/ok')] },
    } as unknown as RegistrationRow;
    expect(networkFailures(map, row)).toEqual([
      `Request #1 (GET ${base.url}) failed on the network: net::ERR_BLOCKED_BY_CLIENT.`,
      `Request #2 (GET ${url2}) was redirected cross-origin to data:,x, which a background fetch cannot use without CORS.`,
      `Request #3 (GET ${url3}) got HTTP/1.1 404 Not Found.`,
    ]);
  });
});

describe('routing network events', () => {
  it('reaches only panels of tabs with a frame of the initiating origin', () => {
    const sent = new Map<number, unknown[]>();
    const port = (tab: number): RoutedPort => ({ postMessage: (m) => sent.set(tab, [...(sent.get(tab) ?? []), m]), disconnect() {} });
    const router = new Router({ wakeRelays() {}, setTimeout: () => 0 });
    router.addPanel(1, port(1));
    router.addPanel(2, port(2));
    router.addRelay(1, { frameId: 0, url: 'http://127.0.0.1:8787/app/' }, port(101));
    router.addRelay(2, { frameId: 0, url: 'http://localhost:8787/' }, port(102));
    sent.clear();
    router.fromNetwork(event('start', 1));
    expect(sent.get(1)).toEqual([{ kind: 'network', event: event('start', 1) }]);
    expect(sent.has(2)).toBe(false);
  });
});
