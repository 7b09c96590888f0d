/**
 * What `npm start` and `npm run start:firefox` share: the build, the demo
 * server, whether there is a display, and a clean stop on Ctrl+C or when the
 * browser goes away.
 */
import { execSync } from 'node:child_process';
import type { Browser } from 'puppeteer-core';
import { startDemoServer, type DemoServer } from '../site/server';
import { ROOT } from './chromium';

export const hasDisplay = (): boolean => Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

/** Builds every target, then serves the demo on PORT (default 8787). */
export async function buildAndServe(): Promise<DemoServer> {
  console.log('Building the extension...');
  execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
  const server = await startDemoServer({ port: Number(process.env.PORT ?? 8787) });
  console.log(`Demo site:  ${server.origin}/`);
  return server;
}

/** Runs `stop` once, on Ctrl+C, SIGTERM or the browser closing, then exits. */
export function stopOnExit(browser: Browser, stop: () => Promise<void>): void {
  let stopping = false;
  const once = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping...');
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void once());
  process.on('SIGTERM', () => void once());
  browser.on('disconnected', () => void once());
  console.log('Press Ctrl+C to stop.');
}
