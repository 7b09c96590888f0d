/** The selected registration: actions, and tabs for its overview, requests, records and timeline. */
import { useState } from 'preact/hooks';
import type { PanelState, Row } from '../state/types';
import { rowStatus } from '../state/select';
import { Actions } from './Actions';
import { Overview } from './Overview';
import { RecordsTab } from './RecordsTab';
import { RequestsTab } from './RequestsTab';
import { TimelineTab } from './TimelineTab';

const TABS = ['Overview', 'Requests', 'Records', 'Timeline'] as const;
type Tab = (typeof TABS)[number];

export function Details({ row, state, onClose, onSelect }: { row: Row; state: PanelState; onClose(): void; onSelect(k: string): void }) {
  const [tab, setTab] = useState<Tab>('Overview');
  const tabs: readonly Tab[] = row.kind === 'registration' ? TABS : TABS.filter((t) => t !== 'Records');
  const shown = tabs.includes(tab) ? tab : 'Overview';
  return (
    <section class="details" data-testid="bgf-details" aria-label={`Details of ${row.data.id}`}>
      <div class="details-head">
        <button class="icon-button" aria-label="Close details" title="Close (Esc)" onClick={onClose}>
          ✕
        </button>
        <div class="tabs" role="tablist">
          {tabs.map((t) => (
            <button key={t} role="tab" aria-selected={t === shown} class={`tab ${t === shown ? 'active' : ''}`} onClick={() => setTab(t)}>
              {t}
            </button>
          ))}
        </div>
        <span class="spacer" />
        <Actions row={row} onSelect={onSelect} state={state} />
      </div>
      <div class="details-body" role="tabpanel" aria-label={shown}>
        {shown === 'Overview' && <Overview row={row} state={state} />}
        {shown === 'Requests' && <RequestsTab row={row} />}
        {shown === 'Records' && row.kind === 'registration' && <RecordsTab row={row} key={`${row.rowKey}:${rowStatus(row)}`} />}
        {shown === 'Timeline' && <TimelineTab row={row} />}
      </div>
    </section>
  );
}
