import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import {
  statusSeverity,
  type CheckDefinition,
  type CheckResult,
  type CheckState,
  type CheckStatus,
  type CommandDefinition,
  type ResultStatus,
  type ServiceState,
  type SupervisorState,
} from '../../shared/services.js';
import { repeat, type Clock } from '../core/clock.js';
import type { EventPublisher } from '../core/event-publisher.js';
import type { Logger } from '../core/logger.js';
import type { AgentMetrics } from '../metrics/agent-metrics.js';
import { CheckMemories } from './check-memories.js';
import { applyResult, type CheckMemory } from './check-state-machine.js';
import { CheckScheduler } from './check-scheduler.js';
import type { CheckHistoryStore, SupervisorEventsStore } from './health-stores.js';
import { closeCheckConnections, runCheck } from './checkers/run-check.js';
import { CodedError } from '../core/coded-error.js';
import type { CatalogEntry, ServiceCatalog } from './service-catalog.js';
import { Supervisor } from './supervisor.js';
import { UptimeCache } from './uptime-cache.js';

export interface HealthServiceOptions {
  catalog: ServiceCatalog;
  commands: Readonly<Record<string, CommandDefinition>>;
  history: CheckHistoryStore;
  supervisorEvents: SupervisorEventsStore;
  /** Supervised services write their output to `<logsDir>/<service id>.log`. */
  logsDir: string;
  retention: { rawMs: number; rollupMs: number };
  clock: Clock;
  random: () => number;
  logger: Logger;
  metrics: AgentMetrics;
  /** Announces check, service and supervisor changes. */
  events: EventPublisher;
}

const FLUSH_INTERVAL_MS = 500;
const PRUNE_INTERVAL_MS = 10 * 60_000;

/** A supervised service's health as a status, so a service without checks still shows whether it runs. */
const supervisorStatus: Record<SupervisorState['state'], CheckStatus> = {
  starting: 'passing',
  running: 'passing',
  backoff: 'warning',
  stopped: 'unknown',
  failed: 'critical',
};

const worst = (statuses: CheckStatus[]): CheckStatus =>
  statuses.reduce<CheckStatus>((acc, s) => (statusSeverity[s] > statusSeverity[acc] ? s : acc), 'passing');

/**
 * Runs every service's checks and supervised process: catalog → scheduler → checkers → state machine →
 * history, metrics and events. Catalog changes apply at once, without a restart.
 */
export class HealthService {
  private readonly scheduler: CheckScheduler;
  private readonly memories = new CheckMemories();
  /**
   * Status changes since the last flush, in order: announced after it (when the uptime counts them) rather than each
   * with a flush and an uptime query of its own, which at thousands of checks starting at once blocked the loop.
   */
  private changes: Array<{ serviceId: string; checkName: string; memory: CheckMemory }> = [];
  private readonly supervisors = new Map<string, { supervisor: Supervisor; signature: string }>();
  private readonly stoppingSupervisors = new Map<string, Promise<void>>();
  private stopping = false;
  private readonly uptime: UptimeCache;
  private readonly stopController = new AbortController();
  private readonly timers: Array<() => void> = [];
  private unsubscribeCatalog: (() => void) | null = null;

  constructor(private readonly options: HealthServiceOptions) {
    const { clock, random, logger, commands } = options;
    // Every run in flight listens for the stop (up to the scheduler's concurrency cap), not a leak.
    setMaxListeners(0, this.stopController.signal);
    this.uptime = new UptimeCache((serviceId, check) => {
      this.flushHistory(); // buffered results count too
      return options.history.uptime(serviceId, check, clock.now());
    }, clock);
    this.scheduler = new CheckScheduler({
      clock,
      random,
      logger,
      runAttempt: ({ serviceId, check }) =>
        runCheck(check, {
          signal: this.stopController.signal,
          commands,
          files: options.catalog.fileScope(serviceId, check.name),
          now: () => clock.now(),
        }),
      onResult: (run, result, lagMs) => this.onResult(run.serviceId, run.check, result, lagMs),
    });
  }

