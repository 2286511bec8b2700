/**
 * Runs sandboxed with context isolation: it may only require('electron'), and it exposes exactly one
 * object, `window.fleetdeck`, with one method per message. ipcRenderer itself and the IPC event
 * (which carries `sender`) never reach the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, type FleetdeckBridge } from '../shared/bridge.js';
import type { AgentEvent } from '../shared/events.js';
import type { RpcOutcome } from '../shared/rpc.js';

export const bridge = {
  call: (method: string, params: unknown): Promise<RpcOutcome> =>
    ipcRenderer.invoke(ipcChannels.call, method, params) as Promise<RpcOutcome>,

  subscribe(listener: (event: AgentEvent) => void): () => void {
    const forward = (_event: IpcRendererEvent, payload: AgentEvent): void => listener(payload);
    ipcRenderer.on(ipcChannels.event, forward);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, forward);
    };
  },

  onRevealAlert(listener: (alertId: string) => void): () => void {
    const forward = (_event: IpcRendererEvent, alertId: unknown): void => {
      if (typeof alertId === 'string') listener(alertId);
    };
    ipcRenderer.on(ipcChannels.revealAlert, forward);
    return () => {
      ipcRenderer.removeListener(ipcChannels.revealAlert, forward);
    };
  },
} satisfies FleetdeckBridge;

contextBridge.exposeInMainWorld('fleetdeck', bridge);
