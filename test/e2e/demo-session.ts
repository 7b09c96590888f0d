/**
 * What most end-to-end files share: one demo server and one Chromium with the
 * built extension for the whole file, and tabs opened on the demo, ready.
 * Call at the top level of a test file; the fields are set in its beforeAll.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { startDemoServer } from '../site/server';
import { extensionId, launchChromium, type Launched } from '../support/chromium';
import { demoReady, startDemo, swEvent } from './panel-driver';

export interface DemoSession {
  chromium: Launched;
  server: Awaited<ReturnType<typeof startDemoServer>>;
  extId: string;
  /** A new tab on the demo (or another of its paths), its service worker ready. */
  demoTab(path?: string): Promise<Page>;
}

export function useDemoSession(opts: { warmUp?: boolean } = {}): DemoSession {
  const session = {
    async demoTab(path = '/') {
      const page = await session.chromium.browser.newPage();
      await page.goto(`${session.server.origin}${path}`);
      await demoReady(page);
      return page;
    },
  } as DemoSession;
  beforeAll(async () => {
    session.server = await startDemoServer({ port: 0 });
    session.chromium = await launchChromium();
    session.extId = await extensionId(session.chromium.browser);
    if (opts.warmUp) {
      // The first background fetch of a fresh profile waits ~4 s for the
      // download service; warm it up once so the tests measure the panel.
      const warm = await session.demoTab();
      await startDemo(warm, 'small', { id: 'warm-up' });
      await swEvent(warm, 'warm-up');
      await warm.close();
    }
  });
  afterAll(async () => {
    await session.chromium?.close();
    await session.server?.close();
  });
  return session;
}
