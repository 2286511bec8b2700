import { formatUptime } from '../../format/duration.js';
import { useNow } from '../../hooks/use-now.js';

/** Ticks on from the uptime the agent reported, measured on the local clock since that report arrived. */
export function Uptime({ reportedSeconds, receivedAt }: { reportedSeconds: number; receivedAt: number }) {
  const now = useNow();
  const elapsedSeconds = Math.max(0, (now - receivedAt) / 1000);
  return <span data-testid="node-uptime">{formatUptime(reportedSeconds + elapsedSeconds)}</span>;
}
