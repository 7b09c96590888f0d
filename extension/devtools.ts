/**
 * The devtools page: registers the panel, nothing else. chrome.devtools is
 * callback-based in both Chromium and Firefox, so no promise wrapper here.
 */
chrome.devtools.panels.create('Background Fetch', '/extension/icons/icon-32.png', '/panel/index.html', () => undefined);
