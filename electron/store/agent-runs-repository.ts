import type { Database } from 'better-sqlite3';

export interface AgentRun {
  id: number;
  nodeId: string;
  version: string;
  startedAt: number;
  stoppedAt: number | null;
}

interface AgentRunRow {
  id: number;
  node_id: string;
  version: string;
  started_at: number;
  stopped_at: number | null;
}

const toRun = (row: AgentRunRow): AgentRun => ({
  id: row.id,
  nodeId: row.node_id,
  version: row.version,
  startedAt: row.started_at,
  stoppedAt: row.stopped_at,
});

/** Start and stop of every agent run; a run without a stop time ended in a crash. */
export class AgentRunsRepository {
  private readonly insertStmt;
  private readonly finishStmt;
  private readonly latestStmt;

  constructor(db: Database) {
    this.insertStmt = db.prepare<[string, string, number]>(
      'INSERT INTO agent_runs (node_id, version, started_at) VALUES (?, ?, ?)',
    );
    this.finishStmt = db.prepare<[number, number]>('UPDATE agent_runs SET stopped_at = ? WHERE id = ?');
    this.latestStmt = db.prepare<[], AgentRunRow>('SELECT * FROM agent_runs ORDER BY id DESC LIMIT 1');
  }

  latest(): AgentRun | undefined {
    const row = this.latestStmt.get();
    return row && toRun(row);
  }

  start(nodeId: string, version: string, now: number): number {
    return Number(this.insertStmt.run(nodeId, version, now).lastInsertRowid);
  }

  finish(id: number, now: number): void {
    this.finishStmt.run(now, id);
  }
}
