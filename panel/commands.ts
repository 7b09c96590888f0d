/** The panel's way to reach a frame's hook; absent in previews and imported logs. */
import { createContext } from 'preact';
import type { PanelConnection } from './connection';

export type Commands = Pick<PanelConnection, 'command' | 'setFaultRules'> | null;

export const CommandsContext = createContext<Commands>(null);
