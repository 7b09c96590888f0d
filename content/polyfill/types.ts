/**
 * Shapes shared by the page side, the service-worker side and storage.
 * Everything here crosses postMessage / BroadcastChannel / IndexedDB, so it is
 * plain structured-cloneable data.
 */
export type FailureReason =
  | ''
  | 'aborted'
  | 'bad-status'
  | 'fetch-error'
  | 'quota-exceeded'
  | 'download-total-exceeded';

export type FaultReason = Exclude<FailureReason, ''>;
export const FAULT_REASONS: readonly FaultReason[] = [
  'aborted',
  'bad-status',
  'fetch-error',
  'quota-exceeded',
  'download-total-exceeded',
];

export type FetchResult = '' | 'success' | 'failure';
/** '' while the record is still being fetched. */
export type RecordResult = '' | 'success' | FaultReason;

export interface SerializedRequest {
  url: string;
  method: string;
  headers: [string, string][];
  mode: RequestMode;
  credentials: RequestCredentials;
  cache: RequestCache;
  redirect: RequestRedirect;
  referrer: string;
  referrerPolicy: ReferrerPolicy;
  integrity: string;
  body: ArrayBuffer | null;
  /** Set when `rejectAtFetchTime` is off and the URL must not be fetched. */
  blocked?: string;
}

export interface ResponseMeta {
  status: number;
  statusText: string;
  headers: [string, string][];
  url: string;
  type: ResponseType;
}

export interface RecordState {
  request: SerializedRequest;
  result: RecordResult;
  /** The first response's metadata; later Range responses are validated against it. */
  response: ResponseMeta | null;
  /** Bytes committed to Cache Storage, in `segments` entries. */
  bytes: number;
  segments: number;
  /** The last 206's Content-Range complete-length, when known. */
  completeLength: number | null;
  error?: string;
}

export interface FetchState {
  uid: string;
  scope: string;
  id: string;
  /** Bumped on every change, so realms can drop stale snapshots. */
  version: number;
  active: boolean;
  result: FetchResult;
  failureReason: FailureReason;
  uploadTotal: number;
  uploaded: number;
  downloadTotal: number;
  downloaded: number;
  recordsAvailable: boolean;
  title: string;
  icons: IconDefinition[];
  records: RecordState[];
  created: number;
  settled: number | null;
  /** The settle event was dispatched and its waitUntil promises settled. */
  eventDone: boolean;
  abortRequested: boolean;
  /** Set by the DevTools fault injection; `target` is the record it lands on. */
  faultInjected: { reason: FaultReason; token: string | null; target: number } | null;
  /** The reason of the record that failed first; the fetch's reason once all settle. */
  firstFailure: FailureReason;
}

export interface IconDefinition {
  src: string;
  sizes?: string;
  type?: string;
  label?: string;
}

/** What every realm needs to keep a BackgroundFetchRegistration current. */
export interface Snapshot {
  uid: string;
  scope: string;
  id: string;
  version: number;
  uploadTotal: number;
  uploaded: number;
  downloadTotal: number;
  downloaded: number;
  result: FetchResult;
  failureReason: FailureReason;
  recordsAvailable: boolean;
}

export function snapshotOf(s: FetchState): Snapshot {
  return {
    uid: s.uid,
    scope: s.scope,
    id: s.id,
    version: s.version,
    uploadTotal: s.uploadTotal,
    uploaded: s.uploaded,
    downloadTotal: s.downloadTotal,
    downloaded: s.downloaded,
    result: s.result,
    failureReason: s.failureReason,
    recordsAvailable: s.recordsAvailable,
  };
}

export interface PolyfillConfig {
  /** Requests of one fetch downloading at once (Chromium runs 1). */
  concurrency: number;
  /** Chromium rejects fetch() for bad URLs; the newer spec fails the record. */
  rejectAtFetchTime: boolean;
  /** Bytes per Cache Storage entry: what a stopped worker can lose and re-request. */
  segmentSize: number;
}

export const DEFAULT_CONFIG: PolyfillConfig = {
  concurrency: 3,
  rejectAtFetchTime: true,
  segmentSize: 4 << 20,
};

export interface FetchCommandArgs {
  id: string;
  requests: SerializedRequest[];
  uploadTotal: number;
  downloadTotal: number;
  title: string;
  icons: IconDefinition[];
  config: Partial<PolyfillConfig>;
}

export interface ArmedFault {
  token: string;
  id?: string;
  url?: string;
  reason: FaultReason;
}

/** Page -> service worker commands; each answered on the transferred port. */
export type Command =
  | { op: 'fetch'; scope: string; args: FetchCommandArgs }
  | { op: 'get'; scope: string; id: string }
  | { op: 'getIds'; scope: string }
  | { op: 'abort'; scope: string; uid: string }
  | { op: 'failRegistration'; scope: string; id: string; reason: FaultReason }
  | { op: 'ping'; scope: string };

export type Reply = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

export const MESSAGE_TAG = '__backgroundFetchPolyfill';
export const VERSION = '0.1.0';

export function channelName(scope: string): string {
  return `background-fetch-polyfill:${scope}`;
}

/** Broadcast on the scope's channel. */
export type ChannelMessage =
  | { type: 'state'; snapshot: Snapshot }
  /** Asks the worker running `uid` to abort it; it answers with `aborted` and the same `ask`. */
  | { type: 'abort'; uid: string; ask: string }
  | { type: 'aborted'; ask: string; result: boolean }
  | { type: 'fault'; uid: string; reason: FaultReason };
