/** The selected registration: actions, and tabs for its overview, requests, records and timeline. */
import { useRef, useState } from 'preact/hooks';
import type { PanelState, Row } from '../state/types';
import { rowStatus } from '../state/select';
import { Actions } from './Actions';
import { Overview } from './Overview';
import { RecordsTab } from './RecordsTab';
import { RequestsTab } from './RequestsTab';
import { TimelineTab } from './TimelineTab';

// The order is relied upon by the end-to-end tests ([role="tab"]:nth-child(4) is Timeline).
const TABS = ['Overview', 'Requests', 'Records', 'Timeline'] as const;
type Tab = (typeof TABS)[number];

interface Props {
  row: Row;
  state: PanelState;
  onClose(): void;
  onSelect(rowKey: string): void;
  now: number;
}

export function Details({ row, state, onClose, onSelect, now }: Props) {
  const [tab, setTab] = useState<Tab>('Overview');
  const tablist = useRef<HTMLDivElement>(null);
  const tabs: readonly Tab[] = row.kind === 'registration' ? TABS : TABS.filter((t) => t !== 'Records');
  const shown = tabs.includes(tab) ? tab : 'Overview';

  // The ARIA tabs pattern: arrows move between tabs, Home/End to the ends.
  const onTabKey = (e: KeyboardEvent) => {
    const i = tabs.indexOf(shown);
    const to =
      e.key === 'ArrowRight' ? (i + 1) % tabs.length
      : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length
      : e.key === 'Home' ? 0
      : e.key === 'End' ? tabs.length - 1
      : -1;
    if (to < 0) return;
    e.preventDefault();
    setTab(tabs[to]!);
    (tablist.current?.children[to] as HTMLElement | undefined)?.focus();
  };

  return (
    <section
      class="details"
      data-testid="bgf-details"
      aria-label={`Details of ${row.data.id}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !(e.target as HTMLElement).closest('input, textarea, form')) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div class="details-head">
        <button class="icon-button" aria-label="Close details" title="Close (Esc)" onClick={onClose}>
          <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
            <path d="M1 1 9 9M9 1 1 9" stroke="currentColor" stroke-width="1.5" />
          </svg>
        </button>
        <div class="tabs" role="tablist" aria-label="Details" ref={tablist} onKeyDown={onTabKey}>
          {tabs.map((t) => (
            <button
              key={t}
              role="tab"
              id={`bgf-tab-${t}`}
              aria-selected={t === shown}
              aria-controls="bgf-tabpanel"
              tabIndex={t === shown ? 0 : -1}
              class={`tab ${t === shown ? 'active' : ''}`}
              onClick={() => setTab(t)}
            >
              {t}
            </button>
          ))}
        </div>
        <span class="details-id" title={row.data.id}>
          {row.data.id}
        </span>
        <span class="spacer" />
        <Actions row={row} onSelect={onSelect} state={state} />
      </div>
      <div class="details-body" role="tabpanel" id="bgf-tabpanel" aria-labelledby={`bgf-tab-${shown}`} tabIndex={0}>
        {shown === 'Overview' && <Overview row={row} state={state} now={now} />}
        {shown === 'Requests' && <RequestsTab row={row} network={state.network} key={row.rowKey} />}
        {shown === 'Records' && row.kind === 'registration' && <RecordsTab row={row} key={`${row.rowKey}:${rowStatus(row)}`} />}
        {shown === 'Timeline' && <TimelineTab row={row} />}
      </div>
    </section>
  );
}
