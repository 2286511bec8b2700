import type { Database, Statement } from 'better-sqlite3';
import type { Alert, AlertSeverity, AlertState } from '../../shared/alerts.js';
import { Labels } from '../../shared/ids.js';

/** An alert not yet stored: the table gives it its id; it starts unacknowledged (`silenced` is never stored). */
export type NewAlert = Omit<Alert, 'id' | 'acknowledged' | 'silenced'>;

/**
 * One change of a transition: a new alert, a stored one in its new state (its start time never changes), or a pending
 * one that ended without firing, deleted (`discard`: the alert as it ended, resolved, for whoever hears of it).
 */
export type AlertWrite = { insert: NewAlert } | { update: Alert } | { discard: Alert };

export interface AlertQuery {
  /** open: pending and firing; all: also resolved. */
  state: 'open' | 'all';
  ruleId?: string;
  limit: number;
  /** Only alerts older than this one (paging back). */
  beforeId?: number;
}

export interface AlertRow {
  id: number;
  rule_id: string;
  rule_name: string;
  severity: AlertSeverity;
  /** JSON of the rule's labels. */
  labels: string;
  description: string;
  state: AlertState;
  value: number | null;
  firing_value: number | null;
  summary: string;
  started_at: number;
  firing_at: number | null;
  resolved_at: number | null;
  ack_by: string | null;
  ack_at: number | null;
  ack_note: string | null;
  ack_until: number | null;
}

export const toAlert = (row: AlertRow): Alert => ({
  id: row.id,
  ruleId: row.rule_id,
  ruleName: row.rule_name,
  severity: row.severity,
  labels: parseLabels(row.labels),
  state: row.state,
  value: row.value,
  firingValue: row.firing_value,
  summary: row.summary,
  description: row.description,
  startedAt: row.started_at,
  firingAt: row.firing_at,
  resolvedAt: row.resolved_at,
  acknowledged:
    row.ack_by === null
      ? null
      : { by: row.ack_by, at: row.ack_at ?? 0, note: row.ack_note ?? '', untilMs: row.ack_until },
  silenced: false,
});

/** Labels as the table holds them (checked by the table to be a JSON object); a row edited by hand reads as none. */
function parseLabels(json: string): Labels {
  try {
    return Labels.parse(JSON.parse(json));
  } catch {
    return {};
  }
}

/**
 * What a transition may change: name, severity, state, value, firing value, summary, description, firing and
 * resolution times.
 */
type Changed = [
  string,
  AlertSeverity,
  AlertState,
  number | null,
  number | null,
  string,
  string,
  number | null,
  number | null,
];
type Fields = [ruleId: string, ...Changed];
const fields = (a: NewAlert): Fields => [
  a.ruleId,
  a.ruleName,
  a.severity,
  a.state,
  a.value,
  a.firingValue,
  a.summary,
  a.description,
  a.firingAt,
  a.resolvedAt,
];

/**
 * The alerts of this node. An alert is created when its rule's condition starts holding and updated in place as
 * it fires and resolves; a rule has at most one open alert at a time (the table refuses a second one).
 * "Newest first" is creation order (id), which a clock stepped back cannot reorder.
 */
export class AlertsRepository {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly listStmts = new Map<string, Statement<Array<string | number>, AlertRow>>();
  private readonly openStmt;
  private readonly discardStmt;
  private readonly pruneStmt;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare<[number, string, ...Fields]>(
      `INSERT INTO alerts (started_at, labels, rule_id, rule_name, severity, state, value, firing_value, summary,
                          description, firing_at, resolved_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateStmt = db.prepare<[...Changed, number, string]>(
      `UPDATE alerts SET rule_name = ?, severity = ?, state = ?, value = ?, firing_value = ?, summary = ?,
                         description = ?, firing_at = ?, resolved_at = ?
       WHERE id = ? AND rule_id = ?`,
    );
    this.openStmt = db.prepare<[], AlertRow>(`SELECT * FROM alerts WHERE state <> 'resolved' ORDER BY id DESC`);
    this.discardStmt = db.prepare<[number, string]>(
      `DELETE FROM alerts WHERE id = ? AND rule_id = ? AND state = 'pending'`,
    );
    this.pruneStmt = db.prepare<[number]>(`DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < ?`);
  }

  /**
   * Stores one transition (a single statement, so it is whole or not at all) and returns the alert as stored (a
   * discarded one as it ended). Throws when an update names an alert that is not stored, a discard one that is not
   * pending, or when the rule already has another open alert.
   */
  save(write: AlertWrite): Alert {
    if ('discard' in write) {
      const alert = write.discard;
      if (this.discardStmt.run(alert.id, alert.ruleId).changes === 0) {
        throw new Error(`alert ${alert.id} of rule ${alert.ruleId} is not pending`);
      }
      return { ...alert };
    }
    if ('insert' in write) {
      const alert = write.insert;
      const labels = JSON.stringify(alert.labels);
      const id = Number(this.insertStmt.run(alert.startedAt, labels, ...fields(alert)).lastInsertRowid);
      return { id, ...alert, acknowledged: null, silenced: false };
    }
    const alert = write.update;
    const [ruleId, ...changed] = fields(alert);
    if (this.updateStmt.run(...changed, alert.id, ruleId).changes === 0) {
      throw new Error(`alert ${alert.id} of rule ${alert.ruleId} is not stored`);
    }
    return { ...alert };
  }

  /** Every pending and firing alert, newest first. */
  open(): Alert[] {
    return this.openStmt.all().map(toAlert);
  }

  /** Newest first. */
  list(query: AlertQuery): Alert[] {
    const { state, ruleId, limit, beforeId } = query;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    }
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (state === 'open') where.push(`state <> 'resolved'`);
    if (ruleId !== undefined) {
      where.push('rule_id = ?');
      params.push(ruleId);
    }
    if (beforeId !== undefined) {
      where.push('id < ?');
      params.push(beforeId);
    }
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    let stmt = this.listStmts.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<Array<string | number>, AlertRow>(sql);
      this.listStmts.set(sql, stmt);
    }
    return stmt.all(...params, limit).map(toAlert);
  }

  /** Deletes alerts resolved before `before`; open alerts are always kept. Returns how many went. */
  pruneResolved(before: number): number {
    return this.pruneStmt.run(before).changes;
  }
}
