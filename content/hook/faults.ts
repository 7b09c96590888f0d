/**
 * Making a fetch fail on purpose, so a developer can test their handlers.
 *
 * Real wherever the engine allows: `aborted` through abort(), and
 * `download-total-exceeded` by declaring a downloadTotal of 1 byte when the
 * fetch starts (the browser then stops it for real). `bad-status` and
 * `fetch-error` are made real by the background's declarativeNetRequest
 * rules, for rules that match a request URL (extension/network-faults.ts). What cannot be
 * produced for real in the page is emulated in the page's view only: the
 * download is aborted and the registration reports the chosen reason; the
 * service worker then gets backgroundfetchabort. A polyfill that offers
 * fault injection does all five through its own code paths.
 */
import type { FaultRule, InjectedFault } from '../../extension/protocol';
import { pristine } from './pristine';

type Reason = FaultRule['reason'];

/** The polyfill's fault-injection API, when it announced one. */
export interface PolyfillFaults {
  failRegistration(swRegistration: ServiceWorkerRegistration, id: string, reason: Reason): Promise<boolean>;
  armFault(rule: { id?: string; url?: string; reason: Reason }): Promise<string>;
  disarmFault(token: string): Promise<void>;
}

/** The page's view of a registration now says it failed with `reason`. */
export function emulateFailure(registration: BackgroundFetchRegistration, reason: Reason): void {
  const own = (value: string) => ({ get: () => value, configurable: true, enumerable: false });
  pristine.defineProperty(registration, 'result', own('failure'));
  pristine.defineProperty(registration, 'failureReason', own(reason));
}

export async function failRunning(
  registration: BackgroundFetchRegistration,
  reason: Reason,
  abort: (r: BackgroundFetchRegistration) => Promise<boolean>,
  polyfill: { faults: PolyfillFaults; swRegistration: ServiceWorkerRegistration } | null,
): Promise<InjectedFault> {
  if (polyfill) {
    await polyfill.faults.failRegistration(polyfill.swRegistration, registration.id, reason);
    return { reason, simulated: false };
  }
  if (reason !== 'aborted') emulateFailure(registration, reason);
  await abort(registration);
  return { reason, simulated: reason !== 'aborted' };
}

/** Rules armed from the panel; each applies once, to the next matching fetch(). */
export class FaultRules {
  private rules: FaultRule[] = [];

  set(rules: FaultRule[]): number {
    this.rules = rules.slice(0, 32);
    return this.rules.length;
  }

  /**
   * Takes (and disarms) the first rule matching a request URL or the fetch's
   * id. `byUrl` matters: the background's network rules match URLs only.
   */
  take(id: string, urls: string[]): { rule: FaultRule; byUrl: boolean } | null {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if (!rule.match) continue;
      const byUrl = urls.some((u) => u.includes(rule.match));
      if (byUrl || id.includes(rule.match)) {
        this.rules = this.rules.filter((_, j) => j !== i);
        return { rule, byUrl };
      }
    }
    return null;
  }

  /** What a matched rule changes in the options before the real fetch() (real download-total-exceeded). */
  static adjustOptions(rule: FaultRule, options: unknown): unknown {
    if (rule.reason !== 'download-total-exceeded') return options;
    const base = options !== null && typeof options === 'object' ? options : {};
    return { ...(base as object), downloadTotal: 1 };
  }

  /**
   * Whether the reason is produced for real (here, or by the background's
   * network rule, which only sees URLs) on a native engine.
   */
  static realOnNative(reason: Reason, byUrl: boolean): boolean {
    return reason === 'aborted' || reason === 'download-total-exceeded' || (byUrl && (reason === 'bad-status' || reason === 'fetch-error'));
  }
}
