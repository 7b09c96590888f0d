/**
 * Real network faults for NATIVE background fetches, made with
 * declarativeNetRequest (DNR) session rules. The page's service worker then
 * gets the browser's own `backgroundfetchfail` event with the genuine
 * `failureReason`: nothing is simulated in the page.
 *
 * Measured on headless Chromium 156 with a lab extension, a loopback server
 * and puppeteer. Background-fetch downloads run in the browser's download
 * service, outside any tab; DNR sees them with tabId -1, resource type
 * "other" and the page's origin as initiator:
 *
 * - `bad-status`: a `block` rule. The download ends with
 *   net::ERR_BLOCKED_BY_CLIENT; Chromium still records the request's URL, so
 *   the record is stored as a status-0 response (type "error", readable) and
 *   the fetch fails with `bad-status`, not `fetch-error`.
 * - `fetch-error`: a `redirect` rule to a `data:` URL. Chromium marks a record
 *   `fetch-error` when the final URL of its chain is cross-origin without an
 *   Access-Control-Allow-Origin header, and a `data:` URL is cross-origin to
 *   every page. The download service never loads it, so no request leaves the
 *   machine and no server is needed; `responseReady` rejects. (Redirecting to
 *   a real cross-origin URL also works but needs a server that answers without
 *   CORS; `http://127.0.0.1:1/` is refused as an unsafe port and leaves the
 *   fetch hanging; an `extensionPath` redirect needs web_accessible_resources;
 *   response-header tricks such as a bogus `content-encoding` make the
 *   download service retry about 20 s later on a path DNR does not see, and
 *   the retry succeeds.)
 *
 * Permissions: `block` works with the `declarativeNetRequest` permission
 * alone. The `redirect` needs host access: without any host permission
 * Chromium accepts the rule and silently never applies it (the fetch
 * succeeds). A host permission for the page's host was enough when the
 * requests were same-origin (DNR wants access to the request URL and, for
 * requests outside frames, to the initiator).
 *
 * Not here: `aborted` and `download-total-exceeded` are made real in the
 * page (abort(), a 1-byte downloadTotal: content/hook/faults.ts).
 * `quota-exceeded` has no DNR route; chrome.debugger with CDP
 * Storage.overrideQuotaForOrigin works, but the debugger permission puts a
 * "started debugging this browser" bar on every window, so it stays emulated.
 *
 * Rules are evaluated when a request starts: Chromium runs up to two requests
 * of a registration at once, so a rule armed mid-fetch only hits requests not
 * started yet. Armed rules match a plain substring of the URL, like the
 * hook's; the panel removes a rule once a fetch has used it.
 *
 * Pure; background.ts applies the result.
 */
import type { FaultRule } from './protocol';
import { httpUrl } from './urls';

/** Reasons a network rule can make real. */
export type NetworkFaultReason = 'bad-status' | 'fetch-error';

function isNetworkReason(reason: FaultRule['reason']): reason is NetworkFaultReason {
  return reason === 'bad-status' || reason === 'fetch-error';
}

type Rule = chrome.declarativeNetRequest.Rule;
type RuleAction = chrome.declarativeNetRequest.RuleAction;

/**
 * Redirect target for `fetch-error`: any `data:` URL is cross-origin to the
 * page and is never fetched. The text only makes the rule recognisable.
 */
export const FETCH_ERROR_URL = 'data:,background-fetch-devtools-fault';

/** Requests made outside any tab: where Chromium's download service runs background fetches. */
const NO_TAB = -1;

/** Rules one tab may arm at once (the panel arms at most as many). */
export const RULES_PER_TAB = 32;

/**
 * The `count` smallest rule ids not in `taken`. Ids cannot be derived from
 * tab ids: those exceed the 32-bit integers DNR accepts.
 */
export function freeRuleIds(taken: Set<number>, count: number): number[] {
  const ids: number[] = [];
  for (let id = 1; ids.length < count; id++) if (!taken.has(id)) ids.push(id);
  return ids;
}

/** Longest URL text a rule matches; DNR caps the memory of a regexFilter. */
const MAX_MATCH = 200;

/**
 * The hosts DNR can scope rules to, from the URLs of the inspected tab's
 * frames (a cross-origin iframe's fetches carry its own origin as initiator).
 * WHATWG URL gives hosts lowercased and punycoded, as DNR wants them. DNR
 * domain conditions carry no scheme or port, so other origins on the same
 * host are matched too: the narrowest scope DNR offers.
 */
export function pageHosts(frameUrls: string[]): string[] {
  const hosts = new Set<string>();
  for (const frameUrl of frameUrls) {
    // Pages that are not http(s) (about:blank, data:) cannot start background fetches.
    const url = httpUrl(frameUrl);
    if (url) hosts.add(url.hostname);
  }
  return [...hosts];
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function actionFor(reason: NetworkFaultReason): RuleAction {
  switch (reason) {
    case 'bad-status':
      return { type: 'block' as chrome.declarativeNetRequest.RuleActionType };
    case 'fetch-error':
      return { type: 'redirect' as chrome.declarativeNetRequest.RuleActionType, redirect: { url: FETCH_ERROR_URL } };
  }
}

/**
 * The session rule that makes one armed fault real: background-fetch
 * requests of the page's host whose URL contains `match` end with `reason`.
 * Throws RangeError on input DNR would refuse, so a bad rule never takes the
 * other rules of the same update down with it.
 */
export function buildFaultRule(fault: { reason: NetworkFaultReason; hosts: string[]; match: string; ruleId: number }): Rule {
  if (!Number.isInteger(fault.ruleId) || fault.ruleId < 1) {
    throw new RangeError(`DNR rule ids are integers >= 1, got ${fault.ruleId}`);
  }
  if (!isNetworkReason(fault.reason)) throw new RangeError(`no DNR mechanism for ${JSON.stringify(fault.reason)}`);
  if (fault.match.length === 0) throw new RangeError('an empty match would fail every request');
  if (fault.hosts.length === 0) throw new RangeError('no http(s) page to scope the rule to');
  return {
    id: fault.ruleId,
    priority: 1,
    action: actionFor(fault.reason),
    condition: {
      regexFilter: escapeRegex(fault.match.slice(0, MAX_MATCH)),
      // All three matched background-fetch downloads in the lab, and together
      // keep the rule off every tab (a page's own fetch() carries its tab
      // id), off other sites, and off the service worker's own fetch() calls
      // (tabId -1 too, but type xmlhttprequest).
      tabIds: [NO_TAB],
      initiatorDomains: fault.hosts,
      resourceTypes: ['other' as chrome.declarativeNetRequest.ResourceType],
    },
  };
}

/**
 * A tab's session rules for its armed faults, numbered from `ids` (which
 * also caps how many); rules with no network route or bad input are left to
 * the hook.
 */
export function networkRules(frameUrls: string[], rules: FaultRule[], ids: number[]): Rule[] {
  const hosts = pageHosts(frameUrls);
  const out: Rule[] = [];
  for (const rule of rules) {
    if (out.length === ids.length || !isNetworkReason(rule.reason)) continue;
    try {
      out.push(buildFaultRule({ reason: rule.reason, hosts, match: rule.match, ruleId: ids[out.length]! }));
    } catch {
      // Not applicable to this page (no http origin, empty match): the hook still emulates it.
    }
  }
  return out;
}
