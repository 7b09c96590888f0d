/** The panel: toolbar, registrations table, details pane, status bar. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CommandsContext, type Commands } from './commands';
import { Details } from './components/Details';
import { EmptyState } from './components/EmptyState';
import { RegistrationTable } from './components/RegistrationTable';
import { StatusBar } from './components/StatusBar';
import { Toolbar } from './components/Toolbar';
import { visibleRows } from './state/select';
import type { PanelStore } from './state/store';
import { useStore } from './use-store';

export function App({ store, commands }: { store: PanelStore; commands: Commands }) {
  const version = useStore(store);
  const state = store.state;
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const rows = useMemo(() => visibleRows(state, filter), [version, filter]);
  const selectedRow = selected ? state.rows.get(selected) ?? null : null;

  const clear = useCallback(() => {
    store.dispatch({ type: 'clear' });
    setSelected(null);
  }, [store]);

  // Network-panel shortcuts: Ctrl/Cmd+F or "/" to filter, Ctrl/Cmd+L to clear.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const typing = (e.target as HTMLElement | null)?.tagName === 'INPUT' || (e.target as HTMLElement | null)?.tagName === 'TEXTAREA';
      if ((mod && e.key.toLowerCase() === 'f') || (e.key === '/' && !typing)) {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (mod && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        clear();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [clear]);

  return (
    <CommandsContext.Provider value={commands}>
      <div class="app" data-testid="bgf-app">
        <Toolbar
          store={store}
          filter={filter}
          onFilter={setFilter}
          onClear={clear}
          filterRef={filterRef}
        />
        {state.notices.length > 0 && (
          <div class="notices" role="alert">
            {state.notices.map((n) => (
              <div class="notice" key={n}>
                ⚠ {n}
              </div>
            ))}
          </div>
        )}
        <div class={`main ${selectedRow ? 'with-details' : ''}`}>
          {state.rows.size === 0 ? (
            <EmptyState kind="empty" />
          ) : rows.length === 0 ? (
            <EmptyState kind="no-match" filter={filter} />
          ) : (
            <RegistrationTable rows={rows} selected={selected} onSelect={setSelected} sessions={state.sessions} />
          )}
          {selectedRow && <Details row={selectedRow} state={state} onClose={() => setSelected(null)} onSelect={setSelected} />}
        </div>
        <StatusBar state={state} shown={rows.length} />
      </div>
    </CommandsContext.Provider>
  );
}
