import { describe, expect, it } from 'vitest';
import { firstSeenLatencies, median, percentile, ratio } from '../bench/stats';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles without reordering the input', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(percentile(samples, 50)).toBe(3);
    expect(percentile(samples, 95)).toBe(5);
    expect(percentile(samples, 0)).toBe(1);
    expect(median([10, 20])).toBe(10);
    expect(samples).toEqual([5, 1, 4, 2, 3]);
    expect(percentile([], 50)).toBeNaN();
  });

  it('gives NaN for a ratio without a positive baseline', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
  });

  it('times each emission to the first observation at or past its value, counting skipped ones', () => {
    const emits: [string, number, number][] = [
      ['a', 1, 100],
      ['a', 2, 110], // coalesced away: first shown as part of value 3
      ['a', 3, 120],
      ['b', 1, 100],
      ['c', 1, 100], // never shown
    ];
    const seen: [string, number, number][] = [
      ['a', 3, 150],
      ['a', 1, 130],
      ['b', 1, 90], // before the emission: a stale value cannot show it
      ['b', 1, 160],
    ];
    expect(firstSeenLatencies(emits, seen)).toEqual([30, 40, 30, 60]);
  });
});
