/**
 * The panel's commands, carried out in the page's realm. They arrive only
 * over the hook's private port from the relay, which gets them only from the
 * background, which takes them only from the extension's own panel: a page
 * cannot issue them (and could only do to itself what they do anyway).
 */
import {
  LIMITS,
  type BodyPreview,
  type HookCommand,
  type RecordData,
  type ReplayEdits,
  type RequestData,
  type ReplayResult,
} from '../../extension/protocol';
import { cap, describeError, describeRequest } from './capture';
import { swRegistrationFor, type FaultContext, type Originals } from './instrument';
import { failRunning } from './faults';
import { append, pristine } from './pristine';
import type { Tracker } from './tracker';

export interface CommandContext {
  tracker: Tracker;
  originals: Originals | null;
  /** Record metadata read when each fetch settled, for after records become unavailable. */
  settledRecords: Map<string, KeptRecords>;
  faults: FaultContext;
}

class CommandError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export async function runCommand(command: Exclude<HookCommand, { type: 'sync' }>, ctx: CommandContext): Promise<unknown> {
  const originals = ctx.originals;
  if (!originals) throw new CommandError('NotSupportedError', 'Background Fetch is not instrumented in this frame.');
  switch (command.type) {
    case 'abort':
      return originals.abort(registrationOf(ctx, command.key));
    case 'records': {
      const registration = registrationOf(ctx, command.key);
      try {
        return { live: true, records: (await readRecords(ctx, originals, command.key, registration)).records };
      } catch (error) {
        // After the service worker's event, records are gone for good; what
        // was read at settle time is all there is.
        const kept = pristine.mapGet(ctx.settledRecords, command.key) as KeptRecords | undefined;
        if (kept) return { live: false, records: kept.records };
        throw error;
      }
    }
    case 'body':
      return body(await responseAt(ctx, originals, command.key, command.index), command.maxBytes);
    case 'save-body':
      return saveBody(await responseAt(ctx, originals, command.key, command.index), command.index);
    case 'replay':
      return replay(ctx, originals, command.key, command.edits ?? {});
    case 'fail': {
      const registration = registrationOf(ctx, command.key);
      if (registration.result !== '') throw new CommandError('InvalidStateError', 'This fetch has already settled.');
      const polyfill = ctx.faults.polyfill;
      const sw = polyfill ? await swRegistrationFor(ctx.tracker.scopeOf(command.key)) : null;
      const injected = await failRunning(registration, command.reason, originals.abort, polyfill && sw ? { faults: polyfill, swRegistration: sw } : null);
      ctx.tracker.markInjected(command.key, injected);
      return injected;
    }
    case 'set-fault-rules':
      return ctx.faults.rules.set(command.rules);
  }
}

function registrationOf(ctx: CommandContext, key: string): BackgroundFetchRegistration {
  const registration = ctx.tracker.registrationOf(key);
  if (!registration) throw new CommandError('NotFoundError', 'The page no longer has this registration.');
  return registration;
}

const sleep = (ms: number) => new Promise<null>((resolve) => pristine.setTimeout(() => resolve(null), ms));

/**
 * Records as read at settle time: their metadata, and the responses
 * themselves so bodies stay readable after `recordsAvailable` turns false.
 * The responses are never read, only cloned: Chromium's are blob-backed, so a
 * clone is a second handle on the stored body, not a copy in memory.
 */
export interface KeptRecords {
  records: RecordData[];
  responses: (Response | null)[];
}

/** Keeps the records of a settling fetch, bounded to the most recent fetches. */
export function keepSettledRecords(ctx: CommandContext, key: string, registration: BackgroundFetchRegistration): void {
  const originals = ctx.originals;
  if (!originals) return;
  pristine.then(
    readRecords(ctx, originals, key, registration),
    (list) => {
      if (ctx.settledRecords.size >= LIMITS.snapshotRegistrations) {
        const oldest = ctx.settledRecords.keys().next().value;
        if (oldest !== undefined) pristine.mapDelete(ctx.settledRecords, oldest);
      }
      pristine.mapSet(ctx.settledRecords, key, list);
    },
    () => undefined,
  );
}

