import type { ConnectionState } from '../client/agent-transport.js';
import { connectionSelectors, useConnectionStore } from '../stores/connection-store.js';

const labels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  lost: 'Connection lost, retrying…',
};

/** Whether live updates reach the UI, announced politely to screen readers when it changes. */
export function ConnectionIndicator() {
  const connection = useConnectionStore(connectionSelectors.connection);
  return (
    <p className={`connection connection-${connection}`} role="status" data-testid="connection-state">
      <span className="connection-dot" aria-hidden="true" />
      {labels[connection]}
    </p>
  );
}