  start(): void {
    const { history, catalog } = this.options;
    for (const [key, memory] of history.loadStates()) {
      const [serviceId, checkName] = key.split('/') as [string, string];
      this.memories.set(serviceId, checkName, memory);
    }
    const known = new Set(catalog.list().map((entry) => entry.definition.id));
    for (const id of this.memories.serviceIds()) {
      if (!known.has(id)) this.apply(id); // a service removed while the agent was down: drop its state
    }
    for (const id of known) this.apply(id);
    this.unsubscribeCatalog = catalog.onChange((ids) => {
      for (const id of ids) this.apply(id);
      this.options.events.publish({ type: 'services.changed', data: { ids } });
    });
    this.scheduler.start();
    this.timers.push(
      repeat(this.options.clock, FLUSH_INTERVAL_MS, () => this.flush()),
      repeat(this.options.clock, PRUNE_INTERVAL_MS, () => this.prune()),
    );
    this.prune();
  }

  /** Stops scheduling, lets running checks finish, stops supervised processes and writes what is buffered. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribeCatalog?.();
    for (const cancel of this.timers.splice(0)) cancel();
    await this.scheduler.stop();
    this.stopController.abort();
    await Promise.all([...this.supervisors.values()].map(({ supervisor }) => supervisor.stop()));
    await Promise.all(this.stoppingSupervisors.values());
    this.supervisors.clear();
    closeCheckConnections();
    this.flush();
  }

  /** Every service; with `recentResults`, each check's last results too (one indexed query per check). */
  list(recentResults = 0): ServiceState[] {
    if (recentResults > 0) this.flush();
    return this.options.catalog.list().map(({ definition, source, checks: entryChecks }) => {
      const checks = entryChecks.map(({ check, template }) => {
        const state = this.checkState(definition.id, check, template);
        if (recentResults === 0) return state;
        return { ...state, recent: this.options.history.recent(definition.id, check.name, recentResults) };
      });
      const supervisor = this.supervisorView(definition.id);
      const statuses = checks.map((c) => c.status);
      if (supervisor) statuses.push(supervisorStatus[supervisor.state]);
      return {
        definition,
        source,
        status: statuses.length > 0 ? worst(statuses) : 'unknown',
        checks,
        supervisor,
      };
    });
  }

  /** The status of every check of every service, without results or uptime (cheap: the alert engine asks often). */
  checkStatuses(): Array<{ serviceId: string; check: string; status: CheckStatus }> {
    return this.options.catalog.list().flatMap(({ definition, checks }) =>
      checks.map(({ check }) => ({
        serviceId: definition.id,
        check: check.name,
        status: this.memories.get(definition.id, check.name)?.status ?? 'unknown',
      })),
    );
  }

  /** Counts for the node summary: cheap (no uptime queries), so it can run on every sample. */
  summary(): {
    health: CheckStatus;
    services: number;
    checks: Record<CheckStatus, number>;
    templates: Record<string, CheckStatus>;
  } {
    const checks = this.memories.statusCounts();
    const entries = this.options.catalog.list();
    const statuses: CheckStatus[] = (Object.keys(checks) as CheckStatus[]).filter((status) => checks[status] > 0);
    for (const { supervisor } of this.supervisors.values()) statuses.push(supervisorStatus[supervisor.state().state]);
    const health = statuses.length > 0 ? worst(statuses) : 'unknown';
    return { health, services: entries.length, checks, templates: this.templateStatuses(entries) };
  }

  /** The worst status of each fleet template's checks here: what the leader's quorum checks count. */
  private templateStatuses(entries: CatalogEntry[]): Record<string, CheckStatus> {
    const byTemplate = new Map<string, CheckStatus[]>();
    for (const { definition, checks } of entries) {
      for (const { check, template } of checks) {
        if (template === null) continue;
        const status = this.memories.get(definition.id, check.name)?.status ?? 'unknown';
        byTemplate.set(template, [...(byTemplate.get(template) ?? []), status]);
      }
    }
    return Object.fromEntries([...byTemplate].map(([template, found]) => [template, worst(found)]));
  }

  state(serviceId: string): ServiceState {
    const state = this.list().find((s) => s.definition.id === serviceId);
    if (!state) throw new CodedError('not_found', `no service "${serviceId}"`);
    return state;
  }

