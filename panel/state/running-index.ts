/**
 * Registration rows by origin, scope and id, so that matching a registration
 * seen again (a reload, a new hook key) to the row of its running fetch is a
 * map lookup, not a scan of every row: with a scan, loading 10,000
 * registrations took seconds (quadratic). reduce.ts keeps it current as rows
 * are added; any removal, or a row changing identity, drops it, and the next
 * lookup rebuilds it from `state.order`.
 */
import type { PanelState, RegistrationRow, Row } from './types';

const indexes = new WeakMap<PanelState, Map<string, string[]>>();

const identity = (origin: string, scope: string, id: string) => `${origin}\u0000${scope}\u0000${id}`;

function indexFor(state: PanelState): Map<string, string[]> {
  let index = indexes.get(state);
  if (!index) {
    index = new Map();
    for (const key of state.order) {
      const row = state.rows.get(key);
      if (row?.kind === 'registration') add(index, row);
    }
    indexes.set(state, index);
  }
  return index;
}

function add(index: Map<string, string[]>, row: RegistrationRow): void {
  const id = identity(row.source.origin, row.data.scope, row.data.id);
  const keys = index.get(id);
  if (keys) keys.push(row.rowKey);
  else index.set(id, [row.rowKey]);
}

/** A row was appended to `state.order`. */
export function indexInserted(state: PanelState, row: Row): void {
  const index = indexes.get(state);
  if (index && row.kind === 'registration') add(index, row);
}

/** A row is about to replace `previous` under the same rowKey. */
export function indexReplaced(state: PanelState, previous: Row | undefined, row: Row): void {
  if (!previous || previous.kind !== 'registration' || row.kind !== 'registration') return;
  const same = previous.data.id === row.data.id && previous.data.scope === row.data.scope && previous.source.origin === row.source.origin;
  if (!same) indexes.delete(state);
}

/** Rows were removed. */
export function indexInvalidate(state: PanelState): void {
  indexes.delete(state);
}

/** The latest row, in first-seen order, of a running fetch with this origin, scope and id. */
export function lastRunning(state: PanelState, origin: string, scope: string, id: string): RegistrationRow | undefined {
  const keys = indexFor(state).get(identity(origin, scope, id));
  if (!keys) return undefined;
  for (let i = keys.length - 1; i >= 0; i--) {
    const row = state.rows.get(keys[i]!);
    // Rows imported from a HAR file are history, never a live fetch.
    if (row?.kind === 'registration' && !row.imported && row.data.result === '' && row.data.id === id && row.data.scope === scope && row.source.origin === origin) return row;
  }
  return undefined;
}
