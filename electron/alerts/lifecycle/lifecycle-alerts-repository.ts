import type { Database } from 'better-sqlite3';
import type { AlertAck, TimelineEntry, TimelineKind } from '../../../shared/alert-lifecycle.js';
import type { Alert } from '../../../shared/alerts.js';
import {
  AlertsRepository,
  toAlert,
  type AlertQuery,
  type AlertRow,
  type AlertWrite,
} from '../../store/alerts-repository.js';

/** Who or what caused a change, when it was not the rule's own evaluation. */
export interface ChangeCause {
  kind: TimelineKind;
  actor: string | null;
}

interface EventRow {
  id: number;
  alert_id: number;
  at: number;
  kind: TimelineKind;
  actor: string | null;
  detail: string;
}

/**
 * The alerts of this node with their acknowledgements and timelines. Every stored change of an alert writes its
 * timeline entry in the same transaction, and every alert handed out is read back as stored (its ack included)
 * with `silenced` as `isSilenced` says now.
 */
export class LifecycleAlertsRepository extends AlertsRepository {
  private readonly getStmt;
  private readonly stateStmt;
  private readonly eventStmt;
  private readonly timelineStmt;
  private readonly ackStmt;
  private readonly dueStmt;
  private readonly nextDueStmt;
  private cause: ChangeCause | null = null;
  /** Set by the lifecycle once silences are known; until then nothing is silenced. */
  silencedNow: (alert: Alert) => boolean = () => false;

  constructor(private readonly database: Database) {
    super(database);
    this.getStmt = database.prepare<[number], AlertRow>('SELECT * FROM alerts WHERE id = ?');
    this.stateStmt = database.prepare<[number], { state: Alert['state'] }>('SELECT state FROM alerts WHERE id = ?');
    this.eventStmt = database.prepare<[number, number, TimelineKind, string | null, string]>(
      'INSERT INTO alert_events (alert_id, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)',
    );
    this.timelineStmt = database.prepare<[number], EventRow>(
      'SELECT * FROM alert_events WHERE alert_id = ? ORDER BY id',
    );
    this.ackStmt = database.prepare<[string | null, number | null, string | null, number | null, number]>(
      'UPDATE alerts SET ack_by = ?, ack_at = ?, ack_note = ?, ack_until = ? WHERE id = ?',
    );
    this.dueStmt = database.prepare<[number], AlertRow>(
      `SELECT * FROM alerts WHERE ack_until IS NOT NULL AND ack_until <= ? AND state <> 'resolved' ORDER BY id`,
    );
    this.nextDueStmt = database.prepare<[], { at: number | null }>(
      `SELECT MIN(ack_until) AS at FROM alerts WHERE ack_until IS NOT NULL AND state <> 'resolved'`,
    );
  }

  /** The engine's transitions, each with its timeline entry (or the cause set by `withCause`). */
  override save(write: AlertWrite): Alert {
    // A discarded alert leaves with its timeline.
    if ('discard' in write) return super.save(write);
    return this.database.transaction(() => {
      const before = 'update' in write ? this.stateStmt.get(write.update.id)?.state : undefined;
      const saved = super.save(write);
      if (saved.state !== before) {
        const at = saved.resolvedAt ?? (saved.state === 'firing' ? saved.firingAt : null) ?? saved.startedAt;
        const kind = this.cause?.kind ?? (saved.state === 'pending' ? 'raised' : saved.state);
        this.eventStmt.run(saved.id, at, kind, this.cause?.actor ?? null, saved.summary);
      }
      return this.read(saved.id);
    })();
  }

  override list(query: AlertQuery): Alert[] {
    return super.list(query).map((alert) => this.decorate(alert));
  }

  /** One alert as stored; undefined when there is none (or it was pruned). */
  get(id: number): Alert | undefined {
    const row = this.getStmt.get(id);
    return row && this.decorate(toAlert(row));
  }

  /** Runs `change` (a store through the engine) with its timeline entry naming this cause. */
  withCause<T>(cause: ChangeCause, change: () => T): T {
    this.cause = cause;
    try {
      return change();
    } finally {
      this.cause = null;
    }
  }

  /** Sets or clears an alert's acknowledgement with its timeline entry; returns the alert as stored. */
  setAck(id: number, ack: AlertAck | null, entry: ChangeCause & { at: number; detail: string }): Alert {
    return this.database.transaction(() => {
      this.ackStmt.run(ack?.by ?? null, ack?.at ?? null, ack?.note ?? null, ack?.untilMs ?? null, id);
      this.eventStmt.run(id, entry.at, entry.kind, entry.actor, entry.detail);
      return this.read(id);
    })();
  }

  /** Open alerts whose acknowledgement lapsed at or before `now`. */
  acksDue(now: number): Alert[] {
    return this.dueStmt.all(now).map(toAlert);
  }

  /** When the next acknowledgement of an open alert lapses; null when none does. */
  nextAckDue(): number | null {
    return this.nextDueStmt.get()?.at ?? null;
  }

  /** Every change of one alert, in the order it was stored (a clock stepped back cannot reorder it). */
  timeline(alertId: number): TimelineEntry[] {
    return this.timelineStmt.all(alertId).map((row) => ({
      id: row.id,
      alertId: row.alert_id,
      at: row.at,
      kind: row.kind,
      actor: row.actor,
      detail: row.detail,
    }));
  }

  private read(id: number): Alert {
    const alert = this.get(id);
    if (!alert) throw new Error(`alert ${id} is not stored`);
    return alert;
  }

  private decorate(alert: Alert): Alert {
    return { ...alert, silenced: alert.state !== 'resolved' && this.silencedNow(alert) };
  }
}
