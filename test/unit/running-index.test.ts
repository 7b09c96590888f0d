import { registrationData } from '../fixtures/registration-data';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope, HookEvent, HookInfo, RegistrationData } from '../../extension/protocol';
import { createState, reduce } from '../../panel/state/reduce';
import { lastRunning } from '../../panel/state/running-index';
import type { PanelState } from '../../panel/state/types';

const ORIGIN = 'http://127.0.0.1:8787';
const SCOPE = `${ORIGIN}/`;
const top = { frameId: 0, url: `${ORIGIN}/` };
const info: HookInfo = { url: top.url, origin: ORIGIN, isTop: true, implementation: 'native', protocol: 1, degraded: null };

function reg(key: string, id: string, over: Partial<RegistrationData> = {}): RegistrationData {
  return registrationData({ key, id, scope: SCOPE, ...over });
}

function feed(state: PanelState, session: string, events: HookEvent[]): void {
  let seq = state.sessions.get(session)?.lastSeq ?? 0;
  const envelopes: EventEnvelope[] = events.map((event) => ({ kind: 'event', session, seq: ++seq, event }));
  reduce(state, { type: 'events', frame: top, envelopes });
}

const registered = (key: string, id: string, over: Partial<RegistrationData> = {}): HookEvent => ({ type: 'registered', registration: reg(key, id, over) });

describe('running registrations index', () => {
  it('re-attaches a registration seen again after a reload to its row among thousands', () => {
    const s = createState();
    feed(s, 'A', [{ type: 'hello', info }]);
    feed(s, 'A', Array.from({ length: 5000 }, (_, i) => registered(`k${i}`, `item-${i}`)));
    // The page reloads: a new session rediscovers item-4321 under another key.
    feed(s, 'B', [{ type: 'hello', info }, registered('other', 'item-4321', { origin: 'discovered', downloaded: 99 })]);
    const matches = [...s.rows.values()].filter((r) => r.data.id === 'item-4321');
    expect(matches).toHaveLength(1);
    expect(matches[0]!.kind === 'registration' && matches[0]!.data.downloaded).toBe(99);
    expect(matches[0]!.source.session).toBe('B');
    expect(s.rows.size).toBe(5000);
  });

  it('finds only running rows, and stays right after rows are removed', () => {
    const s = createState(3);
    const settle = (key: string): HookEvent => ({ type: 'progress', key, at: 3, uploaded: 0, downloaded: 5, result: 'success', failureReason: '', recordsAvailable: true });
    feed(s, 'A', [{ type: 'hello', info }, registered('k1', 'same'), registered('k2', 'same')]);
    // A second registration of a running id is the same fetch seen again: one row.
    expect(s.rows.size).toBe(1);
    expect(lastRunning(s, ORIGIN, SCOPE, 'same')?.source.hookKey).toBe('k2');
    feed(s, 'A', [settle('k2')]);
    expect(lastRunning(s, ORIGIN, SCOPE, 'same')).toBeUndefined();
    // Settled, the id is free again: a new fetch gets its own row.
    feed(s, 'A', [registered('k3', 'same')]);
    expect(s.rows.size).toBe(2);
    expect(lastRunning(s, ORIGIN, SCOPE, 'same')?.source.hookKey).toBe('k3');
    expect(lastRunning(s, 'http://localhost:8787', SCOPE, 'same')).toBeUndefined();
    expect(lastRunning(s, ORIGIN, `${ORIGIN}/other/`, 'same')).toBeUndefined();

    // Over the cap of 3: the settled row goes first; the index follows.
    feed(s, 'A', [registered('k4', 'x'), registered('k5', 'y')]);
    expect([...s.rows.values()].map((r) => r.source.hookKey)).toEqual(['k3', 'k4', 'k5']);
    expect(lastRunning(s, ORIGIN, SCOPE, 'same')?.source.hookKey).toBe('k3');
    expect(lastRunning(s, ORIGIN, SCOPE, 'y')?.source.hookKey).toBe('k5');

    reduce(s, { type: 'clear' });
    expect(lastRunning(s, ORIGIN, SCOPE, 'y')).toBeUndefined();
    feed(s, 'A', [registered('k6', 'y')]);
    expect(lastRunning(s, ORIGIN, SCOPE, 'y')?.source.hookKey).toBe('k6');
  });

  it('follows a row whose registration changes id under the same hook key', () => {
    const s = createState();
    feed(s, 'A', [{ type: 'hello', info }, registered('k1', 'before')]);
    expect(lastRunning(s, ORIGIN, SCOPE, 'before')).toBeDefined();
    feed(s, 'A', [registered('k1', 'after')]);
    expect(lastRunning(s, ORIGIN, SCOPE, 'before')).toBeUndefined();
    expect(lastRunning(s, ORIGIN, SCOPE, 'after')?.source.hookKey).toBe('k1');
  });
});
