/** "Export HAR" and "Import HAR" in the toolbar, and the notice that reports how they went. */
import { useContext, useRef, useState } from 'preact/hooks';
import { CommandsContext } from '../commands';
import { writeHar } from '../har/build';
import { blobWriter, harFileName, saveBlob } from '../har/download';
import { MAX_HAR_BYTES, parseHar } from '../har/parse';
import { readResponses } from '../har/responses';
import type { PanelStore } from '../state/store';
import type { Row } from '../state/types';

export interface HarNoticeData {
  error: boolean;
  text: string;
}

interface Props {
  store: PanelStore;
  /** The rows shown (filtered); the selected one, when set, is exported alone. */
  rows: Row[];
  selected: Row | null;
  onNotice(notice: HarNoticeData | null): void;
}

export function HarButtons({ store, rows, selected, onNotice }: Props) {
  const commands = useContext(CommandsContext);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const toExport = selected ? [selected] : rows;

  const exportHar = async () => {
    setBusy(true);
    onNotice(null);
    try {
      const responses = commands ? await readResponses(commands, toExport) : undefined;
      const version = typeof chrome !== 'undefined' ? chrome.runtime?.getManifest?.().version : undefined;
      const out = blobWriter();
      const { entries } = await writeHar(toExport, { ...responses, version, network: store.state.network }, out.write);
      const name = harFileName(toExport[0]?.source.origin ?? '', new Date());
      saveBlob(name, await out.blob());
      const regs = toExport.length === 1 ? '1 registration' : `${toExport.length} registrations`;
      onNotice({ error: false, text: `Saved ${name}: ${regs}, ${entries} requests.` });
    } catch (e) {
      onNotice({ error: true, text: `Export HAR failed: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  const importHar = async (file: File) => {
    onNotice(null);
    if (file.size > MAX_HAR_BYTES) {
      onNotice({ error: true, text: `${file.name} is too large to import (${file.size} bytes; at most ${MAX_HAR_BYTES}).` });
      return;
    }
    setBusy(true);
    try {
      const result = parseHar(await file.text(), file.name);
      if (!result.ok) {
        onNotice({ error: true, text: `Import HAR failed: ${result.error}` });
        return;
      }
      store.dispatch({ type: 'import', rows: result.rows });
      onNotice({ error: false, text: `Imported ${result.rows.length} rows from ${file.name}, read-only.` });
    } catch (e) {
      onNotice({ error: true, text: `Import HAR failed: could not read ${file.name}: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        disabled={busy || toExport.length === 0}
        onClick={() => void exportHar()}
        title={selected ? `Export the selected registration “${selected.data.id}” as a HAR file` : `Export the ${rows.length} registrations shown as a HAR file`}
      >
        Export HAR
      </button>
      <button disabled={busy} onClick={() => input.current?.click()} title="Load a HAR file exported by this panel, read-only">
        Import HAR
      </button>
      <input
        ref={input}
        type="file"
        accept=".har,application/json"
        hidden
        data-testid="bgf-har-input"
        onChange={(e) => {
          const el = e.currentTarget;
          const file = el.files?.[0];
          el.value = '';
          if (file) void importHar(file);
        }}
      />
    </>
  );
}

export function HarNotice({ notice, onDismiss }: { notice: HarNoticeData | null; onDismiss(): void }) {
  if (!notice) return null;
  return (
    <div class={`notices har-notice ${notice.error ? 'error' : ''}`} role={notice.error ? 'alert' : 'status'} data-testid="bgf-har-notice">
      <div class="notice">
        <span class="notice-icon" aria-hidden="true">
          {notice.error ? '⚠' : 'ℹ'}
        </span>
        <span>{notice.text}</span>
        <span class="spacer" />
        <button class="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      </div>
    </div>
  );
}
