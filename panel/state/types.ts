import type {
  FailureReason,
  FetchResult,
  FrameRef,
  HookInfo,
  RecordData,
  RegistrationData,
  RejectionData,
} from '../../extension/protocol';
import type { NetworkRequest } from './network';

export type TimelineKind =
  | 'called'
  | 'registered'
  | 'discovered'
  | 'reattached'
  | 'progress'
  | 'settled'
  | 'rejected'
  | 'lost';

export interface TimelineEntry {
  at: number;
  kind: TimelineKind;
  uploaded?: number;
  downloaded?: number;
  result?: FetchResult;
  failureReason?: FailureReason;
  text?: string;
}

/** Where a row's data came from: which frame, which hook session. */
export interface RowSource {
  frameId: number;
  frameUrl: string;
  /** The origin of the realm that reported it (a cross-origin iframe has its own). */
  origin: string;
  session: string;
  hookKey: string;
}

interface RowBase {
  /** Stable panel-wide id, survives re-attachment after reloads. */
  rowKey: string;
  /** Order of first appearance, for a stable row order. */
  ordinal: number;
  source: RowSource;
  timeline: TimelineEntry[];
  /** Set when the page went away before the registration was seen to settle. */
  lost: boolean;
  /** Set once a navigation happened after this row appeared (kept by "Preserve log"). */
  previousPage: boolean;
  /** Set on rows loaded from a HAR file: read-only, no live page behind them. */
  imported?: ImportedInfo;
}

export interface ImportedInfo {
  /** The file's name, shown beside the row. */
  file: string;
  /** The records the file holds (status, headers), or null when it has none. */
  records: RecordData[] | null;
}

export interface RegistrationRow extends RowBase {
  kind: 'registration';
  data: RegistrationData;
}

export interface RejectionRow extends RowBase {
  kind: 'rejection';
  data: RejectionData;
}

export type Row = RegistrationRow | RejectionRow;

export interface SessionState {
  frameId: number;
  info: HookInfo | null;
  /** Highest seq applied; events at or below it are duplicates. */
  lastSeq: number;
}

export interface Diagnostics {
  /** Messages the relay refused (schema, size, rate) and forged ones it saw. */
  invalid: number;
  oversized: number;
  rateLimited: number;
  forged: number;
  /** Events the panel ignored because it had already applied them. */
  duplicates: number;
  /** Rows dropped because the panel hit its cap. */
  evicted: number;
  /** A short, text-only sample of the last refused message. */
  lastSample: string;
}

export interface PanelState {
  rows: Map<string, Row>;
  /** rowKeys in order of first appearance. */
  order: string[];
  /** `${session}\u0000${hookKey}` -> rowKey */
  bySource: Map<string, string>;
  sessions: Map<string, SessionState>;
  frames: Map<number, FrameRef>;
  /** webRequest detail of background-fetch downloads, by request id (panel/state/network.ts). */
  network: Map<string, NetworkRequest>;
  nextOrdinal: number;
  preserveLog: boolean;
  /** Messages from hooks that could not fully instrument their page. */
  notices: string[];
  diagnostics: Diagnostics;
  /** Bumped on every change, so views can memoize on it. */
  version: number;
  maxRows: number;
}

export type { FrameRef };
