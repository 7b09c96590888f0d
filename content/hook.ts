/**
 * The main-world hook: runs synchronously at document_start in every frame,
 * before page scripts. Instruments Background Fetch, tracks registrations and
 * answers the panel's commands. Costs nothing on pages that never use the API:
 * it wraps two prototypes and waits; it posts nothing until a panel attaches.
 */
import { GLOBAL_HOOK_NAME, type RelayToHook, type ReplyEnvelope } from '../extension/protocol';
import { openChannel } from './hook/channel';
import { keepSettledRecords, runCommand, type CommandContext } from './hook/commands';
import { describeError } from './hook/capture';
import { discover } from './hook/discover';
import { FaultRules, type PolyfillFaults } from './hook/faults';
import { instrument, type FaultContext, type Originals } from './hook/instrument';
import { pristine } from './hook/pristine';
import { Tracker } from './hook/tracker';

/** Rediscovery while a panel is attached picks up fetches the service worker starts. */
const REDISCOVER_MS = 2000;

(() => {
  const marker = Symbol.for(GLOBAL_HOOK_NAME);
  if ((globalThis as Record<symbol, unknown>)[marker]) return; // injected twice
  pristine.defineProperty(globalThis, marker, { value: true });

  const native = typeof (globalThis as { BackgroundFetchManager?: unknown }).BackgroundFetchManager === 'function';
  const channel = openChannel(onRelayMessage);
  const tracker = new Tracker((message) => channel.post(message), native ? 'native' : 'none');
  let originals: Originals | null = null;
  const settledRecords: CommandContext['settledRecords'] = new pristine.Map();
  const faults: FaultContext = { rules: new FaultRules(), polyfill: null };
  const context = (): CommandContext => ({ tracker, originals, settledRecords, faults });
  tracker.onSettled = (key, registration) => keepSettledRecords(context(), key, registration);
  let rediscover: ReturnType<typeof setInterval> | null = null;

  function install(): void {
    const result = instrument(globalThis, tracker, faults);
    if (result.originals) originals = result.originals;
    if (result.problem) tracker.setInfo({ degraded: result.problem });
  }
  install();

  // A polyfill loaded later by the page announces itself here (like React's
  // global hook), so the same wrappers cover it.
  pristine.defineProperty(globalThis, GLOBAL_HOOK_NAME, {
    value: pristine.freeze({
      onImplementation(impl: { devtools?: PolyfillFaults } | null) {
        const api = impl?.devtools;
        if (api && typeof api.failRegistration === 'function') faults.polyfill = api;
        install();
        tracker.setInfo({ implementation: 'polyfill' });
        if (tracker.attached && originals) void discover(originals, tracker);
      },
    }),
    configurable: false,
    enumerable: false,
    writable: false,
  });

  function onRelayMessage(message: RelayToHook): void {
    if (message.kind === 'attached') {
      const attached = message.attached === true;
      tracker.setAttached(attached);
      // Armed faults live only as long as the panel that armed them.
      if (!attached) faults.rules.set([]);
      if (rediscover !== null) pristine.clearInterval(rediscover);
      rediscover = null;
      if (attached && originals) {
        const o = originals;
        void discover(o, tracker);
        rediscover = pristine.setInterval(() => void discover(o, tracker), REDISCOVER_MS);
      }
      return;
    }
    if (message.kind !== 'command') return;
    const { rid, command } = message;
    const answer = (reply: ReplyEnvelope) => channel.post(reply);
    const fail = (error: unknown) => answer({ kind: 'reply', rid, ok: false, error: describeError(error) });
    if (command.type === 'sync') {
      try {
        answer({ kind: 'reply', rid, ok: true, result: tracker.sync(command.session, command.since) });
      } catch (error) {
        fail(error);
      }
      return;
    }
    pristine.then(runCommand(command, context()), (result) => answer({ kind: 'reply', rid, ok: true, result }), fail);
  }
})();
