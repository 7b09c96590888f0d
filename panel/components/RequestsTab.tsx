/** The requests given to fetch(): one line each, headers and body preview on expansion. */
import { useState } from 'preact/hooks';
import { formatBytes } from '../format';
import type { Row } from '../state/types';

export function RequestsTab({ row }: { row: Row }) {
  const d = row.data;
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set(d.requests.length === 1 ? [0] : []));
  if (!d.requests.length) {
    return (
      <div class="muted pad">
        No request details: the panel did not see this fetch() call ({d.requestCount} request{d.requestCount === 1 ? '' : 's'}), it found the
        registration later with get() / getIds(). The Records tab reads them from the page.
      </div>
    );
  }
  const toggle = (i: number) => {
    const next = new Set(open);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    setOpen(next);
  };
  return (
    <div class="requests">
      {d.requestCount > d.requests.length && (
        <div class="muted pad">
          Showing the first {d.requests.length} of {d.requestCount} requests.
        </div>
      )}
      <table class="grid-table requests-table">
        <thead>
          <tr>
            <th class="c-n">#</th>
            <th class="c-method">Method</th>
            <th>URL</th>
            <th class="shrink">Mode</th>
            <th class="shrink">Credentials</th>
            <th class="num shrink">Body</th>
            <th class="shrink">Headers</th>
          </tr>
        </thead>
        <tbody>
          {d.requests.map((r, i) => {
            const expanded = open.has(i);
            return [
              <tr key={`r${i}`} class="request-row">
                <td class="c-n muted">{i + 1}</td>
                <td class="c-method">{r.method}</td>
                <td class="url" title={r.url}>
                  {r.url}
                </td>
                <td>{r.mode || '—'}</td>
                <td>{r.credentials || '—'}</td>
                <td class="num">{r.bodySize === null ? 'unreadable' : r.bodySize === 0 ? '—' : formatBytes(r.bodySize)}</td>
                <td>
                  <button
                    class="link-button"
                    aria-expanded={expanded}
                    aria-label={`${expanded ? 'Hide' : 'Show'} headers of request ${i + 1}`}
                    onClick={() => toggle(i)}
                  >
                    <span class="twisty" aria-hidden="true">
                      {expanded ? '▾' : '▸'}
                    </span>
                    {r.headers.length} header{r.headers.length === 1 ? '' : 's'}
                    {r.bodyPreview !== undefined ? ' · body' : ''}
                  </button>
                </td>
              </tr>,
              expanded && (
                <tr key={`h${i}`} class="request-extra">
                  <td />
                  <td colSpan={6}>
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
                        <div class="muted">Body preview (captured at fetch() time)</div>
                        <pre class="body-preview">{r.bodyPreview}</pre>
                      </>
                    )}
                  </td>
                </tr>
              ),
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}
