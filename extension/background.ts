/**
 * The background worker: accepts ports only from this extension's own panel
 * and content scripts, and hands them to the router.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { PORT_PANEL_PREFIX, PORT_RELAY, type FaultRule, type PanelToBackground, type RelayToBackground } from './protocol';
import { freeRuleIds, networkRules, RULES_PER_TAB } from './network-faults';
import { networkObserver } from './network-observer';
import { Router } from './router';

const router = new Router({
  wakeRelays(tabId) {
    browser.tabs.sendMessage(tabId, { kind: 'connect' }).catch(() => undefined);
  },
  setTimeout: (fn, ms) => setTimeout(fn, ms),
});

const PANEL_URL = browser.runtime.getURL('panel/index.html');

// Network detail of background-fetch downloads, for panels showing the initiating origin.
const network = networkObserver((event) => router.fromNetwork(event));
const panels = new Set<Runtime.Port>();

function fromOurPanel(sender: Runtime.MessageSender | undefined): boolean {
  // Docked, a panel has no sender.tab; undocked, Chromium reports the DevTools
  // window as a tab with id -1 (TAB_ID_NONE). Content scripts have a real tab.
  const tabId = sender?.tab?.id ?? -1;
  return sender?.id === browser.runtime.id && tabId < 0 && typeof sender.url === 'string' && sender.url.startsWith(PANEL_URL);
}

browser.runtime.onConnect.addListener((port) => {
  const sender = port.sender;
  if (sender?.id !== browser.runtime.id) return port.disconnect();

  if (port.name.startsWith(PORT_PANEL_PREFIX)) {
    const tabId = Number(port.name.slice(PORT_PANEL_PREFIX.length));
    if (!fromOurPanel(sender) || !Number.isInteger(tabId) || tabId < 0) return port.disconnect();
    port.onMessage.addListener((message) => {
      const m = message as PanelToBackground;
      // Only our own panel gets here (checked above), so its messages are typed.
      if (m?.kind === 'network-faults') setNetworkFaults(tabId, m.frameUrls, m.rules);
      else router.fromPanel(tabId, port, m);
    });
    port.onDisconnect.addListener(() => {
      router.removePanel(tabId, port);
      panels.delete(port);
      network.setActive(panels.size > 0);
      // Armed faults are gone when the panel that armed them closes.
      setNetworkFaults(tabId, [], []);
    });
    router.addPanel(tabId, port);
    panels.add(port);
    network.setActive(true);
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
  setNetworkFaults(tabId, [], []);
});

/** Which tab owns each of our session rule ids, kept where a restarted worker finds it. */
const OWNERS_KEY = 'faultRuleOwners';
type Owners = Record<string, number>;

let faultQueue = Promise.resolve();

/** Replaces a tab's declarativeNetRequest fault rules (session rules: gone with the browser). Serialized: each update reads the last. */
function setNetworkFaults(tabId: number, frameUrls: string[], rules: FaultRule[]): void {
  faultQueue = faultQueue
    .then(() => replaceNetworkFaults(tabId, frameUrls, rules))
    .catch((error) => console.warn('Background Fetch DevTools: could not update fault rules', error));
}

async function replaceNetworkFaults(tabId: number, frameUrls: string[], rules: FaultRule[]): Promise<void> {
  const owners = ((await chrome.storage.session.get(OWNERS_KEY))[OWNERS_KEY] ?? {}) as Owners;
  const existing = (await chrome.declarativeNetRequest.getSessionRules()).map((r) => r.id);
  const mine = existing.filter((id) => owners[id] === tabId);
  if (mine.length === 0 && rules.length === 0) return;
  const others = existing.filter((id) => owners[id] !== tabId);
  const addRules = networkRules(frameUrls, rules, freeRuleIds(new Set(others), RULES_PER_TAB));
  await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: mine, addRules });
  const next: Owners = {};
  for (const id of others) if (owners[id] !== undefined) next[id] = owners[id];
  for (const rule of addRules) next[rule.id] = tabId;
  await chrome.storage.session.set({ [OWNERS_KEY]: next });
}

// The per-tab state this worker holds, for the end-to-end tests to read over
// the worker's DevTools target (pages and content scripts cannot reach it).
(globalThis as { bgfetchDevtoolsState?: unknown }).bgfetchDevtoolsState = { tabIds: () => router.tabIds() };
