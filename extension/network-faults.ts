/**
 * Failures that need the network, injected into native background fetches
 * with declarativeNetRequest session rules (measured in browser-facts.md: a
 * block rule applies to background-fetch downloads and ends the fetch in
 * `bad-status`). Rules are scoped to the inspected page's origin and to
 * requests made outside any tab (tabId -1), which is where the browser's
 * download service runs background fetches: other tabs and sites are never
 * touched. Pure, for unit tests; background.ts applies the result.
 */
import type { FaultRule } from './protocol';

/** Each tab owns a block of rule ids, so its rules can be replaced or removed alone. */
export const RULES_PER_TAB = 32;

export function ruleIdRange(tabId: number): { first: number; last: number } {
  const first = (tabId + 1) * RULES_PER_TAB;
  return { first, last: first + RULES_PER_TAB - 1 };
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

export function networkRules(tabId: number, origin: string, rules: FaultRule[]): chrome.declarativeNetRequest.Rule[] {
  let host: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return [];
    host = url.hostname;
  } catch {
    return [];
  }
  const { first } = ruleIdRange(tabId);
  return rules
    .filter((r) => r.reason === 'bad-status' && r.match.length > 0)
    .slice(0, RULES_PER_TAB)
    .map((r, i) => ({
      id: first + i,
      priority: 1,
      action: { type: 'block' as chrome.declarativeNetRequest.RuleActionType },
      condition: {
        regexFilter: escapeRegex(r.match.slice(0, 200)),
        initiatorDomains: [host],
        tabIds: [-1],
      },
    }));
}
