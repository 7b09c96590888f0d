/**
 * The conformance suite (conformance/cases.js, modelled on WPT's
 * background-fetch tests) in real browsers: the polyfill over Chromium's
 * native API (`force`), the polyfill in Firefox ESR, and native Chromium for
 * comparison. Writes conformance-results.md; the polyfill columns must pass
 * every applicable case, the native column is informational.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_FILE, runEngine, table, type CaseResult, type Engine } from './conformance/run';

const ROOT = resolve(import.meta.dirname, '../..');
const results: Partial<Record<Engine, CaseResult[]>> = {};

describe('Background Fetch conformance', () => {
  beforeAll(async () => {
    await build({ configFile: resolve(ROOT, 'vite.polyfill.config.ts'), root: ROOT, logLevel: 'warn' });
  }, 120_000);

  afterAll(() => {
    if (Object.keys(results).length) writeFileSync(RESULTS_FILE, table(results));
  });

  it('polyfill in Chromium (native API replaced)', async () => {
    results['polyfill-chromium'] = await runEngine('polyfill-chromium');
    const failed = results['polyfill-chromium'].filter((r) => r.status === 'fail');
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
  }, 600_000);

  it('polyfill in Firefox ESR', async () => {
    results['polyfill-firefox'] = await runEngine('polyfill-firefox');
    const failed = results['polyfill-firefox'].filter((r) => r.status === 'fail');
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
  }, 600_000);

  it('native Chromium (for comparison)', async () => {
    results['native-chromium'] = await runEngine('native-chromium');
    expect(results['native-chromium'].length).toBeGreaterThan(0);
  }, 600_000);
});
