import { afterEach, describe, expect, it, vi } from 'vitest';
import { NETWORK_FILTER } from '../../extension/network-detail';
import { networkObserver } from '../../extension/network-observer';
import type { NetworkEvent } from '../../extension/protocol';

type Listener = (details: object) => unknown;

/** A stand-in for chrome.webRequest that keeps each event's listeners. */
function fakeWebRequest() {
  const names = ['onBeforeRequest', 'onBeforeRedirect', 'onResponseStarted', 'onCompleted', 'onErrorOccurred'];
  const listeners = new Map<string, { listener: Listener; filter: unknown; extra?: string[] }[]>();
  const api = Object.fromEntries(
    names.map((name) => {
      listeners.set(name, []);
      return [
        name,
        {
          addListener: (listener: Listener, filter: unknown, extra?: string[]) => listeners.get(name)!.push({ listener, filter, extra }),
          removeListener: (listener: Listener) => listeners.set(name, listeners.get(name)!.filter((l) => l.listener !== listener)),
        },
      ];
    }),
  );
  return { api, listeners, count: () => [...listeners.values()].reduce((n, l) => n + l.length, 0) };
}

afterEach(() => vi.unstubAllGlobals());

describe('network observer', () => {
  it('listens only while active, once per event, and forwards what it hears', () => {
    const fake = fakeWebRequest();
    vi.stubGlobal('chrome', { webRequest: fake.api });
    const events: NetworkEvent[] = [];
    const observer = networkObserver((e) => events.push(e));
    expect(fake.count()).toBe(0);

    observer.setActive(true);
    observer.setActive(true);
    expect(fake.count()).toBe(5);
    const started = fake.listeners.get('onResponseStarted')![0]!;
    expect(started.filter).toEqual(NETWORK_FILTER);
    expect(started.extra).toEqual(['responseHeaders']);
    expect(fake.listeners.get('onBeforeRequest')![0]!.extra).toBeUndefined();

    started.listener({ requestId: '1', url: 'http://a.test/x', method: 'GET', initiator: 'http://a.test', timeStamp: 5, statusCode: 200 });
    fake.listeners.get('onErrorOccurred')![0]!.listener({ requestId: '1', url: 'http://a.test/x', method: 'GET', initiator: 'http://a.test', timeStamp: 6, error: 'net::ERR_FAILED' });
    expect(events.map((e) => [e.phase, e.at])).toEqual([['response', 5], ['error', 6]]);

    observer.setActive(false);
    expect(fake.count()).toBe(0);
    observer.setActive(true);
    expect(fake.count()).toBe(5);
  });
});
