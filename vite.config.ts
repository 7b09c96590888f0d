/**
 * `vite build --mode chrome` -> dist/chrome, `--mode firefox` -> dist/firefox.
 * Production builds only: crxjs dev builds expose every file to every site.
 */
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { manifestFor, type TargetBrowser } from './manifest.config';

export default defineConfig(({ mode }) => {
  const browser: TargetBrowser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [
      preact(),
      crx({
        manifest: manifestFor(browser),
        browser,
        // Both must run synchronously at document_start, before page scripts.
        contentScripts: { standaloneFiles: ['content/hook.ts', 'content/relay.ts'] },
      }),
    ],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      sourcemap: false,
      rollupOptions: { input: { panel: 'panel/index.html' } },
    },
  };
});