/**
 * Records in the order of the requests given to fetch(), which is what their
 * index means everywhere else (the panel's #n, HAR entries, body commands).
 * The spec's matchAll() keeps that order; Chromium's returns records in the
 * order they finished (seen: a 512-byte image before the 4 KB feed requested
 * first). Each request takes the first record left with its method and URL;
 * records matching none, as for a fetch only discovered, follow in
 * matchAll()'s order.
 */
export function inRequestOrder<T extends { request: Request }>(records: readonly T[], requests: readonly RequestData[]): T[] {
  const taken: boolean[] = [];
  const out: T[] = [];
  // Indexed loops: the page may have replaced the array iterator.
  for (let r = 0; r < requests.length; r++) {
    const wanted = requests[r]!;
    for (let i = 0; i < records.length; i++) {
      const request = records[i]!.request;
      if (taken[i] || request.url !== wanted.url || request.method !== wanted.method) continue;
      taken[i] = true;
      append(out, records[i]!);
      break;
    }
  }
  for (let i = 0; i < records.length; i++) if (!taken[i]) append(out, records[i]!);
  return out;
}

async function matchAllInOrder(ctx: CommandContext, originals: Originals, key: string, registration: BackgroundFetchRegistration): Promise<BackgroundFetchRecord[]> {
  return inRequestOrder(await originals.matchAll(registration), ctx.tracker.requestsOf(key));
}

async function readRecords(ctx: CommandContext, originals: Originals, key: string, registration: BackgroundFetchRegistration): Promise<KeptRecords> {
  const list = await matchAllInOrder(ctx, originals, key, registration);
  const out: RecordData[] = [];
  const responses: (Response | null)[] = [];
  for (let index = 0; index < list.length && index < LIMITS.requests; index++) {
    const record = list[index]!;
    const request = { ...describeRequest(record.request).data, bodySize: null };
    // A record still downloading has no response yet: report it as pending.
    const settled = await pristine.race<{ response?: Response; error?: unknown } | null>([
      pristine.then(record.responseReady, (response) => ({ response }), (error) => ({ error })) as Promise<{ response?: Response; error?: unknown }>,
      sleep(50),
    ]);
    append(responses, settled?.response ?? null);
    if (!settled) {
      append(out, { index, request, state: 'pending', response: null, error: null });
    } else if (settled.response) {
      const r = settled.response;
      const headers: [string, string][] = [];
      for (const [name, value] of r.headers) if (headers.length < LIMITS.headers) append(headers, [cap(name, 256), cap(value)]);
      append(out, {
        index,
        request,
        state: 'ready',
        response: { status: r.status, statusText: cap(r.statusText, 256), type: cap(r.type, 32), url: cap(r.url), headers },
        error: null,
      });
    } else {
      append(out, { index, request, state: 'failed', response: null, error: describeError(settled.error) });
    }
  }
  return { records: out, responses };
}

/**
 * A response nobody else reads: from a fresh record while records are
 * available, else a clone of the one kept at settle time.
 */
async function responseAt(ctx: CommandContext, originals: Originals, key: string, index: number): Promise<Response> {
  const registration = registrationOf(ctx, key);
  let list: readonly BackgroundFetchRecord[];
  try {
    list = await matchAllInOrder(ctx, originals, key, registration);
  } catch (error) {
    const kept = (pristine.mapGet(ctx.settledRecords, key) as KeptRecords | undefined)?.responses[index];
    if (kept) return kept.clone();
    throw error;
  }
  const record = list[index];
  if (!record) throw new CommandError('NotFoundError', `There is no record #${index}.`);
  return record.responseReady;
}

const TEXTUAL = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|image\/svg\+xml)|\+json|\+xml/i;

