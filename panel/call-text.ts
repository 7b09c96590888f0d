/**
 * A fetch() call written out as code, from what the hook captured: shown for
 * rejected calls, so the arguments that caused the error are in plain view.
 * Pure and text-only: every string from the page is JSON-quoted.
 */
import type { FetchOptionsData, RequestData } from '../extension/protocol';
import { formatBytes } from './format';

const MAX_REQUESTS = 20;

export function fetchCallText(id: string, requests: RequestData[], requestCount: number, options: FetchOptionsData): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = requests.slice(0, MAX_REQUESTS).map((r) => `    ${requestText(r)},`);
  const more = Math.max(0, requestCount - Math.min(requests.length, MAX_REQUESTS));
  if (more > 0) lines.push(`    /* … ${more} more */`);
  const opts: string[] = [];
  if (options.title) opts.push(`title: ${q(options.title)}`);
  if (options.icons.length) {
    const icons = options.icons.map((i) => {
      const parts = [`src: ${q(i.src)}`];
      if (i.sizes) parts.push(`sizes: ${q(i.sizes)}`);
      if (i.type) parts.push(`type: ${q(i.type)}`);
      if (i.label) parts.push(`label: ${q(i.label)}`);
      return `{ ${parts.join(', ')} }`;
    });
    opts.push(`icons: [${icons.join(', ')}]`);
  }
  if (options.downloadTotal) opts.push(`downloadTotal: ${options.downloadTotal}`);
  const args = [`  ${q(id)},`, lines.length ? `  [\n${lines.join('\n')}\n  ],` : '  [],', `  { ${opts.join(', ')} }`.replace('{  }', '{}')];
  return `backgroundFetch.fetch(\n${args.join('\n')}\n)`;
}

function requestText(r: RequestData): string {
  const plain = r.method === 'GET' && r.headers.length === 0 && (r.mode === 'cors' || r.mode === '') && !r.bodySize;
  if (plain) return JSON.stringify(r.url);
  const init: string[] = [];
  if (r.method !== 'GET') init.push(`method: ${JSON.stringify(r.method)}`);
  if (r.mode && r.mode !== 'cors') init.push(`mode: ${JSON.stringify(r.mode)}`);
  if (r.credentials && r.credentials !== 'same-origin') init.push(`credentials: ${JSON.stringify(r.credentials)}`);
  if (r.headers.length) {
    init.push(`headers: { ${r.headers.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`);
  }
  if (r.bodySize) init.push(`body: /* ${formatBytes(r.bodySize)} */`);
  else if (r.bodySize === null) init.push('body: /* unreadable */');
  return `new Request(${JSON.stringify(r.url)}, { ${init.join(', ')} })`;
}
