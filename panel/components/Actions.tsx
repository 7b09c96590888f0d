/** Abort, Replay and Edit and replay, carried out in the page by its hook. */
import { useContext, useState } from 'preact/hooks';
import { CommandsContext } from '../commands';
import { rowStatus } from '../state/select';
import type { PanelState, Row } from '../state/types';
import { CopyAsFetch } from './CopyAs';
import { ReplayEditor } from './ReplayEditor';
import type { ReplayEdits } from '../../extension/protocol';
import { FAILURE_REASONS } from '../../extension/protocol';
import type { FaultReason } from '../fault-rules';

export function Actions({ row, state, onSelect }: { row: Row; state: PanelState; onSelect(k: string): void }) {
  const commands = useContext(CommandsContext);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [editing, setEditing] = useState(false);
  if (!commands) return null;
  // A row from a HAR file has no page behind it: nothing to abort or replay.
  const readOnly = row.imported !== undefined;
  const running = rowStatus(row) === 'running';
  const target = { frameId: row.source.frameId, key: row.source.hookKey };

  async function run<T>(label: string, work: () => Promise<T>, done: (result: T) => string) {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ error: false, text: done(await work()) });
    } catch (e) {
      const err = e as Error;
      setMessage({ error: true, text: `${label} failed: ${err.name}: ${err.message}` });
    } finally {
      setBusy(false);
    }
  }

  const replay = (edits?: ReplayEdits) =>
    run(
      'Replay',
      () => commands.command(target.frameId, { type: 'replay', key: target.key, edits }),
      (result) => {
        // Link the new row to the one it replays once it shows up.
        const source = `${row.source.session}\u0000${result.key}`;
        const rowKey = state.bySource.get(source);
        if (rowKey) onSelect(rowKey);
        return `Replayed as “${result.id}”.`;
      },
    );

  return (
    <span class="actions">
      <CopyAsFetch row={row} />
      {readOnly && <span class="muted">Imported from {row.imported!.file}: read-only</span>}
      {message && (
        <span class={message.error ? 'action-error' : 'action-ok'} role="status">
          {message.text}
        </span>
      )}
      {running && (
        <button
          disabled={busy || readOnly}
          onClick={() =>
            run('Abort', () => commands.command(target.frameId, { type: 'abort', key: target.key }), (aborted) =>
              aborted ? 'abort() resolved true.' : 'abort() resolved false: the fetch had already settled.',
            )
          }
        >
          Abort
        </button>
      )}
      {running && !readOnly && row.kind === 'registration' && (
        <select
          aria-label="Fail with"
          title="End this fetch with a failure reason, so the app's handlers can be tested"
          disabled={busy}
          value=""
          onChange={(e) => {
            const reason = (e.currentTarget as HTMLSelectElement).value as FaultReason;
            if (!reason) return;
            void run('Fail', () => commands.command(target.frameId, { type: 'fail', key: target.key, reason }), (injected) =>
              injected.simulated ? `Failed with ${reason} (simulated in the page's view).` : `Failed with ${reason}.`,
            );
          }}
        >
          <option value="">Fail with…</option>
          {FAILURE_REASONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      )}
      <button disabled={busy || readOnly} onClick={() => replay()} title="fetch() again with the same id (if free), requests and options">
        Replay
      </button>
      <button disabled={busy || readOnly} onClick={() => setEditing(!editing)} aria-expanded={editing}>
        Edit and replay
      </button>
      {editing && (
        <ReplayEditor
          row={row}
          onCancel={() => setEditing(false)}
          onSubmit={(edits) => {
            setEditing(false);
            void replay(edits);
          }}
        />
      )}
    </span>
  );
}
