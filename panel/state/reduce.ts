/**
 * The panel's state logic, free of any browser API so it runs in unit tests.
 *
 * State is mutated in place and `version` bumped: the panel must absorb tens
 * of progress events a second over thousands of rows, and copying a Map of
 * 10,000 rows per event would be the bottleneck. Rows themselves are replaced,
 * never mutated, so a view can compare them by identity.
 */
import {
  LIMITS,
  type EventEnvelope,
  type FrameRef,
  type HookEvent,
  type NetworkEvent,
  type RegistrationData,
  type RejectionData,
  type Snapshot,
} from '../../extension/protocol';
import { applyNetworkEvent } from './network';
import type {
  PanelState,
  RegistrationRow,
  RejectionRow,
  Row,
  RowSource,
  SessionState,
  TimelineEntry,
} from './types';
import { indexInserted, indexInvalidate, indexReplaced, lastRunning } from './running-index';

export type PanelAction =
  | { type: 'frame-connected'; frame: FrameRef }
  | { type: 'frame-gone'; frameId: number }
  | { type: 'events'; frame: FrameRef; envelopes: EventEnvelope[] }
  | { type: 'snapshot'; frame: FrameRef; session: string; seq: number; snapshot: Snapshot }
  | {
      type: 'dropped';
      invalid: number;
      oversized: number;
      rateLimited: number;
      forged: number;
      sample: string;
    }
  | { type: 'clear' }
  /** Rows read from a HAR file (each with `imported` set); they get fresh rowKeys and are never matched to live events. */
  | { type: 'import'; rows: Row[] }
  | { type: 'set-preserve-log'; preserveLog: boolean }
  | { type: 'network'; event: NetworkEvent };

export function createState(maxRows: number = LIMITS.panelRegistrations): PanelState {
  return {
    rows: new Map(),
    order: [],
    bySource: new Map(),
    sessions: new Map(),
    frames: new Map(),
    network: new Map(),
    nextOrdinal: 0,
    preserveLog: false,
    notices: [],
    diagnostics: {
      invalid: 0,
      oversized: 0,
      rateLimited: 0,
      forged: 0,
      duplicates: 0,
      evicted: 0,
      lastSample: '',
    },
    version: 0,
    maxRows,
  };
}

/** Applies one action; returns whether anything changed. */
export function reduce(state: PanelState, action: PanelAction): boolean {
  const changed = apply(state, action);
  if (changed) state.version++;
  return changed;
}

function apply(state: PanelState, action: PanelAction): boolean {
  switch (action.type) {
    case 'frame-connected':
      state.frames.set(action.frame.frameId, action.frame);
      return true;
    case 'frame-gone':
      return state.frames.delete(action.frameId);
    case 'events': {
      let changed = false;
      for (const envelope of action.envelopes) {
        changed = applyEnvelope(state, action.frame, envelope) || changed;
      }
      return changed;
    }
    case 'snapshot':
      applySnapshot(state, action.frame, action.session, action.seq, action.snapshot);
      return true;
    case 'dropped': {
      const d = state.diagnostics;
      d.invalid += action.invalid;
      d.oversized += action.oversized;
      d.rateLimited += action.rateLimited;
      d.forged += action.forged;
      if (action.sample) d.lastSample = action.sample;
      return true;
    }
    case 'clear':
      clearRows(state, () => true);
      state.network.clear();
      return true;
    case 'network':
      applyNetworkEvent(state.network, action.event);
      return true;
    case 'import':
      for (const row of action.rows) insertRow(state, { ...row, rowKey: `r${state.nextOrdinal}`, ordinal: state.nextOrdinal++ });
      return action.rows.length > 0;
    case 'set-preserve-log':
      state.preserveLog = action.preserveLog;
      return true;
  }
}

function sourceKey(session: string, hookKey: string): string {
  return `${session}\u0000${hookKey}`;
}

