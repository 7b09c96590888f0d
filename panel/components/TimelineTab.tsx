/** What happened to a registration, in order: call, registration, progress samples, outcome. */
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
  const upload = row.data.requests.some((r) => (r.bodySize ?? 0) > 0) || (row.kind === 'registration' && row.data.uploadTotal > 0);
  return (
    <div class="timeline-tab">
      {row.kind === 'rejection' && (
        <div class="callout rejected" role="note">
          <div class="callout-title">
            fetch() rejected: <strong>{row.data.error.name}</strong>: {row.data.error.message}
          </div>
        </div>
      )}
      <table class="grid-table timeline">
        <thead>
          <tr>
            <th class="shrink">Time</th>
            <th class="num shrink">Since first</th>
            <th class="shrink">Event</th>
            {upload && <th class="num shrink">Uploaded</th>}
            <th class="num shrink">Downloaded</th>
            <th>Result / detail</th>
          </tr>
        </thead>
        <tbody>
          {row.timeline.map((e, i) => (
            <tr key={i} class={`kind-${e.kind}`}>
              <td class="mono">{formatClock(e.at)}</td>
              <td class="num muted">{i === 0 ? '' : `+${formatDuration(e.at - first)}`}</td>
              <td>{LABELS[e.kind]}</td>
              {upload && <td class="num">{e.uploaded !== undefined ? formatBytes(e.uploaded) : ''}</td>}
              <td class="num">{e.downloaded !== undefined ? formatBytes(e.downloaded) : ''}</td>
              <td class={detailClass(e)}>{detail(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {row.timeline.some((e) => e.kind === 'progress') && (
        <div class="muted pad">Progress samples are thinned out on long fetches; milestones are always kept.</div>
      )}
    </div>
  );
}

function detail(e: TimelineEntry): string {
  if (e.kind === 'settled') return e.failureReason ? `${e.result}: ${e.failureReason}` : (e.result ?? '');
  return e.text ?? '';
}

function detailClass(e: TimelineEntry): string {
  if (e.kind === 'rejected') return 'error-text strong';
  if (e.kind === 'settled') return e.result === 'success' ? 'ok-text strong' : 'error-text strong';
  if (e.kind === 'lost') return 'muted';
  return '';
}
