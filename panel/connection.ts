/**
 * The panel's end of the bridge: a runtime port to the background named after
 * the inspected tab, reconnected with back-off when the MV3 worker dies, and
 * typed request/response commands to each frame's hook.
 *
 * On every (re)connection the background announces the tab's live frames; the
 * panel then asks each hook to sync from the last seq it applied, so events
 * are neither lost nor applied twice.
 */
import {
  PORT_PANEL_PREFIX,
  type BackgroundToPanel,
  type CommandResults,
  type FaultRule,
  type FrameRef,
  type HookCommand,
  type PanelToBackground,
  type ReplyEnvelope,
  type SyncResult,
} from '../extension/protocol';
import { frameUrls } from './fault-rules';
import type { PanelStore } from './state/store';

/** The slice of chrome.runtime.Port the connection needs; tests pass a fake. */
export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

export type Connect = (name: string) => PortLike;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const COMMAND_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 2_000;

export class PanelConnection {
  private port: PortLike | null = null;
  private nextRid = 1;
  private readonly pending = new Map<number, Pending>();
  private backoff = 50;
  private closed = false;
  /** Armed fault rules: for the hooks (re-sent to every frame that syncs) and for the background. */
  private faults: { hooks: FaultRule[]; network: FaultRule[] } = { hooks: [], network: [] };
  /** Whether the background holds network rules of ours, so an empty list is only sent to clear them. */
  private networkArmed = false;
  /** How many times the port was (re)established; shown in diagnostics. */
  connects = 0;

  constructor(
    private readonly tabId: number,
    private readonly store: PanelStore,
    private readonly connect: Connect,
    private readonly onStatus: (connected: boolean) => void = () => {},
  ) {}

  open(): void {
    this.closed = false;
    this.attach();
  }

  close(): void {
    this.closed = true;
    this.port?.disconnect();
    this.port = null;
  }

  /**
   * Arms fault rules (panel/fault-rules.ts) in every frame's hook and, for
   * reasons the network can produce, in the background; empty lists disarm.
   * Frames that connect later and a restarted background get them too.
   * Resolves once every current frame's hook has answered.
   */
  async setFaultRules(hooks: FaultRule[], network: FaultRule[]): Promise<void> {
    this.faults = { hooks, network };
    this.sendNetworkFaults();
    await Promise.all([...this.store.state.frames.keys()].map((frameId) => this.armHook(frameId)));
  }

  private sendNetworkFaults(): void {
    if (this.faults.network.length === 0 && !this.networkArmed) return;
    this.networkArmed = this.faults.network.length > 0;
    const message: PanelToBackground = { kind: 'network-faults', frameUrls: frameUrls(this.store.state), rules: this.faults.network };
    this.port?.postMessage(message);
  }

  private armHook(frameId: number): Promise<unknown> {
    // A frame that went away has nothing to arm; the next one is armed when it syncs.
    return this.command(frameId, { type: 'set-fault-rules', rules: this.faults.hooks }).catch(() => undefined);
  }

  /** Sends a command to one frame's hook and resolves with its typed result. */
  command<C extends HookCommand>(frameId: number, command: C): Promise<CommandResults[C['type']]> {
    const rid = this.nextRid++;
    return new Promise((resolve, reject) => {
      const port = this.port;
      if (!port) {
        reject(new Error('Not connected to the extension; retrying.'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new Error(`The page did not answer "${command.type}" within ${COMMAND_TIMEOUT_MS / 1000} s.`));
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(rid, { resolve: resolve as (v: unknown) => void, reject, timer });
      const message: PanelToBackground = { kind: 'command', frameId, envelope: { kind: 'command', rid, command } };
      port.postMessage(message);
    });
  }

  private attach(): void {
    let port: PortLike;
    try {
      port = this.connect(PORT_PANEL_PREFIX + this.tabId);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.port = port;
    this.connects++;
    // A restarted background lost nothing it needs but these rules' owner: say them again.
    this.networkArmed = false;
    this.sendNetworkFaults();
    port.onMessage.addListener((message) => this.onMessage(message as BackgroundToPanel));
    port.onDisconnect.addListener(() => {
      if (this.port !== port) return;
      this.port = null;
      this.onStatus(false);
      for (const [rid, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error('The connection to the extension was lost.'));
        this.pending.delete(rid);
      }
      if (!this.closed) this.scheduleReconnect();
    });
    this.onStatus(true);
  }

  private scheduleReconnect(): void {
    const delay = this.backoff;
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
    setTimeout(() => {
      if (!this.closed && !this.port) this.attach();
    }, delay);
  }

  private onMessage(message: BackgroundToPanel): void {
    this.backoff = 50;
    switch (message.kind) {
      case 'frame-connected':
        this.store.dispatch({ type: 'frame-connected', frame: message.frame });
        void this.sync(message.frame);
        if (this.faults.hooks.length) void this.armHook(message.frame.frameId);
        // A new frame (another origin) widens the hosts the network rules cover.
        this.sendNetworkFaults();
        return;
      case 'network':
        this.store.dispatch({ type: 'network', event: message.event });
        return;
      case 'frame-gone':
        this.store.dispatch({ type: 'frame-gone', frameId: message.frameId });
        return;
      case 'dropped':
        this.store.dispatch({ type: 'dropped', ...message });
        return;
      case 'hook': {
        const inner = message.message;
        if (inner.kind === 'events') {
          this.store.dispatch({ type: 'events', frame: message.frame, envelopes: inner.envelopes });
        } else {
          this.settle(inner);
        }
        return;
      }
    }
  }

  private settle(reply: ReplyEnvelope): void {
    const p = this.pending.get(reply.rid);
    if (!p) return;
    this.pending.delete(reply.rid);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
  }

  /** Brings the panel up to date with one frame's hook. */
  private async sync(frame: FrameRef): Promise<void> {
    const known = this.knownSession(frame.frameId);
    let result: SyncResult;
    try {
      result = await this.command(frame.frameId, { type: 'sync', session: known?.session ?? null, since: known?.lastSeq ?? 0 });
    } catch {
      return; // The frame went away or the worker restarted; the next frame-connected retries.
    }
    if (result.mode === 'events') {
      this.store.dispatch({ type: 'events', frame, envelopes: result.events });
    } else {
      this.store.dispatch({
        type: 'snapshot',
        frame,
        session: result.session,
        seq: result.seq,
        snapshot: result.snapshot,
      });
    }
  }

  private knownSession(frameId: number): { session: string; lastSeq: number } | null {
    let found: { session: string; lastSeq: number } | null = null;
    for (const [session, s] of this.store.state.sessions) {
      if (s.frameId === frameId) found = { session, lastSeq: s.lastSeq };
    }
    return found;
  }
}
