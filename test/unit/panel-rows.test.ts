/**
 * The reducer and selector behaviours the panel's views rely on: row objects
 * replaced only when they change (rows are memoized by identity), stable keys
 * and order (selection and scroll position survive updates), and the filter.
 */
import { registrationData } from '../fixtures/registration-data';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope, HookEvent, HookInfo, RegistrationData } from '../../extension/protocol';
import { fetchCallText } from '../../panel/call-text';
import { createState, reduce } from '../../panel/state/reduce';
import { counts, rowStatus, visibleRows } from '../../panel/state/select';

const top = { frameId: 0, url: 'https://app.example/' };
const info: HookInfo = { url: top.url, origin: 'https://app.example', isTop: true, implementation: 'native', protocol: 1, degraded: null };

function reg(key: string, over: Partial<RegistrationData> = {}): RegistrationData {
  return registrationData({
    key,
    id: `id-${key}`,
    scope: 'https://app.example/',
    options: { title: `Title ${key}`, icons: [], downloadTotal: 1000 },
    downloadTotal: 1000,
    requests: [{ method: 'GET', url: `https://app.example/files/${key}.bin`, mode: 'cors', credentials: 'same-origin', headers: [], bodySize: 0 }],
    ...over,
  });
}

function hook(session: string) {
  let seq = 0;
  return (...events: HookEvent[]): { type: 'events'; frame: typeof top; envelopes: EventEnvelope[] } => ({
    type: 'events',
    frame: top,
    envelopes: events.map((event) => ({ kind: 'event', session, seq: ++seq, event })),
  });
}

const progress = (key: string, downloaded: number, result: '' | 'success' | 'failure' = '', failureReason: RegistrationData['failureReason'] = ''): HookEvent => ({
  type: 'progress',
  key,
  at: 100 + downloaded,
  uploaded: 0,
  downloaded,
  result,
  failureReason,
  recordsAvailable: true,
});

function seeded() {
  const s = createState();
  const send = hook('A');
  reduce(s, send({ type: 'hello', info }, { type: 'registered', registration: reg('a') }, { type: 'registered', registration: reg('b') }, { type: 'registered', registration: reg('c') }));
  return { s, send };
}

describe('panel rows as the views use them', () => {
  it('replaces only the row a progress event touches; the others keep their identity', () => {
    const { s, send } = seeded();
    const before = visibleRows(s, '');
    const version = s.version;
    reduce(s, send(progress('b', 500)));
    const after = visibleRows(s, '');
    expect(s.version).toBeGreaterThan(version);
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]!.kind === 'registration' && after[1]!.data.downloaded).toBe(500);
  });

  it('keeps rowKeys and order through progress and settling, so selection and scroll survive', () => {
    const { s, send } = seeded();
    const keys = visibleRows(s, '').map((r) => r.rowKey);
    reduce(s, send(progress('a', 300), progress('c', 1000, 'success'), progress('b', 20, 'failure', 'bad-status')));
    const rows = visibleRows(s, '');
    expect(rows.map((r) => r.rowKey)).toEqual(keys);
    expect(rows.map(rowStatus)).toEqual(['running', 'failure', 'success']);
    expect(counts(s)).toEqual({ running: 1, success: 1, failure: 1, rejected: 0, lost: 0 });
  });

  it('does not bump the version for an event it ignores (no needless re-render)', () => {
    const { s } = seeded();
    const version = s.version;
    // Same session, an old seq: a duplicate.
    expect(reduce(s, { type: 'events', frame: top, envelopes: [{ kind: 'event', session: 'A', seq: 1, event: progress('a', 999) }] })).toBe(false);
    expect(s.version).toBe(version);
  });

  it('clear empties the table, and late progress for a cleared row does not bring it back', () => {
    const { s, send } = seeded();
    reduce(s, { type: 'clear' });
    expect(visibleRows(s, '')).toEqual([]);
    reduce(s, send(progress('a', 10)));
    expect(s.rows.size).toBe(0);
    // New registrations after a clear show up as usual.
    reduce(s, send({ type: 'registered', registration: reg('d') }));
    expect(visibleRows(s, '').map((r) => r.data.id)).toEqual(['id-d']);
  });

  it('filters case-insensitively on id, title, URL, failure reason and error, trimming the needle', () => {
    const { s, send } = seeded();
    reduce(
      s,
      send(progress('b', 20, 'failure', 'download-total-exceeded'), {
        type: 'rejected',
        rejection: { key: 'r1', id: 'dup', scope: '', options: { title: '', icons: [], downloadTotal: 0 }, requests: [], requestCount: 1, error: { name: 'QuotaExceededError', message: 'Quota exceeded.' }, calledAt: 5 },
      }),
    );
    const ids = (f: string) => visibleRows(s, f).map((r) => r.data.id);
    expect(ids('  ID-A ')).toEqual(['id-a']);
    expect(ids('title c')).toEqual(['id-c']);
    expect(ids('/files/b.bin')).toEqual(['id-b']);
    expect(ids('total-exceeded')).toEqual(['id-b']);
    expect(ids('quotaexceeded')).toEqual(['dup']);
    expect(ids('')).toHaveLength(4);
  });

  it('toggles Preserve log as a state change', () => {
    const s = createState();
    expect(reduce(s, { type: 'set-preserve-log', preserveLog: true })).toBe(true);
    expect(s.preserveLog).toBe(true);
  });
});

describe('fetchCallText', () => {
  it('writes a rejected call as code, quoting every string from the page', () => {
    const text = fetchCallText(
      'ep"1',
      [
        { method: 'GET', url: 'https://a.example/x.mp3', mode: 'cors', credentials: 'same-origin', headers: [], bodySize: 0 },
        { method: 'POST', url: 'https://a.example/up', mode: 'cors', credentials: 'include', headers: [['x-t', '</script>']], bodySize: 2048 },
      ],
      3,
      { title: 'T', icons: [{ src: '/i.png', sizes: '192x192' }], downloadTotal: 10 },
    );
    expect(text).toBe(
      [
        'backgroundFetch.fetch(',
        '  "ep\\"1",',
        '  [',
        '    "https://a.example/x.mp3",',
        '    new Request("https://a.example/up", { method: "POST", credentials: "include", headers: { "x-t": "</script>" }, body: /* 2.0 kB */ }),',
        '    /* … 1 more */',
        '  ],',
        '  { title: "T", icons: [{ src: "/i.png", sizes: "192x192" }], downloadTotal: 10 }',
        ')',
      ].join('\n'),
    );
  });

  it('shows empty arguments as they were', () => {
    expect(fetchCallText('x', [], 0, { title: '', icons: [], downloadTotal: 0 })).toBe('backgroundFetch.fetch(\n  "x",\n  [],\n  {}\n)');
  });
});
