/**
 * The panel: toolbar, notices, registrations table, details pane, status bar.
 * Runs without `chrome`: main.tsx wires it to the extension, the preview
 * harness (test/fixtures/panel-preview) to synthetic data.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CommandsContext, type Commands } from './commands';
import { Details } from './components/Details';
import { EmptyState } from './components/EmptyState';
import { FaultRulesBar } from './components/FaultRulesBar';
import { HarButtons, HarNotice, type HarNoticeData } from './components/HarControls';
import { Notices } from './components/Notices';
import { RegistrationTable } from './components/RegistrationTable';
import { StatusBar } from './components/StatusBar';
import { Toolbar } from './components/Toolbar';
import { counts, visibleRows, warmFilterText } from './state/select';
import type { PanelStore } from './state/store';
import { useFaultRules } from './use-fault-rules';
import { useStore } from './use-store';

export type Theme = 'light' | 'dark';

interface Props {
  store: PanelStore;
  /** Commands to the inspected page's hooks; null in previews and tests. */
  commands: Commands;
  theme?: Theme;
}

/** How often durations of running rows tick. */
const CLOCK_MS = 1000;

export function App({ store, commands, theme = 'light' }: Props) {
  const version = useStore(store);
  const state = store.state;
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [harNotice, setHarNotice] = useState<HarNoticeData | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => visibleRows(state, filter), [version, filter]);
  const tally = useMemo(() => counts(state), [version]);
  const selectedRow = selected ? (state.rows.get(selected) ?? null) : null;
  const now = useNow(tally.running > 0);
  const faults = useFaultRules(store, commands, version);
  const [rulesOpen, setRulesOpen] = useState(false);

  // While the panel is idle, prepare what the filter searches.
  useEffect(() => {
    if (typeof requestIdleCallback !== 'function') return;
    let handle = requestIdleCallback(function step(deadline) {
      if (!warmFilterText(store.state, () => deadline.timeRemaining() > 1)) handle = requestIdleCallback(step);
    });
    return () => cancelIdleCallback(handle);
  }, [version]);

  useLayoutEffect(() => {
    const root = document.documentElement;
    root.classList.toggle('theme-dark', theme === 'dark');
    root.classList.toggle('theme-light', theme !== 'dark');
  }, [theme]);

  const clear = useCallback(() => {
    store.dispatch({ type: 'clear' });
    setSelected(null);
  }, [store]);

  const closeDetails = useCallback(() => {
    setSelected(null);
    tableRef.current?.focus();
  }, []);

  // Network-panel shortcuts: Ctrl/Cmd+F or "/" to filter, Ctrl/Cmd+L to clear.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const target = e.target as HTMLElement | null;
      const typing = target?.tagName === 'INPUT' || target?.tagName === 'TEXTAREA' || target?.isContentEditable === true;
      const key = e.key.toLowerCase();
      if ((mod && !e.altKey && key === 'f') || (e.key === '/' && !mod && !typing)) {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (mod && !e.altKey && !e.shiftKey && key === 'l') {
        e.preventDefault();
        clear();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [clear]);

  let main;
  if (state.rows.size === 0) main = <EmptyState kind="empty" />;
  else if (rows.length === 0) main = <EmptyState kind="no-match" filter={filter} />;
  else
    main = (
      <RegistrationTable
        rows={rows}
        selected={selected}
        onSelect={setSelected}
        sessions={state.sessions}
        now={now}
        viewportRef={tableRef}
      />
    );

  return (
    <CommandsContext.Provider value={commands}>
      <div class="app" data-testid="bgf-app">
        <Toolbar
          store={store}
          counts={tally}
          filter={filter}
          onFilter={setFilter}
          onClear={clear}
          filterRef={filterRef}
          onLeaveFilter={() => tableRef.current?.focus()}
          faultRules={commands ? { open: rulesOpen, armed: faults.rules.length, onToggle: () => setRulesOpen(!rulesOpen) } : undefined}
        >
          <HarButtons store={store} rows={rows} selected={selectedRow} onNotice={setHarNotice} />
        </Toolbar>
        {rulesOpen && <FaultRulesBar api={faults} onClose={() => setRulesOpen(false)} />}
        <Notices notices={state.notices} />
        <HarNotice notice={harNotice} onDismiss={() => setHarNotice(null)} />
        <div class={`main ${selectedRow ? 'with-details' : ''}`}>
          <div class="list">{main}</div>
          {selectedRow && (
            <Details row={selectedRow} state={state} onClose={closeDetails} onSelect={setSelected} now={now} />
          )}
        </div>
        <StatusBar state={state} shown={rows.length} />
      </div>
    </CommandsContext.Provider>
  );
}

/** Wall-clock time, re-read every second while `ticking`, for live durations. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => clearInterval(timer);
  }, [ticking]);
  return ticking ? now : 0;
}
