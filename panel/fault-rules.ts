/**
 * Fault rules armed from the panel, like DevTools' request blocking: each
 * makes the next fetch whose id or a request URL contains its text end with
 * its reason. Pure: the connection sends what `toHooks` / `toNetwork` give.
 *
 * A rule's life: armed (sent to every frame's hook and, for network reasons,
 * to the background's declarativeNetRequest rules) -> used (a row reports it
 * in `injected.ruleId`; the hook has already dropped it) -> gone once that
 * row settles. The network rule outlives the hook's on purpose: fetch()
 * resolves before the browser starts the downloads the rule has to hit.
 */
import { FAILURE_REASONS, type FaultRule } from '../extension/protocol';
import type { PanelState } from './state/types';

export type FaultReason = FaultRule['reason'];


/** Matches the hook's own cap (content/hook/faults.ts). */
export const MAX_FAULT_RULES = 32;
const MAX_MATCH = 200;

export interface ArmedRule extends FaultRule {
  /** The row that used it, once one did. */
  usedBy: string | null;
}

export function armRule(rules: ArmedRule[], match: string, reason: FaultReason, id: string): ArmedRule[] | RangeError {
  const text = match.trim();
  if (!text) return new RangeError('Type part of a fetch id or request URL to match.');
  if (text.length > MAX_MATCH) return new RangeError(`Match text is limited to ${MAX_MATCH} characters.`);
  if (!FAILURE_REASONS.includes(reason)) return new RangeError(`Unknown failure reason “${reason}”.`);
  if (rules.length >= MAX_FAULT_RULES) return new RangeError(`At most ${MAX_FAULT_RULES} rules can be armed at once.`);
  return [...rules, { id, match: text, reason, usedBy: null }];
}

/**
 * Follows the rows: marks rules a fetch has used, drops them once that fetch
 * settled or its row is gone. Returns the same array when nothing changed.
 */
export function reconcileRules(rules: ArmedRule[], state: PanelState): ArmedRule[] {
  if (rules.length === 0) return rules;
  let changed = false;
  const next: ArmedRule[] = [];
  for (const rule of rules) {
    const usedBy = rule.usedBy ?? findUser(rule.id, state);
    if (usedBy !== null) {
      const row = state.rows.get(usedBy);
      if (!row || row.kind !== 'registration' || row.data.result !== '') {
        changed = true;
        continue;
      }
    }
    if (usedBy !== rule.usedBy) changed = true;
    next.push(usedBy === rule.usedBy ? rule : { ...rule, usedBy });
  }
  return changed ? next : rules;
}

function findUser(ruleId: string, state: PanelState): string | null {
  for (const key of state.order) {
    const row = state.rows.get(key);
    if (row?.kind === 'registration' && row.data.injected?.ruleId === ruleId) return key;
  }
  return null;
}

/** What each frame's hook should still be waiting to apply. */
export function toHooks(rules: ArmedRule[]): FaultRule[] {
  return rules.filter((r) => r.usedBy === null).map(({ id, match, reason }) => ({ id, match, reason }));
}

/** What the background turns into network rules: every rule until its fetch settled. */
export function toNetwork(rules: ArmedRule[]): FaultRule[] {
  return rules.map(({ id, match, reason }) => ({ id, match, reason }));
}

/** The URLs of the inspected tab's frames: the background scopes network rules to their hosts. */
export function frameUrls(state: PanelState): string[] {
  return [...state.frames.values()].map((f) => f.url);
}
