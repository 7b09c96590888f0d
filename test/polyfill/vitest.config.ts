/** `npx vitest run test/polyfill --config test/polyfill/vitest.config.ts` */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/polyfill/**/*.unit.test.ts', 'test/polyfill/**/*.e2e.test.ts'],
    environment: 'node',
    // Real browsers on a 2-core machine: one file at a time.
    fileParallelism: false,
  },
});
