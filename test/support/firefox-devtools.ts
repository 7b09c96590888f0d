/**
 * Opening Firefox's DevTools on a tab, showing the Background Fetch panel and
 * reading it. Firefox exposes no automation for its toolbox, so this goes
 * through the browser's own chrome window (BiDi with "moz:scope": "chrome",
 * which needs launchFirefox({ systemAccess: true })): gDevTools opens the
 * toolbox, and a frame script loaded into the panel's <browser> runs
 * functions against the panel's document. Test-only; the extension has no
 * part in it.
 */
import type { Browser, Page } from 'puppeteer-core';

const PANEL_TITLE = 'Background Fetch';

interface BidiConnection {
  send(method: string, params: unknown): Promise<{ result: Record<string, unknown> }>;
}

function bidi(browser: Browser): BidiConnection {
  return (browser as unknown as { connection: BidiConnection }).connection;
}

/** The BiDi context of Firefox's own browser window. */
async function browserWindow(browser: Browser): Promise<string> {
  const tree = await bidi(browser).send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const contexts = tree.result.contexts as { context: string; url: string }[];
  const window = contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!window) throw new Error('Firefox\'s browser window is not reachable: launch with { systemAccess: true }.');
  return window.context;
}

/** Runs `expression` (which must evaluate to a promise of a JSON string) in Firefox's browser window. */
async function inChrome<T>(browser: Browser, expression: string): Promise<T> {
  const context = await browserWindow(browser);
  const { result } = await bidi(browser).send('script.evaluate', { target: { context }, expression, awaitPromise: true });
  if (result.type !== 'success') throw new Error(`In Firefox's window: ${JSON.stringify(result.exceptionDetails)}`);
  return JSON.parse((result.result as { value: string }).value) as T;
}

/** Chrome-window source: gDevTools, and how to find our panel's <browser> in a toolbox. */
const FIND_PANEL = `
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const findPanelBrowser = (toolbox, toolId) =>
    toolbox.doc.getElementById('toolbox-panel-iframe-' + toolId)?.contentDocument?.querySelector('browser') ?? null;
`;

export interface FirefoxPanel {
  /**
   * Runs `fn(document, arg)` in the panel and returns its JSON result. `fn` is
   * sent as source (a self-contained function, or its source text when it
   * must inline other functions: the panel's CSP forbids eval).
   */
  evaluate<T>(fn: ((doc: Document, arg: unknown) => T) | string, arg?: unknown): Promise<T>;
}

/**
 * Opens the toolbox on `page`'s tab and selects the Background Fetch panel,
 * waiting until the panel's app has rendered.
 */
export async function openFirefoxPanel(browser: Browser, page: Page): Promise<FirefoxPanel> {
  await page.bringToFront();
  const url = page.url();
  const toolId = await inChrome<string>(
    browser,
    `(async () => {
      ${FIND_PANEL}
      const tab = gBrowser.selectedTab;
      if (tab.linkedBrowser.currentURI.spec !== ${JSON.stringify(url)}) throw new Error('The selected tab is ' + tab.linkedBrowser.currentURI.spec);
      const toolbox = await gDevTools.showToolboxForTab(tab);
      // The extension's devtools page registers the panel asynchronously.
      const deadline = Date.now() + 30000;
      let tool;
      while (!(tool = toolbox.getAdditionalTools().find((t) => t.label === ${JSON.stringify(PANEL_TITLE)}))) {
        if (Date.now() > deadline) throw new Error('The ${PANEL_TITLE} panel was not registered in the toolbox.');
        await new Promise((r) => setTimeout(r, 200));
      }
      await toolbox.selectTool(tool.id);
      // Frame scripts go to the process the panel's document is in, so wait for that document.
      const loaded = () => {
        const b = findPanelBrowser(toolbox, tool.id);
        return !!b && b.isRemoteBrowser && !b.webProgress?.isLoadingDocument &&
          (b.browsingContext?.currentWindowGlobal?.documentURI?.spec ?? '').startsWith('moz-extension:');
      };
      while (!loaded()) {
        if (Date.now() > deadline) throw new Error('The ${PANEL_TITLE} panel did not load.');
        await new Promise((r) => setTimeout(r, 200));
      }
      return JSON.stringify(tool.id);
    })()`,
  );
  let seq = 0;
  const panel: FirefoxPanel = {
    async evaluate(fn, arg) {
      const name = `bgf-test:${toolId}:${++seq}`;
      // The frame script's `content` is the panel's window (through Xray wrappers: DOM APIs only).
      const script = `(() => {
        let out;
        try { out = { ok: true, value: (${String(fn)})(content.document, ${JSON.stringify(arg ?? null)}) }; }
        catch (e) { out = { ok: false, error: String(e && e.message || e) }; }
        sendAsyncMessage(${JSON.stringify(name)}, JSON.stringify(out));
      })();`;
      const out = await inChrome<{ ok: true; value: unknown } | { ok: false; error: string }>(
        browser,
        `(async () => {
          ${FIND_PANEL}
          // Tool ids are unique per toolbox, so this finds our panel whichever tab is selected.
          const b = gDevTools.getToolboxes().map((t) => findPanelBrowser(t, ${JSON.stringify(toolId)})).find(Boolean);
          if (!b) throw new Error('The ${PANEL_TITLE} panel is not open.');
          return await new Promise((resolve, reject) => {
            const mm = b.messageManager;
            const timer = setTimeout(() => reject(new Error('The panel did not answer.')), 10000);
            const listener = (m) => { clearTimeout(timer); mm.removeMessageListener(${JSON.stringify(name)}, listener); resolve(m.data); };
            mm.addMessageListener(${JSON.stringify(name)}, listener);
            mm.loadFrameScript('data:,' + encodeURIComponent(${JSON.stringify(script)}), false);
          });
        })()`,
      );
      if (!out.ok) throw new Error(`In the panel: ${out.error}`);
      return out.value as never;
    },
  };
  const deadline = Date.now() + 30_000;
  const rendered = () => panel.evaluate((doc) => !!doc.querySelector('[data-testid="bgf-app"]')).catch(() => false);
  while (!(await rendered())) {
    if (Date.now() > deadline) throw new Error(`The ${PANEL_TITLE} panel did not render.`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return panel;
}

/**
 * A PNG of the whole browser window: the page with the toolbox docked under
 * it. BiDi cannot capture chrome windows, so the window paints itself
 * (drawSnapshot composites the page's and the panel's processes too).
 */
export async function screenshotWindow(browser: Browser): Promise<Buffer> {
  const dataUrl = await inChrome<string>(
    browser,
    `(async () => {
      const { innerWidth: w, innerHeight: h } = window;
      const bitmap = await window.browsingContext.currentWindowGlobal.drawSnapshot(new DOMRect(0, 0, w, h), 1, 'white');
      const canvas = document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      canvas.getContext('2d').drawImage(bitmap, 0, 0);
      return JSON.stringify(canvas.toDataURL('image/png'));
    })()`,
  );
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}
