/** The 26px strip above the table: clear, preserve log, filter, and a tally by status. */
import type { ComponentChildren, RefObject } from 'preact';
import type { RowStatus } from '../state/select';
import type { PanelStore } from '../state/store';

interface Props {
  store: PanelStore;
  counts: Record<RowStatus, number>;
  filter: string;
  onFilter(value: string): void;
  onClear(): void;
  filterRef: RefObject<HTMLInputElement | null>;
  /** ArrowDown or Enter in the filter: go to the table. */
  onLeaveFilter(): void;
  /** Fault rules: whether the bar is shown, how many are armed; absent where nothing can be armed. */
  faultRules?: { open: boolean; armed: number; onToggle(): void };
  /** More buttons after the filter (Export HAR, Import HAR). */
  children?: ComponentChildren;
}

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl+';

export function Toolbar({ store, counts: c, filter, onFilter, onClear, filterRef, onLeaveFilter, faultRules, children }: Props) {
  return (
    <div class="toolbar" role="toolbar" aria-label="Background Fetch toolbar">
      <button class="icon-button clear-button" aria-label="Clear" title={`Clear (${MOD}L)`} onClick={onClear}>
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
          <circle cx="7" cy="7" r="5.25" fill="none" stroke="currentColor" stroke-width="1.5" />
          <line x1="3.3" y1="10.7" x2="10.7" y2="3.3" stroke="currentColor" stroke-width="1.5" />
        </svg>
      </button>
      <span class="divider" />
      <label class="checkbox" title="Keep registrations from previous pages after a navigation">
        <input
          type="checkbox"
          checked={store.state.preserveLog}
          onChange={(e) => store.dispatch({ type: 'set-preserve-log', preserveLog: (e.currentTarget as HTMLInputElement).checked })}
        />
        Preserve log
      </label>
      <span class="divider" />
      <input
        ref={filterRef}
        class="filter"
        type="text"
        spellcheck={false}
        autocomplete="off"
        placeholder="Filter"
        aria-label="Filter"
        title={`Filter by id, title, URL, origin or error (${MOD}F or /; Esc clears)`}
        value={filter}
        onInput={(e) => onFilter((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && filter) {
            e.preventDefault();
            e.stopPropagation();
            onFilter('');
          } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
            e.preventDefault();
            onLeaveFilter();
          }
        }}
      />
      {faultRules && (
        <>
          <span class="divider" />
          <button
            class="toolbar-toggle"
            aria-pressed={faultRules.open}
            title="Make the next matching fetch fail with a chosen reason"
            onClick={faultRules.onToggle}
          >
            Fault rules{faultRules.armed > 0 ? ` (${faultRules.armed})` : ''}
          </button>
        </>
      )}
      {children && <span class="divider" />}
      {children}
      <span class="spacer" />
      <span class="summary" data-testid="bgf-summary">
        <Count status="running" n={c.running} label="running" />
        <Count status="success" n={c.success} label="succeeded" />
        <Count status="failure" n={c.failure} label="failed" />
        <Count status="rejected" n={c.rejected} label="rejected" />
        {c.lost > 0 && <Count status="lost" n={c.lost} label="lost" />}
      </span>
    </div>
  );
}

function Count({ status, n, label }: { status: RowStatus; n: number; label: string }) {
  return (
    <span class={`count ${n === 0 ? 'zero' : ''}`}>
      <span class={`dot ${status}`} aria-hidden="true" />
      {n} {label}
    </span>
  );
}
