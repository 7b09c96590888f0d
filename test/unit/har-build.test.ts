import { HarValidator } from '@har-sdk/validator';
import { describe, expect, it } from 'vitest';
import { bodyKey, writeHar, type HarLog } from '../../panel/har/build';
import { blobWriter, harFileName } from '../../panel/har/download';
import { applyNetworkEvent, type NetworkRequest } from '../../panel/state/network';
import { harLog, records, sampleRows } from './har-fixtures';

const validator = new HarValidator();

describe('writeHar', () => {
  it('uses the real network timings and server address of a request where the browser reported them', async () => {
    const rows = sampleRows();
    const ok = rows[0]!;
    if (ok.kind !== 'registration') throw new Error('fixture changed');
    const url = ok.data.requests[0]!.url;
    const t0 = ok.data.calledAt! + 20;
    const network = new Map<string, NetworkRequest>();
    const seen = { requestId: 'n1', url, method: 'GET', initiator: 'http://x' };
    applyNetworkEvent(network, { ...seen, phase: 'start', at: t0 });
    applyNetworkEvent(network, { ...seen, phase: 'response', at: t0 + 30, statusCode: 200, ip: '127.0.0.1' });
    applyNetworkEvent(network, { ...seen, phase: 'completed', at: t0 + 100 });
    const log = await harLog(rows, { network });
    expect(await validator.verify({ log } as never)).toEqual([]);
    const [feed, upload] = log.entries;
    expect(feed).toMatchObject({ startedDateTime: new Date(t0).toISOString(), time: 100, serverIPAddress: '127.0.0.1' });
    expect(feed!.timings).toMatchObject({ wait: 30, receive: 70 });
    // No network detail for the other request: it keeps the registration's span.
    expect(upload!.time).toBe(250);
    expect(upload).not.toHaveProperty('serverIPAddress');
  });

  it('writes one valid HAR 1.2 entry per request, with the background-fetch context in custom fields', async () => {
    const rows = sampleRows();
    const ok = rows[0]!;
    const body = { contentType: 'application/json', encoding: 'text' as const, data: '{"a":1}', bytes: 7, truncated: false };
    const log = await harLog(rows, { version: '1.2.3', records: new Map([[ok.rowKey, records]]), bodies: new Map([[bodyKey(ok.rowKey, 0), body]]) });
    expect(await validator.verify({ log } as never)).toEqual([]);
    expect(log.creator).toEqual({ name: 'Background Fetch DevTools', version: '1.2.3' });
    // 2 requests of the success, 1 of the failure, 2 of the running one; the rejection sent nothing.
    expect(log.entries.map((e) => e._backgroundFetch.id)).toEqual(['episode-1', 'episode-1', 'broken', 'running', 'running']);
    const [feed, upload, broken] = log.entries;
    expect(feed!.startedDateTime).toBe('2023-11-14T22:13:20.000Z');
    expect(feed!.time).toBe(250);
    expect(feed!.request.queryString).toEqual([{ name: 'size', value: '4096' }, { name: 'x', value: 'a b' }]);
    expect(feed!.response).toMatchObject({ status: 200, statusText: 'OK', content: { size: 4096, mimeType: 'application/json', text: '{"a":1}' } });
    expect(upload!.request).toMatchObject({ method: 'POST', bodySize: 5, postData: { mimeType: 'text/plain', text: 'hello' } });
    expect(upload!.response).toMatchObject({ status: 0, _error: 'TypeError: Failed to fetch' });
    expect(broken!._backgroundFetch).toMatchObject({ result: 'failure', failureReason: 'bad-status', simulated: true, record: null });
    expect(broken!.response._error).toBe('background fetch failed: bad-status');
    const custom = log._backgroundFetch;
    expect(custom.rows.map((r) => r.kind)).toEqual(['registration', 'registration', 'rejection', 'registration']);
    expect(custom.rows[0]!.timeline.map((t) => t.kind)).toEqual(['called', 'registered', 'progress', 'settled']);
    expect(custom.rows[0]!.data).toMatchObject({ downloaded: 4101, options: { title: 'Episode 1' } });
    expect(custom.rows[2]!.data).toMatchObject({ error: { name: 'TypeError', message: 'Refused to fetch' } });
  });

  it('marks binary bodies base64 and caps body text', async () => {
    const rows = sampleRows().slice(0, 1);
    const bin = { contentType: 'image/png', encoding: 'base64' as const, data: 'iVBORw0KGgoAAAANSUhEUg==', bytes: 16, truncated: true };
    const log = await harLog(rows, { records: new Map([[rows[0]!.rowKey, records]]), bodies: new Map([[bodyKey(rows[0]!.rowKey, 0), bin]]), maxBodyChars: 10 });
    const content = log.entries[0]!.response.content;
    expect(content).toMatchObject({ encoding: 'base64', text: 'iVBORw0K', comment: 'First 16 bytes of the body' });
    expect(await validator.verify({ log } as never)).toEqual([]);
  });

  it('writes the log one entry or row at a time, never holding it whole', async () => {
    const rows = Array.from({ length: 7 }, () => sampleRows()).flat();
    const pieces: string[] = [];
    const { entries } = await writeHar(rows, {}, (piece) => pieces.push(piece));
    const requests = rows.flatMap((r, i) => (r.kind === 'registration' ? r.data.requests.map((q) => ({ row: i, url: q.url })) : []));
    expect(entries).toBe(requests.length);
    // A head, the entries, a joint, the rows, a tail.
    expect(pieces).toHaveLength(entries + rows.length + 3);
    const { log } = JSON.parse(pieces.join('')) as { log: HarLog };
    expect(await validator.verify({ log } as never)).toEqual([]);
    expect(log.entries.map((e) => ({ row: e._backgroundFetch.row, url: e.request.url }))).toEqual(requests);
    expect(log._backgroundFetch.rows.map((r) => r.data.id)).toEqual(rows.map((r) => r.data.id));
  });

  it('the validator does catch a broken log (so the checks above can fail)', async () => {
    const log = await harLog(sampleRows());
    delete (log.entries[0]!.request as Partial<typeof log.entries[0]['request']>).url;
    expect((await validator.verify({ log } as never)).length).toBeGreaterThan(0);
  });
});

describe('harFileName', () => {
  it('is <host>-background-fetch-<timestamp>.har, safe as a file name', () => {
    const at = new Date('2024-05-06T07:08:09.123Z');
    expect(harFileName('http://127.0.0.1:8787', at)).toBe('127.0.0.1_8787-background-fetch-2024-05-06T07-08-09.har');
    expect(harFileName('', at)).toBe('page-background-fetch-2024-05-06T07-08-09.har');
  });
});

describe('blobWriter', () => {
  it('makes a Blob of exactly the text written, also where a character falls across a chunk', async () => {
    const pieces = ['{"a":"', 'é'.repeat(200_000), '😀'.repeat(70_001), 'x'.repeat(300_000), '"}', ''];
    const out = blobWriter();
    for (const p of pieces) out.write(p);
    const blob = await out.blob();
    expect(blob.type).toBe('application/json');
    const text = await blob.text();
    expect(text.length).toBe(pieces.join('').length);
    expect(text === pieces.join('')).toBe(true);
  });
});
