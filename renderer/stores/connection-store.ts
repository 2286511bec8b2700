import { create } from 'zustand';
import type { AgentState } from '../../shared/node.js';
import type { ConnectionState, TransportKind } from '../client/agent-transport.js';
import { fieldSelectors } from './field-selectors.js';

export interface ConnectionStoreState {
  transport: TransportKind | null;
  /** The agent's URL over HTTP, a description of the bridge over IPC. */
  endpoint: string | null;
  connection: ConnectionState;
  /** Null until the agent reports its state with an `agent.state` event. */
  agentState: AgentState | null;
  /** While the connection is lost: local time the last event arrived, so views can say how old their data is. */
  dataAsOf: number | null;
}

export interface ConnectionStoreActions {
  transportChosen(transport: TransportKind, endpoint: string): void;
  /** `lastEventAt`: local time the last event arrived before the change (null when none has). */
  connectionChanged(connection: ConnectionState, lastEventAt: number | null): void;
  agentStateChanged(agentState: AgentState): void;
  reset(): void;
}

export const initialConnectionState: ConnectionStoreState = {
  transport: null,
  endpoint: null,
  connection: 'connecting',
  agentState: null,
  dataAsOf: null,
};

/** How the UI reaches the agent and what the agent says about itself. */
export const useConnectionStore = create<ConnectionStoreState & ConnectionStoreActions>()((set) => ({
  ...initialConnectionState,
  transportChosen: (transport, endpoint) => set({ transport, endpoint }),
  connectionChanged: (connection, lastEventAt) =>
    set({ connection, dataAsOf: connection === 'lost' ? lastEventAt : null }),
  agentStateChanged: (agentState) => set({ agentState }),
  reset: () => set(initialConnectionState),
}));

export const connectionSelectors = fieldSelectors(initialConnectionState);
