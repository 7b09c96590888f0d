/**
 * Holds the panel state and tells views when it changed, at most once per
 * scheduled tick: progress can arrive far faster than a screen refreshes.
 */
import { createState, reduce, type PanelAction } from './reduce';
import type { PanelState } from './types';

export type Schedule = (flush: () => void) => void;

/**
 * Next animation frame, or 100 ms, whichever comes first: animation frames
 * stop in a DevTools window that is not visible (undocked behind another
 * window), and the panel must still be current when it is looked at.
 */
export const frameOrTimeout: Schedule = (flush) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    flush();
  };
  const timer = setTimeout(run, 100);
  requestAnimationFrame(run);
};

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
