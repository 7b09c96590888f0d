import { useEffect, useReducer } from 'preact/hooks';
import type { PanelStore } from './state/store';

/** Re-renders the component whenever the store reports a change. */
export function useStore(store: PanelStore): number {
  const [, bump] = useReducer((n: number, _: undefined) => n + 1, 0);
  useEffect(() => store.subscribe(() => bump(undefined)), [store]);
  return store.state.version;
}
