/**
 * The hook's private line to the isolated relay. At document_start, before
 * any page script, the relay posts one window message carrying a
 * MessagePort; the hook takes the first such port and stops the event there.
 * From then on hook and relay talk over that port, which the page cannot see
 * or write to: no window message the page forges is ever read as ours.
 */
import { HANDSHAKE_TAG, type HookToRelay, type RelayToHook } from '../../extension/protocol';
import { pristine } from './pristine';

export interface Channel {
  post(message: HookToRelay): void;
}

export function openChannel(onMessage: (message: RelayToHook) => void): Channel {
  let port: MessagePort | null = null;
  const onHandshake = (event: Event) => {
    if (port) return;
    const data = pristine.eventData?.(event) as Record<string, unknown> | null;
    if (!data || typeof data !== 'object' || data[HANDSHAKE_TAG] !== 1) return;
    if (pristine.eventSource?.(event) !== window) return;
    const ports = pristine.eventPorts?.(event) as readonly MessagePort[] | undefined;
    if (!ports || ports.length !== 1) return;
    pristine.stopImmediatePropagation(event);
    pristine.removeEventListener(window, 'message', onHandshake, true);
    port = ports[0]!;
    pristine.addEventListener(port, 'message', (e: Event) => {
      const message = pristine.eventData?.(e);
      if (message && typeof message === 'object') onMessage(message as RelayToHook);
    });
    pristine.portStart?.(port);
  };
  pristine.addEventListener(window, 'message', onHandshake, true);
  return {
    post(message) {
      if (port && pristine.portPostMessage) {
        try {
          pristine.portPostMessage(port, message);
        } catch {
          /* an uncloneable value slipped in: drop it rather than break the page */
        }
      }
    },
  };
}
