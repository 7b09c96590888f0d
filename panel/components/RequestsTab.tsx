import { formatBytes } from '../format';
import type { Row } from '../state/types';

export function RequestsTab({ row }: { row: Row }) {
  const d = row.data;
  if (!d.requests.length) return <div class="muted pad">No request details: the hook did not see this fetch start and could not read its records.</div>;
  return (
    <div class="requests">
      {d.requestCount > d.requests.length && <div class="muted pad">Showing the first {d.requests.length} of {d.requestCount} requests.</div>}
      {d.requests.map((r, i) => (
        <details key={i} class="request">
          <summary>
            <span class="muted">#{i + 1}</span> <strong>{r.method}</strong> {r.url}
            <span class="muted">
              {' '}
              · mode {r.mode || '—'} · credentials {r.credentials || '—'} · body {r.bodySize === null ? 'unknown' : formatBytes(r.bodySize)}
            </span>
          </summary>
          <table class="headers">
            <tbody>
              {r.headers.length === 0 && (
                <tr>
                  <td class="muted">No request headers set by the page.</td>
                </tr>
              )}
              {r.headers.map(([name, value], j) => (
                <tr key={j}>
                  <th>{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.bodyPreview !== undefined && (
            <>
              <div class="muted">Body preview</div>
              <pre class="body-preview">{r.bodyPreview}</pre>
            </>
          )}
        </details>
      ))}
    </div>
  );
}
