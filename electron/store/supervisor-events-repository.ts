import type { Database } from 'better-sqlite3';

/** What the supervisor did; the table's CHECK constraint holds the same list. */
export const supervisorEventKinds = ['start', 'exit', 'restart', 'give-up', 'stop'] as const;
export type SupervisorEventKind = (typeof supervisorEventKinds)[number];

export interface SupervisorEvent {
  id: number;
  serviceId: string;
  at: number;
  kind: SupervisorEventKind;
  /** One line for the UI: "pid 4242 exited with code 1", "restart 2 in 734 ms: exited with code 1". */
  detail: string;
}

interface SupervisorEventRow {
  id: number;
  service_id: string;
  at: number;
  kind: SupervisorEventKind;
  detail: string;
}

const toEvent = (row: SupervisorEventRow): SupervisorEvent => ({
  id: row.id,
  serviceId: row.service_id,
  at: row.at,
  kind: row.kind,
  detail: row.detail,
});

/** The history of starts, exits, restarts, give-ups and stops of each supervised service. */
export class SupervisorEventsRepository {
  private readonly insertStmt;
  private readonly recentStmt;
  private readonly restartsSinceStmt;
  private readonly deleteServiceStmt;

  constructor(db: Database) {
    this.insertStmt = db.prepare<[string, number, string, string]>(
      'INSERT INTO supervisor_events (service_id, at, kind, detail) VALUES (?, ?, ?, ?)',
    );
    // id breaks ties: several events often share one millisecond (an exit and the restart it causes).
    this.recentStmt = db.prepare<[string, number], SupervisorEventRow>(
      'SELECT * FROM supervisor_events WHERE service_id = ? ORDER BY at DESC, id DESC LIMIT ?',
    );
    this.restartsSinceStmt = db.prepare<[string, number], { count: number }>(
      `SELECT count(*) AS count FROM supervisor_events WHERE service_id = ? AND kind = 'restart' AND at >= ?`,
    );
    this.deleteServiceStmt = db.prepare<[string]>('DELETE FROM supervisor_events WHERE service_id = ?');
  }

  /** Returns the new event's id. */
  record(serviceId: string, kind: SupervisorEventKind, detail: string, at: number): number {
    return Number(this.insertStmt.run(serviceId, at, kind, detail).lastInsertRowid);
  }

  /** The newest `limit` events of a service, newest first. */
  recent(serviceId: string, limit: number): SupervisorEvent[] {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    return this.recentStmt.all(serviceId, limit).map(toEvent);
  }

  /** Restarts (after an exit or on request) at or after `since`. */
  restartsSince(serviceId: string, since: number): number {
    return this.restartsSinceStmt.get(serviceId, since)?.count ?? 0;
  }

  /** Forgets a removed service's history; returns how many events were deleted. */
  deleteService(serviceId: string): number {
    return this.deleteServiceStmt.run(serviceId).changes;
  }
}
