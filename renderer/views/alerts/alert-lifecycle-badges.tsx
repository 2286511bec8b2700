import type { Alert } from '../../../shared/alerts.js';
import { StateBadge } from '../../components/state-badge.js';
import { Timestamp } from '../../components/timestamp.js';

/** Who acknowledged the alert (and until when), and whether a silence or maintenance window covers it. */
export function AlertLifecycleBadges({ alert }: { alert: Alert }) {
  const ack = alert.acknowledged;
  return (
    <>
      {ack && (
        <span className="alert-ack" data-testid="alert-ack">
          <StateBadge kind="alert-ack" state="acknowledged" tone="working">
            Acknowledged
          </StateBadge>{' '}
          <span className="muted">
            by {ack.by}
            {ack.untilMs !== null && (
              <>
                {' '}
                until <Timestamp epochMs={ack.untilMs} />
              </>
            )}
          </span>
        </span>
      )}
      {alert.silenced && (
        <span data-testid="alert-silenced">
          <StateBadge kind="alert-silenced" state="silenced" tone="aside">
            Silenced
          </StateBadge>
        </span>
      )}
    </>
  );
}
