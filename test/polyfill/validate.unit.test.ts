import { describe, expect, it } from 'vitest';
import { BAD_PORTS, isLoopbackHost, normalizeOptions, toRequestList, urlProblem } from '../../content/polyfill/validate';

describe('urlProblem', () => {
  it('accepts https and loopback http', () => {
    for (const url of ['https://example.com/', 'https://example.com:8080/', 'https://example.com:80/', 'http://127.0.0.1/', 'http://localhost:3000/x', 'http://[::1]/', 'http://a.localhost/']) {
      expect(urlProblem(url), url).toBeNull();
    }
  });
  it('rejects non-http(s) schemes', () => {
    for (const url of ['wss://127.0.0.1/', 'file:///', 'data:text/plain,foo', 'foobar:bazqux']) expect(urlProblem(url), url).toMatch(/only http/);
  });
  it('rejects blocked ports', () => {
    expect(urlProblem('https://example.com:587/')).toMatch(/port/);
    expect(urlProblem('http://127.0.0.1:1/')).toMatch(/port/);
    expect(BAD_PORTS.has(6697)).toBe(true);
    expect(BAD_PORTS.has(8080)).toBe(false);
  });
  it('rejects non-loopback http from an https context only', () => {
    expect(urlProblem('http://example.com/')).toMatch(/Mixed Content/);
    expect(urlProblem('http://192.0.2.0/', undefined, 'https:')).toMatch(/Mixed Content/);
    expect(urlProblem('http://example.com/', undefined, 'http:')).toBeNull();
  });
  it('rejects dangling markup in the caller’s string', () => {
    expect(urlProblem('https://example.com/?%3C', 'https://example.com/?\n<')).toMatch(/dangling/);
    expect(urlProblem('https://example.com/?%3C', 'https://example.com/?<')).toBeNull();
  });
  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});

describe('options and request lists', () => {
  it('normalizes BackgroundFetchOptions', () => {
    expect(normalizeOptions(undefined)).toEqual({ title: '', icons: [], downloadTotal: 0 });
    expect(normalizeOptions({ title: 't', downloadTotal: 10.7, icons: [{ src: 'a.png', sizes: '1x1' }] })).toEqual({
      title: 't',
      icons: [{ src: 'a.png', sizes: '1x1' }],
      downloadTotal: 10,
    });
    expect(() => normalizeOptions({ downloadTotal: -1 })).toThrow(TypeError);
  });
  it('wraps a single RequestInfo', () => {
    expect(toRequestList('a')).toEqual(['a']);
    expect(toRequestList(['a', 'b'])).toEqual(['a', 'b']);
    expect(toRequestList([])).toEqual([]);
  });
});
