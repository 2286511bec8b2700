import type { auditMethods } from '../../shared/rpc/audit.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import type { CallRecord } from '../api/dispatcher.js';
import { PRUNE_INTERVAL_MS } from '../config/history-retention.js';
import { repeat } from '../core/clock.js';
import { AuditLog } from './audit-log.js';
import { AuditLogRepository } from './audit-log-repository.js';

const DAY_MS = 86_400_000;

export interface AuditCapability extends Capability<keyof typeof auditMethods> {
  /** The dispatcher's `onCall`: every answered call passes here; the mutating ones are written. */
  record(call: CallRecord): void;
}

/** The audit log of mutating calls on this node, kept for `audit.retentionDays`. */
export function createAuditCapability(
  context: Pick<CapabilityContext, 'config' | 'clock' | 'store' | 'events' | 'logger'>,
): AuditCapability {
  const { config, clock, store, events } = context;
  const log = new AuditLog({
    repository: store.repository((db) => new AuditLogRepository(db)),
    clock,
    logger: context.logger('audit'),
    events,
  });
  const keepMs = config.audit.retentionDays * DAY_MS;
  const stops: Array<() => void> = [];

  return {
    name: 'audit',
    handlers: {
      'audit.list': (query) => log.list(query),
      'audit.export': (query) => log.export(query),
    },
    record: (call) => log.record(call),
    start() {
      void log.prune(keepMs);
      stops.push(repeat(clock, PRUNE_INTERVAL_MS, () => void log.prune(keepMs)));
    },
    stop() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