function sessionFor(state: PanelState, frame: FrameRef, session: string): SessionState {
  let s = state.sessions.get(session);
  if (!s) {
    s = { frameId: frame.frameId, info: null, lastSeq: 0 };
    state.sessions.set(session, s);
  }
  return s;
}

function applyEnvelope(state: PanelState, frame: FrameRef, envelope: EventEnvelope): boolean {
  const session = sessionFor(state, frame, envelope.session);
  if (envelope.seq <= session.lastSeq) {
    state.diagnostics.duplicates++;
    return false;
  }
  session.lastSeq = envelope.seq;
  applyEvent(state, frame, envelope.session, envelope.event);
  return true;
}

function applyEvent(state: PanelState, frame: FrameRef, session: string, event: HookEvent): void {
  switch (event.type) {
    case 'hello':
      onHello(state, frame, session, event.info);
      return;
    case 'registered':
      upsertRegistration(state, frame, session, event.registration);
      return;
    case 'rejected':
      addRejection(state, frame, session, event.rejection);
      return;
    case 'progress': {
      const rowKey = state.bySource.get(sourceKey(session, event.key));
      const row = rowKey ? state.rows.get(rowKey) : undefined;
      if (!row || row.kind !== 'registration') return;
      const wasSettled = row.data.result !== '';
      const data: RegistrationData = {
        ...row.data,
        uploaded: event.uploaded,
        downloaded: event.downloaded,
        result: event.result,
        failureReason: event.failureReason,
        recordsAvailable: event.recordsAvailable,
        settledAt: row.data.settledAt ?? (event.result !== '' ? event.at : null),
      };
      const entry: TimelineEntry =
        event.result !== '' && !wasSettled
          ? {
              at: event.at,
              kind: 'settled',
              uploaded: event.uploaded,
              downloaded: event.downloaded,
              result: event.result,
              failureReason: event.failureReason,
            }
          : { at: event.at, kind: 'progress', uploaded: event.uploaded, downloaded: event.downloaded };
      replaceRow(state, { ...row, data, lost: false, timeline: appendTimeline(row.timeline, entry) });
      return;
    }
  }
}

/**
 * A new hook session in the top frame means the page navigated. Like the
 * Network panel, drop the old page's rows unless "Preserve log" is on, but
 * keep registrations still running: background fetches outlive the page,
 * and the new page's hook will re-attach to them.
 */
function onHello(state: PanelState, frame: FrameRef, session: string, info: SessionState['info']): void {
  const s = sessionFor(state, frame, session);
  const isNew = s.info === null;
  s.info = info;
  if (info?.degraded && !state.notices.includes(info.degraded)) {
    state.notices = [...state.notices, info.degraded].slice(-20);
  }
  if (isNew) forgetOldSessions(state, frame.frameId, session);
  if (!isNew || !info?.isTop) return;
  for (const [other, os] of state.sessions) {
    if (other !== session && os.frameId === frame.frameId) state.sessions.delete(other);
  }
  // Imported rows belong to no page: a navigation neither drops nor marks them.
  const oldRow = (row: Row) => row.source.session !== session && !row.imported;
  if (!state.preserveLog) {
    clearRows(state, (row) => oldRow(row) && !(row.kind === 'registration' && row.data.result === ''));
  }
  for (const key of state.order) {
    const row = state.rows.get(key)!;
    if (oldRow(row) && !row.previousPage) replaceRow(state, { ...row, previousPage: true });
  }
}

/**
 * A frame's new document ends its older ones: forget their sessions unless a
 * row still points at them, or an iframe reloading all day would grow this
 * map without bound. A session that comes back (back/forward cache) is sent
 * a snapshot instead of the events since its last seq: nothing is lost.
 */
function forgetOldSessions(state: PanelState, frameId: number, session: string): void {
  const shown = new Set<string>();
  for (const row of state.rows.values()) shown.add(row.source.session);
  for (const [other, s] of state.sessions) {
    if (other !== session && s.frameId === frameId && !shown.has(other)) state.sessions.delete(other);
  }
}

