/**
 * Holds the panel state and tells views when it changed, at most once per
 * scheduled tick: progress can arrive far faster than a screen refreshes.
 */
import { createState, reduce, type PanelAction } from './reduce';
import type { PanelState } from './types';

export type Schedule = (flush: () => void) => void;

export class PanelStore {
  readonly state: PanelState;
  private readonly listeners = new Set<() => void>();
  private pending = false;

  constructor(
    private readonly schedule: Schedule = (flush) => flush(),
    maxRows?: number,
  ) {
    this.state = createState(maxRows);
  }

  dispatch(action: PanelAction): void {
    if (!reduce(this.state, action) || this.pending) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      for (const listener of this.listeners) listener();
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
