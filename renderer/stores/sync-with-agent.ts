import type { AgentEvent } from '../../shared/events.js';
import type { AgentConnection } from '../client/agent-connection.js';
import { useClusterStore } from './cluster-store.js';
import { useConnectionStore } from './connection-store.js';
import { useNodesStore } from './nodes-store.js';
import { useServicesStore } from './services-store.js';

const RELOAD_COALESCE_MS = 300;

/**
 * Feeds the stores from the agent: a snapshot whenever events start flowing (again) or the agent
 * becomes ready, then every pushed event. Runs for the life of the window.
 */
export function syncWithAgent({ client, transport }: AgentConnection): void {
  const connection = useConnectionStore.getState();
  const nodes = useNodesStore.getState();
  const services = useServicesStore.getState();
  const cluster = useClusterStore.getState();
  // Services and resource history are fetched once their view asks; after that they are kept fresh here too.
  const reloadServices = () => {
    if (useServicesStore.getState().receivedAt !== null) void services.load(client);
  };
  // Events going live and the agent reporting ready arrive together at start: one snapshot serves both, which
  // matters with a large fleet, where every member list is a megabyte to fetch and validate.
  let lastReloadAt = -Infinity;
  const reload = () => {
    const now = Date.now();
    if (now - lastReloadAt < RELOAD_COALESCE_MS) return;
    lastReloadAt = now;
    void nodes.load(client);
    void cluster.load(client);
    if (useNodesStore.getState().resourceHistoryLoadedAt !== null) void nodes.loadResourceHistory(client);
    reloadServices();
  };

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
      case 'cluster.membersChanged':
        nodes.membersChanged(event.data);
        return;
      case 'cluster.status':
        cluster.statusReceived(event.data);
        return;
      // Status changes are pushed, but not every run's result: the list brings the latest results.
      case 'check.changed':
        services.checkChanged(event.data.serviceId, event.data.check);
        reloadServices();
        return;
      case 'supervisor.changed':
        services.supervisorChanged(event.data.serviceId, event.data.supervisor);
        reloadServices();
        return;
      case 'services.changed':
        reloadServices();
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
