/**
 * How a fetch's result follows from its records' results. Pure, so the
 * ordering rules (download-total-exceeded at once, otherwise the first
 * failure once everything settled) are unit-tested without a browser.
 */
import type { ArmedFault, FailureReason, FaultReason, FetchState, RecordResult, SerializedRequest } from './types';

export function newFetchState(init: {
  uid: string;
  scope: string;
  id: string;
  requests: SerializedRequest[];
  uploadTotal: number;
  downloadTotal: number;
  title: string;
  icons: FetchState['icons'];
  now: number;
}): FetchState {
  return {
    uid: init.uid,
    scope: init.scope,
    id: init.id,
    version: 1,
    active: true,
    result: '',
    failureReason: '',
    uploadTotal: init.uploadTotal,
    uploaded: 0,
    downloadTotal: init.downloadTotal,
    downloaded: 0,
    recordsAvailable: true,
    title: init.title,
    icons: init.icons,
    records: init.requests.map((request) => ({
      request,
      result: '',
      response: null,
      bytes: 0,
      segments: 0,
      completeLength: null,
    })),
    created: init.now,
    settled: null,
    eventDone: false,
    abortRequested: false,
    faultInjected: null,
    firstFailure: '',
  };
}

export interface Transition {
  /** The fetch settled with this change. */
  settled: boolean;
  /** Records still running must be stopped (abort, download-total-exceeded). */
  stopOthers: boolean;
}

/**
 * A record finished. `firstFailure` keeps the order failures happened in,
 * which decides the fetch's failureReason.
 */
export function completeRecord(state: FetchState, index: number, result: Exclude<RecordResult, ''>, now: number): Transition {
  const record = state.records[index];
  if (!record || !state.active || record.result !== '') return { settled: false, stopOthers: false };
  record.result = result;
  state.version++;
  if (result === 'download-total-exceeded') {
    abortRemaining(state);
    settle(state, 'download-total-exceeded', now);
    return { settled: true, stopOthers: true };
  }
  if (result !== 'success' && pendingFailure(state) === '') setPendingFailure(state, result);
  if (state.records.every((r) => r.result !== '')) {
    settle(state, pendingFailure(state), now);
    return { settled: true, stopOthers: false };
  }
  return { settled: false, stopOthers: false };
}

/** abort(): every incomplete record is aborted and the fetch fails at once. */
export function abortFetch(state: FetchState, now: number): boolean {
  if (!state.active) return false;
  state.abortRequested = true;
  abortRemaining(state);
  settle(state, 'aborted', now);
  return true;
}

function abortRemaining(state: FetchState): void {
  for (const r of state.records) if (r.result === '') r.result = 'aborted';
}

function settle(state: FetchState, reason: FailureReason, now: number): void {
  state.active = false;
  state.failureReason = reason;
  state.result = reason === '' ? 'success' : 'failure';
  state.settled = now;
  state.version++;
}

function pendingFailure(state: FetchState): FailureReason {
  return state.firstFailure;
}
function setPendingFailure(state: FetchState, reason: FailureReason): void {
  state.firstFailure = reason;
}

/** Which armed fault (if any) the new fetch takes. */
export function pickFault(faults: ArmedFault[], id: string, urls: string[]): ArmedFault | null {
  for (const f of faults) {
    if (f.id !== undefined && id.includes(f.id)) return f;
    if (f.url !== undefined && urls.some((u) => u.includes(f.url as string))) return f;
    if (f.id === undefined && f.url === undefined) return f;
  }
  return null;
}

/** The record an injected per-request fault lands on. */
export function faultTargetIndex(fault: ArmedFault | { url?: string }, urls: string[]): number {
  if (fault.url !== undefined) {
    const i = urls.findIndex((u) => u.includes(fault.url as string));
    if (i >= 0) return i;
  }
  return 0;
}

export function isFaultReason(value: unknown): value is FaultReason {
  return (
    value === 'aborted' ||
    value === 'bad-status' ||
    value === 'fetch-error' ||
    value === 'quota-exceeded' ||
    value === 'download-total-exceeded'
  );
}
