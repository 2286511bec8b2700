import type { RpcResult } from '../../shared/rpc.js';
import type { CheckResult, Heartbeat, ServiceSource, UptimeFigures } from '../../shared/services.js';
import type { CheckMemory } from './check-state-machine.js';

/**
 * What the health components keep in SQLite. The repositories in electron/store/ provide these; health code
 * depends on the shapes only, so it never reaches into the store.
 */

/** Check results and states: buffered writes, flushed in batches. */
export interface CheckHistoryStore {
  loadStates(): Map<string, CheckMemory>;
  record(serviceId: string, checkName: string, result: CheckResult): void;
  saveState(serviceId: string, checkName: string, memory: CheckMemory): void;
  flush(): number;
  deleteService(serviceId: string): void;
  uptime(serviceId: string, checkName: string, now: number): UptimeFigures;
  /** The last `limit` results of a check, oldest first. */
  recent(serviceId: string, checkName: string, limit: number): Heartbeat[];
  history(
    serviceId: string,
    checkName: string,
    fromMs: number,
    toMs: number,
    rawRetentionMs: number,
    now: number,
  ): RpcResult<'checks.history'>;
  prune(now: number, rawRetentionMs: number, rollupRetentionMs: number): Promise<unknown>;
}

/** What the supervisor did; the table's CHECK constraint holds the same list. */
export const supervisorEventKinds = ['start', 'exit', 'restart', 'give-up', 'stop'] as const;
export type SupervisorEventKind = (typeof supervisorEventKinds)[number];

/** Supervisor events, and the process a supervisor started until it sees its end (to find an orphan after a crash). */
export interface SupervisorEventsStore {
  record(serviceId: string, kind: SupervisorEventKind, detail: string, at: number): number;
  restartsSince(serviceId: string, since: number): number;
  rememberProcess(serviceId: string, pid: number, argv: readonly string[], at: number): void;
  rememberedProcess(serviceId: string): { pid: number; argv: string[] } | null;
  forgetProcess(serviceId: string, pid: number): boolean;
}

/** A service definition added through the UI/API, by the fleet or by the demo, as stored. */
export interface StoredService {
  id: string;
  source: Exclude<ServiceSource, 'config'>;
  /** JSON text; parsed (and validated) by the catalog, which logs and skips a definition it cannot read. */
  definition: string;
}

export interface ServicesStore {
  all(): StoredService[];
  upsertAll(services: StoredService[], now: number): void;
  remove(id: string): boolean;
  removeDemo(): string[];
}
