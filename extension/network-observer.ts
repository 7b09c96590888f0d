/**
 * The webRequest listeners behind the panel's network detail, registered
 * only while some panel is open. Every listener makes the browser hand each
 * matching download's events to this worker, which measurably delays the
 * page's own `progress` events (README, Performance, figure 1); with no
 * panel open nobody would read them.
 */
import type { NetworkEvent } from './protocol';
import { NETWORK_FILTER, toNetworkEvent } from './network-detail';

type Listener = (details: Parameters<typeof toNetworkEvent>[1]) => undefined;
interface WebRequestEvent {
  addListener(listener: Listener, filter: unknown, extraInfoSpec?: string[]): void;
  removeListener(listener: Listener): void;
}

/** Each event, the phase it reports, and the extra details it needs. */
const EVENTS = [
  ['onBeforeRequest', 'start', undefined],
  ['onBeforeRedirect', 'redirect', ['responseHeaders']],
  ['onResponseStarted', 'response', ['responseHeaders']],
  ['onCompleted', 'completed', undefined],
  ['onErrorOccurred', 'error', undefined],
] as const satisfies readonly (readonly [string, NetworkEvent['phase'], readonly string[] | undefined])[];

export interface NetworkObserver {
  /** Listens while `on`; calling it again with the same value does nothing. */
  setActive(on: boolean): void;
}

export function networkObserver(onEvent: (event: NetworkEvent) => void): NetworkObserver {
  const api = chrome.webRequest as unknown as Record<(typeof EVENTS)[number][0], WebRequestEvent>;
  const bound = EVENTS.map(([name, phase, extra]) => {
    const listener: Listener = (details) => {
      const event = toNetworkEvent(phase, details);
      if (event) onEvent(event);
      return undefined;
    };
    return { event: api[name], listener, extra: extra ? [...extra] : undefined };
  });
  let active = false;
  return {
    setActive(on) {
      if (on === active) return;
      active = on;
      for (const { event, listener, extra } of bound) {
        if (on) event.addListener(listener, NETWORK_FILTER, extra);
        else event.removeListener(listener);
      }
    },
  };
}
