/** Every field of the selected registration (or rejected call), in the API's own names. */
import type { ComponentChildren } from 'preact';
import type { InjectedFault } from '../../extension/protocol';
import { fetchCallText } from '../call-text';
import { formatBytes, formatClock, formatDuration } from '../format';
import { networkFailures } from '../state/network';
import { rowStatus } from '../state/select';
import type { PanelState, Row } from '../state/types';
import { LOST_EXPLANATION, statusText } from './StatusCell';

function Field({ name, children, mono }: { name: string; children: ComponentChildren; mono?: boolean }) {
  return (
    <>
      <dt>{name}</dt>
      <dd class={mono ? 'mono' : undefined}>{children}</dd>
    </>
  );
}

function Section({ title }: { title: string }) {
  return <dt class="section">{title}</dt>;
}

const bytes = (n: number) => (n >= 1000 ? `${n.toLocaleString('en-US')} (${formatBytes(n)})` : `${n}`);
const quoted = (s: string) => JSON.stringify(s);

export function Overview({ row, state, now }: { row: Row; state: PanelState; now: number }) {
  const d = row.data;
  const info = state.sessions.get(row.source.session)?.info ?? null;
  const status = rowStatus(row);
  const reg = row.kind === 'registration' ? row.data : null;
  const started = reg ? (reg.calledAt ?? reg.seenAt) : d.calledAt;
  const end = reg ? (reg.settledAt ?? (status === 'running' && now > 0 ? now : null)) : null;
  return (
    <div class="overview">
      {row.kind === 'rejection' && (
        <div class="callout rejected" role="note" data-testid="bgf-rejection">
          <div class="callout-title">
            fetch() rejected: <strong>{row.data.error.name}</strong>: {row.data.error.message}
          </div>
          <pre class="call">{fetchCallText(d.id, d.requests, d.requestCount, d.options)}</pre>
        </div>
      )}
      {reg && reg.result === 'failure' && (
        <div class={`callout failure`} role="note" data-testid="bgf-failure">
          {failureExplanation(reg.failureReason)}
          {networkFailures(state.network, row).map((line, i) => (
            <div key={i}>{line}</div>
          ))}
        </div>
      )}
      {reg?.injected && (
        <div class="callout" role="note" data-testid="bgf-injected">
          {injectedExplanation(reg.injected)}
        </div>
      )}
      {row.lost && <div class="callout lost">{LOST_EXPLANATION}</div>}
      {row.previousPage && <div class="callout muted">From a previous page of this tab (kept by “Preserve log”).</div>}
      <dl>
        <Section title={reg ? 'Registration' : 'The rejected call'} />
        <Field name="id" mono>
          {quoted(d.id)}
        </Field>
        <Field name="status">
          <span class={`status ${status}`}>
            <span class={`dot ${status}`} aria-hidden="true" />
            {statusText(row)}
          </span>
        </Field>
        {reg && (
          <>
            <Field name="result" mono>
              {quoted(reg.result)}
            </Field>
            <Field name="failureReason" mono>
              {quoted(reg.failureReason)}
            </Field>
            <Field name="recordsAvailable" mono>
              {String(reg.recordsAvailable)}
            </Field>
            <Field name="downloadTotal" mono>
              {reg.downloadTotal ? bytes(reg.downloadTotal) : '0 (not declared)'}
            </Field>
            <Field name="downloaded" mono>
              {bytes(reg.downloaded)}
            </Field>
            <Field name="uploadTotal" mono>
              {bytes(reg.uploadTotal)}
            </Field>
            <Field name="uploaded" mono>
              {bytes(reg.uploaded)}
            </Field>
          </>
        )}
        <Field name="scope">{d.scope || '—'}</Field>
        <Section title="Options" />
        <Field name="title">{d.options.title ? d.options.title : <span class="muted">none</span>}</Field>
        <Field name="icons">
          {d.options.icons.length === 0 ? (
            <span class="muted">none</span>
          ) : (
            <ul class="plain">
              {d.options.icons.map((i, n) => (
                <li key={n} class="mono">
                  {i.src}
                  {i.sizes ? ` · ${i.sizes}` : ''}
                  {i.type ? ` · ${i.type}` : ''}
                  {i.label ? ` · “${i.label}”` : ''}
                </li>
              ))}
            </ul>
          )}
        </Field>
        {(!reg || reg.downloadTotal !== d.options.downloadTotal) && (
          <Field name="downloadTotal" mono>
            {d.options.downloadTotal ? bytes(d.options.downloadTotal) : '0 (not declared)'}
          </Field>
        )}
        <Field name="requests">
          {d.requestCount}
          {d.requestCount > d.requests.length ? ` (${d.requests.length} described)` : ''}
        </Field>
        <Section title="Where and when" />
        <Field name="origin">
          {row.source.origin || '—'}
          {info?.isTop === false && <span class="badge after">iframe</span>}
        </Field>
        <Field name="frame">{row.source.frameUrl}</Field>
        <Field name="implementation">{implementationText(info?.implementation)}</Field>
        <Field name="seen via">
          {reg ? (reg.origin === 'fetch' ? 'a fetch() call the panel saw' : 'get() / getIds(): started elsewhere or before the page loaded') : 'a fetch() call the panel saw'}
        </Field>
        <Field name="fetch() called">{d.calledAt !== null ? formatClock(d.calledAt) : <span class="muted">before the panel could see it</span>}</Field>
        {reg && <Field name="registered / found">{formatClock(reg.seenAt)}</Field>}
        {reg && <Field name="settled">{reg.settledAt !== null ? formatClock(reg.settledAt) : <span class="muted">not yet</span>}</Field>}
        {started !== null && end !== null && <Field name="duration">{formatDuration(end - started)}</Field>}
      </dl>
    </div>
  );
}

function implementationText(impl: string | undefined): string {
  switch (impl) {
    case 'native':
      return 'native (the browser’s Background Fetch)';
    case 'polyfill':
      return 'polyfill';
    case 'none':
      return 'none (this realm has no Background Fetch)';
    default:
      return '—';
  }
}

function injectedExplanation(injected: InjectedFault): string {
  const cause = injected.ruleId ? 'an armed fault rule' : '“Fail with…”';
  return injected.simulated
    ? `Simulated by this panel (${cause}): the page's view of the registration reports ${injected.reason}, and the download was aborted, so the service worker received backgroundfetchabort. This engine cannot produce ${injected.reason} for real.`
    : `Made to fail with ${injected.reason} by this panel (${cause}), for real: the browser ended the fetch and the service worker received the genuine event.`;
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
