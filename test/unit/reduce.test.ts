import { registrationData } from '../fixtures/registration-data';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope, HookEvent, HookInfo, RegistrationData } from '../../extension/protocol';
import { createState, reduce } from '../../panel/state/reduce';
import { counts, rowStatus, visibleRows, warmFilterText } from '../../panel/state/select';

const top = { frameId: 0, url: 'http://127.0.0.1:8787/' };
const info = (over: Partial<HookInfo> = {}): HookInfo => ({
  url: top.url,
  origin: 'http://127.0.0.1:8787',
  isTop: true,
  implementation: 'native',
  protocol: 1,
  degraded: null,
  ...over,
});

function reg(over: Partial<RegistrationData> = {}): RegistrationData {
  return registrationData({
    options: { title: 'Episode 1', icons: [], downloadTotal: 1000 },
    downloadTotal: 1000,
    requests: [{ method: 'GET', url: 'http://127.0.0.1:8787/media/e1.mp3', mode: 'cors', credentials: 'same-origin', headers: [], bodySize: 0 }],
    calledAt: 1000,
    seenAt: 1010,
    ...over,
  });
}

let seqs = new Map<string, number>();
function env(session: string, event: HookEvent, seq?: number): EventEnvelope {
  const next = seq ?? (seqs.get(session) ?? 0) + 1;
  seqs.set(session, next);
  return { kind: 'event', session, seq: next, event };
}
function progress(key: string, downloaded: number, extra: Partial<{ result: '' | 'success' | 'failure'; failureReason: RegistrationData['failureReason'] }> = {}): HookEvent {
  return { type: 'progress', key, at: 2000 + downloaded, uploaded: 0, downloaded, result: extra.result ?? '', failureReason: extra.failureReason ?? '', recordsAvailable: true };
}

