import { describe, expect, it } from 'vitest';
import { parseContentRange, resumeStart, validatePartialResponse } from '../../content/polyfill/range';

const partial = (range: string, extra: [string, string][] = []) => ({ status: 206, headers: [['Content-Range', range], ...extra] as [string, string][] });

describe('Content-Range', () => {
  it('parses single byte ranges', () => {
    expect(parseContentRange('bytes 10-19/100')).toEqual({ first: 10, last: 19, complete: 100 });
    expect(parseContentRange('bytes=0-0/*')).toEqual({ first: 0, last: 0, complete: null });
    expect(parseContentRange('bytes 5-4/10')).toBeNull();
    expect(parseContentRange('items 1-2/3')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
  });
});

describe('validatePartialResponse', () => {
  const first = { status: 200, headers: [['ETag', '"v1"'], ['Last-Modified', 'Mon, 01 Jan 2024 00:00:00 GMT']] as [string, string][] };
  it('accepts a continuation from the right byte with the same validators', () => {
    expect(validatePartialResponse(100, partial('bytes 100-199/200', first.headers), first)).toBe(true);
  });
  it('rejects a wrong start, a changed ETag or Last-Modified, a missing header, a non-206', () => {
    expect(validatePartialResponse(50, partial('bytes 100-199/200', first.headers), first)).toBe(false);
    expect(validatePartialResponse(100, partial('bytes 100-199/200', [['ETag', '"v2"'], first.headers[1]!]), first)).toBe(false);
    expect(validatePartialResponse(100, partial('bytes 100-199/200', [first.headers[0]!, ['Last-Modified', 'Tue, 02 Jan 2024 00:00:00 GMT']]), first)).toBe(false);
    expect(validatePartialResponse(100, partial('bytes 100-199/200', [first.headers[1]!]), first)).toBe(false);
    expect(validatePartialResponse(100, { status: 200, headers: first.headers }, first)).toBe(false);
    expect(validatePartialResponse(100, { status: 206, headers: [] }, first)).toBe(false);
  });
  it('rejects a different complete length than a previous 206', () => {
    const prev = partial('bytes 0-99/200');
    expect(validatePartialResponse(100, partial('bytes 100-199/300'), prev)).toBe(false);
    expect(validatePartialResponse(100, partial('bytes 100-199/200'), prev)).toBe(true);
    expect(validatePartialResponse(100, partial('bytes 100-199/300'), { status: 200, headers: [] }, 200)).toBe(false);
  });
  it('resumes only GETs that have a stored response', () => {
    expect(resumeStart({ bytes: 10, response: {}, request: { method: 'GET' } })).toBe(10);
    expect(resumeStart({ bytes: 10, response: {}, request: { method: 'POST' } })).toBe(0);
    expect(resumeStart({ bytes: 10, response: null, request: { method: 'GET' } })).toBe(0);
  });
});
