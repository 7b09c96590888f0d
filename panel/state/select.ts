/** Derived views of the panel state: filtering and a row's status. */
import type { PanelState, Row } from './types';

export type RowStatus = 'running' | 'success' | 'failure' | 'rejected' | 'lost';

export function rowStatus(row: Row): RowStatus {
  if (row.kind === 'rejection') return 'rejected';
  if (row.data.result === 'success') return 'success';
  if (row.data.result === 'failure') return 'failure';
  return row.lost ? 'lost' : 'running';
}

/**
 * Text a filter matches against: id, title, request URLs, error. Built
 * lazily and cached per row object (rows are replaced, never mutated).
 */
const haystacks = new WeakMap<Row, string>();
function haystack(row: Row): string {
  let text = haystacks.get(row);
  if (text === undefined) {
    const parts = [row.data.id, row.data.options.title, row.source.origin];
    for (const r of row.data.requests) parts.push(r.url);
    if (row.kind === 'rejection') parts.push(row.data.error.name, row.data.error.message);
    else if (row.data.failureReason) parts.push(row.data.failureReason);
    text = parts.join('\n').toLowerCase();
    haystacks.set(row, text);
  }
  return text;
}

/**
 * Builds the filter text of rows that have none yet, while `hasTime()` says
 * so, so that the first keystroke in the filter does not pay for every row
 * at once. Returns whether every row is done.
 */
export function warmFilterText(state: PanelState, hasTime: () => boolean): boolean {
  for (const key of state.order) {
    const row = state.rows.get(key)!;
    if (haystacks.has(row)) continue;
    haystack(row);
    if (!hasTime()) return false;
  }
  return true;
}

/** Rows in stable first-seen order, narrowed by a case-insensitive filter. */
export function visibleRows(state: PanelState, filter: string): Row[] {
  const needle = filter.trim().toLowerCase();
  const out: Row[] = [];
  for (const key of state.order) {
    const row = state.rows.get(key)!;
    if (!needle || haystack(row).includes(needle)) out.push(row);
  }
  return out;
}

export function counts(state: PanelState): Record<RowStatus, number> {
  const c: Record<RowStatus, number> = { running: 0, success: 0, failure: 0, rejected: 0, lost: 0 };
  for (const row of state.rows.values()) c[rowStatus(row)]++;
  return c;
}
