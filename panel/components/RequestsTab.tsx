/**
 * The requests given to fetch(): one line each with what the network did
 * (where the browser reports it), headers, body preview and network
 * attempts on expansion.
 */
import { useState } from 'preact/hooks';
import { formatBytes, formatClock, formatDuration } from '../format';
import { attemptsOfRow, type NetworkRequest } from '../state/network';
import type { Row } from '../state/types';

export function RequestsTab({ row, network }: { row: Row; network: Map<string, NetworkRequest> }) {
  const d = row.data;
  const attemptsByRequest = attemptsOfRow(network, row);
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
            <th class="shrink">Network</th>
            <th class="shrink">Details</th>
          </tr>
        </thead>
        <tbody>
          {d.requests.map((r, i) => {
            const expanded = open.has(i);
            const attempts = attemptsByRequest[i] ?? [];
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
                <td data-testid="bgf-network-summary">{networkSummary(attempts.at(-1))}</td>
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
                  <td colSpan={7}>
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
                    {attempts.map((a, n) => (
                      <NetworkAttempt key={a.requestId} attempt={a} n={n + 1} of={attempts.length} />
                    ))}
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

/** One line: the status (or network error) of the latest attempt, its server and duration. */
function networkSummary(a: NetworkRequest | undefined): string {
  if (!a) return '—';
  const outcome = a.error ? a.error : a.statusCode !== null ? String(a.statusCode) : 'pending';
  const parts = [outcome];
  if (a.ip) parts.push(a.ip);
  if (a.endedAt !== null) parts.push(formatDuration(a.endedAt - a.startedAt));
  return parts.join(' · ');
}

function NetworkAttempt({ attempt: a, n, of }: { attempt: NetworkRequest; n: number; of: number }) {
  const since = (t: number | null) => (t === null ? '—' : `+${formatDuration(t - a.startedAt)}`);
  return (
    <div class="network-attempt" data-testid="bgf-network-attempt">
      <div class="muted">
        Network{of > 1 ? ` (attempt ${n} of ${of})` : ''}, as the browser saw it
      </div>
      <table class="headers">
        <tbody>
          <tr>
            <th>Started</th>
            <td>{formatClock(a.startedAt)}</td>
          </tr>
          <tr>
            <th>Response</th>
            <td>{since(a.responseAt)}</td>
          </tr>
          <tr>
            <th>Ended</th>
            <td>{since(a.endedAt)}</td>
          </tr>
          <tr>
            <th>Status</th>
            <td>{a.statusLine || (a.statusCode ?? '—')}</td>
          </tr>
          {a.error && (
            <tr>
              <th>Error</th>
              <td class="error-text">{a.error}</td>
            </tr>
          )}
          <tr>
            <th>Remote address</th>
            <td>{a.ip || '—'}</td>
          </tr>
          {a.fromCache && (
            <tr>
              <th>From cache</th>
              <td>yes</td>
            </tr>
          )}
          {a.redirects.map((url, i) => (
            <tr key={`r${i}`}>
              <th>Redirected to</th>
              <td>{url}</td>
            </tr>
          ))}
          {a.responseHeaders.map(([name, value], i) => (
            <tr key={`h${i}`}>
              <th>{name}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
