/** A row's status: a coloured dot and a word or two, with the reason when it failed. */
import { rowStatus } from '../state/select';
import type { Row } from '../state/types';

export const LOST_EXPLANATION =
  'Lost: the page navigated while this fetch was running, and the new page no longer lists it, so it settled while nobody was watching. Its outcome is unknown.';

export function statusText(row: Row): string {
  switch (rowStatus(row)) {
    case 'rejected':
      return row.kind === 'rejection' ? `rejected: ${row.data.error.name}` : 'rejected';
    case 'failure':
      if (row.kind !== 'registration') return 'failure';
      return `failure: ${row.data.failureReason || 'unknown'}${row.data.injected?.simulated ? ' (simulated)' : ''}`;
    case 'lost':
      return 'lost';
    case 'success':
      return 'success';
    case 'running':
      return 'running';
  }
}

export function StatusCell({ row }: { row: Row }) {
  const status = rowStatus(row);
  const text = statusText(row);
  return (
    <span class={`status ${status}`} title={status === 'lost' ? LOST_EXPLANATION : text}>
      <span class={`dot ${status}`} aria-hidden="true" />
      {text}
    </span>
  );
}
