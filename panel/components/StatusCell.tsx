import { rowStatus } from '../state/select';
import type { Row } from '../state/types';

export function statusText(row: Row): string {
  switch (rowStatus(row)) {
    case 'rejected':
      return row.kind === 'rejection' ? `rejected: ${row.data.error.name}` : 'rejected';
    case 'failure':
      return row.kind === 'registration' ? `failure: ${row.data.failureReason || 'unknown'}` : 'failure';
    case 'lost':
      return 'unknown (page navigated)';
    default:
      return rowStatus(row);
  }
}

export function StatusCell({ row }: { row: Row }) {
  const status = rowStatus(row);
  return (
    <span class={`status ${status}`} title={row.lost ? 'The page navigated and the new page no longer lists this fetch: it settled while nobody was watching.' : undefined}>
      <span class={`dot ${status}`} />
      {statusText(row)}
    </span>
  );
}
