import { formatTransfer, progressFraction } from '../format';
import type { RegistrationData } from '../../extension/protocol';

/** A progress bar for running work, and the bytes as text. */
export function Progress({ data, running }: { data: RegistrationData; running: boolean }) {
  const fraction = progressFraction(data.downloaded, data.downloadTotal);
  const upload = data.uploadTotal > 0;
  return (
    <span class="progress-cell">
      {running && (
        <span
          class={`bar ${fraction === null ? 'indeterminate' : ''}`}
          role="progressbar"
          aria-label={`Downloaded ${data.id}`}
          aria-valuemin={0}
          aria-valuemax={data.downloadTotal || undefined}
          aria-valuenow={data.downloaded}
        >
          <span class="fill" style={{ width: `${Math.round((fraction ?? 0) * 100)}%` }} />
        </span>
      )}
      <span class="bytes">
        {formatTransfer(data.downloaded, data.downloadTotal)}
        {upload && ` · ↑ ${formatTransfer(data.uploaded, data.uploadTotal)}`}
      </span>
    </span>
  );
}
