import { formatBytes, formatClock, formatDuration } from '../format';
import type { Row, TimelineEntry } from '../state/types';

const LABELS: Record<TimelineEntry['kind'], string> = {
  called: 'fetch() called',
  registered: 'registered',
  discovered: 'found by get()/getIds()',
  reattached: 're-attached after reload',
  progress: 'progress',
  settled: 'settled',
  rejected: 'fetch() rejected',
  lost: 'lost sight of it',
};

export function TimelineTab({ row }: { row: Row }) {
  const first = row.timeline[0]?.at ?? 0;
  return (
    <table class="timeline">
      <thead>
        <tr>
          <th>Time</th>
          <th>+</th>
          <th>Event</th>
          <th>Downloaded</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {row.timeline.map((e, i) => (
          <tr key={i} class={e.kind}>
            <td>{formatClock(e.at)}</td>
            <td class="muted">{formatDuration(e.at - first)}</td>
            <td>{LABELS[e.kind]}</td>
            <td>{e.downloaded !== undefined ? formatBytes(e.downloaded) : ''}</td>
            <td>{e.kind === 'settled' ? `${e.result}${e.failureReason ? ` / ${e.failureReason}` : ''}` : e.text ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
