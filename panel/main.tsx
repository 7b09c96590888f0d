/** The panel's entry: wires the store to the extension. Everything else runs without `chrome`. */
import { render } from 'preact';
import { App } from './App';
import { PanelConnection } from './connection';
import { frameOrTimeout, PanelStore } from './state/store';

const store = new PanelStore(frameOrTimeout);
const connection = new PanelConnection(chrome.devtools.inspectedWindow.tabId, store, (name) => chrome.runtime.connect({ name }));
connection.open();
const theme = chrome.devtools.panels.themeName === 'dark' ? 'dark' : 'light';
document.documentElement.classList.add(`theme-${theme}`);
render(<App store={store} commands={connection} theme={theme} />, document.getElementById('app')!);
