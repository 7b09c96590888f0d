/**
 * The one message protocol shared by every side:
 *
 *   page main world (content/hook) --MessagePort--> isolated relay (content/relay)
 *     --runtime port "relay"--> background (routes by tab and frame)
 *     --runtime port "panel:<tabId>"--> panel
 *
 * Commands travel back the same way as request/response pairs with ids.
 *
 * Types only plus plain constants here, so the main-world hook can import
 * this file without pulling a validator into every page. The schemas that
 * check what the page sends live in ./protocol-schema.ts.
 */

export const PROTOCOL_VERSION = 1;

/** Marker on the one window message the relay uses to hand its port to the hook. */
export const HANDSHAKE_TAG = '__bgfetch_devtools_handshake__';
/** Name of the global the hook exposes so a polyfill can announce itself. */
export const GLOBAL_HOOK_NAME = '__BACKGROUND_FETCH_DEVTOOLS_GLOBAL_HOOK__';

/** Caps applied to everything the page sends; the relay drops what exceeds them. */
export const LIMITS = {
  /** Longest string kept in any field (URLs, titles, header values...). */
  string: 4096,
  /** Longest id. */
  id: 512,
  /** Requests described per registration; the rest only counted. */
  requests: 200,
  /** Headers per request. */
  headers: 64,
  /** Icons per registration. */
  icons: 16,
  /** Registrations in one snapshot. */
  snapshotRegistrations: 1000,
  /** Rejected fetch() calls in one snapshot. */
  snapshotRejections: 200,
  /** Serialized size of one message from the page, in characters. */
  messageChars: 2 * 1024 * 1024,
  /** Events in one batch from the page. */
  batchEvents: 1000,
  /** Messages per second accepted from one frame. */
  messagesPerSecond: 500,
  /** Events the hook keeps for resuming a panel after a reconnect. */
  hookEventLog: 2000,
  /** Messages the relay queues while its runtime port is down. */
  relayQueue: 500,
  /** Registrations the panel keeps before dropping the oldest settled ones. */
  panelRegistrations: 20000,
  /** Timeline entries kept per registration (progress samples are coalesced). */
  timeline: 300,
  /** Request body bytes shown as a preview. */
  bodyPreview: 4096,
  /** Request bodies kept per request for replay, and in all per page. */
  replayBodyBytes: 1024 * 1024,
  replayBodiesTotal: 16 * 1024 * 1024,
  /** Largest response body preview the panel may ask for. */
  responsePreview: 1024 * 1024,
} as const;

export type FetchResult = '' | 'success' | 'failure';
export type FailureReason =
  | ''
  | 'aborted'
  | 'bad-status'
  | 'fetch-error'
  | 'quota-exceeded'
  | 'download-total-exceeded';

export const FAILURE_REASONS: readonly Exclude<FailureReason, ''>[] = [
  'aborted',
  'bad-status',
  'fetch-error',
  'quota-exceeded',
  'download-total-exceeded',
];

/** Which Background Fetch the hook found in its realm. */
export type Implementation = 'native' | 'polyfill' | 'none';

export interface IconData {
  src: string;
  sizes?: string;
  type?: string;
  label?: string;
}

/** A request as given to fetch(), captured in plain data. */
export interface RequestData {
  method: string;
  url: string;
  mode: string;
  credentials: string;
  headers: [string, string][];
  /** Body length in bytes, 0 for none, null when it could not be read. */
  bodySize: number | null;
  /** The start of the body as text (binary shown as hex), captured at fetch() time. */
  bodyPreview?: string;
}

export interface FetchOptionsData {
  title: string;
  icons: IconData[];
  downloadTotal: number;
}

export interface ErrorData {
  name: string;
  message: string;
}

