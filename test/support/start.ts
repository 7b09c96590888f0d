/**
 * `npm start`: build, serve the demo, launch Chromium with the extension, a
 * fresh profile that allows background fetches, the demo open and DevTools
 * showing the Background Fetch panel. Ctrl+C stops everything.
 *
 * With no display (a server, CI), Chromium runs headless and the panel is
 * saved as a screenshot every few seconds so you can still see it.
 */
import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDemoServer } from '../site/server';
import { extensionId, launchChromium, openPanel, ROOT } from './chromium';

const port = Number(process.env.PORT ?? 8787);
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

console.log('Building the extension...');
execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });

const server = await startDemoServer({ port });
console.log(`Demo site:  ${server.origin}/`);
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
console.log('Press Ctrl+C to stop.');

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (timer) clearInterval(timer);
  console.log('\nStopping...');
  await chromium.close();
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
chromium.browser.on('disconnected', () => void stop());
