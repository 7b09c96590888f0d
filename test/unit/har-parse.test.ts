import { describe, expect, it } from 'vitest';
import { parseHar } from '../../panel/har/parse';
import { createState, reduce } from '../../panel/state/reduce';
import { visibleRows } from '../../panel/state/select';
import type { Row } from '../../panel/state/types';
import { harText, records, sampleRows } from './har-fixtures';

/** What a row shows, without its panel-local wiring. */
const shown = (r: Row) => ({ kind: r.kind, data: r.data, timeline: r.timeline, lost: r.lost, previousPage: r.previousPage, origin: r.source.origin, frameUrl: r.source.frameUrl });

function exported(rows = sampleRows()) {
  return harText(rows, { records: new Map([[rows[0]!.rowKey, records]]) });
}

describe('parseHar', () => {
  it('reads an export back into identical rows, marked imported with their records', async () => {
    const rows = sampleRows();
    const result = parseHar(await exported(rows), 'x.har');
    if (!result.ok) throw new Error(result.error);
    expect(result.rows.map(shown)).toEqual(rows.map(shown));
    expect(result.rows.every((r) => r.imported?.file === 'x.har' && r.source.frameId === -1)).toBe(true);
    expect(result.rows[0]!.imported!.records).toEqual(records);
    expect(result.rows[1]!.imported!.records).toBeNull();
  });

  it('refuses what is not JSON, not a HAR, a foreign HAR, or has bad background-fetch data, with the reason', async () => {
    expect(parseHar('{nope', 'a.har')).toMatchObject({ ok: false, error: expect.stringMatching(/^a\.har is not a HAR file: it is not valid JSON/) });
    expect(parseHar('{"log":{}}', 'b.har')).toMatchObject({ ok: false, error: expect.stringMatching(/^b\.har is not a HAR file: log\.version/) });
    const foreign = { log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, entries: [] } };
    expect(parseHar(JSON.stringify(foreign), 'c.har')).toEqual({
      ok: false,
      error: 'c.har is a HAR file from "WebInspector 537.36", not from this panel: it holds no background-fetch registrations. Open it in the Network panel instead.',
    });
    const bad = JSON.parse(await exported());
    bad.log._backgroundFetch.rows[0].data.result = 'exploded';
    expect(parseHar(JSON.stringify(bad), 'd.har')).toMatchObject({ ok: false, error: expect.stringMatching(/^d\.har has invalid background-fetch data: rows\.0\.data\.result/) });
    const dangling = JSON.parse(await exported());
    dangling.log.entries[0]._backgroundFetch.row = 2; // the rejection: it has no requests on the network
    expect(parseHar(JSON.stringify(dangling), 'e.har')).toEqual({ ok: false, error: 'e.har: entry 0 points at no registration request.' });
    const newer = JSON.parse(await exported());
    newer.log._backgroundFetch.format = 99;
    expect(parseHar(JSON.stringify(newer), 'f.har')).toMatchObject({ ok: false, error: expect.stringContaining('newer version') });
  });

  it('caps what the file may hold, like messages from the page', async () => {
    const big = JSON.parse(await exported());
    big.log._backgroundFetch.rows[0].data.id = 'x'.repeat(100_000);
    expect(parseHar(JSON.stringify(big), 'g.har')).toMatchObject({ ok: false });
  });

  it('skips entries another tool added, and keeps the rows', async () => {
    const mixed = JSON.parse(await exported());
    mixed.log.entries.push({ startedDateTime: 'x', time: 0, request: {}, response: {}, timings: {} });
    const result = parseHar(JSON.stringify(mixed), 'h.har');
    expect(result.ok && result.rows.length).toBe(4);
  });
});

describe('import action', () => {
  it('adds imported rows that live events never merge into, and navigations keep', async () => {
    const result = parseHar(await exported(), 'x.har');
    if (!result.ok) throw new Error(result.error);
    const s = createState();
    reduce(s, { type: 'import', rows: result.rows });
    expect(visibleRows(s, '').map((r) => r.rowKey)).toEqual(['r0', 'r1', 'r2', 'r3']);
    // A live page registers a fetch with the id of the imported running row, then navigates.
    const frame = { frameId: 0, url: 'http://127.0.0.1:8787/' };
    const hello = (session: string) => ({ kind: 'event' as const, session, seq: 1, event: { type: 'hello' as const, info: { url: frame.url, origin: 'http://127.0.0.1:8787', isTop: true, implementation: 'native' as const, protocol: 1, degraded: null } } });
    const live = result.rows[3]!;
    reduce(s, { type: 'events', frame, envelopes: [hello('A'), { kind: 'event', session: 'A', seq: 2, event: { type: 'registered', registration: { ...(live.data as never as object), key: 'live' } as never } }] });
    expect(s.rows.size).toBe(5);
    reduce(s, { type: 'events', frame, envelopes: [hello('B')] });
    const left = visibleRows(s, '');
    expect(left.filter((r) => r.imported)).toHaveLength(4);
    expect(left.filter((r) => r.imported).every((r) => !r.lost && !r.previousPage)).toBe(true);
  });
});
