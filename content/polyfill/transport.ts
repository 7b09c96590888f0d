/**
 * Page -> service worker calls. postMessage (unlike BroadcastChannel) starts
 * a stopped worker, which is what lets any manager call resume downloads.
 */
import { reviveError } from './context';
import { MESSAGE_TAG, type Command, type Reply } from './types';

/** A worker that never answers did not importScripts() the polyfill. */
const ANSWER_TIMEOUT_MS = 20_000;

export function callWorker(registration: ServiceWorkerRegistration, command: Command): Promise<unknown> {
  const worker = registration.active;
  if (!worker) return Promise.reject(new TypeError('No active service worker on this registration.'));
  return new Promise((resolve, reject) => {
    const { port1, port2 } = new MessageChannel();
    const timer = setTimeout(() => {
      port1.close();
      reject(new TypeError('The service worker did not answer: it must load the Background Fetch polyfill with importScripts().'));
    }, ANSWER_TIMEOUT_MS);
    port1.onmessage = (e: MessageEvent<Reply>) => {
      clearTimeout(timer);
      port1.close();
      const reply = e.data;
      if (reply.ok) resolve(reply.value);
      else reject(reviveError(reply.error));
    };
    worker.postMessage({ [MESSAGE_TAG]: command }, [port2]);
  });
}
