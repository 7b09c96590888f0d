import { describe, expect, it } from 'vitest';
import { keyboardMove, rowSlots, scrollToReveal, visibleRange } from '../../panel/virtual';

const RH = 21;

describe('visibleRange', () => {
  it('renders nothing for no rows or a bad row height', () => {
    expect(visibleRange(0, 400, RH, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(0, 400, 0, 100)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(0, 400, RH, Number.NaN)).toEqual({ start: 0, end: 0 });
  });

  it('at the top: the rows that fit plus one partial, plus the overscan below', () => {
    // 420 px shows 20 rows exactly; one more for a partial row when scrolled mid-row.
    expect(visibleRange(0, 420, RH, 10_000, 8)).toEqual({ start: 0, end: 21 + 8 });
    expect(visibleRange(0, 420, RH, 10_000, 0)).toEqual({ start: 0, end: 21 });
  });

  it('in the middle: overscan on both sides, a window independent of the row count', () => {
    const r = visibleRange(5000 * RH + 7, 420, RH, 10_000, 8);
    expect(r).toEqual({ start: 5000 - 8, end: 5000 + 21 + 8 });
    expect(r.end - r.start).toBe(21 + 16);
    expect(visibleRange(5000 * RH + 7, 420, RH, 1_000_000, 8)).toEqual(r);
  });

  it('never puts two rendered rows in one DOM slot (i % rowSlots), wherever the list is scrolled', () => {
    for (const count of [1, 30, 37, 38, 500]) {
      for (const viewport of [0, 20, 333, 420]) {
        const slots = rowSlots(viewport, RH);
        for (let scrollTop = 0; scrollTop <= count * RH + 100; scrollTop += 7) {
          const { start, end } = visibleRange(scrollTop, viewport, RH, count);
          const used = new Set<number>();
          for (let i = start; i < end; i++) used.add(i % slots);
          expect(used.size).toBe(end - start);
        }
      }
    }
    expect(rowSlots(420, RH, 8)).toBe(21 + 16);
  });

  it('covers every pixel of the viewport for any scroll offset', () => {
    for (let scrollTop = 0; scrollTop < 60 * RH; scrollTop += 5) {
      for (const viewport of [0, 20, 21, 22, 333, 420]) {
        const { start, end } = visibleRange(scrollTop, viewport, RH, 50, 0);
        const firstPixelRow = Math.floor(scrollTop / RH);
        const lastPixelRow = Math.min(49, Math.floor((scrollTop + Math.max(0, viewport - 1)) / RH));
        if (firstPixelRow <= 49) {
          expect(start).toBeLessThanOrEqual(firstPixelRow);
          expect(end).toBeGreaterThan(lastPixelRow);
        }
        expect(end).toBeLessThanOrEqual(50);
      }
    }
  });

  it('clamps at the end of the list', () => {
    // 100 rows, scrolled to the bottom of a 420 px viewport.
    const r = visibleRange(100 * RH - 420, 420, RH, 100, 8);
    expect(r.end).toBe(100);
    // The first visible row is 80; the window may start a row earlier, never later.
    expect(r.start).toBeLessThanOrEqual(80 - 8);
    expect(r.start).toBeGreaterThanOrEqual(80 - 8 - 1);
  });

  it('still shows the last screenful when scrollTop is past the end (the list just shrank)', () => {
    const r = visibleRange(9000 * RH, 420, RH, 30, 8);
    expect(r.end).toBe(30);
    expect(r.end - r.start).toBeGreaterThanOrEqual(21);
    expect(r.start).toBeLessThanOrEqual(30 - 21);
  });

  it('treats negative or NaN input as zero', () => {
    expect(visibleRange(-500, 420, RH, 100, 2)).toEqual({ start: 0, end: 23 });
    expect(visibleRange(Number.NaN, 420, RH, 100, 2)).toEqual({ start: 0, end: 23 });
    expect(visibleRange(0, -5, RH, 100, 0)).toEqual({ start: 0, end: 1 });
  });

  it('is a few dozen rows for 10,000 rows in a tall panel', () => {
    const r = visibleRange(123_456, 900, RH, 10_000);
    expect(r.end - r.start).toBeLessThan(70);
    expect(r.start).toBeLessThanOrEqual(Math.floor(123_456 / RH));
    expect(r.end).toBeGreaterThanOrEqual(Math.ceil((123_456 + 900) / RH));
  });
});

describe('scrollToReveal', () => {
  it('leaves a row already in view alone', () => {
    expect(scrollToReveal(10, 0, 420, RH)).toBeNull();
    expect(scrollToReveal(19, 0, 420, RH)).toBeNull();
  });
  it('scrolls up to put a row above the view at the top', () => {
    expect(scrollToReveal(3, 10 * RH, 420, RH)).toBe(3 * RH);
  });
  it('scrolls down just enough to put a row below the view at the bottom', () => {
    expect(scrollToReveal(20, 0, 420, RH)).toBe(21 * RH - 420);
    expect(scrollToReveal(9999, 0, 420, RH)).toBe(10_000 * RH - 420);
  });
  it('reveals a partially hidden row', () => {
    expect(scrollToReveal(0, 5, 420, RH)).toBe(0);
    expect(scrollToReveal(19, 0, 415, RH)).toBe(20 * RH - 415);
  });
  it('shows the top of a row in a viewport shorter than a row, and settles there', () => {
    expect(scrollToReveal(0, 5, 10, RH)).toBe(0);
    expect(scrollToReveal(0, 0, 10, RH)).toBeNull();
    expect(scrollToReveal(1, 0, 10, RH)).toBe(RH);
    expect(scrollToReveal(1, RH, 10, RH)).toBeNull();
  });
});

describe('keyboardMove', () => {
  it('moves by one with the arrows and stops at the ends', () => {
    expect(keyboardMove('ArrowDown', 3, 10, 5)).toBe(4);
    expect(keyboardMove('ArrowDown', 9, 10, 5)).toBe(9);
    expect(keyboardMove('ArrowUp', 3, 10, 5)).toBe(2);
    expect(keyboardMove('ArrowUp', 0, 10, 5)).toBe(0);
  });
  it('starts from the first (down) or last (up) row when nothing is selected', () => {
    expect(keyboardMove('ArrowDown', -1, 10, 5)).toBe(0);
    expect(keyboardMove('ArrowUp', -1, 10, 5)).toBe(9);
  });
  it('pages by the given number of rows, clamped', () => {
    expect(keyboardMove('PageDown', 2, 100, 19)).toBe(21);
    expect(keyboardMove('PageDown', 95, 100, 19)).toBe(99);
    expect(keyboardMove('PageUp', 21, 100, 19)).toBe(2);
    expect(keyboardMove('PageUp', 5, 100, 19)).toBe(0);
    expect(keyboardMove('PageDown', 0, 100, 0)).toBe(1);
  });
  it('jumps to the ends with Home and End', () => {
    expect(keyboardMove('Home', 50, 100, 10)).toBe(0);
    expect(keyboardMove('End', 50, 100, 10)).toBe(99);
  });
  it('ignores other keys and empty lists', () => {
    expect(keyboardMove('a', 1, 10, 5)).toBeNull();
    expect(keyboardMove('Enter', 1, 10, 5)).toBeNull();
    expect(keyboardMove('ArrowDown', -1, 0, 5)).toBeNull();
  });
});
