/**
 * The isolated-world relay, one per frame: hands the hook a private
 * MessagePort, checks everything the hook sends (guard.ts), and carries it to
 * the background over a runtime port. It connects only while a panel is open
 * for its tab, so pages browsed without DevTools cost nothing.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  HANDSHAKE_TAG,
  LIMITS,
  PORT_RELAY,
  type BackgroundToRelay,
  type RelayToBackground,
  type RelayToHook,
} from '../extension/protocol';
import { Guard } from './relay/guard';
import { PendingQueue } from './relay/queue';

(() => {
  const guard = new Guard();
  const channel = new MessageChannel();
  const hook = channel.port1;
  // document_start, before any page script: the hook takes this port.
  window.postMessage({ [HANDSHAKE_TAG]: 1 }, '*', [channel.port2]);

  let port: Runtime.Port | null = null;
  let wanted = false;
  let backoff = 100;
  const queue = new PendingQueue<RelayToBackground>(LIMITS.relayQueue, () => guard.noteOverflow());

  const toHook = (message: RelayToHook) => hook.postMessage(message);

  hook.onmessage = (event) => {
    const message = guard.admit(event.data);
    if (message) send({ kind: 'from-hook', message });
  };

  // Anything else on window that looks like our protocol is a page imitating it.
  window.addEventListener('message', (event) => {
    const data = event.data as Record<string, unknown> | null;
    if (data && typeof data === 'object' && (HANDSHAKE_TAG in data || ['events', 'reply', 'command', 'attached', 'event'].includes(data.kind as string))) {
      guard.noteForged(data);
    }
  });

  setInterval(() => {
    // Counts wait for a port: taken while it is down, they would be lost.
    if (!port) return;
    const counts = guard.takeCounts();
    if (counts) send({ kind: 'dropped', ...counts });
  }, 1000);

  function send(message: RelayToBackground): void {
    if (port) {
      try {
        port.postMessage(message);
        return;
      } catch {
        port = null;
      }
    }
    if (wanted) queue.push(message);
  }

  function connect(): void {
    if (port) return;
    wanted = true;
    let p: Runtime.Port;
    try {
      p = browser.runtime.connect({ name: PORT_RELAY });
    } catch {
      return; // the extension was reloaded or removed: this relay is orphaned
    }
    port = p;
    p.onMessage.addListener((message) => {
      backoff = 100;
      const m = message as BackgroundToRelay;
      if (m.kind === 'command') guard.expectReply(m.rid, m.command.type);
      if (m.kind === 'attached' && !m.attached) wanted = false;
      toHook(m);
    });
    p.onDisconnect.addListener(() => {
      if (port !== p) return;
      port = null;
      // Without a goodbye the background worker died (MV3 idle kill): come back.
      if (wanted) {
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 2000);
      } else {
        toHook({ kind: 'attached', attached: false });
      }
    });
    for (const m of queue.take()) send(m);
  }

  // The background asks the relays of a tab to connect when a panel opens.
  browser.runtime.onMessage.addListener((message: unknown) => {
    if ((message as { kind?: string } | null)?.kind === 'connect') connect();
    return undefined;
  });
  // And a page loading in a tab whose panel is already open connects at once.
  function hello(): void {
    browser.runtime.sendMessage({ kind: 'relay-hello' }).then(
      (answer: unknown) => {
        if ((answer as { attached?: boolean } | null)?.attached) connect();
        else if (wanted) {
          // Back from the back/forward cache with no panel left to talk to.
          wanted = false;
          queue.take();
          toHook({ kind: 'attached', attached: false });
        }
      },
      () => undefined,
    );
  }
  hello();

  // Entering the back/forward cache closes extension ports without telling
  // the frozen page, which would come back holding a dead port: let go on the
  // way in, and ask again on the way back.
  window.addEventListener('pagehide', (event) => {
    if (!event.isTrusted || !event.persisted || !port) return;
    const p = port;
    port = null;
    p.disconnect();
  });
  window.addEventListener('pageshow', (event) => {
    if (event.isTrusted && event.persisted) hello();
  });
})();
