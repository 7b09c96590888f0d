/**
 * The background worker: accepts ports only from this extension's own panel
 * and content scripts, and hands them to the router.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { PORT_PANEL_PREFIX, PORT_RELAY, type FaultRule, type PanelToBackground, type RelayToBackground } from './protocol';
import { networkRules, ruleIdRange } from './network-faults';
import { Router } from './router';

const router = new Router({
  wakeRelays(tabId) {
    browser.tabs.sendMessage(tabId, { kind: 'connect' }).catch(() => undefined);
  },
  setTimeout: (fn, ms) => setTimeout(fn, ms),
});

const PANEL_URL = browser.runtime.getURL('panel/index.html');

function fromOurPanel(sender: Runtime.MessageSender | undefined): boolean {
  return sender?.id === browser.runtime.id && !sender.tab && typeof sender.url === 'string' && sender.url.startsWith(PANEL_URL);
}

browser.runtime.onConnect.addListener((port) => {
  const sender = port.sender;
  if (sender?.id !== browser.runtime.id) return port.disconnect();

  if (port.name.startsWith(PORT_PANEL_PREFIX)) {
    const tabId = Number(port.name.slice(PORT_PANEL_PREFIX.length));
    if (!fromOurPanel(sender) || !Number.isInteger(tabId) || tabId < 0) return port.disconnect();
    port.onMessage.addListener((message) => {
      const m = message as PanelToBackground;
      if (m?.kind === 'network-faults') void setNetworkFaults(tabId, String(m.origin), Array.isArray(m.rules) ? m.rules : []);
      else router.fromPanel(tabId, port, m);
    });
    port.onDisconnect.addListener(() => {
      router.removePanel(tabId, port);
      // Armed faults are gone when the panel that armed them closes.
      void setNetworkFaults(tabId, '', []);
    });
    router.addPanel(tabId, port);
    return;
  }

  if (port.name === PORT_RELAY) {
    const tabId = sender.tab?.id;
    const frameId = sender.frameId;
    if (tabId === undefined || tabId < 0 || frameId === undefined) return port.disconnect();
    const frame = { frameId, url: String(sender.url ?? '').slice(0, 4096), documentId: (sender as { documentId?: string }).documentId };
    port.onMessage.addListener((message) => router.fromRelay(tabId, frameId, port, message as RelayToBackground));
    port.onDisconnect.addListener(() => router.removeRelay(tabId, frameId, port));
    router.addRelay(tabId, frame, port);
    return;
  }
  port.disconnect();
});

// A relay starting in a tab asks whether a panel is waiting for it. Answered
// with sendResponse: returning a promise from onMessage is not supported by
// every Chromium this runs in.
chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if ((message as { kind?: string } | null)?.kind !== 'relay-hello' || sender.id !== chrome.runtime.id) return false;
  const tabId = sender.tab?.id;
  sendResponse({ attached: tabId !== undefined && router.hasPanel(tabId) });
  return false;
});

browser.tabs.onRemoved.addListener((tabId) => {
  router.removeTab(tabId);
  void setNetworkFaults(tabId, '', []);
});

/** Replaces a tab's declarativeNetRequest fault rules (session rules: gone with the browser). */
async function setNetworkFaults(tabId: number, origin: string, rules: FaultRule[]): Promise<void> {
  const { first, last } = ruleIdRange(tabId);
  try {
    const existing = await chrome.declarativeNetRequest.getSessionRules();
    await chrome.declarativeNetRequest.updateSessionRules({
      removeRuleIds: existing.filter((r) => r.id >= first && r.id <= last).map((r) => r.id),
      addRules: networkRules(tabId, origin, rules),
    });
  } catch (error) {
    console.warn('Background Fetch DevTools: could not update fault rules', error);
  }
}

// The per-tab state this worker holds, for the end-to-end tests to read over
// the worker's DevTools target (pages and content scripts cannot reach it).
(globalThis as { bgfetchDevtoolsState?: unknown }).bgfetchDevtoolsState = { tabIds: () => router.tabIds() };
