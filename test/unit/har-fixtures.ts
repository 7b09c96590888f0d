/** A realistic panel log for the HAR tests, built through the real reducer. */
import type { EventEnvelope, HookEvent, RecordData, RegistrationData, RejectionData } from '../../extension/protocol';
import { writeHar, type HarLog, type HarOptions } from '../../panel/har/build';
import { createState, reduce } from '../../panel/state/reduce';
import { registrationData } from '../fixtures/registration-data';
import { visibleRows } from '../../panel/state/select';
import type { Row } from '../../panel/state/types';

const ORIGIN = 'http://127.0.0.1:8787';
const frame = { frameId: 0, url: `${ORIGIN}/` };

export function registration(over: Partial<RegistrationData> = {}): RegistrationData {
  return registrationData({
    scope: `${ORIGIN}/`,
    options: { title: 'Episode 1', icons: [{ src: '/icon.png', sizes: '128x128', type: 'image/png' }], downloadTotal: 0 },
    requests: [
      { method: 'GET', url: `${ORIGIN}/media/feed.json?size=4096&x=a%20b`, mode: 'cors', credentials: 'same-origin', headers: [], bodySize: 0 },
      { method: 'POST', url: `${ORIGIN}/upload`, mode: 'cors', credentials: 'include', headers: [['content-type', 'text/plain']], bodySize: 5, bodyPreview: 'hello' },
    ],
    requestCount: 2,
    calledAt: 1_700_000_000_000,
    seenAt: 1_700_000_000_010,
    ...over,
  });
}

export const rejection: RejectionData = {
  key: 'j1',
  id: 'dup',
  scope: `${ORIGIN}/`,
  options: { title: '', icons: [], downloadTotal: 0 },
  requests: [{ method: 'GET', url: 'http://127.0.0.1:1/', mode: 'cors', credentials: 'same-origin', headers: [], bodySize: 0 }],
  requestCount: 1,
  error: { name: 'TypeError', message: 'Refused to fetch' },
  calledAt: 1_700_000_000_500,
};

/** Four rows: succeeded (2 requests), failed (simulated bad-status), rejected, running. */
export function sampleRows(): Row[] {
  const s = createState();
  let seq = 0;
  const env = (event: HookEvent): EventEnvelope => ({ kind: 'event', session: 'S', seq: ++seq, event });
  const progress = (key: string, at: number, downloaded: number, result: '' | 'success' | 'failure' = '', failureReason: RegistrationData['failureReason'] = ''): HookEvent => ({
    type: 'progress', key, at, uploaded: 0, downloaded, result, failureReason, recordsAvailable: true,
  });
  reduce(s, {
    type: 'events',
    frame,
    envelopes: [
      env({ type: 'hello', info: { url: frame.url, origin: ORIGIN, isTop: true, implementation: 'native', protocol: 1, degraded: null } }),
      env({ type: 'registered', registration: registration() }),
      env(progress('k1', 1_700_000_000_100, 2000)),
      env(progress('k1', 1_700_000_000_250, 4101, 'success')),
      env({ type: 'registered', registration: registration({ key: 'k2', id: 'broken', requests: [registration().requests[0]!], requestCount: 3, injected: { reason: 'bad-status', simulated: true } }) }),
      env(progress('k2', 1_700_000_000_300, 0, 'failure', 'bad-status')),
      env({ type: 'rejected', rejection }),
      env({ type: 'registered', registration: registration({ key: 'k3', id: 'running', calledAt: null }) }),
    ],
  });
  return visibleRows(s, '');
}

export const records: RecordData[] = [
  {
    index: 0,
    request: registration().requests[0]!,
    state: 'ready',
    response: { status: 200, statusText: 'OK', type: 'basic', url: `${ORIGIN}/media/feed.json?size=4096&x=a%20b`, headers: [['content-type', 'application/json'], ['content-length', '4096']] },
    error: null,
  },
  { index: 1, request: registration().requests[1]!, state: 'failed', response: null, error: { name: 'TypeError', message: 'Failed to fetch' } },
];

/** What Export HAR writes for `rows`, as text. */
export async function harText(rows: Row[], opts: HarOptions = {}): Promise<string> {
  let text = '';
  await writeHar(rows, opts, (piece) => {
    text += piece;
  });
  return text;
}

/** The log Export HAR writes for `rows`, parsed back. */
export async function harLog(rows: Row[], opts: HarOptions = {}): Promise<HarLog> {
  return (JSON.parse(await harText(rows, opts)) as { log: HarLog }).log;
}
