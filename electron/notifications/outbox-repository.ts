import type { Database, Statement } from 'better-sqlite3';
import { AlertNotice } from '../../shared/alert-notice.js';
import type { Delivery, DeliveryState } from '../../shared/notifications.js';

/** One delivery not yet settled, with the notice it carries. */
export interface PendingDelivery {
  seq: number;
  deliveryId: string;
  noticeKey: string;
  channelId: string;
  stream: string;
  notice: AlertNotice;
  attempts: number;
  createdAt: number;
}

export interface NewDelivery {
  deliveryId: string;
  noticeKey: string;
  channelId: string;
  stream: string;
  notice: AlertNotice;
}

export interface DeliveryQuery {
  state?: DeliveryState | undefined;
  channelId?: string | undefined;
  /** The fleet-wide id of the alert told (`<node>/<id>`). */
  alertId?: string | undefined;
  limit: number;
}

interface Row {
  seq: number;
  delivery_id: string;
  notice_key: string;
  channel_id: string;
  stream: string;
  notice: string;
  state: DeliveryState;
  attempts: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

const toPending = (row: Row): PendingDelivery => ({
  seq: row.seq,
  deliveryId: row.delivery_id,
  noticeKey: row.notice_key,
  channelId: row.channel_id,
  stream: row.stream,
  notice: AlertNotice.parse(JSON.parse(row.notice)),
  attempts: row.attempts,
  createdAt: row.created_at,
});

const toDelivery = (row: Row): Delivery => {
  const { transition, alert } = AlertNotice.parse(JSON.parse(row.notice));
  return {
    deliveryId: row.delivery_id,
    channelId: row.channel_id,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    notice: {
      transition,
      alertId: alert.id,
      ruleName: alert.ruleName,
      severity: alert.severity,
      summary: alert.summary,
      node: alert.node,
    },
  };
};

/** The notification outbox (migration 18): what is to be sent, what was, and what gave up. */
export class OutboxRepository {
  private readonly insert: Statement;
  private readonly byId: Statement;
  private readonly pendingRows: Statement;
  private readonly attempted: Statement;
  private readonly settle: Statement;
  private readonly pendingOfKey: Statement;
  private readonly pruneSettled: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO notification_outbox (delivery_id, notice_key, channel_id, stream, notice, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING`,
    );
    this.byId = db.prepare('SELECT * FROM notification_outbox WHERE delivery_id = ?');
    this.pendingRows = db.prepare(`SELECT * FROM notification_outbox WHERE state = 'pending' ORDER BY seq`);
    this.attempted = db.prepare(
      'UPDATE notification_outbox SET attempts = attempts + 1, last_error = ? WHERE delivery_id = ?',
    );
    this.settle = db.prepare(
      `UPDATE notification_outbox SET state = ?, attempts = attempts + 1, last_error = ?, sent_at = ?, settled_at = ?
       WHERE delivery_id = ? AND state = 'pending'`,
    );
    this.pendingOfKey = db.prepare(
      `SELECT COUNT(*) AS n FROM notification_outbox WHERE notice_key = ? AND state = 'pending'`,
    );
    this.pruneSettled = db.prepare(
      `DELETE FROM notification_outbox WHERE seq IN
         (SELECT seq FROM notification_outbox WHERE settled_at IS NOT NULL AND settled_at < ? LIMIT 1000)`,
    );
  }

  /** Adds the deliveries that are not there yet (by id) in one transaction; returns those it added. */
  enqueue(deliveries: readonly NewDelivery[], now: number): PendingDelivery[] {
    return this.db.transaction(() =>
      deliveries.flatMap((d) => {
        const added = this.insert.run(d.deliveryId, d.noticeKey, d.channelId, d.stream, JSON.stringify(d.notice), now);
        return added.changes === 0 ? [] : [toPending(this.byId.get(d.deliveryId) as Row)];
      }),
    )();
  }

  /** Every delivery not yet settled, in the order they were enqueued. */
  pending(): PendingDelivery[] {
    return (this.pendingRows.all() as Row[]).map(toPending);
  }

  /** An attempt failed and will be retried. */
  recordFailure(deliveryId: string, error: string): void {
    this.attempted.run(error, deliveryId);
  }

  markSent(deliveryId: string, now: number): void {
    this.settle.run('sent', null, now, now, deliveryId);
  }

  /** The last attempt failed; no more will be made. */
  markFailed(deliveryId: string, error: string, now: number): void {
    this.settle.run('failed', error, null, now, deliveryId);
  }

  hasPending(noticeKey: string): boolean {
    return (this.pendingOfKey.get(noticeKey) as { n: number }).n > 0;
  }

  list({ state, channelId, alertId, limit }: DeliveryQuery): Delivery[] {
    const where = [
      state && 'state = @state',
      channelId && 'channel_id = @channelId',
      alertId && "json_extract(notice, '$.alert.id') = @alertId",
    ].filter(Boolean);
    const rows = this.db
      .prepare(
        `SELECT * FROM notification_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY seq DESC LIMIT @limit`,
      )
      .all({ ...(state && { state }), ...(channelId && { channelId }), ...(alertId && { alertId }), limit }) as Row[];
    return rows.map(toDelivery);
  }

  /** Removes settled deliveries older than `before`, in bounded batches; returns how many. */
  prune(before: number): number {
    let removed = 0;
    for (;;) {
      const { changes } = this.pruneSettled.run(before);
      removed += changes;
      if (changes < 1000) return removed;
    }
  }
}
