/**
 * "Copy as fetch()" and "Copy as cURL": ready-to-run code from what the hook
 * captured. Pure. Every string from the page is quoted (JSON for JavaScript,
 * shell quoting for cURL), so pasting the result can only run what it shows.
 * Unlike ../call-text.ts (a readable summary of a call), this must execute.
 */
import type { FetchOptionsData, RequestData } from '../../extension/protocol';

const q = (s: string) => JSON.stringify(s);

/** Statements for the DevTools console (top-level await) or an async function. */
export function fetchSnippet(id: string, scope: string, requests: RequestData[], requestCount: number, options: FetchOptionsData): string {
  const lines = requests.map((r) => `    ${requestCode(r)},`);
  if (requestCount > requests.length) lines.push(`    // ${requestCount - requests.length} more requests were not captured`);
  const registration = scope ? `navigator.serviceWorker.getRegistration(${q(scope)})` : 'navigator.serviceWorker.ready';
  return [
    `const registration = await ${registration};`,
    'await registration.backgroundFetch.fetch(',
    `  ${q(id)},`,
    `  [\n${lines.join('\n')}\n  ],`,
    `  ${optionsCode(options)},`,
    ');',
  ].join('\n');
}

function optionsCode(o: FetchOptionsData): string {
  const parts: string[] = [];
  if (o.title) parts.push(`title: ${q(o.title)}`);
  if (o.icons.length) {
    const icons = o.icons.map((i) => {
      const fields = [`src: ${q(i.src)}`];
      if (i.sizes) fields.push(`sizes: ${q(i.sizes)}`);
      if (i.type) fields.push(`type: ${q(i.type)}`);
      if (i.label) fields.push(`label: ${q(i.label)}`);
      return `{ ${fields.join(', ')} }`;
    });
    parts.push(`icons: [${icons.join(', ')}]`);
  }
  if (o.downloadTotal) parts.push(`downloadTotal: ${o.downloadTotal}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

function requestCode(r: RequestData): string {
  const init: string[] = [];
  if (r.method !== 'GET') init.push(`method: ${q(r.method)}`);
  // The Request constructor refuses "navigate"; "cors" and "same-origin" are its defaults.
  if (r.mode && r.mode !== 'cors' && r.mode !== 'navigate') init.push(`mode: ${q(r.mode)}`);
  if (r.credentials && r.credentials !== 'same-origin') init.push(`credentials: ${q(r.credentials)}`);
  if (r.headers.length) init.push(`headers: { ${r.headers.map(([k, v]) => `${q(k)}: ${q(v)}`).join(', ')} }`);
  if (r.bodySize) {
    const body = fullBody(r);
    init.push(body !== null ? `body: ${q(body)}` : `body: null /* the ${r.bodySize}-byte body was not captured: put it here */`);
  }
  return init.length ? `new Request(${q(r.url)}, { ${init.join(', ')} })` : q(r.url);
}

/** The body when the hook's preview is all of it as UTF-8 text, else null. */
function fullBody(r: RequestData): string | null {
  if (r.bodyPreview === undefined || !r.bodySize) return null;
  return new TextEncoder().encode(r.bodyPreview).length === r.bodySize ? r.bodyPreview : null;
}

/** A bash command line. */
export function curlCommand(r: RequestData): string {
  const args = [`curl ${shellQuote(r.url)}`];
  if (r.method !== 'GET') args.push(`-X ${shellQuote(r.method)}`);
  for (const [name, value] of r.headers) args.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  const body = fullBody(r);
  if (body !== null) args.push(`--data-raw ${shellQuote(body)}`);
  const note = r.bodySize && body === null ? `# The ${r.bodySize}-byte request body was not captured in full.\n` : '';
  return note + args.join(' \\\n  ');
}

/** Single quotes; ANSI-C $'...' when there are control characters, so it stays one line. */
export function shellQuote(s: string): string {
  if (!/[\x00-\x1f\x7f]/.test(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  const escaped = s.replace(/[\\'\x00-\x1f\x7f]/g, (c) => {
    if (c === '\\' || c === "'") return `\\${c}`;
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `$'${escaped}'`;
}
