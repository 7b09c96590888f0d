/**
 * Fault injection for the DevTools extension. Faults go through the same code
 * paths real failures take, and the fetch is marked `faultInjected`.
 */
import { contextFor } from './install';
import { isFaultReason } from './state';
import { deleteFault, putFault } from './store';
import type { FaultReason } from './types';

function token(): string {
  const c = globalThis.crypto as Crypto | undefined;
  return c && typeof c.randomUUID === 'function' ? c.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export interface BackgroundFetchPolyfillDevtools {
  failRegistration(swRegistration: ServiceWorkerRegistration, id: string, reason: FaultReason): Promise<boolean>;
  armFault(fault: { id?: string; url?: string; reason: FaultReason }): Promise<string>;
  disarmFault(token: string): Promise<void>;
}

export const devtools: BackgroundFetchPolyfillDevtools = Object.freeze({
  /** Fails the ACTIVE fetch `id` now; false if there is none. */
  async failRegistration(swRegistration: ServiceWorkerRegistration, id: string, reason: FaultReason): Promise<boolean> {
    if (!isFaultReason(reason)) throw new TypeError(`Unknown failure reason: ${String(reason)}`);
    const ctx = contextFor(swRegistration);
    return (await ctx.send({ op: 'failRegistration', scope: ctx.scope, id: String(id), reason })) as boolean;
  },
  /** The next fetch whose id or a request URL contains the text takes the fault, once. */
  async armFault(fault: { id?: string; url?: string; reason: FaultReason }): Promise<string> {
    if (!fault || !isFaultReason(fault.reason)) throw new TypeError(`Unknown failure reason: ${String(fault?.reason)}`);
    const t = token();
    await putFault({
      token: t,
      reason: fault.reason,
      ...(fault.id !== undefined ? { id: String(fault.id) } : {}),
      ...(fault.url !== undefined ? { url: String(fault.url) } : {}),
    });
    return t;
  },
  async disarmFault(t: string): Promise<void> {
    await deleteFault(String(t));
  },
});
