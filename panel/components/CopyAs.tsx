/** "Copy as fetch()" on a registration and "Copy as cURL" on a record. */
import { useState } from 'preact/hooks';
import type { RequestData } from '../../extension/protocol';
import { curlCommand, fetchSnippet } from '../har/copy-as';
import type { Row } from '../state/types';

export function CopyAsFetch({ row }: { row: Row }) {
  const d = row.data;
  return <CopyButton label="Copy as fetch()" text={() => fetchSnippet(d.id, d.scope, d.requests, d.requestCount, d.options)} />;
}

export function CopyAsCurl({ request }: { request: RequestData }) {
  return <CopyButton label="Copy as cURL" text={() => curlCommand(request)} />;
}

function CopyButton({ label, text }: { label: string; text: () => string }) {
  const [note, setNote] = useState('');
  const copy = async (button: HTMLButtonElement) => {
    try {
      await copyText(text());
      setNote('Copied');
    } catch (e) {
      setNote(`Could not copy: ${(e as Error).message}`);
    }
    button.focus();
  };
  return (
    <>
      <button onClick={(e) => void copy(e.currentTarget)}>{label}</button>
      {note && (
        <span class="muted copy-note" role="status">
          {note}
        </span>
      )}
    </>
  );
}

/**
 * execCommand first: DevTools does not delegate the async Clipboard API's
 * permission to extension panels, while a copy from a selected textarea on a
 * click works there.
 */
async function copyText(text: string): Promise<void> {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) await navigator.clipboard.writeText(text);
}
