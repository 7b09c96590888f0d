/** Row counts on the left; on the right, what the relay refused from the page, when anything. */
import type { PanelState } from '../state/types';

export function StatusBar({ state, shown }: { state: PanelState; shown: number }) {
  const d = state.diagnostics;
  const parts: string[] = [];
  if (d.invalid) parts.push(`${d.invalid} invalid`);
  if (d.oversized) parts.push(`${d.oversized} oversized`);
  if (d.rateLimited) parts.push(`${d.rateLimited} rate-limited`);
  if (d.forged) parts.push(`${d.forged} forged`);
  if (d.duplicates) parts.push(`${d.duplicates} duplicate${d.duplicates === 1 ? '' : 's'}`);
  if (d.evicted) parts.push(`${d.evicted} evicted`);
  const total = state.rows.size;
  const tip = [
    'Messages from the page the panel did not apply:',
    'invalid / oversized / rate-limited / forged: refused by the relay;',
    'duplicates: events already applied; evicted: oldest rows dropped past the cap.',
    d.lastSample ? `\nLast refused message:\n${d.lastSample}` : '',
  ].join('\n');
  return (
    <div class="statusbar">
      <span data-testid="bgf-shown">
        {shown === total ? `${total} registration${total === 1 ? '' : 's'}` : `${shown} / ${total} shown`}
      </span>
      <span class="spacer" />
      {parts.length > 0 && (
        <span class="diagnostics" data-testid="bgf-diagnostics" title={tip} tabIndex={0} aria-label={`Dropped: ${parts.join(', ')}`}>
          <span aria-hidden="true">⚠ </span>
          dropped: {parts.join(' · ')}
        </span>
      )}
    </div>
  );
}
