import { formatUptime } from '../../format/duration.js';
import { useNow } from '../../hooks/use-now.js';
import { connectionSelectors, useConnectionStore } from '../../stores/connection-store.js';

/**
 * Ticks on from the uptime the agent reported, measured on the local clock since that report arrived; stops at the
 * last data while the connection is lost, since nobody knows whether the agent still runs.
 */
export function Uptime({ reportedSeconds, receivedAt }: { reportedSeconds: number; receivedAt: number }) {
  const now = useNow();
  const dataAsOf = useConnectionStore(connectionSelectors.dataAsOf);
  const elapsedSeconds = Math.max(0, ((dataAsOf ?? now) - receivedAt) / 1000);
  return <span data-testid="node-uptime">{formatUptime(reportedSeconds + elapsedSeconds)}</span>;
}
