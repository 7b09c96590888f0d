import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RequestData } from '../../extension/protocol';
import { curlCommand, fetchSnippet, shellQuote } from '../../panel/har/copy-as';
import { registration } from './har-fixtures';

describe('Copy as fetch()', () => {
  it('writes runnable code with the same id, requests and options', async () => {
    const r = registration({ id: 'it\'s "quoted"', requestCount: 3 });
    const text = fetchSnippet(r.id, r.scope, r.requests, r.requestCount, r.options);
    expect(text).toBe(
      [
        'const registration = await navigator.serviceWorker.getRegistration("http://127.0.0.1:8787/");',
        'await registration.backgroundFetch.fetch(',
        '  "it\'s \\"quoted\\"",',
        '  [',
        '    "http://127.0.0.1:8787/media/feed.json?size=4096&x=a%20b",',
        '    new Request("http://127.0.0.1:8787/upload", { method: "POST", credentials: "include", headers: { "content-type": "text/plain" }, body: "hello" }),',
        '    // 1 more requests were not captured',
        '  ],',
        '  { title: "Episode 1", icons: [{ src: "/icon.png", sizes: "128x128", type: "image/png" }] },',
        ');',
      ].join('\n'),
    );
    // It runs: with a stand-in registration, the call receives exactly these arguments.
    const calls: unknown[][] = [];
    const navigator = { serviceWorker: { getRegistration: async () => ({ backgroundFetch: { fetch: async (...a: unknown[]) => calls.push(a) } }) } };
    class Request {
      constructor(public url: string, public init: unknown) {}
    }
    await new Function('navigator', 'Request', `return (async () => { ${text} })();`)(navigator, Request);
    expect(calls[0]![0]).toBe(r.id);
    expect(calls[0]![1]).toEqual(['http://127.0.0.1:8787/media/feed.json?size=4096&x=a%20b', new Request('http://127.0.0.1:8787/upload', { method: 'POST', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: 'hello' })]);
    expect(calls[0]![2]).toEqual({ title: 'Episode 1', icons: [{ src: '/icon.png', sizes: '128x128', type: 'image/png' }] });
  });

  it('never sends a body it does not have: a partial preview becomes a placeholder', () => {
    const req: RequestData = { method: 'PUT', url: 'https://x/', mode: 'cors', credentials: 'same-origin', headers: [], bodySize: 100_000, bodyPreview: 'uuuu…' };
    expect(fetchSnippet('a', '', [req], 1, { title: '', icons: [], downloadTotal: 5 })).toContain(
      'new Request("https://x/", { method: "PUT", body: null /* the 100000-byte body was not captured: put it here */ })',
    );
  });
});

describe('Copy as cURL', () => {
  it('quotes everything for the shell: bash gets back exactly the arguments', () => {
    const nasty = "a'b $(touch /tmp/pwned) `x` \"q\"\nline2\x01";
    const req: RequestData = { method: 'POST', url: "https://h/p?q='1'", mode: 'cors', credentials: 'same-origin', headers: [['x-evil', nasty]], bodySize: nasty.length, bodyPreview: nasty };
    const cmd = curlCommand(req);
    expect(cmd.startsWith("curl 'https://h/p?q='\\''1'\\''' \\\n  -X 'POST'")).toBe(true);
    // Replace curl with printf to see the argv bash builds.
    const argv = execFileSync('bash', ['-c', `curl() { printf '%s\\0' "$@"; }\n${cmd}`]).toString().split('\0').slice(0, -1);
    expect(argv).toEqual(["https://h/p?q='1'", '-X', 'POST', '-H', `x-evil: ${nasty}`, '--data-raw', nasty]);
  });

  it('says when the body was not captured in full', () => {
    const req: RequestData = { method: 'POST', url: 'https://h/', mode: 'cors', credentials: 'same-origin', headers: [], bodySize: 9000, bodyPreview: 'abc…' };
    expect(curlCommand(req)).toBe("# The 9000-byte request body was not captured in full.\ncurl 'https://h/' \\\n  -X 'POST'");
  });

  it('uses plain single quotes when it can', () => {
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('tab\there')).toBe("$'tab\\there'");
  });
});
