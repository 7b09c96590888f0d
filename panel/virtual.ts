/**
 * Windowing for the virtualized table: which rows of a fixed-height list are
 * on screen, where to scroll to reveal one, and where keys move the
 * selection. Pure, so it is unit-tested without a DOM.
 */
export interface Range {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
}

const OVERSCAN = 8;

const rowsPerView = (viewport: number, rowHeight: number) => Math.ceil(Math.max(0, viewport) / rowHeight) + 1;

/**
 * How many rows visibleRange() can return for this viewport, wherever it is
 * scrolled: row `i` can be drawn in DOM slot `i % slots` with no two rows in
 * one slot, so scrolling reuses the slots' elements instead of replacing
 * them.
 */
export function rowSlots(viewport: number, rowHeight: number, overscan = OVERSCAN): number {
  return rowHeight > 0 ? rowsPerView(viewport, rowHeight) + 2 * Math.max(0, overscan) : 1;
}

/**
 * The rows to render for a viewport `viewport` px tall scrolled to
 * `scrollTop`, with `overscan` extra rows either side so fast scrolling does
 * not show gaps. A `scrollTop` past the end (the list just shrank and the
 * browser has not clamped it yet) still yields the last screenful.
 */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = OVERSCAN): Range {
  if (!(count > 0) || !(rowHeight > 0)) return { start: 0, end: 0 };
  const perView = rowsPerView(viewport, rowHeight);
  const first = Math.min(Math.floor(Math.max(0, scrollTop || 0) / rowHeight), count - 1);
  const start = Math.max(0, Math.min(first, count - perView) - Math.max(0, overscan));
  const end = Math.min(count, first + perView + Math.max(0, overscan));
  return { start, end };
}

/** The scrollTop that brings row `index` into view, or null if it already is. */
export function scrollToReveal(index: number, scrollTop: number, viewport: number, rowHeight: number): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  const bottom = top + rowHeight;
  if (bottom > scrollTop + viewport) {
    // Bottom-align, unless the viewport is shorter than a row: then show its top.
    const next = Math.max(0, Math.min(top, bottom - viewport));
    return next === scrollTop ? null : next;
  }
  return null;
}

/**
 * Where a key moves the selection in a list of `count` rows, from `index`
 * (-1: nothing selected), `page` rows per PageUp/PageDown; null when the key
 * is not a movement key or there are no rows.
 */
export function keyboardMove(key: string, index: number, count: number, page: number): number | null {
  if (count <= 0) return null;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  const step = Math.max(1, Math.floor(page));
  switch (key) {
    case 'ArrowDown':
      return index < 0 ? 0 : clamp(index + 1);
    case 'ArrowUp':
      return index < 0 ? count - 1 : clamp(index - 1);
    case 'PageDown':
      return clamp((index < 0 ? 0 : index) + step);
    case 'PageUp':
      return clamp((index < 0 ? 0 : index) - step);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
