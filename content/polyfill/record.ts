/**
 * BackgroundFetchRecord: a request, and a response that is ready once its
 * headers arrived (its body keeps streaming from Cache Storage while the
 * record downloads).
 */
import { bodyError, readBody } from './bodies';
import { INTERNAL, illegalConstructor } from './context';
import { getFetch } from './store';
import type { FetchState, RecordState, ResponseMeta } from './types';

const POLL_MS = 100;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class BackgroundFetchRecord {
  #request: Request;
  #responseReady: Promise<Response>;

  constructor(token: typeof INTERNAL, request: Request, responseReady: Promise<Response>) {
    if (token !== INTERNAL) throw illegalConstructor();
    this.#request = request;
    this.#responseReady = responseReady;
  }

  get request(): Request {
    return this.#request;
  }

  get responseReady(): Promise<Response> {
    return this.#responseReady;
  }

  get [Symbol.toStringTag](): string {
    return 'BackgroundFetchRecord';
  }
}

export function requestFromRecord(record: RecordState): Request {
  const r = record.request;
  const init: RequestInit = {
    method: r.method,
    headers: r.headers,
    mode: r.mode === 'navigate' ? 'same-origin' : r.mode,
    credentials: r.credentials,
    cache: r.cache,
    redirect: r.redirect,
    referrerPolicy: r.referrerPolicy,
    integrity: r.integrity,
  };
  if (r.body && r.method !== 'GET' && r.method !== 'HEAD') init.body = r.body.slice(0);
  return new Request(r.url, init);
}

function exposedResponse(meta: ResponseMeta, body: ReadableStream<Uint8Array>): Response {
  // The stored body is the whole resource, so the range and length headers
  // of the (possibly resumed) transfer no longer describe it.
  const headers = new Headers(meta.headers.filter(([k]) => !/^content-(range|length)$/i.test(k)));
  const status = meta.status >= 200 && meta.status <= 599 ? meta.status : 200;
  const response = new Response(NULL_BODY_STATUS.has(status) ? null : body, { status, statusText: meta.statusText, headers });
  // Response's constructor cannot set these; own properties shadow the getters.
  Object.defineProperty(response, 'url', { value: meta.url, enumerable: true });
  if (meta.type === 'cors' || meta.type === 'basic') Object.defineProperty(response, 'type', { value: meta.type, enumerable: true });
  return response;
}

export function createRecord(uid: string, index: number, initial: RecordState): BackgroundFetchRecord {
  const load = async (): Promise<{ state: FetchState | undefined; record: RecordState | undefined }> => {
    const state = await getFetch(uid);
    return { state, record: state?.records[index] };
  };
  const responseReady = (async () => {
    for (;;) {
      const { state, record } = await load();
      if (!state || !record) throw new TypeError('The background fetch no longer exists.');
      if (record.result === 'aborted') {
        // Chromium rejects every incomplete record of an aborted fetch, even one whose headers arrived.
        throw new DOMException('The background fetch was aborted before this record completed.', 'AbortError');
      }
      if (record.response) {
        const body = readBody(
          uid,
          index,
          async () => {
            const l = await load();
            return { record: l.record, available: !!l.state?.recordsAvailable };
          },
          () => sleep(POLL_MS),
        );
        return exposedResponse(record.response, body);
      }
      if (record.result !== '') throw bodyError(record.result) ?? new TypeError('The record has no response.');
      await sleep(POLL_MS);
    }
  })();
  // Unobserved rejections of records nobody reads are not errors of the page.
  responseReady.catch(() => undefined);
  return new BackgroundFetchRecord(INTERNAL, requestFromRecord(initial), responseReady);
}