/** The state of one registration as the hook sees it. */
export interface RegistrationData {
  /** The hook's handle for this registration, unique within its session. */
  key: string;
  id: string;
  scope: string;
  options: FetchOptionsData;
  uploadTotal: number;
  uploaded: number;
  downloadTotal: number;
  downloaded: number;
  result: FetchResult;
  failureReason: FailureReason;
  recordsAvailable: boolean;
  requests: RequestData[];
  /** Total requests, which may exceed requests.length (capped). */
  requestCount: number;
  /** How the hook learned of it: a fetch() call it saw, or get()/getIds(). */
  origin: 'fetch' | 'discovered';
  /** When fetch() was called (epoch ms), when known. */
  calledAt: number | null;
  /** When fetch() resolved or the registration was first discovered. */
  seenAt: number;
  /** When result became non-empty. */
  settledAt: number | null;
  /** Set when the panel made this fetch fail: with what, and whether only the page's view was changed. */
  injected: InjectedFault | null;
}

export interface InjectedFault {
  reason: Exclude<FailureReason, ''>;
  /** True when emulated in the page's view; false when the failure is real. */
  simulated: boolean;
  /** The armed rule that caused it, which is then used up. */
  ruleId?: string;
}

/** A fault armed in advance: the next fetch whose id or a request URL contains `match` fails with `reason`. */
export interface FaultRule {
  id: string;
  match: string;
  reason: Exclude<FailureReason, ''>;
}

/** A fetch() call that rejected: Chrome's own DevTools never shows these. */
export interface RejectionData {
  key: string;
  id: string;
  scope: string;
  options: FetchOptionsData;
  requests: RequestData[];
  requestCount: number;
  error: ErrorData;
  calledAt: number;
}

/** What the hook reports about itself when a panel attaches. */
export interface HookInfo {
  url: string;
  origin: string;
  isTop: boolean;
  implementation: Implementation;
  protocol: number;
  /** Set when the hook could not instrument the page fully, in plain words. */
  degraded: string | null;
}

/** Everything the hook reports, each tagged with its session and seq. */
export type HookEvent =
  | { type: 'hello'; info: HookInfo }
  | { type: 'registered'; registration: RegistrationData }
  | {
      type: 'progress';
      key: string;
      at: number;
      uploaded: number;
      downloaded: number;
      result: FetchResult;
      failureReason: FailureReason;
      recordsAvailable: boolean;
    }
  | { type: 'rejected'; rejection: RejectionData };

export interface EventEnvelope {
  kind: 'event';
  session: string;
  seq: number;
  event: HookEvent;
}

/** Full state of one hook, sent when a panel cannot resume from its log. */
export interface Snapshot {
  info: HookInfo;
  registrations: RegistrationData[];
  rejections: RejectionData[];
}

/** Commands the panel sends to a frame's hook. */
export type HookCommand =
  /**
   * Bring the panel up to date. `since` is the last seq the panel applied
   * for `session`; the hook answers with the missed events when it still
   * has them, or with a snapshot.
   */
  | { type: 'sync'; session: string | null; since: number }
  /** abort() on a tracked registration; resolves with what abort() resolved. */
  | { type: 'abort'; key: string }
  /** The records of a registration, with each response's status and headers when ready. */
  | { type: 'records'; key: string }
  /** The start of one record's response body, read in the page. */
  | { type: 'body'; key: string; index: number; maxBytes: number }
  /** Saves one record's response body to a file, from the page. */
  | { type: 'save-body'; key: string; index: number }
  /** fetch() again with the same requests and options, or edited ones. */
  | { type: 'replay'; key: string; edits?: ReplayEdits }
  /** Makes a running registration end with `reason`, for real where the engine allows. */
  | { type: 'fail'; key: string; reason: Exclude<FailureReason, ''> }
  /** Replaces the armed fault rules of this frame (empty to disarm all). */
  | { type: 'set-fault-rules'; rules: FaultRule[] };

export interface ReplayEdits {
  id?: string;
  /** One entry per request: a new URL and/or headers; omitted fields stay. */
  requests?: { url?: string; headers?: [string, string][] }[];
  downloadTotal?: number;
}

export interface RecordData {
  index: number;
  request: RequestData;
  state: 'pending' | 'ready' | 'failed';
  response: ResponseData | null;
  error: ErrorData | null;
}

