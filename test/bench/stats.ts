/** Order statistics for benchmark samples. */

/** The p-th percentile (0..100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** `value / baseline`, or NaN when the baseline is not a positive number. */
export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? value / baseline : Number.NaN;
}

/**
 * For each emitted (key, value, time), the first time at or after it when an
 * observer saw that key at a value >= it: how long until the emission was
 * visible, counting emissions a coalescing view skipped over. Emissions never
 * seen are left out (and counted by the caller from the lengths).
 */
export function firstSeenLatencies(
  emits: readonly (readonly [string, number, number])[],
  seen: readonly (readonly [string, number, number])[],
): number[] {
  const byKey = new Map<string, [number, number][]>();
  for (const [key, value, at] of seen) {
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push([value, at]);
  }
  for (const list of byKey.values()) list.sort((a, b) => a[1] - b[1]);
  const out: number[] = [];
  for (const [key, value, at] of emits) {
    const list = byKey.get(key);
    if (!list) continue;
    const hit = list.find(([v, t]) => v >= value && t >= at);
    if (hit) out.push(hit[1] - at);
  }
  return out;
}
