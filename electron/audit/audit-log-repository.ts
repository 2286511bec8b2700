import type { Database } from 'better-sqlite3';
import type { AuditFilter, AuditRecord } from '../../shared/audit.js';
import { deleteInBatches, PRUNE_BATCH_SIZE } from '../store/check-history-repository.js';

/** A record as written: the params already masked and capped (see `storedParams`). */
export interface NewAuditRecord extends Omit<AuditRecord, 'id' | 'params' | 'paramsTruncated'> {
  paramsJson: string;
  paramsTruncated: boolean;
}

interface AuditRow {
  id: number;
  at: number;
  principal: string;
  transport: 'ipc' | 'http';
  remote: string | null;
  method: string;
  target_member: string | null;
  target_method: string | null;
  params: string;
  params_truncated: 0 | 1;
  outcome: 'ok' | 'error';
  error_code: string | null;
  error_message: string | null;
  duration_ms: number;
}

const toRecord = (row: AuditRow): AuditRecord => ({
  id: row.id,
  at: row.at,
  principal: row.principal,
  transport: row.transport,
  remote: row.remote,
  method: row.method,
  target:
    row.target_member !== null && row.target_method !== null
      ? { memberId: row.target_member, method: row.target_method }
      : null,
  // Cut params are no longer JSON: they are given as the text that was kept.
  params: row.params_truncated ? row.params : (JSON.parse(row.params) as unknown),
  paramsTruncated: row.params_truncated === 1,
  outcome: row.outcome,
  error: row.error_code !== null ? { code: row.error_code, message: row.error_message ?? '' } : null,
  durationMs: row.duration_ms,
});

type Bindings = Record<string, string | number>;

/** The WHERE clause of a filter, with named parameters, and an optional condition on the id. */
function whereOf(filter: AuditFilter, idCondition: string | null): string {
  const conditions = [
    idCondition,
    filter.principal !== undefined && 'principal = @principal',
    // substr, not LIKE: a prefix is taken literally, "_" and "%" included.
    filter.methodPrefix !== undefined &&
      '(substr(method, 1, length(@methodPrefix)) = @methodPrefix OR ' +
        'substr(target_method, 1, length(@methodPrefix)) = @methodPrefix)',
    filter.outcome !== undefined && 'outcome = @outcome',
    filter.from !== undefined && 'at >= @from',
    filter.to !== undefined && 'at < @to',
  ].filter((condition): condition is string => typeof condition === 'string');
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** This node's audit log in SQLite. */
export class AuditLogRepository {
  private readonly insertStmt;
  private readonly pruneStmt;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (at, principal, transport, remote, method, target_member, target_method, params,
         params_truncated, outcome, error_code, error_message, duration_ms)
       VALUES (@at, @principal, @transport, @remote, @method, @targetMember, @targetMethod, @params,
         @paramsTruncated, @outcome, @errorCode, @errorMessage, @durationMs)`,
    );
    this.pruneStmt = db.prepare<[number, number]>(
      'DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)',
    );
  }

  /** Writes one record; returns its id. */
  insert(record: NewAuditRecord): number {
    const { lastInsertRowid } = this.insertStmt.run({
      at: record.at,
      principal: record.principal,
      transport: record.transport,
      remote: record.remote,
      method: record.method,
      targetMember: record.target?.memberId ?? null,
      targetMethod: record.target?.method ?? null,
      params: record.paramsJson,
      paramsTruncated: record.paramsTruncated ? 1 : 0,
      outcome: record.outcome,
      errorCode: record.error?.code ?? null,
      errorMessage: record.error?.message ?? null,
      durationMs: record.durationMs,
    });
    return Number(lastInsertRowid);
  }

  /** Matching records newest first, older than `before` when given. */
  list(filter: AuditFilter, { limit, before }: { limit: number; before?: number }): AuditRecord[] {
    return this.select(filter, before !== undefined ? { condition: 'id < @id', id: before } : null, 'DESC', limit);
  }

  /** Matching records oldest first, newer than `after` when given. */
  listAfter(filter: AuditFilter, { limit, after }: { limit: number; after?: number }): AuditRecord[] {
    return this.select(filter, after !== undefined ? { condition: 'id > @id', id: after } : null, 'ASC', limit);
  }

  /** Removes records older than `cutoff` in short batches, yielding between them; returns how many. */
  prune(cutoff: number): Promise<number> {
    return deleteInBatches(this.db, this.pruneStmt, cutoff, PRUNE_BATCH_SIZE);
  }

  private select(
    filter: AuditFilter,
    byId: { condition: string; id: number } | null,
    order: 'ASC' | 'DESC',
    limit: number,
  ): AuditRecord[] {
    const { principal, methodPrefix, outcome, from, to } = filter;
    const bindings: Bindings = { limit };
    for (const [name, value] of Object.entries({ principal, methodPrefix, outcome, from, to, id: byId?.id })) {
      if (value !== undefined) bindings[name] = value;
    }
    return this.db
      .prepare<[Bindings], AuditRow>(
        `SELECT * FROM audit_log ${whereOf(filter, byId?.condition ?? null)} ORDER BY id ${order} LIMIT @limit`,
      )
      .all(bindings)
      .map(toRecord);
  }
}
