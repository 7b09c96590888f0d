/**
 * `npm run start:firefox`: build, serve the demo, launch Firefox ESR with
 * dist/firefox installed as a temporary add-on, the demo open (it runs on the
 * polyfill: Firefox has no Background Fetch) and DevTools showing the
 * Background Fetch panel. Ctrl+C stops everything.
 *
 * With no display, Firefox runs headless and the window (page and panel) is
 * saved as a screenshot every few seconds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './chromium';
import { launchFirefox } from './firefox';
import { openFirefoxPanel, screenshotWindow } from './firefox-devtools';
import { buildAndServe, hasDisplay, stopOnExit } from './session';

const headless = !hasDisplay();
const server = await buildAndServe();
// System access is what lets this script open the toolbox on the panel.
const firefox = await launchFirefox({ headless, systemAccess: true }).catch(async (error: Error) => {
  console.error(`Firefox did not start: ${error.message}`);
  if (!headless) console.error('A display is set but unusable? Unset DISPLAY and WAYLAND_DISPLAY to run Firefox headless.');
  await server.close();
  process.exit(1);
});
const page = (await firefox.browser.pages())[0] ?? (await firefox.browser.newPage());
await page.goto(`${server.origin}/`);
const implementation = await page.evaluate(() =>
  (window as unknown as { demo: { ready: Promise<unknown>; implementation: string } }).demo.ready.then(
    () => (window as unknown as { demo: { implementation: string } }).demo.implementation,
  ),
);
await openFirefoxPanel(firefox.browser, page);
console.log(`Extension:  ${firefox.extensionOrigin}/ (dist/firefox, a temporary add-on: gone when Firefox closes)`);
console.log(`Background Fetch on the demo: ${implementation}`);

let timer: ReturnType<typeof setInterval> | null = null;
if (headless) {
  const shot = join(ROOT, 'test/artifacts/start-firefox.png');
  mkdirSync(join(ROOT, 'test/artifacts'), { recursive: true });
  console.log(`No display found: Firefox runs headless. The window is saved every 3 s to ${shot}`);
  console.log('The demo page is scripted through window.demo; see test/site/README.md.');
  const save = () =>
    void screenshotWindow(firefox.browser)
      .then((png) => writeFileSync(shot, png))
      .catch(() => undefined);
  save();
  timer = setInterval(save, 3000);
} else {
  console.log('DevTools is open on the demo tab with the Background Fetch panel showing.');
}
stopOnExit(firefox.browser, async () => {
  if (timer) clearInterval(timer);
  await firefox.close();
  await server.close();
});
