/** The panel's armed fault rules: kept here, reconciled with the rows, sent to the page and the background on change. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Commands } from './commands';
import { armRule, reconcileRules, toHooks, toNetwork, type ArmedRule, type FaultReason } from './fault-rules';
import type { PanelStore } from './state/store';

export interface FaultRulesApi {
  rules: ArmedRule[];
  /** Arms a rule; returns an error message when the input is refused. */
  arm(match: string, reason: FaultReason): string | null;
  remove(id: string): void;
}

export function useFaultRules(store: PanelStore, commands: Commands, version: number): FaultRulesApi {
  const [rules, setRules] = useState<ArmedRule[]>([]);
  const counter = useRef(0);
  // Rule ids must not collide with ids a previous panel used on rows the hook still reports.
  const prefix = useRef(`r${Date.now().toString(36)}-`);
  const everArmed = useRef(false);

  useEffect(() => setRules((current) => reconcileRules(current, store.state)), [version]);

  useEffect(() => {
    if (!commands || (!everArmed.current && rules.length === 0)) return;
    everArmed.current = true;
    void commands.setFaultRules(toHooks(rules), toNetwork(rules));
  }, [commands, rules]);

  return {
    rules,
    arm(match, reason) {
      const next = armRule(rules, match, reason, `${prefix.current}${++counter.current}`);
      if (next instanceof Error) return next.message;
      setRules(next);
      return null;
    },
    remove(id) {
      setRules((current) => current.filter((r) => r.id !== id));
    },
  };
}
