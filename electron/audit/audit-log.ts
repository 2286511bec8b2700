import {
  auditExportChunk,
  type AuditExport,
  type AuditExportQuery,
  type AuditListQuery,
  type AuditRecord,
} from '../../shared/audit.js';
import type { CallRecord } from '../api/dispatcher.js';
import type { EventBus } from '../api/event-bus.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { auditEntryOf } from './audit-entry.js';
import type { AuditLogRepository } from './audit-log-repository.js';
import { storedParams } from './mask-params.js';

export interface AuditLogOptions {
  repository: AuditLogRepository;
  clock: Clock;
  logger: Logger;
  events: Pick<EventBus, 'publish'>;
}

/** Records every mutating call the dispatcher answers, and reads them back. Recording never fails a call. */
export class AuditLog {
  constructor(private readonly options: AuditLogOptions) {}

  /** Writes the call if it is one to audit, and announces it; a failure to write is logged, never thrown. */
  record(call: CallRecord): void {
    const { repository, clock, logger, events } = this.options;
    try {
      const entry = auditEntryOf(call);
      if (!entry) return;
      const { json, truncated } = storedParams(entry.params);
      const id = repository.insert({ ...entry, at: clock.now(), paramsJson: json, paramsTruncated: truncated });
      events.publish({ type: 'audit.recorded', data: { id } });
    } catch (error) {
      logger.error({ err: error, method: call.method }, 'could not write an audit record');
    }
  }

  list({ limit, before, ...filter }: AuditListQuery): AuditRecord[] {
    return this.options.repository.list(filter, { limit, before });
  }

  /** One chunk of the filtered log as JSON lines, oldest first. */
  export({ after, ...filter }: AuditExportQuery): AuditExport {
    const records = this.options.repository.listAfter(filter, { limit: auditExportChunk + 1, after });
    const more = records.length > auditExportChunk;
    const chunk = more ? records.slice(0, auditExportChunk) : records;
    return {
      text: chunk.map((record) => `${JSON.stringify(record)}\n`).join(''),
      count: chunk.length,
      more,
      nextAfter: chunk.at(-1)?.id ?? null,
    };
  }

  /** Removes records older than `keepMs`; a failure is logged (it runs on a timer). */
  async prune(keepMs: number): Promise<void> {
    try {
      const removed = await this.options.repository.prune(this.options.clock.now() - keepMs);
      if (removed > 0) this.options.logger.info({ removed }, 'pruned old audit records');
    } catch (error) {
      this.options.logger.error({ err: error }, 'could not prune the audit log');
    }
  }
}
