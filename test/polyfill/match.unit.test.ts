import { describe, expect, it } from 'vitest';
import { matchIndexes, requestMatches } from '../../content/polyfill/match';

const req = (url: string, method = 'GET', headers: [string, string][] = []) => ({ url, method, headers });
const rec = (url: string, method = 'GET', responseHeaders: [string, string][] | null = null, headers: [string, string][] = []) => ({
  request: req(url, method, headers),
  response: responseHeaders ? { headers: responseHeaders } : null,
});

describe('Cache-API matching', () => {
  const records = [
    rec('https://a.test/f.txt'),
    rec('https://a.test/f.txt'),
    rec('https://a.test/f.txt?id=3'),
    rec('https://a.test/f.txt', 'PUT'),
    rec('https://a.test/slow'),
  ];
  const q = req('https://a.test/f.txt');
  it('follows the WPT match-with-options counts', () => {
    expect(matchIndexes(q, records)).toEqual([0, 1]);
    expect(matchIndexes(q, records, { ignoreSearch: true })).toEqual([0, 1, 2]);
    expect(matchIndexes(q, records, { ignoreMethod: true })).toEqual([0, 1, 3]);
    expect(matchIndexes(q, records, { ignoreSearch: true, ignoreMethod: true })).toEqual([0, 1, 2, 3]);
    expect(matchIndexes(null, records)).toHaveLength(5);
  });
  it('ignores fragments', () => {
    expect(requestMatches(req('https://a.test/f.txt#x'), req('https://a.test/f.txt'), null)).toBe(true);
  });
  it('honours Vary unless ignoreVary', () => {
    const stored = req('https://a.test/v', 'GET', [['x-flavour', 'a']]);
    const vary: [string, string][] = [['Vary', 'X-Flavour']];
    expect(requestMatches(req('https://a.test/v', 'GET', [['x-flavour', 'a']]), stored, vary)).toBe(true);
    expect(requestMatches(req('https://a.test/v', 'GET', [['x-flavour', 'b']]), stored, vary)).toBe(false);
    expect(requestMatches(req('https://a.test/v', 'GET', [['x-flavour', 'b']]), stored, vary, { ignoreVary: true })).toBe(true);
    expect(requestMatches(req('https://a.test/v'), stored, [['vary', '*']])).toBe(false);
  });
});
