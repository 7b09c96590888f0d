/**
 * `npx vite build -c vite.polyfill.config.ts` -> dist/polyfill/
 *   background-fetch-polyfill.js   classic IIFE for <script src> and importScripts(),
 *                                  global `BackgroundFetchPolyfill`, auto-installs
 *                                  unless self.BACKGROUND_FETCH_POLYFILL_MANUAL === true
 *   background-fetch-polyfill.mjs  ES module exporting install() etc., no side effects
 */
import { defineConfig, type Plugin } from 'vite';

/** Only the classic script installs itself; the module leaves that to its importer. */
function autoInstallInIife(): Plugin {
  return {
    name: 'background-fetch-polyfill-auto-install',
    renderChunk(code, _chunk, options) {
      if (options.format !== 'iife') return null;
      return { code: `${code}\nBackgroundFetchPolyfill.autoInstall();\n`, map: null };
    },
  };
}

export default defineConfig({
  plugins: [autoInstallInIife()],
  publicDir: false,
  build: {
    outDir: 'dist/polyfill',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: 'content/polyfill/index.ts',
      name: 'BackgroundFetchPolyfill',
      formats: ['iife', 'es'],
      fileName: (format) => (format === 'iife' ? 'background-fetch-polyfill.js' : 'background-fetch-polyfill.mjs'),
    },
  },
});