function isRunning(row: Row): row is RegistrationRow {
  return row.kind === 'registration' && row.data.result === '' && !row.lost && !row.imported;
}

function findRunning(state: PanelState, origin: string, data: RegistrationData): RegistrationRow | undefined {
  return lastRunning(state, origin, data.scope, data.id);
}

function originOf(state: PanelState, session: string, frame: FrameRef): string {
  const info = state.sessions.get(session)?.info;
  if (info) return info.origin;
  try {
    return new URL(frame.url).origin;
  } catch {
    return '';
  }
}

/**
 * Upserts a registration, re-attaching it to the row of the same running
 * fetch when it was seen before under another session (page reloaded) or
 * another hook key, so rows never duplicate.
 */
function upsertRegistration(
  state: PanelState,
  frame: FrameRef,
  session: string,
  data: RegistrationData,
): void {
  const origin = originOf(state, session, frame);
  const src: RowSource = { frameId: frame.frameId, frameUrl: frame.url, origin, session, hookKey: data.key };
  const known = state.bySource.get(sourceKey(session, data.key));
  const existing = known ? state.rows.get(known) : findRunning(state, origin, data);
  if (existing && existing.kind === 'registration') {
    const reattached = existing.source.session !== session || existing.source.hookKey !== data.key;
    // A registration found again by get() knows less about its requests than
    // the fetch() call the hook saw: keep the richer description.
    const merged: RegistrationData =
      data.origin === 'discovered' && existing.data.origin === 'fetch'
        ? { ...data, origin: 'fetch', requests: existing.data.requests, calledAt: existing.data.calledAt, options: existing.data.options, uploadTotal: existing.data.uploadTotal }
        : data;
    const entry: TimelineEntry | null = reattached
      ? { at: data.seenAt, kind: 'reattached', downloaded: data.downloaded, uploaded: data.uploaded }
      : null;
    let timeline = entry ? appendTimeline(existing.timeline, entry) : existing.timeline;
    if (merged.result !== '' && existing.data.result === '') {
      timeline = appendTimeline(timeline, settledEntry(merged));
    }
    state.bySource.set(sourceKey(session, data.key), existing.rowKey);
    replaceRow(state, { ...existing, source: src, data: merged, timeline, lost: false, previousPage: false });
    return;
  }
  const timeline: TimelineEntry[] = [];
  if (data.calledAt !== null) timeline.push({ at: data.calledAt, kind: 'called' });
  timeline.push({
    at: data.seenAt,
    kind: data.origin === 'fetch' ? 'registered' : 'discovered',
    uploaded: data.uploaded,
    downloaded: data.downloaded,
  });
  if (data.result !== '') timeline.push(settledEntry(data));
  const row: RegistrationRow = {
    kind: 'registration',
    rowKey: `r${state.nextOrdinal}`,
    ordinal: state.nextOrdinal++,
    source: src,
    data,
    timeline,
    lost: false,
    previousPage: false,
  };
  insertRow(state, row);
  state.bySource.set(sourceKey(session, data.key), row.rowKey);
}

function settledEntry(data: RegistrationData): TimelineEntry {
  return {
    at: data.settledAt ?? data.seenAt,
    kind: 'settled',
    uploaded: data.uploaded,
    downloaded: data.downloaded,
    result: data.result,
    failureReason: data.failureReason,
  };
}

function addRejection(state: PanelState, frame: FrameRef, session: string, data: RejectionData): void {
  const key = sourceKey(session, data.key);
  if (state.bySource.has(key)) return;
  const row: RejectionRow = {
    kind: 'rejection',
    rowKey: `r${state.nextOrdinal}`,
    ordinal: state.nextOrdinal++,
    source: { frameId: frame.frameId, frameUrl: frame.url, origin: originOf(state, session, frame), session, hookKey: data.key },
    data,
    timeline: [
      { at: data.calledAt, kind: 'called' },
      { at: data.calledAt, kind: 'rejected', text: `${data.error.name}: ${data.error.message}` },
    ],
    lost: false,
    previousPage: false,
  };
  insertRow(state, row);
  state.bySource.set(key, row.rowKey);
}

