import { describe, expect, it } from 'vitest';
import { Router, type RoutedPort } from '../../extension/router';

class FakePort implements RoutedPort {
  sent: unknown[] = [];
  disconnected = false;
  postMessage(m: unknown) {
    this.sent.push(m);
  }
  disconnect() {
    this.disconnected = true;
  }
}

function setup() {
  const woken: number[] = [];
  const timers: (() => void)[] = [];
  const router = new Router({ wakeRelays: (t) => woken.push(t), setTimeout: (fn) => timers.push(fn) });
  return { router, woken, timers };
}
const frame = (frameId: number) => ({ frameId, url: `http://a.test/${frameId}` });

describe('background router', () => {
  it('routes a tab\'s frames to that tab\'s panel only', () => {
    const { router, woken } = setup();
    const p1 = new FakePort();
    const p2 = new FakePort();
    router.addPanel(1, p1);
    router.addPanel(2, p2);
    expect(woken).toEqual([1, 2]);
    const r1 = new FakePort();
    router.addRelay(1, frame(0), r1);
    expect(r1.sent).toEqual([{ kind: 'attached', attached: true }]);
    router.fromRelay(1, 0, r1, { kind: 'from-hook', message: { kind: 'events', envelopes: [] } });
    expect(p1.sent.map((m) => (m as { kind: string }).kind)).toEqual(['frame-connected', 'hook']);
    expect(p2.sent).toEqual([]);
  });

  it('delivers commands to the addressed frame and answers for a missing one', () => {
    const { router } = setup();
    const panel = new FakePort();
    router.addPanel(1, panel);
    const r0 = new FakePort();
    const r5 = new FakePort();
    router.addRelay(1, frame(0), r0);
    router.addRelay(1, frame(5), r5);
    const envelope = { kind: 'command' as const, rid: 3, command: { type: 'sync' as const, session: null, since: 0 } };
    router.fromPanel(1, panel, { kind: 'command', frameId: 5, envelope });
    expect(r5.sent.at(-1)).toEqual(envelope);
    expect(r0.sent).toHaveLength(1);
    router.fromPanel(1, panel, { kind: 'command', frameId: 9, envelope });
    expect(panel.sent.at(-1)).toMatchObject({ kind: 'hook', message: { kind: 'reply', rid: 3, ok: false } });
  });

  it('ignores a port that is not the registered one (stale or foreign)', () => {
    const { router } = setup();
    const panel = new FakePort();
    router.addPanel(1, panel);
    const relay = new FakePort();
    router.addRelay(1, frame(0), relay);
    router.fromRelay(1, 0, new FakePort(), { kind: 'from-hook', message: { kind: 'events', envelopes: [] } });
    router.fromPanel(1, new FakePort(), { kind: 'command', frameId: 0, envelope: { kind: 'command', rid: 1, command: { type: 'sync', session: null, since: 0 } } });
    expect(panel.sent).toHaveLength(1); // only frame-connected
    expect(relay.sent).toHaveLength(1); // only attached
  });

  it('releases relays when the panel closes and frees a closed tab', () => {
    const { router } = setup();
    const panel = new FakePort();
    router.addPanel(1, panel);
    const relay = new FakePort();
    router.addRelay(1, frame(0), relay);
    router.removePanel(1, panel);
    expect(relay.sent.at(-1)).toEqual({ kind: 'attached', attached: false });
    expect(relay.disconnected).toBe(true);
    router.addPanel(2, new FakePort());
    router.removeTab(2);
    expect(router.tabIds()).toEqual([]);
  });

  it('keeps no entry for a tab whose relays all went away', () => {
    const { router, timers } = setup();
    router.addRelay(3, frame(0), new FakePort());
    const relay = new FakePort();
    router.addRelay(4, frame(0), relay);
    expect(router.tabIds()).toEqual([3, 4]);
    timers.forEach((fn) => fn()); // no panel came back within the grace period
    expect(router.tabIds()).toEqual([]);
    router.addPanel(5, new FakePort());
    const r = new FakePort();
    router.addRelay(5, frame(2), r);
    router.removeRelay(5, 2, r);
    router.removePanel(5, new FakePort()); // not its panel: ignored
    expect(router.tabIds()).toEqual([5]);
  });

  it('gives a relay a grace period for its panel after a worker restart', () => {
    const { router, timers } = setup();
    const relay = new FakePort();
    router.addRelay(1, frame(0), relay);
    expect(relay.sent).toEqual([]);
    const panel = new FakePort();
    router.addPanel(1, panel);
    timers.forEach((t) => t());
    expect(relay.disconnected).toBe(false);
    expect(relay.sent).toEqual([{ kind: 'attached', attached: true }]);
    const lonely = new FakePort();
    router.addRelay(3, frame(0), lonely);
    timers.slice(1).forEach((t) => t());
    expect(lonely.disconnected).toBe(true);
  });
});
