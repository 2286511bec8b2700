import type { Database } from 'better-sqlite3';
import { ServiceSignalName } from '../../shared/service-signals.js';
import { BaselineState } from './seasonal-baseline.js';

export interface StoredBaseline {
  serviceId: string;
  signal: ServiceSignalName;
  state: BaselineState;
}

/** The learnt baselines (migration 0021), read once at start and written back in batches. */
export class BaselineRepository {
  private readonly allStmt;
  private readonly putStmt;
  private readonly saveAll;

  constructor(db: Database) {
    this.allStmt = db.prepare<[], { serviceId: string; signal: string; state: string }>(
      'SELECT service_id AS serviceId, signal, state FROM anomaly_baselines',
    );
    this.putStmt = db.prepare<[string, string, string, number]>(
      `INSERT INTO anomaly_baselines (service_id, signal, state, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (service_id, signal) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.saveAll = db.transaction((rows: readonly StoredBaseline[], now: number) => {
      for (const row of rows) this.putStmt.run(row.serviceId, row.signal, JSON.stringify(row.state), now);
    });
  }

  /** Every stored baseline; a row that no longer parses is left out (it is learnt again from the stored minutes). */
  load(): StoredBaseline[] {
    const rows: StoredBaseline[] = [];
    for (const row of this.allStmt.all()) {
      const signal = ServiceSignalName.safeParse(row.signal);
      const state = BaselineState.safeParse(parseJson(row.state));
      if (signal.success && state.success)
        rows.push({ serviceId: row.serviceId, signal: signal.data, state: state.data });
    }
    return rows;
  }

  /** Writes the baselines in one transaction. */
  save(rows: readonly StoredBaseline[], now: number): void {
    if (rows.length > 0) this.saveAll(rows, now);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
