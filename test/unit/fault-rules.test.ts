import { describe, expect, it } from 'vitest';
import { buildFaultRule, FETCH_ERROR_URL, freeRuleIds, networkRules, pageHosts, RULES_PER_TAB } from '../../extension/network-faults';
import { FaultRules } from '../../content/hook/faults';

describe('network fault rules (declarativeNetRequest)', () => {
  it('blocks for bad-status and redirects to data: for fetch-error, scoped to background fetches of the page host', () => {
    const rules = networkRules(['http://127.0.0.1:8787', 'about:blank', 'http://127.0.0.1:9999'], [
      { id: 'a', match: 'episode.mp3?x=(1)', reason: 'bad-status' },
      { id: 'b', match: 'x', reason: 'aborted' },
      { id: 'c', match: '', reason: 'bad-status' },
      { id: 'd', match: 'feed.json', reason: 'fetch-error' },
    ], [7, 9, 11]);
    const condition = { initiatorDomains: ['127.0.0.1'], tabIds: [-1], resourceTypes: ['other'] };
    expect(rules).toEqual([
      { id: 7, priority: 1, action: { type: 'block' }, condition: { ...condition, regexFilter: 'episode\\.mp3\\?x=\\(1\\)' } },
      {
        id: 9,
        priority: 1,
        action: { type: 'redirect', redirect: { url: FETCH_ERROR_URL } },
        condition: { ...condition, regexFilter: 'feed\\.json' },
      },
    ]);
    expect(FETCH_ERROR_URL.startsWith('data:')).toBe(true);
    // The regex matches the literal text, not a pattern.
    expect(new RegExp(rules[0]!.condition.regexFilter!).test('http://h/episode.mp3?x=(1)')).toBe(true);
    expect(new RegExp(rules[0]!.condition.regexFilter!).test('http://h/episodeXmp3')).toBe(false);
  });

  it('numbers rules with the smallest free ids, and refuses non-http pages', () => {
    expect(freeRuleIds(new Set([1, 2, 4]), 3)).toEqual([3, 5, 6]);
    expect(networkRules(['chrome-extension://abc'], [{ id: 'a', match: 'x', reason: 'bad-status' }], [1])).toEqual([]);
    expect(networkRules(['not a url'], [{ id: 'a', match: 'x', reason: 'bad-status' }], [1])).toEqual([]);
  });

  it('scopes to the hosts of every frame: punycode for IDN, brackets for IPv6, no port, no duplicates', () => {
    expect(pageHosts(['https://bücher.example:8443', 'http://[::1]:8787', 'https://bücher.example', 'data:,x'])).toEqual([
      'xn--bcher-kva.example',
      '[::1]',
    ]);
  });

  it('refuses input DNR would reject', () => {
    const ok = { reason: 'bad-status' as const, hosts: ['127.0.0.1'], match: 'x', ruleId: 1 };
    expect(() => buildFaultRule({ ...ok, ruleId: 0 })).toThrow(RangeError);
    expect(() => buildFaultRule({ ...ok, ruleId: 1.5 })).toThrow(RangeError);
    expect(() => buildFaultRule({ ...ok, match: '' })).toThrow(RangeError);
    expect(() => buildFaultRule({ ...ok, hosts: [] })).toThrow(RangeError);
    expect(() => buildFaultRule({ ...ok, reason: 'quota-exceeded' as never })).toThrow(RangeError);
  });

  it('caps a tab at the ids it was given', () => {
    const many = Array.from({ length: RULES_PER_TAB + 5 }, (_, i) => ({ id: `r${i}`, match: `m${i}`, reason: 'bad-status' as const }));
    const ids = freeRuleIds(new Set(), RULES_PER_TAB);
    const rules = networkRules(['http://localhost:1'], many, ids);
    expect(rules.map((r) => r.id)).toEqual(ids);
  });
});

describe('armed fault rules in the hook', () => {
  it('applies a rule once, to the first fetch whose URL or id contains its text', () => {
    const rules = new FaultRules();
    rules.set([
      { id: 'r1', match: 'season', reason: 'aborted' },
      { id: 'r2', match: '.mp3', reason: 'bad-status' },
    ]);
    expect(rules.take('other', ['http://h/a.json'])).toBeNull();
    expect(rules.take('season-2', ['http://h/a.json'])).toEqual({ rule: { id: 'r1', match: 'season', reason: 'aborted' }, byUrl: false });
    expect(rules.take('season-3', ['http://h/a.json'])).toBeNull();
    expect(rules.take('x', ['http://h/e.mp3'])).toMatchObject({ rule: { id: 'r2' }, byUrl: true });
    expect(rules.take('x', ['http://h/e.mp3'])).toBeNull();
  });

  it('makes download-total-exceeded real by declaring a 1-byte downloadTotal, keeping other options', () => {
    const rule = { id: 'r', match: 'x', reason: 'download-total-exceeded' as const };
    expect(FaultRules.adjustOptions(rule, { title: 'T', downloadTotal: 5000 })).toEqual({ title: 'T', downloadTotal: 1 });
    expect(FaultRules.adjustOptions(rule, undefined)).toEqual({ downloadTotal: 1 });
    expect(FaultRules.adjustOptions({ ...rule, reason: 'aborted' }, { title: 'T' })).toEqual({ title: 'T' });
  });

  it('says which reasons are real on a native engine', () => {
    expect(FaultRules.realOnNative('aborted', false)).toBe(true);
    expect(FaultRules.realOnNative('download-total-exceeded', false)).toBe(true);
    expect(FaultRules.realOnNative('bad-status', true)).toBe(true);
    expect(FaultRules.realOnNative('bad-status', false)).toBe(false);
    expect(FaultRules.realOnNative('fetch-error', true)).toBe(true);
    expect(FaultRules.realOnNative('fetch-error', false)).toBe(false);
    expect(FaultRules.realOnNative('quota-exceeded', true)).toBe(false);
  });
});
