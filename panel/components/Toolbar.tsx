import type { RefObject } from 'preact';
import { counts } from '../state/select';
import type { PanelStore } from '../state/store';

interface Props {
  store: PanelStore;
  filter: string;
  onFilter(value: string): void;
  onClear(): void;
  filterRef: RefObject<HTMLInputElement | null>;
}

export function Toolbar({ store, filter, onFilter, onClear, filterRef }: Props) {
  const c = counts(store.state);
  return (
    <div class="toolbar" role="toolbar" aria-label="Background Fetch toolbar">
      <button class="icon-button" aria-label="Clear" title="Clear (Ctrl+L)" onClick={onClear}>
        <span aria-hidden="true">⊘</span>
      </button>
      <span class="divider" />
      <label class="checkbox" title="Keep registrations from previous pages after a navigation">
        <input
          type="checkbox"
          checked={store.state.preserveLog}
          onChange={(e) => store.dispatch({ type: 'set-preserve-log', preserveLog: (e.target as HTMLInputElement).checked })}
        />
        Preserve log
      </label>
      <span class="divider" />
      <input
        ref={filterRef}
        class="filter"
        type="search"
        placeholder="Filter"
        aria-label="Filter"
        title="Filter by id, title, URL or error (Ctrl+F)"
        value={filter}
        onInput={(e) => onFilter((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onFilter('');
        }}
      />
      <span class="spacer" />
      <span class="summary" aria-live="polite">
        <span class="dot running" /> {c.running} running <span class="dot success" /> {c.success} succeeded{' '}
        <span class="dot failure" /> {c.failure} failed <span class="dot rejected" /> {c.rejected} rejected
      </span>
    </div>
  );
}