export interface ResponseData {
  status: number;
  statusText: string;
  type: string;
  url: string;
  headers: [string, string][];
}

export interface BodyPreview {
  contentType: string;
  /** 'text' previews are the text; 'base64' previews are the bytes. */
  encoding: 'text' | 'base64';
  data: string;
  /** Bytes read; the body may be longer when `truncated`. */
  bytes: number;
  truncated: boolean;
}

export interface ReplayResult {
  key: string;
  id: string;
}

export type SyncResult =
  | { mode: 'events'; session: string; events: EventEnvelope[] }
  | { mode: 'snapshot'; session: string; seq: number; snapshot: Snapshot };

export interface CommandResults {
  sync: SyncResult;
  abort: boolean;
  /** `live` is false when records became unavailable and these were read at settle time. */
  records: { live: boolean; records: RecordData[] };
  body: BodyPreview;
  'save-body': { filename: string; bytes: number };
  replay: ReplayResult;
  fail: InjectedFault;
  'set-fault-rules': number;
}

export interface CommandEnvelope {
  kind: 'command';
  rid: number;
  command: HookCommand;
}

export type ReplyEnvelope =
  | { kind: 'reply'; rid: number; ok: true; result: unknown }
  | { kind: 'reply'; rid: number; ok: false; error: ErrorData };

/** Relay -> hook control messages (besides commands). */
export type RelayControl = { kind: 'attached'; attached: boolean };

/**
 * Hook -> relay: live events, batched (the hook coalesces progress and
 * flushes at most every PROGRESS_FLUSH_MS), and replies to commands.
 */
export interface EventBatch {
  kind: 'events';
  envelopes: EventEnvelope[];
}
export type HookToRelay = EventBatch | ReplyEnvelope;

/** How often the hook flushes coalesced progress: 20 updates a second at most. */
export const PROGRESS_FLUSH_MS = 50;
/** Relay -> hook. */
export type RelayToHook = CommandEnvelope | RelayControl;

/** Relay -> background. The relay also reports what it had to drop. */
export type RelayToBackground =
  | { kind: 'from-hook'; message: HookToRelay }
  | { kind: 'dropped'; invalid: number; oversized: number; rateLimited: number; forged: number; sample: string };

/** Background -> relay. */
export type BackgroundToRelay = CommandEnvelope | RelayControl;

/** Where a message in the panel came from. */
export interface FrameRef {
  frameId: number;
  documentId?: string;
  url: string;
}

/**
 * One webRequest observation of a background-fetch download (Chromium runs
 * them outside any tab: tabId -1, type "other", the page's origin as
 * initiator). Comes from the browser, not the page.
 */
export interface NetworkEvent {
  requestId: string;
  phase: 'start' | 'redirect' | 'response' | 'completed' | 'error';
  url: string;
  method: string;
  initiator: string;
  /** Epoch ms, from the browser. */
  at: number;
  statusCode?: number;
  statusLine?: string;
  ip?: string;
  fromCache?: boolean;
  responseHeaders?: [string, string][];
  redirectUrl?: string;
  error?: string;
}

/** Background -> panel. */
export type BackgroundToPanel =
  | { kind: 'network'; event: NetworkEvent }
  | { kind: 'frame-connected'; frame: FrameRef }
  | { kind: 'frame-gone'; frameId: number }
  | { kind: 'hook'; frame: FrameRef; message: HookToRelay }
  | {
      kind: 'dropped';
      frameId: number;
      invalid: number;
      oversized: number;
      rateLimited: number;
      forged: number;
      sample: string;
    };

/**
 * Panel -> background. Fault rules go to the background too: failures that
 * need the network (bad-status, fetch-error) are injected there with
 * declarativeNetRequest session rules, scoped to the hosts of the inspected
 * tab's frames.
 */
export type PanelToBackground =
  | { kind: 'command'; frameId: number; envelope: CommandEnvelope }
  | { kind: 'network-faults'; frameUrls: string[]; rules: FaultRule[] };

export const PORT_RELAY = 'bgfetch-relay';
export const PORT_PANEL_PREFIX = 'bgfetch-panel:';
