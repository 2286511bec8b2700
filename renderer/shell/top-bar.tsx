import { connectionSelectors, useConnectionStore } from '../stores/connection-store.js';
import { nodesSelectors, useNodesStore } from '../stores/nodes-store.js';
import { ConnectionIndicator } from './connection-indicator.js';

export function TopBar() {
  const self = useNodesStore(nodesSelectors.self);
  const agentState = useConnectionStore(connectionSelectors.agentState);
  // Without live events the last reported state may be stale, so it is only shown while they flow.
  const live = useConnectionStore(connectionSelectors.connection) === 'live';
  return (
    <header className="top-bar">
      <p className="top-bar-agent">
        {self ? (
          <>
            Agent <strong>{self.name}</strong>
            {live && agentState && <span className="top-bar-state">{agentState}</span>}
          </>
        ) : (
          'Agent not reached yet'
        )}
      </p>
      <ConnectionIndicator />
    </header>
  );
}
