import { formatBytes, formatClock } from '../format';
import type { PanelState, Row } from '../state/types';
import { statusText } from './StatusCell';

function Field({ name, children }: { name: string; children: preact.ComponentChildren }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function Overview({ row, state }: { row: Row; state: PanelState }) {
  const d = row.data;
  const info = state.sessions.get(row.source.session)?.info;
  return (
    <div class="overview">
      {row.kind === 'rejection' && (
        <div class="rejection" role="note">
          fetch() rejected: <strong>{row.data.error.name}</strong>: {row.data.error.message}
        </div>
      )}
      {row.kind === 'registration' && row.data.result === 'failure' && <div class="rejection">{failureExplanation(row.data.failureReason)}</div>}
      <dl>
        <Field name="id">{d.id}</Field>
        <Field name="status">{statusText(row)}</Field>
        <Field name="title">{d.options.title || '—'}</Field>
        <Field name="scope">{d.scope || '—'}</Field>
        <Field name="origin">
          {row.source.origin}
          {info?.isTop === false ? ' (iframe)' : ''}
        </Field>
        <Field name="frame">{row.source.frameUrl}</Field>
        <Field name="implementation">{info?.implementation ?? '—'}</Field>
        <Field name="icons">{d.options.icons.length ? d.options.icons.map((i) => `${i.src}${i.sizes ? ` (${i.sizes})` : ''}`).join(', ') : '—'}</Field>
        <Field name="downloadTotal">{d.options.downloadTotal ? `${d.options.downloadTotal} (${formatBytes(d.options.downloadTotal)})` : '0 (not declared)'}</Field>
        {row.kind === 'registration' && (
          <>
            <Field name="downloaded">{`${row.data.downloaded} (${formatBytes(row.data.downloaded)})`}</Field>
            <Field name="uploadTotal">{row.data.uploadTotal}</Field>
            <Field name="uploaded">{row.data.uploaded}</Field>
            <Field name="result">{row.data.result || '"" (running)'}</Field>
            <Field name="failureReason">{row.data.failureReason || '""'}</Field>
            <Field name="recordsAvailable">{String(row.data.recordsAvailable)}</Field>
            <Field name="seen via">{row.data.origin === 'fetch' ? 'fetch() call' : 'get()/getIds() (started elsewhere)'}</Field>
          </>
        )}
        <Field name="requests">{d.requestCount}</Field>
        <Field name="called at">{d.calledAt !== null ? formatClock(d.calledAt) : 'before the hook saw it'}</Field>
      </dl>
    </div>
  );
}

/** Why a fetch failed, in plain words. */
export function failureExplanation(reason: string): string {
  switch (reason) {
    case 'aborted':
      return 'Aborted: abort() was called (by the page, the service worker, the user or this panel).';
    case 'bad-status':
      return 'Bad status: a response was not ok (status outside 200–299) or the request was blocked. The response is still stored and readable.';
    case 'fetch-error':
      return 'Fetch error: a request failed at the network level (connection, CORS, mixed content).';
    case 'quota-exceeded':
      return 'Quota exceeded: storing the responses ran out of storage quota.';
    case 'download-total-exceeded':
      return 'Download total exceeded: more bytes arrived than the downloadTotal declared, so the fetch stopped at once.';
    default:
      return 'Failed.';
  }
}
