import type { Beat } from './heartbeats.js';
import { beatTitle, STRIP_LENGTH, stripSlots, stripSummary } from './heartbeats.js';

/**
 * Uptime Kuma's bar: one small bar per result, coloured by status, newest right, a tooltip on each. Spans, not a
 * list, since it stands inside the row's button; one image to assistive technology, named by its summary.
 */
export function HeartbeatStrip({
  beats,
  withCheck,
  testId,
}: {
  beats: readonly Beat[];
  withCheck: boolean;
  testId?: string;
}) {
  return (
    <span className="heartbeat-strip" role="img" aria-label={stripSummary(beats)} data-testid={testId}>
      {stripSlots(beats, STRIP_LENGTH).map((beat, index) =>
        beat ? (
          <span
            key={`${beat.at}-${beat.check}`}
            className={`beat beat-${beat.status}`}
            data-status={beat.status}
            title={beatTitle(beat, withCheck)}
          />
        ) : (
          // Slots before the first result: their place is fixed, so the index is their identity.
          <span key={`empty-${index}`} className="beat beat-empty" />
        ),
      )}
    </span>
  );
}
