import type { AgentEvent } from '../../shared/events.js';
import type { AgentConnection } from '../client/agent-connection.js';
import { useConnectionStore } from './connection-store.js';
import { useNodesStore } from './nodes-store.js';

/**
 * Feeds the stores from the agent: a snapshot whenever events start flowing (again) or the agent
 * becomes ready, then every pushed event. Runs for the life of the window.
 */
export function syncWithAgent({ client, transport }: AgentConnection): void {
  const connection = useConnectionStore.getState();
  const nodes = useNodesStore.getState();
  const reload = () => void nodes.load(client);

  connection.transportChosen(transport.kind, transport.endpoint);

  const applyEvent = (event: AgentEvent) => {
    switch (event.type) {
      case 'agent.state':
        connection.agentStateChanged(event.data.state);
        if (event.data.state === 'ready') reload();
        return;
      case 'node.status':
        nodes.statusReceived(event.data);
        return;
      case 'cluster.members':
        nodes.membersReceived(event.data);
        return;
    }
  };

  client.subscribe(applyEvent, (problem) =>
    console.warn(`[client] ignored an event that does not match the contract: ${problem}`),
  );
  transport.watchConnection((state) => {
    connection.connectionChanged(state);
    // Events may have been missed while the stream was down, so start again from a snapshot.
    if (state === 'live') reload();
  });
}
