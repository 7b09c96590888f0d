/**
 * Fault rules, like DevTools' request blocking: make the next fetch whose id
 * or a request URL contains some text end with a chosen failure reason.
 */
import { useState } from 'preact/hooks';
import { FAILURE_REASONS } from '../../extension/protocol';
import type { FaultReason } from '../fault-rules';
import type { FaultRulesApi } from '../use-fault-rules';

/** What each reason does on native Chromium; the polyfill does all five through its own code paths. */
export const REASON_HOW: Record<FaultReason, string> = {
  aborted: 'real: abort() is called as the fetch starts',
  'bad-status': 'real when the text matches a request URL (the request is blocked), otherwise simulated',
  'fetch-error': 'real when the text matches a request URL (redirected cross-origin), otherwise simulated',
  'quota-exceeded': 'simulated: the page sees the reason, the download is aborted',
  'download-total-exceeded': 'real: the fetch is started with a 1-byte downloadTotal',
};

export function FaultRulesBar({ api, onClose }: { api: FaultRulesApi; onClose(): void }) {
  const [match, setMatch] = useState('');
  const [reason, setReason] = useState<FaultReason>('bad-status');
  const [error, setError] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const refused = api.arm(match, reason);
    setError(refused ?? '');
    if (!refused) setMatch('');
  };
  return (
    <div class="fault-rules" role="region" aria-label="Fault rules" data-testid="bgf-fault-rules">
      <form class="fault-form" onSubmit={submit}>
        <span class="strong">Fail the next fetch whose id or URL contains</span>
        <input
          class="fault-match"
          type="text"
          spellcheck={false}
          autocomplete="off"
          placeholder="e.g. episode-3 or .mp3"
          aria-label="Match text"
          value={match}
          onInput={(e) => setMatch((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === 'Escape' && onClose()}
        />
        <span>with</span>
        <select aria-label="Failure reason" value={reason} onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value as FaultReason)}>
          {FAILURE_REASONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit">Arm rule</button>
        <span class="muted fault-how">{REASON_HOW[reason]}</span>
        <span class="spacer" />
        <button type="button" class="icon-button" aria-label="Close fault rules" title="Close (rules stay armed)" onClick={onClose}>
          ✕
        </button>
      </form>
      {error && (
        <div class="action-error" role="alert">
          {error}
        </div>
      )}
      {api.rules.length === 0 ? (
        <div class="muted">No rules armed. Rules apply once, are scoped to this tab's pages, and are gone when DevTools closes.</div>
      ) : (
        <ul class="fault-list">
          {api.rules.map((r) => (
            <li key={r.id} data-testid="bgf-fault-rule" data-used={r.usedBy ? 'true' : 'false'}>
              <span class="mono">“{r.match}”</span> → <span class="mono">{r.reason}</span>{' '}
              <span class="muted">{r.usedBy ? 'used; removed when that fetch settles' : 'armed'}</span>
              <button class="icon-button" aria-label={`Remove rule “${r.match}”`} title="Remove" onClick={() => api.remove(r.id)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