describe('panel reducer', () => {
  it('shows a registration and applies live progress until it settles', () => {
    seqs = new Map();
    const s = createState();
    reduce(s, { type: 'events', frame: top, envelopes: [env('A', { type: 'hello', info: info() }), env('A', { type: 'registered', registration: reg() })] });
    reduce(s, { type: 'events', frame: top, envelopes: [env('A', progress('k1', 400)), env('A', progress('k1', 1000, { result: 'success' }))] });
    const rows = visibleRows(s, '');
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.kind === 'registration' && row.data.downloaded).toBe(1000);
    expect(rowStatus(row)).toBe('success');
    expect(row.timeline.map((e) => e.kind)).toEqual(['called', 'registered', 'progress', 'settled']);
  });

  it('ignores events it already applied (same session, seq not above the last)', () => {
    seqs = new Map();
    const s = createState();
    const a = env('A', { type: 'registered', registration: reg() });
    const b = env('A', progress('k1', 500));
    reduce(s, { type: 'events', frame: top, envelopes: [a, b] });
    reduce(s, { type: 'events', frame: top, envelopes: [a, b] });
    const row = visibleRows(s, '')[0]!;
    expect(row.timeline.filter((e) => e.kind === 'progress')).toHaveLength(1);
    expect(s.diagnostics.duplicates).toBe(2);
  });

  it('re-attaches a running fetch found again after a reload instead of duplicating it', () => {
    seqs = new Map();
    const s = createState();
    reduce(s, { type: 'events', frame: top, envelopes: [env('A', { type: 'hello', info: info() }), env('A', { type: 'registered', registration: reg() }), env('A', progress('k1', 300))] });
    // The page reloads: a new hook session discovers the same fetch under a new key.
    reduce(s, { type: 'events', frame: top, envelopes: [env('B', { type: 'hello', info: info() }), env('B', { type: 'registered', registration: reg({ key: 'k7', origin: 'discovered', downloaded: 600, requests: [], calledAt: null }) })] });
    reduce(s, { type: 'events', frame: top, envelopes: [env('B', progress('k7', 900))] });
    const rows = visibleRows(s, '');
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.kind === 'registration' && row.data.downloaded).toBe(900);
    // The request list seen at fetch() time is kept over the poorer discovered one.
    expect(row.data.requests).toHaveLength(1);
    expect(row.timeline.some((e) => e.kind === 'reattached')).toBe(true);
  });

  it('drops the old page\'s settled rows on navigation unless Preserve log is on', () => {
    for (const preserve of [false, true]) {
      seqs = new Map();
      const s = createState();
      reduce(s, { type: 'set-preserve-log', preserveLog: preserve });
      reduce(s, { type: 'events', frame: top, envelopes: [env('A', { type: 'hello', info: info() }), env('A', { type: 'registered', registration: reg({ result: 'success', settledAt: 5 }) })] });
      reduce(s, { type: 'events', frame: top, envelopes: [env('B', { type: 'hello', info: info() })] });
      const rows = visibleRows(s, '');
      expect(rows).toHaveLength(preserve ? 1 : 0);
      if (preserve) expect(rows[0]!.previousPage).toBe(true);
    }
  });

  it('marks a running row lost when the new page no longer lists it', () => {
    seqs = new Map();
    const s = createState();
    reduce(s, { type: 'events', frame: top, envelopes: [env('A', { type: 'hello', info: info() }), env('A', { type: 'registered', registration: reg() })] });
    reduce(s, { type: 'snapshot', frame: top, session: 'B', seq: 1, snapshot: { info: info(), registrations: [], rejections: [] } });
    expect(rowStatus(visibleRows(s, '')[0]!)).toBe('lost');
  });

  it('forgets the sessions of an iframe that reloads all day, but not those its rows show', () => {
    seqs = new Map();
    const s = createState();
    const iframe = { frameId: 3, url: 'http://ads.test/' };
    const inner = info({ url: iframe.url, origin: 'http://ads.test', isTop: false });
    reduce(s, { type: 'events', frame: top, envelopes: [env('top', { type: 'hello', info: info() })] });
    reduce(s, { type: 'events', frame: iframe, envelopes: [env('ad-0', { type: 'hello', info: inner }), env('ad-0', { type: 'registered', registration: reg() })] });
    for (let i = 1; i <= 1000; i++) reduce(s, { type: 'events', frame: iframe, envelopes: [env(`ad-${i}`, { type: 'hello', info: inner })] });
    expect([...s.sessions.keys()].sort()).toEqual(['ad-0', 'ad-1000', 'top']);
    expect(visibleRows(s, '')[0]!.source.session).toBe('ad-0');
  });

  it('keeps a running row running when the new page is on another origin, which cannot list it', () => {
    seqs = new Map();
    const s = createState();
    reduce(s, { type: 'events', frame: top, envelopes: [env('A', { type: 'hello', info: info() }), env('A', { type: 'registered', registration: reg() })] });
    const elsewhere = info({ url: 'http://localhost:8787/', origin: 'http://localhost:8787' });
    reduce(s, { type: 'snapshot', frame: top, session: 'B', seq: 1, snapshot: { info: elsewhere, registrations: [], rejections: [] } });
    expect(rowStatus(visibleRows(s, '')[0]!)).toBe('running');
    // Back on the first origin, a new page that does not list it means it settled unseen.
    reduce(s, { type: 'snapshot', frame: top, session: 'C', seq: 1, snapshot: { info: info(), registrations: [], rejections: [] } });
    expect(rowStatus(visibleRows(s, '')[0]!)).toBe('lost');
  });

  it('lists rejected fetch() calls with their error and filters by text', () => {
    seqs = new Map();
    const s = createState();
    reduce(s, {
      type: 'events',
      frame: top,
      envelopes: [
        env('A', { type: 'registered', registration: reg() }),
        env('A', {
          type: 'rejected',
          rejection: { key: 'k2', id: 'dup', scope: 'x', options: { title: '', icons: [], downloadTotal: 0 }, requests: [], requestCount: 1, error: { name: 'TypeError', message: 'id already in use' }, calledAt: 3 },
        }),
      ],
    });
    expect(counts(s)).toMatchObject({ running: 1, rejected: 1 });
    expect(visibleRows(s, 'ALREADY IN USE').map((r) => r.data.id)).toEqual(['dup']);
    expect(visibleRows(s, 'e1.mp3').map((r) => r.data.id)).toEqual(['episode-1']);
    expect(visibleRows(s, 'nothing-matches')).toEqual([]);
  });

  it('evicts the oldest settled rows past its cap and counts them', () => {
    seqs = new Map();
    const s = createState(3);
    const envelopes = [0, 1, 2, 3, 4].map((i) => env('A', { type: 'registered', registration: reg({ key: `k${i}`, id: `f${i}`, result: i === 0 ? '' : 'success' }) }));
    reduce(s, { type: 'events', frame: top, envelopes });
    expect(visibleRows(s, '').map((r) => r.data.id)).toEqual(['f0', 'f3', 'f4']);
    expect(s.diagnostics.evicted).toBe(2);
  });

  it('applies a snapshot then only newer live events', () => {
    seqs = new Map();
    const s = createState();
    reduce(s, { type: 'snapshot', frame: top, session: 'A', seq: 10, snapshot: { info: info(), registrations: [reg({ downloaded: 500 })], rejections: [] } });
    reduce(s, { type: 'events', frame: top, envelopes: [env('A', progress('k1', 200), 9), env('A', progress('k1', 700), 11)] });
    const row = visibleRows(s, '')[0]!;
    expect(row.kind === 'registration' && row.data.downloaded).toBe(700);
  });
});

describe('filter text warm-up', () => {
  it('prepares rows in slices while there is time, and filtering gives the same result after', () => {
    const state = createState();
    const frame = top;
    reduce(state, { type: 'snapshot', frame, session: 's', seq: 0, snapshot: { info: info(), registrations: [reg({ key: 'a', id: 'alpha' }), reg({ key: 'b', id: 'beta' })], rejections: [] } });
    let budget = 1;
    expect(warmFilterText(state, () => budget-- > 0)).toBe(false);
    expect(warmFilterText(state, () => true)).toBe(true);
    expect(visibleRows(state, 'BET').map((r) => r.data.id)).toEqual(['beta']);
  });
});
