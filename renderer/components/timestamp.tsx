import { formatClock, formatDateTime, isoTime } from '../format/time.js';

/** A moment shown as the time of day, with the full date on hover. */
export function Timestamp({ epochMs, testId }: { epochMs: number; testId?: string }) {
  return (
    <time dateTime={isoTime(epochMs)} title={formatDateTime(epochMs)} data-testid={testId}>
      {formatClock(epochMs)}
    </time>
  );
}
