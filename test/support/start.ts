/**
 * `npm start`: build, serve the demo, launch Chromium with the extension, a
 * fresh profile that allows background fetches, the demo open and DevTools
 * showing the Background Fetch panel. Ctrl+C stops everything.
 *
 * With no display (a server, CI), Chromium runs headless and the panel is
 * saved as a screenshot every few seconds so you can still see it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { extensionId, launchChromium, openPanel, ROOT } from './chromium';
import { buildAndServe, hasDisplay, stopOnExit } from './session';

const headless = !hasDisplay();
const server = await buildAndServe();
const chromium = await launchChromium({ headless, dock: 'bottom' });
const id = await extensionId(chromium.browser);
const page = (await chromium.browser.pages())[0] ?? (await chromium.browser.newPage());
await page.goto(`${server.origin}/`);
const { devtools } = await openPanel(page, id);
console.log(`Extension:  chrome-extension://${id}/ (loaded from dist/chrome)`);
console.log(`Profile:    ${chromium.profile} (automatic downloads allowed, so every background fetch may run)`);

let timer: ReturnType<typeof setInterval> | null = null;
if (headless) {
  const shot = join(ROOT, 'test/artifacts/start-panel.png');
  mkdirSync(join(ROOT, 'test/artifacts'), { recursive: true });
  console.log(`No display found: Chromium runs headless. The panel is saved every 3 s to ${shot}`);
  console.log('The demo page is scripted through window.demo; see test/site/README.md.');
  timer = setInterval(() => void devtools.screenshot({ path: shot }).catch(() => undefined), 3000);
} else {
  console.log('DevTools is open on the demo tab with the Background Fetch panel showing.');
}
stopOnExit(chromium.browser, async () => {
  if (timer) clearInterval(timer);
  await chromium.close();
  await server.close();
});
