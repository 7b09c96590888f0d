import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../extension/protocol';
import { Guard } from '../../content/relay/guard';
import { PendingQueue } from '../../content/relay/queue';

const registration = {
  key: 'k1', id: 'a', scope: 's', options: { title: '', icons: [], downloadTotal: 0 },
  uploadTotal: 0, uploaded: 0, downloadTotal: 0, downloaded: 0, result: '', failureReason: '',
  recordsAvailable: true, requests: [], requestCount: 0, origin: 'fetch', calledAt: 1, seenAt: 1, settledAt: null, injected: null,
};
const batch = (event: unknown, seq = 1) => ({ kind: 'events', envelopes: [{ kind: 'event', session: 's1', seq, event }] });

/** A deterministic generator of hostile values. */
function* hostile(seed: number): Generator<unknown> {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const leaf = (): unknown => [null, undefined, -1, NaN, Infinity, 1e308, '', '<img src=x onerror=alert(1)>', 'x'.repeat(5000), true, [], {}, () => 1][Math.floor(rnd() * 13)];
  const deep = (d: number): unknown => {
    if (d === 0) return leaf();
    const child = deep(d - 1);
    return { kind: 'events', envelopes: [child], event: child };
  };
  for (;;) {
    const r = rnd();
    if (r < 0.2) yield leaf();
    else if (r < 0.4) yield deep(1 + Math.floor(rnd() * 30));
    else if (r < 0.6) {
      // Values no field of a registration accepts.
      const bad = [null, undefined, -1, NaN, 'x'.repeat(5000), {}, () => 1][Math.floor(rnd() * 7)];
      yield batch({ type: 'registered', registration: { ...registration, [['id', 'result', 'downloaded', 'requests', 'key'][Math.floor(rnd() * 5)]!]: bad } });
    }
    else if (r < 0.8) yield { kind: 'reply', rid: Math.floor(rnd() * 100), ok: true, result: leaf() };
    else yield batch({ type: ['hello', 'progress', 'nope'][Math.floor(rnd() * 3)], key: leaf() }, Math.floor(rnd() * 3) - 1);
  }
}

describe('relay guard', () => {
  it('admits a valid batch and a reply to a command it forwarded', () => {
    const g = new Guard(() => 0);
    expect(g.admit(batch({ type: 'registered', registration }))).not.toBeNull();
    g.expectReply(7, 'sync');
    const reply = { kind: 'reply', rid: 7, ok: true, result: { mode: 'events', session: 's1', events: [] } };
    expect(g.admit(reply)).toEqual(reply);
    // A second answer to the same request is refused.
    expect(g.admit(reply)).toBeNull();
  });

  it("refuses 10,000 hostile messages without throwing, and counts them", () => {
    let t = 0;
    const g = new Guard(() => (t += 3)); // ~333 messages a second: under the rate cap
    const gen = hostile(42);
    let admitted = 0;
    for (let i = 0; i < 10_000; i++) {
      const m = gen.next().value;
      if (g.admit(m)) admitted++;
    }
    const c = g.takeCounts()!;
    expect(admitted).toBe(0);
    expect(c.invalid + c.oversized).toBe(10_000);
    expect(c.sample.length).toBeGreaterThan(0);
    expect(g.takeCounts()).toBeNull();
  });

  it('refuses strings beyond their caps and unknown fields', () => {
    const g = new Guard(() => 0);
    expect(g.admit(batch({ type: 'registered', registration: { ...registration, id: 'x'.repeat(LIMITS.id + 1) } }))).toBeNull();
    expect(g.admit(batch({ type: 'registered', registration: { ...registration, extra: 1 } }))).toBeNull();
    expect(g.admit(batch({ type: 'registered', registration: { ...registration, result: '<b>' } }))).toBeNull();
    expect(g.counts.invalid).toBe(3);
  });

  it('refuses oversized messages before parsing them', () => {
    const g = new Guard(() => 0);
    const huge = batch({ type: 'hello', info: { url: 'x'.repeat(LIMITS.messageChars), origin: '', isTop: true, implementation: 'native', protocol: 1, degraded: null } });
    expect(g.admit(huge)).toBeNull();
    expect(g.counts.oversized).toBe(1);
  });

  it('rate-limits a flood and lets traffic through again in the next second', () => {
    let t = 0;
    const g = new Guard(() => t);
    const ok = batch({ type: 'registered', registration });
    let admitted = 0;
    for (let i = 0; i < LIMITS.messagesPerSecond + 100; i++) if (g.admit(ok)) admitted++;
    expect(admitted).toBe(LIMITS.messagesPerSecond);
    expect(g.counts.rateLimited).toBe(100);
    t = 1000;
    expect(g.admit(ok)).not.toBeNull();
  });

  it('bounds the queue kept while the port is down: newest kept, every oldest dropped counted', () => {
    const guard = new Guard(() => 0);
    const queue = new PendingQueue<number>(LIMITS.relayQueue, () => guard.noteOverflow());
    for (let i = 0; i < LIMITS.relayQueue + 120; i++) queue.push(i);
    const kept = queue.take();
    expect(kept).toHaveLength(LIMITS.relayQueue);
    expect(kept[0]).toBe(120);
    expect(guard.takeCounts()).toMatchObject({ rateLimited: 120, sample: expect.stringMatching(/queue full/) });
    expect(queue.take()).toEqual([]);
  });
});