  runNow(serviceId: string, checkName: string): Promise<CheckResult> {
    this.findCheck(serviceId, checkName);
    return this.scheduler.runNow(serviceId, checkName);
  }

  report(serviceId: string, checkName: string, status: ResultStatus, output: string): void {
    if (this.findCheck(serviceId, checkName).type !== 'ttl') {
      throw new CodedError('invalid_request', `check "${serviceId}/${checkName}" is not a TTL check`);
    }
    this.scheduler.report(serviceId, checkName, status, output);
  }

  history(serviceId: string, checkName: string, fromMs: number, toMs: number) {
    this.findCheck(serviceId, checkName);
    const { history, retention, clock } = this.options;
    this.flush();
    return history.history(serviceId, checkName, fromMs, toMs, retention.rawMs, clock.now());
  }

  private findCheck(serviceId: string, checkName: string): CheckDefinition {
    const entry = this.options.catalog.get(serviceId);
    if (!entry) throw new CodedError('not_found', `no service "${serviceId}"`);
    const check = entry.checks.find((c) => c.check.name === checkName)?.check;
    if (!check) throw new CodedError('not_found', `service "${serviceId}" has no check "${checkName}"`);
    return check;
  }

  private checkState(
    serviceId: string,
    check: CheckDefinition,
    template: string | null,
    memory = this.memories.get(serviceId, check.name),
  ): CheckState {
    return {
      name: check.name,
      type: check.type,
      status: memory?.status ?? 'unknown',
      since: memory?.since ?? this.options.clock.now(),
      lastResult: memory?.lastResult ?? null,
      uptime: this.uptime.get(serviceId, check.name),
      template,
    };
  }

  /** Brings the scheduler and supervisor of one service in line with its catalog entry (added, changed or removed). */
  private apply(serviceId: string): void {
    const entry = this.options.catalog.get(serviceId);
    if (!entry) {
      this.scheduler.remove(serviceId);
      this.forgetChecks(serviceId, []);
      this.options.history.deleteService(serviceId);
      this.stopSupervisor(serviceId);
      return;
    }
    const { definition } = entry;
    const checks = entry.checks.map((c) => c.check);
    this.scheduler.set(serviceId, checks);
    this.forgetChecks(
      serviceId,
      checks.map((c) => c.name),
    );
    const signature = JSON.stringify(definition.supervise ?? null);
    if (this.supervisors.get(serviceId)?.signature === signature) return;
    this.stopSupervisor(serviceId);
    if (definition.supervise) this.startSupervisor(serviceId, definition.supervise, signature);
  }

  private startSupervisor(
    serviceId: string,
    supervision: NonNullable<ServiceState['definition']['supervise']>,
    signature: string,
  ) {
    const { clock, random, logger, commands, supervisorEvents, metrics } = this.options;
    const supervisor = new Supervisor({
      serviceId,
      supervision,
      command: commands[supervision.command]!,
      logFile: serviceLogFile(this.options.logsDir, serviceId),
      clock,
      random,
      logger: logger.child({ service: serviceId }),
      events: supervisorEvents,
    });
    let restarts = supervisorEvents.restartsSince(serviceId, 0);
    supervisor.onChange(() => {
      const view = this.supervisorView(serviceId);
      if (!view) return;
      if (view.restarts > restarts) metrics.serviceRestarts.inc({ service: serviceId }, view.restarts - restarts);
      restarts = view.restarts;
      this.options.events.publish({ type: 'supervisor.changed', data: { serviceId, supervisor: view } });
    });
    this.supervisors.set(serviceId, { supervisor, signature });
    // A replaced supervisor's process must be gone before its successor starts the same command.
    const previous = this.stoppingSupervisors.get(serviceId) ?? Promise.resolve();
    void previous.then(() => {
      if (!this.stopping && this.supervisors.get(serviceId)?.supervisor === supervisor) supervisor.start();
    });
  }

  /** The supervisor's state with its all-time restart count, which is what an operator asks about. */
  private supervisorView(serviceId: string): SupervisorState | null {
    const state = this.supervisors.get(serviceId)?.supervisor.state();
    return state ? { ...state, restarts: this.options.supervisorEvents.restartsSince(serviceId, 0) } : null;
  }

