import { describe, expect, it } from 'vitest';
import { abortFetch, completeRecord, faultTargetIndex, newFetchState, pickFault } from '../../content/polyfill/state';
import type { SerializedRequest } from '../../content/polyfill/types';

const request = (url: string): SerializedRequest => ({
  url, method: 'GET', headers: [], mode: 'cors', credentials: 'same-origin', cache: 'default', redirect: 'follow',
  referrer: '', referrerPolicy: '', integrity: '', body: null,
});
const make = (n: number) =>
  newFetchState({ uid: 'u', scope: 's', id: 'i', requests: Array.from({ length: n }, (_, i) => request(`https://a.test/${i}`)), uploadTotal: 0, downloadTotal: 0, title: '', icons: [], now: 0 });

describe('state transitions', () => {
  it('succeeds once every record succeeded', () => {
    const s = make(2);
    expect(completeRecord(s, 0, 'success', 1).settled).toBe(false);
    expect(completeRecord(s, 1, 'success', 2).settled).toBe(true);
    expect([s.active, s.result, s.failureReason]).toEqual([false, 'success', '']);
  });
  it('waits for every record, then reports the first failure', () => {
    const s = make(3);
    completeRecord(s, 1, 'bad-status', 1);
    expect(s.active).toBe(true);
    completeRecord(s, 0, 'fetch-error', 2);
    completeRecord(s, 2, 'success', 3);
    expect([s.result, s.failureReason]).toEqual(['failure', 'bad-status']);
  });
  it('fails at once on download-total-exceeded, aborting the rest', () => {
    const s = make(3);
    const t = completeRecord(s, 0, 'download-total-exceeded', 1);
    expect(t).toEqual({ settled: true, stopOthers: true });
    expect(s.failureReason).toBe('download-total-exceeded');
    expect(s.records.map((r) => r.result)).toEqual(['download-total-exceeded', 'aborted', 'aborted']);
  });
  it('abort() is true once, keeps completed records', () => {
    const s = make(2);
    completeRecord(s, 0, 'success', 1);
    expect(abortFetch(s, 2)).toBe(true);
    expect(abortFetch(s, 3)).toBe(false);
    expect(s.records.map((r) => r.result)).toEqual(['success', 'aborted']);
    expect([s.result, s.failureReason]).toEqual(['failure', 'aborted']);
  });
  it('ignores results after settling', () => {
    const s = make(1);
    abortFetch(s, 1);
    const v = s.version;
    expect(completeRecord(s, 0, 'success', 2).settled).toBe(false);
    expect(s.version).toBe(v);
  });
});

describe('fault selection', () => {
  const faults = [
    { token: 'a', id: 'movie', reason: 'fetch-error' as const },
    { token: 'b', url: 'big.bin', reason: 'quota-exceeded' as const },
  ];
  it('matches by id or URL substring', () => {
    expect(pickFault(faults, 'my-movie-1', ['https://x/a'])?.token).toBe('a');
    expect(pickFault(faults, 'other', ['https://x/a', 'https://x/big.bin'])?.token).toBe('b');
    expect(pickFault(faults, 'other', ['https://x/a'])).toBeNull();
    expect(faultTargetIndex({ url: 'big.bin' }, ['https://x/a', 'https://x/big.bin'])).toBe(1);
  });
});
