import { FleetdeckClient } from '../../shared/client.js';
import type { AgentTransport } from './agent-transport.js';
import { createHttpTransport } from './http-transport.js';
import { createIpcTransport } from './ipc-transport.js';

export interface AgentConnection {
  readonly client: FleetdeckClient;
  readonly transport: AgentTransport;
}

/**
 * IPC inside Electron (the preload bridge is there), otherwise HTTP to the agent that served this page;
 * `onSessionLost` (HTTP only) is told when the agent needs this browser to log in again.
 */
export function connectToAgent(onSessionLost?: () => void): AgentConnection {
  const transport = window.fleetdeck
    ? createIpcTransport(window.fleetdeck)
    : createHttpTransport(location.origin, onSessionLost);
  return { client: new FleetdeckClient(transport), transport };
}