  private stopSupervisor(serviceId: string): void {
    const current = this.supervisors.get(serviceId);
    if (!current) return;
    this.supervisors.delete(serviceId);
    const stopping = current.supervisor.stop().finally(() => {
      if (this.stoppingSupervisors.get(serviceId) === stopping) this.stoppingSupervisors.delete(serviceId);
    });
    this.stoppingSupervisors.set(serviceId, stopping);
  }

  /** Drops state, metrics and cached uptime of checks a service no longer has. */
  private forgetChecks(serviceId: string, keep: string[]): void {
    const forgotten = this.memories.retain(serviceId, keep);
    for (const name of forgotten) {
      this.options.metrics.checkState.remove({ service: serviceId, check: name });
      this.uptime.forget(serviceId, name);
    }
    if (forgotten.length === 0) return;
    this.changes = this.changes.filter((c) => c.serviceId !== serviceId || !forgotten.includes(c.checkName));
    this.countByStatus();
  }

  /** Per result, so kept cheap: the catalog is read only when the status changes (the scheduler drops removed checks). */
  private onResult(serviceId: string, check: CheckDefinition, result: CheckResult, lagMs: number): void {
    const { metrics, history } = this.options;
    const previous = this.memories.get(serviceId, check.name) ?? null;
    const memory = applyResult(previous, result, check);
    this.memories.set(serviceId, check.name, memory);
    history.record(serviceId, check.name, result);
    metrics.checkRuns.inc({ type: check.type, status: result.status });
    metrics.checkDuration.observe({ type: check.type }, result.latencyMs / 1000);
    metrics.checkLag.observe(lagMs / 1000);
    metrics.checkState.set({ service: serviceId, check: check.name }, statusSeverity[memory.status]);
    if (previous?.status === memory.status) return;

    history.saveState(serviceId, check.name, memory);
    this.uptime.forget(serviceId, check.name);
    this.countByStatus();
    this.options.logger.info(
      {
        service: serviceId,
        check: check.name,
        from: previous?.status ?? null,
        to: memory.status,
        output: result.output,
      },
      'check changed state',
    );
    this.changes.push({ serviceId, checkName: check.name, memory });
    const supervised = this.supervisors.get(serviceId);
    const supervision = supervised && this.options.catalog.get(serviceId)?.definition.supervise;
    if (supervised && supervision?.restartOnCritical && memory.status === 'critical') {
      void supervised.supervisor.restart(`check ${check.name} is critical: ${result.output}`);
    }
  }

  private countByStatus(): void {
    for (const [status, count] of Object.entries(this.memories.statusCounts())) {
      this.options.metrics.checksByStatus.set({ status }, count);
    }
  }

  /** Writes buffered results, then announces the status changes since the last flush. */
  private flush(): void {
    this.flushHistory();
    const changes = this.changes;
    this.changes = [];
    for (const { serviceId, checkName, memory } of changes) {
      const current = this.options.catalog.get(serviceId)?.checks.find((c) => c.check.name === checkName);
      if (!current) continue; // removed meanwhile
      this.options.events.publish({
        type: 'check.changed',
        data: { serviceId, check: this.checkState(serviceId, current.check, current.template, memory) },
      });
    }
  }

  private flushHistory(): void {
    try {
      this.options.history.flush();
    } catch (error) {
      this.options.logger.error({ err: error }, 'writing check results failed; they stay buffered');
    }
  }

  private prune(): void {
    const { history, retention, clock, logger } = this.options;
    history.prune(clock.now(), retention.rawMs, retention.rollupMs).then(
      (pruned) => logger.debug({ pruned }, 'pruned check history'),
      (error: unknown) => logger.warn({ err: error }, 'pruning check history failed'),
    );
  }
}

/** The folder of supervised services' output, in the data dir. */
export const serviceLogsDir = (dataDir: string): string => join(dataDir, 'logs');

/** Where a supervised service's output goes (and where the log scanner reads it). */
export const serviceLogFile = (logsDir: string, serviceId: string): string => join(logsDir, `${serviceId}.log`);