async function body(response: Response, maxBytes: number): Promise<BodyPreview> {
  const limit = Math.max(0, Math.min(maxBytes, LIMITS.responsePreview));
  const contentType = cap(response.headers.get('content-type') ?? '', 256);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let truncated = false;
  const reader = response.body?.getReader();
  if (reader) {
    // Streamed and capped: a 500 MB podcast costs at most `limit` bytes here.
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limit - bytes;
      if (value.byteLength > room) {
        append(chunks, value.subarray(0, room));
        bytes += room;
        truncated = true;
        void reader.cancel().catch(() => undefined);
        break;
      }
      append(chunks, value);
      bytes += value.byteLength;
    }
  }
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  if (TEXTUAL.test(contentType)) {
    return { contentType, encoding: 'text', data: new pristine.TextDecoder().decode(all), bytes, truncated };
  }
  let binary = '';
  for (let i = 0; i < all.length; i += 0x8000) binary += String.fromCharCode(...all.subarray(i, i + 0x8000));
  return { contentType, encoding: 'base64', data: btoa(binary), bytes, truncated };
}

async function saveBody(response: Response, index: number): Promise<{ filename: string; bytes: number }> {
  const blob = await response.blob();
  let filename = 'response';
  try {
    filename = decodeURIComponent(new URL(response.url).pathname.split('/').pop() || '') || `record-${index}`;
  } catch {
    filename = `record-${index}`;
  }
  filename = filename.replace(/[^\w.\-]+/g, '_').slice(0, 120);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.click();
  pristine.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { filename, bytes: blob.size };
}

const BODYLESS = ['GET', 'HEAD'];

async function replay(ctx: CommandContext, originals: Originals, key: string, edits: ReplayEdits): Promise<ReplayResult> {
  const call = ctx.tracker.callOf(key);
  if (!call) throw new CommandError('NotFoundError', 'The page no longer knows this fetch.');
  const manager = await managerFor(originals, call.scope);
  const requests: Request[] = [];
  for (let i = 0; i < call.requests.length; i++) {
    const r = call.requests[i]!;
    const edit = edits.requests?.[i];
    const hasBody = !BODYLESS.includes(r.method.toUpperCase());
    const bytes = call.bodies[i] ?? null;
    if (hasBody && r.bodySize !== 0 && !bytes) {
      throw new CommandError(
        'NotSupportedError',
        `Request #${i + 1} (${r.method} ${r.url}) had a body that was not captured (too large, or the fetch started before the hook saw it); replaying it would send something else.`,
      );
    }
    const mode = r.mode === 'same-origin' || r.mode === 'cors' ? r.mode : undefined;
    const credentials = r.credentials === 'omit' || r.credentials === 'include' || r.credentials === 'same-origin' ? r.credentials : undefined;
    append(
      requests,
      new pristine.Request(edit?.url ?? r.url, {
        method: r.method,
        headers: edit?.headers ?? r.headers,
        body: hasBody ? bytes : undefined,
        mode,
        credentials,
      }),
    );
  }
  const id = edits.id ?? (await freeId(originals, manager, call.id));
  const downloadTotal = edits.downloadTotal ?? call.options.downloadTotal;
  // Through the instrumented fetch(), so the replay is tracked like any call.
  const registration = await manager.fetch(id, requests, { title: call.options.title, icons: call.options.icons, downloadTotal });
  return { key: ctx.tracker.track(registration, call.scope, null).key, id };
}

/** The original id if no active fetch holds it, else "<id> (replay N)". */
async function freeId(originals: Originals, manager: BackgroundFetchManager, id: string): Promise<string> {
  const taken = await originals.getIds(manager);
  if (!taken.includes(id)) return id;
  for (let n = 2; ; n++) {
    const candidate = `${id} (replay ${n})`;
    if (!taken.includes(candidate)) return candidate;
  }
}

async function managerFor(originals: Originals, scope: string): Promise<BackgroundFetchManager> {
  const reg = await swRegistrationFor(scope);
  const manager = reg ? originals.managerOf(reg) : null;
  if (!manager) throw new CommandError('NotFoundError', `No service worker registration with scope ${scope} in this page.`);
  return manager;
}