/**
 * A snapshot is the hook's whole state at `seq`. Later live events carry a
 * higher seq; earlier ones are already reflected in it.
 */
function applySnapshot(state: PanelState, frame: FrameRef, session: string, seq: number, snapshot: Snapshot): void {
  const s = sessionFor(state, frame, session);
  if (s.info === null) onHello(state, frame, session, snapshot.info);
  else s.info = snapshot.info;
  s.lastSeq = Math.max(s.lastSeq, seq);
  for (const r of snapshot.registrations) upsertRegistration(state, frame, session, r);
  for (const r of snapshot.rejections) addRejection(state, frame, session, r);
  if (snapshot.info.isTop) markLost(state, frame.frameId, session, snapshot.info.origin);
}

/**
 * Rows still running from an earlier page of this frame that the new page's
 * hook did not find again settled while nobody was watching: the outcome is
 * unknown, and saying so beats a row that spins forever. Only rows of the new
 * page's origin: a page on another origin cannot list them, which says
 * nothing about whether they settled.
 */
function markLost(state: PanelState, frameId: number, session: string, origin: string): void {
  for (const key of state.order) {
    const row = state.rows.get(key)!;
    if (isRunning(row) && row.source.frameId === frameId && row.source.session !== session && row.source.origin === origin) {
      const now = Date.now();
      replaceRow(state, {
        ...row,
        lost: true,
        timeline: appendTimeline(row.timeline, {
          at: now,
          kind: 'lost',
          text: 'The page navigated and the new page no longer lists this fetch: it settled while the page was away.',
        }),
      });
    }
  }
}

function appendTimeline(timeline: TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  const next = timeline.length >= LIMITS.timeline ? coalesce(timeline) : timeline.slice();
  next.push(entry);
  return next;
}

/** Halves the progress samples (keeping every other one), never the milestones. */
function coalesce(timeline: TimelineEntry[]): TimelineEntry[] {
  let keep = false;
  return timeline.filter((e) => {
    if (e.kind !== 'progress') return true;
    keep = !keep;
    return keep;
  });
}

function insertRow(state: PanelState, row: Row): void {
  state.rows.set(row.rowKey, row);
  state.order.push(row.rowKey);
  indexInserted(state, row);
  if (state.rows.size > state.maxRows) evictOldest(state);
}

/** Drops the oldest settled rows first; running ones only if nothing else is left. */
function evictOldest(state: PanelState): void {
  const excess = state.rows.size - state.maxRows;
  const victims = new Set<string>();
  for (const key of state.order) {
    if (victims.size >= excess) break;
    if (!isRunning(state.rows.get(key)!)) victims.add(key);
  }
  for (const key of state.order) {
    if (victims.size >= excess) break;
    victims.add(key);
  }
  state.diagnostics.evicted += victims.size;
  clearRows(state, (row) => victims.has(row.rowKey));
}

function clearRows(state: PanelState, drop: (row: Row) => boolean): void {
  const kept: string[] = [];
  for (const key of state.order) {
    const row = state.rows.get(key)!;
    if (drop(row)) {
      state.rows.delete(key);
    } else {
      kept.push(key);
    }
  }
  state.order = kept;
  indexInvalidate(state);
  for (const [src, key] of state.bySource) {
    if (!state.rows.has(key)) state.bySource.delete(src);
  }
}

function replaceRow(state: PanelState, row: Row): void {
  indexReplaced(state, state.rows.get(row.rowKey), row);
  state.rows.set(row.rowKey, row);
}
