/** A small form to change the id, URLs and downloadTotal before replaying. */
import { useState } from 'preact/hooks';
import type { ReplayEdits } from '../../extension/protocol';
import type { Row } from '../state/types';

export function ReplayEditor({ row, onSubmit, onCancel }: { row: Row; onSubmit(edits: ReplayEdits): void; onCancel(): void }) {
  const d = row.data;
  const [id, setId] = useState(`${d.id}-edited`);
  const [total, setTotal] = useState(String(d.options.downloadTotal));
  const [urls, setUrls] = useState(d.requests.map((r) => r.url).join('\n'));
  const [error, setError] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const lines = urls.split('\n').map((l) => l.trim());
    if (lines.length !== d.requests.length) {
      setError(`Give one URL per request (${d.requests.length}).`);
      return;
    }
    const downloadTotal = Number(total);
    if (!Number.isFinite(downloadTotal) || downloadTotal < 0) {
      setError('downloadTotal must be a number ≥ 0.');
      return;
    }
    onSubmit({ id, downloadTotal, requests: lines.map((url) => ({ url })) });
  };
  return (
    <form class="replay-editor" onSubmit={submit} aria-label="Edit and replay">
      <label>
        ID <input value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} aria-label="Replay id" />
      </label>
      <label>
        downloadTotal{' '}
        <input value={total} inputMode="numeric" onInput={(e) => setTotal((e.target as HTMLInputElement).value)} aria-label="Replay downloadTotal" />
      </label>
      <label>
        URLs, one per request
        <textarea rows={Math.min(6, d.requests.length + 1)} value={urls} onInput={(e) => setUrls((e.target as HTMLTextAreaElement).value)} aria-label="Replay URLs" />
      </label>
      {error && <div class="action-error">{error}</div>}
      <div>
        <button type="submit">Replay edited</button> <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
