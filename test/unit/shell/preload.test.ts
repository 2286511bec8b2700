import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels, type FleetdeckBridge } from '../../../shared/bridge.js';

// The preload only runs inside Electron; here 'electron' is replaced by a recorder of what it touches.
const electron = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  return {
    exposed: new Map<string, unknown>(),
    listeners,
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, result: 42 })),
    emit(channel: string, ...args: unknown[]) {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: 'secret' }, ...args);
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      const set = electron.listeners.get(channel) ?? new Set();
      set.add(listener);
      electron.listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      electron.listeners.get(channel)?.delete(listener);
    },
  },
}));

describe('preload', () => {
  let bridge: FleetdeckBridge;
  beforeEach(async () => {
    await import('../../../electron/preload.js');
    bridge = electron.exposed.get('fleetdeck') as FleetdeckBridge;
  });

  it('exposes exactly window.fleetdeck with call, subscribe and onRevealAlert', () => {
    expect([...electron.exposed.keys()]).toEqual(['fleetdeck']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onRevealAlert', 'subscribe']);
  });

  it('onRevealAlert forwards alert ids only, without the IPC event object, and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge.onRevealAlert((...args: unknown[]) => received.push(args));
    electron.emit(ipcChannels.revealAlert, 'web-1/7');
    electron.emit(ipcChannels.revealAlert, { not: 'an id' });
    expect(received).toEqual([['web-1/7']]);
    unsubscribe();
    electron.emit(ipcChannels.revealAlert, 'web-1/8');
    expect(received).toHaveLength(1);
  });

  it('call invokes the one call channel', async () => {
    await expect(bridge.call('node.status', {})).resolves.toEqual({ ok: true, result: 42 });
    expect(electron.invoke).toHaveBeenCalledWith(ipcChannels.call, 'node.status', {});
  });

  it('subscribe forwards events without the IPC event object, and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge.subscribe((...args: unknown[]) => received.push(args));
    const event = { type: 'agent.state', data: { state: 'ready' } };
    electron.emit(ipcChannels.event, event);
    expect(received).toEqual([[event]]);
    unsubscribe();
    electron.emit(ipcChannels.event, event);
    expect(received).toHaveLength(1);
    expect(electron.listeners.get(ipcChannels.event)?.size ?? 0).toBe(0);
  });
});
