import type { AgentEvent } from './events.js';
import type { RpcOutcome } from './rpc.js';

/** IPC channel names shared by main and preload. */
export const ipcChannels = {
  call: 'fleetdeck:call',
  event: 'fleetdeck:event',
  /** Main → renderer: show this fleet alert (its desktop notification was opened). */
  revealAlert: 'fleetdeck:reveal-alert',
} as const;

/**
 * The only surface the preload exposes as `window.fleetdeck`. Payloads are untrusted on both sides:
 * main validates params with the method table, the renderer validates outcomes and events.
 */
export interface FleetdeckBridge {
  call(method: string, params: unknown): Promise<RpcOutcome>;
  subscribe(listener: (event: AgentEvent) => void): () => void;
  /** Called with a fleet alert id when the user opens its desktop notification. */
  onRevealAlert(listener: (alertId: string) => void): () => void;
}
