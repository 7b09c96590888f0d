/**
 * BackgroundFetchManager: validates fetch() the way the spec and Chromium do,
 * reads request bodies up front, and hands the fetch to the worker's engine.
 */
import { INTERNAL, illegalConstructor, type ManagerContext } from './context';
import { instanceFor, listen } from './registry';
import type { BackgroundFetchRegistration } from './registration';
import type { SerializedRequest, Snapshot } from './types';
import { normalizeOptions, toRequestList, urlProblem } from './validate';

const PREFIX = "Failed to execute 'fetch' on 'BackgroundFetchManager': ";

export async function serializeRequest(request: Request, blocked: string | null): Promise<SerializedRequest> {
  const hasBody = request.body !== null && request.method !== 'GET' && request.method !== 'HEAD';
  const body = hasBody ? await request.arrayBuffer() : null;
  const referrer = request.referrer === 'about:client' ? globalThis.location?.href ?? '' : request.referrer;
  return {
    url: request.url,
    method: request.method,
    headers: [...request.headers] as [string, string][],
    mode: request.mode,
    credentials: request.credentials,
    cache: request.cache,
    redirect: request.redirect,
    referrer,
    referrerPolicy: request.referrerPolicy,
    integrity: request.integrity,
    body,
    ...(blocked ? { blocked } : {}),
  };
}

export class BackgroundFetchManager {
  #ctx: ManagerContext;

  constructor(token: typeof INTERNAL, ctx: ManagerContext) {
    if (token !== INTERNAL) throw illegalConstructor();
    this.#ctx = ctx;
    listen(ctx.scope);
  }

  async fetch(id: string, requests: RequestInfo | RequestInfo[], options?: BackgroundFetchOptions): Promise<BackgroundFetchRegistration> {
    if (arguments.length < 2) throw new TypeError(`${PREFIX}2 arguments required, but only ${arguments.length} present.`);
    const ctx = this.#ctx;
    const key = String(id);
    const list = toRequestList(requests);
    if (list.length === 0) throw new TypeError(`${PREFIX}At least one request must be given.`);
    const opts = normalizeOptions(options);

    const prepared: { request: Request; blocked: string | null }[] = [];
    for (const input of list) {
      // The Request constructor rejects credentials in the URL and bad input.
      const request = new Request(input as RequestInfo);
      if (request.mode === 'no-cors') throw new TypeError(`${PREFIX}Requests must not be in no-cors mode.`);
      const problem = urlProblem(request.url, typeof input === 'string' ? input : undefined, globalThis.location?.protocol);
      if (problem && ctx.config.rejectAtFetchTime) throw new TypeError(`${PREFIX}${problem}`);
      prepared.push({ request, blocked: problem });
    }
    const serialized: SerializedRequest[] = [];
    let uploadTotal = 0;
    for (const p of prepared) {
      const s = await serializeRequest(p.request, p.blocked);
      uploadTotal += s.body?.byteLength ?? 0;
      serialized.push(s);
    }
    if (!ctx.hasActiveWorker()) throw new TypeError(`${PREFIX}No active registration available on the ServiceWorkerRegistration.`);
    if (opts.downloadTotal > 0) {
      const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
      if (estimate?.quota !== undefined && opts.downloadTotal > estimate.quota - (estimate.usage ?? 0)) {
        throw new DOMException('The download total is larger than the available storage quota.', 'QuotaExceededError');
      }
    }
    const snapshot = (await ctx.send({
      op: 'fetch',
      scope: ctx.scope,
      args: { id: key, requests: serialized, uploadTotal, downloadTotal: opts.downloadTotal, title: opts.title, icons: opts.icons, config: ctx.explicitConfig },
    })) as Snapshot;
    return instanceFor(snapshot, ctx);
  }

  async get(id: string): Promise<BackgroundFetchRegistration | undefined> {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'get' on 'BackgroundFetchManager': 1 argument required.");
    const ctx = this.#ctx;
    if (!ctx.hasActiveWorker()) return undefined;
    const snapshot = (await ctx.send({ op: 'get', scope: ctx.scope, id: String(id) })) as Snapshot | undefined;
    return snapshot ? instanceFor(snapshot, ctx) : undefined;
  }

  async getIds(): Promise<string[]> {
    const ctx = this.#ctx;
    if (!ctx.hasActiveWorker()) return [];
    return (await ctx.send({ op: 'getIds', scope: ctx.scope })) as string[];
  }

  get [Symbol.toStringTag](): string {
    return 'BackgroundFetchManager';
  }
}
