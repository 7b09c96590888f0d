/**
 * One manifest source, two browsers. Chromium takes an MV3 service worker;
 * Firefox refuses `background.service_worker` and needs `background.scripts`.
 */
import { defineManifest } from '@crxjs/vite-plugin';
import pkg from './package.json' with { type: 'json' };

export type TargetBrowser = 'chrome' | 'firefox';

const ICONS = {
  16: 'extension/icons/icon-16.png',
  32: 'extension/icons/icon-32.png',
  48: 'extension/icons/icon-48.png',
  128: 'extension/icons/icon-128.png',
};

export function manifestFor(browser: TargetBrowser) {
  const background =
    browser === 'firefox'
      ? { scripts: ['extension/background.ts'], type: 'module' as const }
      : { service_worker: 'extension/background.ts', type: 'module' as const };
  return defineManifest({
    manifest_version: 3,
    name: 'Background Fetch DevTools',
    short_name: 'BG Fetch DevTools',
    version: pkg.version,
    description: pkg.description,
    icons: ICONS,
    devtools_page: 'extension/devtools.html',
    // Session rules that make armed bad-status and fetch-error faults real.
    // storage: which tab owns which session rule, kept across worker restarts.
    // webRequest: per-request network detail of background-fetch downloads (observe only, never blocking).
    permissions: ['declarativeNetRequest', 'storage', 'webRequest'],
    // A DNR redirect (fetch-error) is silently ignored without host access to
    // the request. The content scripts already run on every site, so this adds
    // no new install warning.
    host_permissions: ['<all_urls>'],
    background: background as chrome.runtime.ManifestV3['background'],
    content_scripts: [
      {
        // Main world, before page scripts, every frame: instruments the API.
        matches: ['<all_urls>'],
        js: ['content/hook.ts'],
        run_at: 'document_start',
        all_frames: true,
        world: 'MAIN',
      },
      {
        // Isolated world: validates and relays what the hook reports.
        matches: ['<all_urls>'],
        js: ['content/relay.ts'],
        run_at: 'document_start',
        all_frames: true,
      },
    ],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'background-fetch-devtools@bgfetch.dev',
              strict_min_version: '140.0',
              // AMO asks every new add-on to declare this; it collects nothing.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : { minimum_chrome_version: '111' }),
  });
}
