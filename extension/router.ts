/**
 * Routes between each tab's relays (one per frame) and that tab's panel.
 * Holds only live ports: after the MV3 worker is killed, relays and panels
 * reconnect and the routes are rebuilt; nothing else needs to survive.
 * Free of browser APIs: the glue in background.ts hands it ports.
 */
import type {
  BackgroundToPanel,
  BackgroundToRelay,
  FrameRef,
  NetworkEvent,
  PanelToBackground,
  RelayToBackground,
} from './protocol';
import { httpUrl } from './urls';

export interface RoutedPort {
  postMessage(message: unknown): void;
  disconnect(): void;
}

interface RelayEntry {
  port: RoutedPort;
  frame: FrameRef;
}

export interface RouterEnv {
  /** Asks every frame's relay in a tab to connect (a panel just opened). */
  wakeRelays(tabId: number): void;
  setTimeout(fn: () => void, ms: number): unknown;
}

/** How long a relay may wait for its panel after a worker restart. */
export const PANEL_GRACE_MS = 5000;

export class Router {
  private readonly panels = new Map<number, RoutedPort>();
  private readonly relays = new Map<number, Map<number, RelayEntry>>();

  constructor(private readonly env: RouterEnv) {}

  hasPanel(tabId: number): boolean {
    return this.panels.has(tabId);
  }

  addPanel(tabId: number, port: RoutedPort): void {
    const old = this.panels.get(tabId);
    if (old && old !== port) old.disconnect();
    this.panels.set(tabId, port);
    for (const entry of this.relays.get(tabId)?.values() ?? []) this.attach(tabId, entry);
    this.env.wakeRelays(tabId);
  }

  removePanel(tabId: number, port: RoutedPort): void {
    if (this.panels.get(tabId) !== port) return;
    this.panels.delete(tabId);
    for (const entry of this.relays.get(tabId)?.values() ?? []) this.release(entry);
    this.relays.delete(tabId);
  }

  addRelay(tabId: number, frame: FrameRef, port: RoutedPort): void {
    let frames = this.relays.get(tabId);
    if (!frames) this.relays.set(tabId, (frames = new Map()));
    const entry: RelayEntry = { port, frame };
    frames.set(frame.frameId, entry);
    if (this.panels.has(tabId)) {
      this.attach(tabId, entry);
      return;
    }
    // The panel may be reconnecting after a worker restart; give it a moment.
    this.env.setTimeout(() => {
      if (!this.panels.has(tabId) && this.relays.get(tabId)?.get(frame.frameId) === entry) {
        this.release(entry);
        this.forgetRelay(tabId, frame.frameId);
      }
    }, PANEL_GRACE_MS);
  }

  removeRelay(tabId: number, frameId: number, port: RoutedPort): void {
    const frames = this.relays.get(tabId);
    if (frames?.get(frameId)?.port !== port) return;
    this.forgetRelay(tabId, frameId);
    this.toPanel(tabId, { kind: 'frame-gone', frameId });
  }

  fromRelay(tabId: number, frameId: number, port: RoutedPort, message: RelayToBackground): void {
    const entry = this.relays.get(tabId)?.get(frameId);
    if (!entry || entry.port !== port) return;
    if (message.kind === 'from-hook') {
      this.toPanel(tabId, { kind: 'hook', frame: entry.frame, message: message.message });
    } else if (message.kind === 'dropped') {
      const { invalid, oversized, rateLimited, forged, sample } = message;
      this.toPanel(tabId, { kind: 'dropped', frameId, invalid, oversized, rateLimited, forged, sample: String(sample).slice(0, 300) });
    }
  }

  fromPanel(tabId: number, port: RoutedPort, message: PanelToBackground): void {
    if (this.panels.get(tabId) !== port || message?.kind !== 'command') return;
    const entry = this.relays.get(tabId)?.get(message.frameId);
    if (!entry) {
      this.toPanel(tabId, {
        kind: 'hook',
        frame: { frameId: message.frameId, url: '' },
        message: {
          kind: 'reply',
          rid: message.envelope.rid,
          ok: false,
          error: { name: 'NotFoundError', message: 'That frame is no longer connected.' },
        },
      });
      return;
    }
    const out: BackgroundToRelay = message.envelope;
    entry.port.postMessage(out);
  }

  /** A background-fetch download seen by webRequest: to every panel whose tab has a frame of that origin. */
  fromNetwork(event: NetworkEvent): void {
    for (const [tabId, port] of this.panels) {
      const frames = this.relays.get(tabId)?.values() ?? [];
      for (const entry of frames) {
        if (httpUrl(entry.frame.url)?.origin === event.initiator) {
          port.postMessage({ kind: 'network', event } satisfies BackgroundToPanel);
          break;
        }
      }
    }
  }

  removeTab(tabId: number): void {
    const panel = this.panels.get(tabId);
    if (panel) this.removePanel(tabId, panel);
    this.relays.delete(tabId);
  }

  /** Tabs with routing state, for tests that check closing a tab frees it. */
  tabIds(): number[] {
    return [...new Set([...this.panels.keys(), ...this.relays.keys()])].sort((a, b) => a - b);
  }

  /** Drops a frame's route, and the tab's entry with its last frame: an empty map per tab ever seen would grow without bound. */
  private forgetRelay(tabId: number, frameId: number): void {
    const frames = this.relays.get(tabId);
    frames?.delete(frameId);
    if (frames?.size === 0) this.relays.delete(tabId);
  }

  private attach(tabId: number, entry: RelayEntry): void {
    const hello: BackgroundToRelay = { kind: 'attached', attached: true };
    entry.port.postMessage(hello);
    this.toPanel(tabId, { kind: 'frame-connected', frame: entry.frame });
  }

  private release(entry: RelayEntry): void {
    const bye: BackgroundToRelay = { kind: 'attached', attached: false };
    try {
      entry.port.postMessage(bye);
      entry.port.disconnect();
    } catch {
      /* already gone */
    }
  }

  private toPanel(tabId: number, message: BackgroundToPanel): void {
    this.panels.get(tabId)?.postMessage(message);
  }
}
