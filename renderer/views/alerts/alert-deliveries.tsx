import { useEffect, useState } from 'react';
import type { Delivery } from '../../../shared/notifications.js';
import { callOn } from '../../client/call-member.js';
import { useClient } from '../../client/client-context.js';
import { messageOf } from '../../client/outcome.js';
import { Timestamp } from '../../components/timestamp.js';

/**
 * The notifications part of an alert's timeline: what the leader told of it, on which channel, and how that went
 * (sent, failed, or still being retried). Asked of the leader, whose outbox sends for the fleet; deliveries a
 * previous leader made stay in that node's outbox. `version` changes when the alert does, to ask again.
 */
export function AlertDeliveries({
  alertId,
  leaderId,
  selfId,
  version,
}: {
  /** The alert's fleet-wide id, `<node>/<id>`. */
  alertId: string;
  leaderId: string | null;
  selfId: string | undefined;
  version: string;
}) {
  const client = useClient();
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!leaderId) return;
    let current = true;
    callOn(client, leaderId === selfId ? null : leaderId, 'notifications.list', { alertId, limit: 100 }).then(
      (answer) => {
        if (!current) return;
        setDeliveries(answer);
        setError(null);
      },
      (failure: unknown) => {
        if (current) setError(messageOf(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [client, alertId, leaderId, selfId, version]);

  if (!leaderId) return <p className="muted">No leader now: nobody is telling of alerts.</p>;
  if (error) return <p className="notice notice-error">Could not ask the leader for its notifications: {error}</p>;
  if (deliveries === null) return <p className="muted">Loading…</p>;
  if (deliveries.length === 0) return <p className="muted">The leader has told nobody of this alert.</p>;
  return (
    <ol className="alert-timeline" data-testid="alert-deliveries">
      {[...deliveries].reverse().map((delivery) => (
        <li key={delivery.deliveryId} data-state={delivery.state}>
          <Timestamp epochMs={delivery.sentAt ?? delivery.createdAt} /> <strong>{delivery.notice.transition}</strong> to{' '}
          <code>{delivery.channelId}</code>: {delivery.state}
          {delivery.attempts > 1 && <span className="muted"> after {delivery.attempts} attempts</span>}
          {delivery.lastError && delivery.state !== 'sent' && <span className="muted"> — {delivery.lastError}</span>}
        </li>
      ))}
    </ol>
  );
}
