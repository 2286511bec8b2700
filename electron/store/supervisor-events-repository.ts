import type { Database } from 'better-sqlite3';

import type { SupervisorEventKind, SupervisorEventsStore } from '../health/health-stores.js';

export { supervisorEventKinds, type SupervisorEventKind } from '../health/health-stores.js';

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

/** A process a supervisor started and has not yet seen end: after an agent crash, a possible orphan. */
export interface SupervisedProcess {
  serviceId: string;
  /** Also its process group id: it was spawned detached, as the leader of a new group. */
  pid: number;
  argv: string[];
  startedAt: number;
}

interface SupervisedProcessRow {
  service_id: string;
  pid: number;
  argv: string;
  started_at: number;
}

const toEvent = (row: SupervisorEventRow): SupervisorEvent => ({
  id: row.id,
  serviceId: row.service_id,
  at: row.at,
  kind: row.kind,
  detail: row.detail,
});

/**
 * The history of starts, exits, restarts, give-ups and stops of each supervised service, and the process each one
 * runs right now (one row per service, cleared once its end is seen).
 */
export class SupervisorEventsRepository implements SupervisorEventsStore {
  private readonly insertStmt;
  private readonly recentStmt;
  private readonly restartsSinceStmt;
  private readonly deleteServiceStmt;
  private readonly rememberStmt;
  private readonly rememberedStmt;
  private readonly forgetStmt;

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
    this.rememberStmt = db.prepare<[string, number, string, number]>(
      `INSERT INTO supervised_processes (service_id, pid, argv, started_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (service_id) DO UPDATE SET pid = excluded.pid, argv = excluded.argv, started_at = excluded.started_at`,
    );
    this.rememberedStmt = db.prepare<[string], SupervisedProcessRow>(
      'SELECT * FROM supervised_processes WHERE service_id = ?',
    );
    this.forgetStmt = db.prepare<[string, number]>('DELETE FROM supervised_processes WHERE service_id = ? AND pid = ?');
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

  /** The service's process is now `pid`, started with `argv` (replaces the one remembered before). */
  rememberProcess(serviceId: string, pid: number, argv: readonly string[], at: number): void {
    this.rememberStmt.run(serviceId, pid, JSON.stringify(argv), at);
  }

  /** The process the service's supervisor started and did not see end, if any. */
  rememberedProcess(serviceId: string): SupervisedProcess | null {
    const row = this.rememberedStmt.get(serviceId);
    if (!row) return null;
    const parsed: unknown = JSON.parse(row.argv);
    // An unreadable argv matches no process, so it can never get one killed.
    const argv = Array.isArray(parsed) && parsed.every((arg) => typeof arg === 'string') ? (parsed as string[]) : [];
    return { serviceId, pid: row.pid, argv, startedAt: row.started_at };
  }

  /** `pid` of the service has ended; a newer process remembered meanwhile is kept. Returns whether a row went. */
  forgetProcess(serviceId: string, pid: number): boolean {
    return this.forgetStmt.run(serviceId, pid).changes > 0;
  }
}
