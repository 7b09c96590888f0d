/** The panel's entry: wires the store to the extension. Everything else runs without `chrome`. */
import { render } from 'preact';
import { App } from './App';
import { PanelConnection } from './connection';
import { frameOrTimeout, PanelStore } from './state/store';

const store = new PanelStore(frameOrTimeout);
const connection = new PanelConnection(chrome.devtools.inspectedWindow.tabId, store, (name) => chrome.runtime.connect({ name }));
connection.open();
const dark = chrome.devtools.panels.themeName === 'dark';
document.documentElement.classList.add(dark ? 'theme-dark' : 'theme-light');
render(<App store={store} commands={connection} />, document.getElementById('app')!);
