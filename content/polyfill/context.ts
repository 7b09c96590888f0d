/**
 * What a manager and its registrations need from the realm they live in:
 * pages reach the engine by postMessage to the active worker, the worker
 * calls its engine directly.
 */
import type { Command, PolyfillConfig } from './types';

export interface ManagerContext {
  readonly scope: string;
  readonly config: PolyfillConfig;
  /** Options the realm's install() was given explicitly, forwarded to the engine. */
  readonly explicitConfig: Partial<PolyfillConfig>;
  readonly inServiceWorker: boolean;
  hasActiveWorker(): boolean;
  send(command: Command): Promise<unknown>;
}

/** Construction of the IDL classes is reserved to the polyfill. */
export const INTERNAL = Symbol('background-fetch-polyfill internal');

export function illegalConstructor(): TypeError {
  return new TypeError('Illegal constructor');
}

export function reviveError(error: { name: string; message: string }): Error {
  if (error.name === 'TypeError') return new TypeError(error.message);
  if (error.name === 'RangeError') return new RangeError(error.message);
  return new DOMException(error.message, error.name);
}

export function describe(error: unknown): { name: string; message: string } {
  const e = error as { name?: unknown; message?: unknown } | null;
  return { name: typeof e?.name === 'string' ? e.name : 'Error', message: typeof e?.message === 'string' ? e.message : String(error) };
}
