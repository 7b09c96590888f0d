import type { PanelState } from '../state/types';

export function StatusBar({ state, shown }: { state: PanelState; shown: number }) {
  const d = state.diagnostics;
  const parts: string[] = [];
  if (d.invalid) parts.push(`${d.invalid} invalid`);
  if (d.oversized) parts.push(`${d.oversized} oversized`);
  if (d.rateLimited) parts.push(`${d.rateLimited} rate-limited`);
  if (d.forged) parts.push(`${d.forged} forged`);
  if (d.duplicates) parts.push(`${d.duplicates} duplicates`);
  if (d.evicted) parts.push(`${d.evicted} evicted`);
  return (
    <div class="statusbar">
      <span>
        {shown} / {state.rows.size} shown
      </span>
      <span class="spacer" />
      {parts.length > 0 && (
        <span class="diagnostics" data-testid="bgf-diagnostics" title={d.lastSample ? `Last refused: ${d.lastSample}` : undefined}>
          Dropped from the page: {parts.join(' · ')}
        </span>
      )}
    </div>
  );
}
