/** Bytes moved so far, with a bar while the fetch runs (uploads first, then downloads). */
import { formatTransfer, progressFraction } from '../format';
import type { RegistrationData } from '../../extension/protocol';

export function Progress({ data, running }: { data: RegistrationData; running: boolean }) {
  const upload = data.uploadTotal > 0;
  const uploading = upload && data.uploaded < data.uploadTotal && data.downloaded === 0;
  const fraction = uploading
    ? progressFraction(data.uploaded, data.uploadTotal)
    : progressFraction(data.downloaded, data.downloadTotal);
  const label = uploading ? `Uploading ${data.id}` : `Downloading ${data.id}`;
  return (
    <span class="progress-cell">
      {running && (
        <span
          class={`bar ${fraction === null ? 'indeterminate' : ''} ${uploading ? 'upload' : ''}`}
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={fraction === null ? undefined : 100}
          aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
          aria-valuetext={uploading ? formatTransfer(data.uploaded, data.uploadTotal) : formatTransfer(data.downloaded, data.downloadTotal)}
        >
          <span class="fill" style={fraction === null ? undefined : { transform: `scaleX(${fraction})` }} />
        </span>
      )}
      <span
        class="bytes"
        title={
          upload
            ? `uploaded ${formatTransfer(data.uploaded, data.uploadTotal)}, downloaded ${formatTransfer(data.downloaded, data.downloadTotal)}`
            : `downloaded ${formatTransfer(data.downloaded, data.downloadTotal)}`
        }
      >
        {upload && <span class="muted">↑ </span>}
        {upload && formatTransfer(data.uploaded, data.uploadTotal)}
        {upload && <span class="muted"> ↓ </span>}
        {formatTransfer(data.downloaded, data.downloadTotal)}
      </span>
    </span>
  );
}
