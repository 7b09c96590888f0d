/**
 * Finds background fetches the hook did not see start: begun before the page
 * loaded (they outlive it), before DevTools opened, or by the service worker.
 * For every service-worker registration of the page: getIds(), then get(id).
 */
import { LIMITS, type RequestData } from '../../extension/protocol';
import { cap, describeRequest } from './capture';
import type { Originals } from './instrument';
import { append, pristine } from './pristine';
import type { Tracker } from './tracker';

export async function discover(originals: Originals, tracker: Tracker): Promise<void> {
  const container = pristine.serviceWorker?.(navigator) as ServiceWorkerContainer | null | undefined;
  if (!container || !pristine.swGetRegistrations) return;
  let registrations: readonly ServiceWorkerRegistration[];
  try {
    registrations = await pristine.swGetRegistrations(container);
  } catch {
    return; // opaque origins and sandboxed frames have no service workers
  }
  for (const swRegistration of registrations) {
    try {
      const manager = originals.managerOf(swRegistration);
      if (!manager) continue;
      const scope = cap(pristine.registrationScope?.(swRegistration) ?? '');
      const ids = await originals.getIds(manager);
      for (const id of ids) {
        const registration = await originals.get(manager, id);
        if (!registration) continue;
        const { key, isNew } = tracker.track(registration, scope, null);
        if (isNew) void describeRecords(originals, tracker, key, registration);
      }
    } catch {
      /* one broken registration must not hide the others */
    }
  }
}

/** A discovered fetch's requests, read back from its records. */
async function describeRecords(
  originals: Originals,
  tracker: Tracker,
  key: string,
  registration: BackgroundFetchRegistration,
): Promise<void> {
  try {
    const records = await originals.matchAll(registration);
    const requests: RequestData[] = [];
    for (let i = 0; i < records.length && i < LIMITS.requests; i++) {
      // Bodies of recorded requests are not exposed again: size unknown.
      append(requests, { ...describeRequest(records[i]!.request).data, bodySize: null });
    }
    tracker.describeRequests(key, requests, records.length);
  } catch {
    /* records may already be unavailable */
  }
}
