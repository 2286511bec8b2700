import type { RpcTransport } from '../../shared/client.js';

export type TransportKind = 'ipc' | 'http';

/** Whether the UI currently receives the agent's live events. */
export type ConnectionState = 'connecting' | 'live' | 'lost';

/** A transport plus what the UI shows about it: how it reaches the agent and whether events flow. */
export interface AgentTransport extends RpcTransport {
  readonly kind: TransportKind;
  /** The agent's base URL over HTTP; a description of the bridge over IPC. */
  readonly endpoint: string;
  /** Calls `listener` with the current state at once and on every change. Returns an unsubscribe function. */
  watchConnection(listener: (state: ConnectionState) => void): () => void;
}
