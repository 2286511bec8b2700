import type { RpcTransport } from '../../shared/client.js';

export type TransportKind = 'ipc' | 'http';

/** Whether the UI currently receives the agent's live events. */
export type ConnectionState = 'connecting' | 'live' | 'lost';

/** A transport plus what the UI shows about it: how it reaches the agent and whether events flow. */
export interface AgentTransport extends RpcTransport {
  readonly kind: TransportKind;
  /** The agent's base URL over HTTP; a description of the bridge over IPC. */
  readonly endpoint: string;
  /**
   * Whether the event stream starts with the member list each time it (re)connects, as the HTTP stream does: then
   * the list is not fetched as well (at 10,000 members, a second 6 MB answer to check).
   */
  readonly membersOnConnect: boolean;
  /** Calls `listener` with the current state at once and on every change. Returns an unsubscribe function. */
  watchConnection(listener: (state: ConnectionState) => void): () => void;
}
