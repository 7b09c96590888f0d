/** Each BackgroundFetchRecord: request, response status and headers, and the body on demand. */
import { useContext, useEffect, useState } from 'preact/hooks';
import type { BodyPreview, RecordData, RequestData } from '../../extension/protocol';
import { bodyView } from '../body-view';
import { CommandsContext } from '../commands';
import { CopyAsCurl } from './CopyAs';
import { formatBytes } from '../format';
import type { RegistrationRow } from '../state/types';

const PREVIEW_BYTES = 256 * 1024;

export function RecordsTab({ row }: { row: RegistrationRow }) {
  const commands = useContext(CommandsContext);
  // Imported rows carry their records (status and headers; no bodies) and have no page to ask.
  const imported = row.imported;
  const [result, setResult] = useState<{ live: boolean; records: RecordData[] } | null>(imported ? { live: false, records: imported.records ?? [] } : null);
  const [error, setError] = useState('');
  const target = row.source;

  useEffect(() => {
    if (!commands || imported) return;
    let live = true;
    commands
      .command(target.frameId, { type: 'records', key: target.hookKey })
      .then((r) => live && setResult(r))
      .catch((e: Error) => live && setError(`${e.name}: ${e.message}`));
    return () => {
      live = false;
    };
  }, [commands, target.frameId, target.hookKey]);

  if (!commands && !imported) return <div class="muted pad">Records are read from the live page; this log has none.</div>;
  if (error) return <div class="action-error pad">Could not read the records: {error}</div>;
  if (!result) return <div class="muted pad">Reading records in the page…</div>;
  const records = result.records;
  if (!records.length) return <div class="muted pad">No records.</div>;
  return (
    <div class="records">
      {imported && <div class="muted pad">Read from {imported.file} when it was exported; bodies are not kept.</div>}
      {!result.live && !imported && (
        <div class="muted pad">
          recordsAvailable is false: the service worker's event has finished, so match() and matchAll() now reject. Statuses and
          headers below were read when the fetch settled, and bodies come from the responses the panel's hook kept then, for as long as this page lives.
        </div>
      )}
      {records.map((r) => (
        <RecordView key={r.index} record={r} frameId={target.frameId} hookKey={target.hookKey} readOnly={!!imported} captured={row.data.requests[r.index] ?? r.request} />
      ))}
    </div>
  );
}

/** `captured` is the request as the hook saw it at fetch() time, with the body the record no longer has. */
function RecordView({ record, frameId, hookKey, readOnly, captured }: { record: RecordData; frameId: number; hookKey: string; readOnly: boolean; captured: RequestData }) {
  const commands = useContext(CommandsContext);
  const [preview, setPreview] = useState<BodyPreview | null>(null);
  const [note, setNote] = useState('');
  const res = record.response;
  const load = () =>
    commands
      ?.command(frameId, { type: 'body', key: hookKey, index: record.index, maxBytes: PREVIEW_BYTES })
      .then(setPreview, (e: Error) => setNote(`${e.name}: ${e.message}`));
  const save = () =>
    commands
      ?.command(frameId, { type: 'save-body', key: hookKey, index: record.index })
      .then((s) => setNote(`Saved as ${s.filename} (${formatBytes(s.bytes)}) by the page's download.`), (e: Error) => setNote(`${e.name}: ${e.message}`));
  return (
    <details class="record" data-testid="bgf-record" data-status={res?.status ?? ''} open={record.index === 0}>
      <summary>
        <span class="muted">#{record.index + 1}</span> <strong>{record.request.method}</strong> {record.request.url}{' '}
        {record.state === 'ready' && res && (
          <span class={res.status >= 200 && res.status < 300 ? 'ok-text' : 'error-text'}>
            {res.status} {res.statusText}
          </span>
        )}
        {record.state === 'pending' && <span class="muted">response pending…</span>}
        {record.state === 'failed' && record.error && (
          <span class="error-text">
            no response: {record.error.name}: {record.error.message}
          </span>
        )}
      </summary>
      {res && (
        <>
          <table class="headers">
            <tbody>
              <tr>
                <th>Response URL</th>
                <td>{res.url}</td>
              </tr>
              <tr>
                <th>Type</th>
                <td>{res.type}</td>
              </tr>
              {res.headers.map(([name, value], i) => (
                <tr key={i}>
                  <th>{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="record-actions">
            <CopyAsCurl request={captured} />{' '}
            {!readOnly && (
              <>
                <button onClick={load}>Preview body</button> <button onClick={save}>Save body…</button>
              </>
            )}{' '}
            <span class="muted">{note}</span>
          </div>
          {preview && <Preview preview={preview} />}
        </>
      )}
    </details>
  );
}

function Preview({ preview }: { preview: BodyPreview }) {
  const view = bodyView(preview);
  return (
    <div class="preview">
      <div class="muted">
        {preview.contentType || 'no content type'} · {formatBytes(preview.bytes)} read{preview.truncated ? ' (truncated)' : ''}
      </div>
      {view.kind === 'image' ? <img alt="Response body" src={view.dataUrl} class="preview-image" /> : <pre class="body-preview">{view.text}</pre>}
    </div>
  );
}
