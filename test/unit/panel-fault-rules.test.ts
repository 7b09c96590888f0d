import { describe, expect, it } from 'vitest';
import { armRule, frameUrls, MAX_FAULT_RULES, reconcileRules, toHooks, toNetwork, type ArmedRule } from '../../panel/fault-rules';
import { createState } from '../../panel/state/reduce';
import type { PanelState, RegistrationRow } from '../../panel/state/types';
import { registration } from './har-fixtures';

function withRow(state: PanelState, key: string, over: Partial<RegistrationRow['data']>): void {
  const row = {
    kind: 'registration',
    rowKey: key,
    ordinal: state.order.length,
    source: { frameId: 0, frameUrl: 'http://h/', origin: 'http://h', session: 's', hookKey: key },
    timeline: [],
    lost: false,
    previousPage: false,
    data: registration(over),
  } as RegistrationRow;
  state.rows.set(key, row);
  state.order.push(key);
}

describe('armed fault rules in the panel', () => {
  it('arms trimmed text with a known reason, and refuses empty, long, unknown or too many', () => {
    const one = armRule([], '  .mp3 ', 'bad-status', 'a');
    expect(one).toEqual([{ id: 'a', match: '.mp3', reason: 'bad-status', usedBy: null }]);
    expect(armRule([], '   ', 'aborted', 'b')).toBeInstanceOf(RangeError);
    expect(armRule([], 'x'.repeat(201), 'aborted', 'b')).toBeInstanceOf(RangeError);
    expect(armRule([], 'x', 'teapot' as never, 'b')).toBeInstanceOf(RangeError);
    const full = Array.from({ length: MAX_FAULT_RULES }, (_, i) => ({ id: `r${i}`, match: 'x', reason: 'aborted' as const, usedBy: null }));
    expect(armRule(full, 'y', 'aborted', 'z')).toBeInstanceOf(RangeError);
  });

  it('follows the rows: used by a running fetch, gone once it settles; the network keeps it until then', () => {
    const state = createState();
    const rules: ArmedRule[] = [
      { id: 'r1', match: 'a', reason: 'bad-status', usedBy: null },
      { id: 'r2', match: 'b', reason: 'quota-exceeded', usedBy: null },
    ];
    expect(reconcileRules(rules, state)).toBe(rules);
    withRow(state, 'row1', { injected: { reason: 'bad-status', simulated: false, ruleId: 'r1' } });
    const used = reconcileRules(rules, state);
    expect(used.map((r) => r.usedBy)).toEqual(['row1', null]);
    expect(toHooks(used).map((r) => r.id)).toEqual(['r2']);
    expect(toNetwork(used).map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(reconcileRules(used, state)).toBe(used);
    state.rows.set('row1', { ...(state.rows.get('row1') as RegistrationRow), data: registration({ result: 'failure', failureReason: 'bad-status' }) });
    expect(reconcileRules(used, state).map((r) => r.id)).toEqual(['r2']);
  });

  it('drops a used rule whose row was cleared', () => {
    const state = createState();
    const rules: ArmedRule[] = [{ id: 'r1', match: 'a', reason: 'aborted', usedBy: 'gone' }];
    expect(reconcileRules(rules, state)).toEqual([]);
  });

  it('scopes network rules to the URLs of the frames the panel knows', () => {
    const state = createState();
    state.frames.set(0, { frameId: 0, url: 'http://a.test/' });
    state.frames.set(3, { frameId: 3, url: 'https://b.test/frame' });
    expect(frameUrls(state)).toEqual(['http://a.test/', 'https://b.test/frame']);
  });
});
