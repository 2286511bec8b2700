import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AgentConfig } from '../../shared/config.js';
import type { AgentEvent } from '../../shared/events.js';
import { diffMembers } from '../../shared/member-changes.js';
import type { AgentState, ClusterStatus, Member, MemberRecord, NodeStatus, ResourcePoint } from '../../shared/node.js';
import { createDispatcher, type Dispatcher } from '../api/dispatcher.js';
import { EventBus } from '../api/event-bus.js';
import { createHandlers } from '../api/handlers.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { createBackend } from '../cluster/create-backend.js';
import { FleetMembership } from '../cluster/fleet-membership.js';
import { callMember } from '../cluster/remote-call.js';
import { testConnection } from '../cluster/test-connection.js';
import { withKeptPassword } from '../config/backend-settings.js';
import { repeat, type Clock } from '../core/clock.js';
import { coalesce } from '../core/coalesce.js';
import { componentLogger, type Logger } from '../core/logger.js';
import { version } from '../core/version.js';
import { DemoData } from '../demo/demo-data.js';
import { demoAlertRules, demoLogPatterns } from '../demo/demo-rules.js';
import { demoCommand, demoCommandName } from '../demo/demo-services.js';
import { HealthService } from '../health/health-service.js';
import { ResourceMonitor, type ResourceProbe } from '../health/resource-monitor.js';
import { ServiceCatalog } from '../health/service-catalog.js';
import { systemResourceProbe } from '../health/system-resource-probe.js';
import { createAgentMetrics, type AgentMetrics } from '../metrics/agent-metrics.js';
import { AlertEngine } from '../alerts/alert-engine.js';
import { compilePattern, testPattern } from '../logs/compile-pattern.js';
import { LogScanner } from '../logs/log-scanner.js';
import { Store } from '../store/store.js';
import { createFleetConfig, type FleetConfig } from './fleet-config.js';
import { logSources } from './log-sources.js';
import { fixedBackendControl, type BackendControl } from './backend-control.js';
import { nodeSummary } from './node-summary.js';

export interface AgentDeps {
  clock: Clock;
  logger: Logger;
  /** Replaces systeminformation (tests that need exact figures). */
  probe?: ResourceProbe;
  /** Replaces the backend the config names (tests that share one coordinator between agents). */
  backend?: CoordinationBackend;
  /** better_sqlite3.node built for Electron's ABI, when running inside Electron. */
  nativeBinding?: string;
  /** Jitter source for retries, backoff and schedule spreading. */
  random?: () => number;
  /** Where resources/demo/log-writer.mjs lives; needed only with `demo: true`. */
  resourcesDir?: string;
  /** `cluster.settings` / `cluster.configure` (runAgent, which can replace this agent); without it the backend is fixed. */
  backendControl?: BackendControl;
}

const hour = 3_600_000;
const PRUNE_INTERVAL_MS = 10 * 60_000;
const MEMBER_EVENT_INTERVAL_MS = 250;

/** The composition root: builds the node's services from a validated config and runs their lifecycle. */
export class Agent {
  readonly events: EventBus;
  readonly metrics: AgentMetrics;
  readonly dispatcher: Dispatcher;
  readonly nodeId: string;
  private stateValue: AgentState = 'starting';
  private readonly startedAt: number;
  private readonly runId: number;
  private readonly logger: Logger;
  private readonly monitor: ResourceMonitor;
  private membership: FleetMembership | null = null;
  private readonly backend: CoordinationBackend;
  private readonly fleet: FleetConfig;
  private readonly logScanner: LogScanner;
  private readonly alertEngine: AlertEngine;
  private readonly stopHooks: Array<() => void> = [];
  private readonly catalog: ServiceCatalog;
  private readonly health: HealthService;
  private readonly demo: DemoData | null;

  private constructor(
    private readonly config: AgentConfig,
    private readonly deps: AgentDeps,
    private readonly store: Store,
  ) {
    const { clock } = deps;
    this.logger = componentLogger(deps.logger, 'agent');
    this.startedAt = clock.now();
    this.nodeId = config.nodeId ?? store.settings.getOrCreate('node.id', generateNodeId, clock.now());
    const previous = store.runs.latest();
    if (previous && previous.stoppedAt === null) {
      this.logger.warn({ startedAt: previous.startedAt }, 'the previous run did not stop cleanly');
    }
    this.runId = store.runs.start(this.nodeId, version, this.startedAt);
    this.events = new EventBus(componentLogger(deps.logger, 'events'));
    this.metrics = createAgentMetrics(version);
    const random = deps.random ?? Math.random;
    const commands = { ...config.commands };
    const logsDir = join(config.dataDir, 'logs');
    if (config.demo) {
      if (!deps.resourcesDir) throw new Error('the demo needs resourcesDir (where resources/demo lives)');
      commands[demoCommandName] = demoCommand(join(deps.resourcesDir, 'demo', 'log-writer.mjs'));
    }
    this.catalog = new ServiceCatalog({
      configServices: config.services,
      commands,
      repository: store.services,
      logger: componentLogger(deps.logger, 'services'),
      now: () => clock.now(),
    });
    // Demo services live only while the demo runs; a plain agent on the same data dir drops them.
    if (!config.demo) this.catalog.removeDemo();
    this.demo = config.demo
      ? new DemoData({
          catalog: this.catalog,
          settings: store.settings,
          clock,
          random,
          logger: componentLogger(deps.logger, 'demo'),
        })
      : null;
    this.health = new HealthService({
      catalog: this.catalog,
      commands,
      history: store.checkHistory,
      supervisorEvents: store.supervisorEvents,
      logsDir,
      retention: {
        rawMs: config.history.rawRetentionHours * hour,
        rollupMs: config.history.rollupRetentionDays * 24 * hour,
      },
      clock,
      random,
      logger: componentLogger(deps.logger, 'health'),
      metrics: this.metrics,
      events: this.events,
    });
    this.backend =
      deps.backend ??
      createBackend(config.backend, {
        cluster: config.cluster,
        clock,
        logger: componentLogger(deps.logger, 'cluster'),
        durableKeys: store.localKv,
      });
    this.monitor = new ResourceMonitor({
      probe: deps.probe ?? systemResourceProbe(config.dataDir, clock),
      clock,
      intervalMs: config.resources.intervalMs,
      logger: componentLogger(deps.logger, 'resources'),
    });
    this.logScanner = new LogScanner({
      sources: () => logSources(this.catalog, config.logFiles, logsDir),
      matches: store.logMatches,
      offsets: store.logOffsets,
      clock,
      logger: componentLogger(deps.logger, 'logs'),
      metrics: { matches: this.metrics.logMatches },
      events: this.events,
    });
    this.logScanner.setConfigPatterns([...config.logPatterns, ...(config.demo ? demoLogPatterns() : [])]);
    this.alertEngine = new AlertEngine({
      repository: store.alerts,
      clock,
      logger: componentLogger(deps.logger, 'alerts'),
      inputs: {
        resources: () => this.monitor.latest(),
        checks: () => this.health.checkStatuses(),
        countLogMatches: (patternId, sinceMs) => this.logScanner.countSince(patternId, sinceMs),
      },
      metrics: { firing: this.metrics.alertsFiring, transitions: this.metrics.alertTransitions },
      events: this.events,
    });
    this.alertEngine.setConfigRules([...config.alertRules, ...(config.demo ? demoAlertRules() : [])]);
    this.fleet = createFleetConfig(
      {
        services: {
          applyFleet: (service) => this.catalog.applyFleet(service),
          withdrawFleet: (id) => this.catalog.withdrawFleet(id),
          fleetIds: () => this.catalog.list().flatMap((e) => (e.source === 'fleet' ? [e.definition.id] : [])),
        },
        logPatterns: this.logScanner,
        alertRules: this.alertEngine,
        checkTemplates: {
          applyFleet: (template) => this.catalog.applyTemplate(template),
          withdrawFleet: (id) => this.catalog.withdrawTemplate(id),
          fleetIds: () => this.catalog.templateIds(),
        },
      },
      {
        backend: this.backend,
        cache: store.fleetConfig,
        now: () => clock.now(),
        logger: componentLogger(deps.logger, 'fleet-config'),
      },
    );
    this.dispatcher = createDispatcher(
      createHandlers({
        node: {
          status: () => this.nodeStatus(),
          members: () => this.members(),
          resources: (fromMs, toMs) => this.resources(fromMs, toMs),
        },
        cluster: {
          leader: () => this.membership?.leader() ?? null,
          status: () => this.clusterStatus(),
          testConnection: (backend) => testConnection(withKeptPassword(backend, config.backend)),
          settings: () => (deps.backendControl ?? fixedBackendControl(config.backend)).settings(),
          configure: (backend) => (deps.backendControl ?? fixedBackendControl(config.backend)).configure(backend),
          call: (memberId, method, params, caller) =>
            callMember(this.members(), memberId, method, params, caller, {
              id: this.nodeId,
              call: (m, p, c) => this.dispatcher.call(m, p, c),
            }),
        },
        health: this.health,
        catalog: this.catalog,
        fleet: this.fleet,
        logs: {
          patterns: () => this.logScanner.patterns(),
          sourceStates: () => this.logScanner.sourceStates(),
          matchList: (query) => this.logScanner.matchList(query),
          test: (request) => testPattern(request),
          validate: (pattern) => void compilePattern(pattern),
        },
        alerts: this.alertEngine,
        removeDemo: async () => (this.demo ? this.demo.remove() : this.catalog.removeDemo().length),
      }),
      {
        logger: componentLogger(deps.logger, 'api'),
        onCall: (method, code, seconds) => {
          this.metrics.rpcRequests.inc({ method, code });
          this.metrics.rpcDuration.observe({ method }, seconds);
        },
      },
    );
  }

  /** Opens the database (migrating it) and builds the services; nothing runs until start(). */
  static open(config: AgentConfig, deps: AgentDeps): Agent {
    const store = Store.open(config.dataDir, { now: deps.clock.now(), nativeBinding: deps.nativeBinding });
    const { migration } = store;
    if (migration.applied.length > 0) {
      componentLogger(deps.logger, 'store').info({ file: store.file, ...migration }, 'database migrated');
    }
    return new Agent(config, deps, store);
  }

  get state(): AgentState {
    return this.stateValue;
  }

  get dataFile(): string {
    return this.store.file;
  }

  /** Joins the fleet under `apiUrl` (where other members reach this node) and starts sampling; then ready. */
  async start(apiUrl: string): Promise<void> {
    const { clock, logger } = this.deps;
    const clusterLogger = componentLogger(logger, 'cluster');
    this.membership = new FleetMembership({
      backend: this.backend,
      record: this.memberRecord(apiUrl),
      ttlSeconds: this.config.leaseTtlSeconds,
      campaign: this.config.campaign ?? (this.config.role === 'agent' || this.config.backend.kind === 'local'),
      clock,
      logger: clusterLogger,
    });
    // In a large fleet summaries change many times a second; UIs get what changed at most 4 times a second.
    const sent = new Map<string, string>();
    const memberEvents = coalesce(clock, MEMBER_EVENT_INTERVAL_MS, () => {
      const members = this.members();
      this.metrics.members.set(members.length);
      const changes = diffMembers(sent, members);
      if (changes) this.publish({ type: 'cluster.membersChanged', data: changes });
      this.publish({ type: 'node.status', data: this.nodeStatus() });
    });
    this.stopHooks.push(
      this.membership.onMembers(() => memberEvents.trigger()),
      () => memberEvents.cancel(),
      this.membership.onLeadership((leadership) => {
        this.metrics.leader.set(leadership ? 1 : 0);
        this.publishSummary(true);
        this.publish({ type: 'node.status', data: this.nodeStatus() });
      }),
      this.membership.onStatus((status) => {
        this.metrics.coordinationConnected.set(status.state === 'connected' ? 1 : 0);
        this.publish({ type: 'cluster.status', data: status });
      }),
      this.membership.onSplitBrain(() => this.metrics.splitBrains.inc()),
      this.monitor.onSample((sample) => {
        this.metrics.recordResources(sample);
        this.store.resourceHistory.record(sample);
        this.publishSummary();
        this.publish({ type: 'node.status', data: this.nodeStatus() });
      }),
      repeat(clock, PRUNE_INTERVAL_MS, () => this.pruneHistory()),
    );
    await this.membership.join();
    this.stopHooks.push(
      this.fleet.start(),
      this.fleet.onErrors(() => this.publishSummary()),
      this.fleet.onChanged((kind, id) => this.publish({ type: 'fleetConfig.changed', data: { kind, id } })),
      this.catalog.onChange(() => this.logScanner.refreshSources()),
      this.events.subscribe((event) => {
        if (event.type === 'alert.changed') this.publishSummary(true);
      }),
    );
    this.pruneHistory();
    this.health.start();
    this.logScanner.start();
    this.alertEngine.start();
    await this.demo?.start();
    this.monitor.start();
    this.setState('ready');
    this.logger.info({ nodeId: this.nodeId, apiUrl }, 'agent ready');
  }

  /** Stops taking work, leaves the fleet (handing leadership over at once), and closes the database. Idempotent. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopping' || this.stateValue === 'stopped') return;
    this.setState('stopping');
    this.monitor.stop();
    for (const unsubscribe of this.stopHooks.splice(0)) unsubscribe();
    this.alertEngine.stop();
    await this.logScanner.stop();
    await this.health.stop();
    await this.demo?.stop();
    try {
      await this.membership?.leave();
    } catch (error) {
      this.logger.warn({ err: error }, 'leaving the fleet failed; the lease will expire by itself');
    }
    this.store.runs.finish(this.runId, this.deps.clock.now());
    this.store.close();
    this.setState('stopped');
    this.logger.info('agent stopped');
  }

  nodeStatus(): NodeStatus {
    const now = this.deps.clock.now();
    return {
      id: this.nodeId,
      name: this.config.name,
      role: this.config.role,
      labels: this.config.labels,
      version,
      leader: this.membership?.leadership() != null,
      startedAt: this.startedAt,
      uptimeSeconds: Math.max(0, (now - this.startedAt) / 1000),
      resources: this.monitor.latest(),
    };
  }

  members(): Member[] {
    return this.membership?.members() ?? [];
  }

  clusterStatus(): ClusterStatus {
    return (
      this.membership?.status() ?? {
        backend: this.config.backend.kind,
        state: 'connecting',
        lastError: null,
        leader: null,
        facts: null,
        leaderClaims: [],
      }
    );
  }

  /** Puts this node's current summary on its member record (throttled unless `urgent`). */
  private publishSummary(urgent = false): void {
    const summary = nodeSummary(
      this.health.summary(),
      this.monitor.latest(),
      this.membership?.leadership() ?? null,
      this.fleet.errors(),
      this.alertEngine.openCounts(),
      this.deps.clock.now(),
    );
    this.membership?.publishSummary(summary, urgent);
  }

  resources(fromMs: number, toMs: number): ResourcePoint[] {
    const rawMs = this.config.history.rawRetentionHours * hour;
    return this.store.resourceHistory.history(fromMs, toMs, rawMs, this.deps.clock.now());
  }

  /** Resource samples, log matches and resolved alerts past their retention. */
  private pruneHistory(): void {
    const { rawRetentionHours, rollupRetentionDays } = this.config.history;
    const now = this.deps.clock.now();
    this.logScanner.prune(now, rawRetentionHours * hour);
    this.alertEngine.prune(now, rollupRetentionDays * 24 * hour);
    this.store.resourceHistory
      .prune(now, rawRetentionHours * hour, rollupRetentionDays * 24 * hour)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'pruning resource history failed'));
  }

  private memberRecord(apiUrl: string): MemberRecord {
    const { name, role, labels } = this.config;
    return { id: this.nodeId, name, role, labels, version, apiUrl, startedAt: this.startedAt };
  }

  private setState(state: AgentState): void {
    this.stateValue = state;
    this.metrics.ready.set(state === 'ready' ? 1 : 0);
    this.publish({ type: 'agent.state', data: { state } });
  }

  private publish(event: AgentEvent): void {
    this.events.publish(event);
  }
}

const generateNodeId = (): string => `node-${randomBytes(4).toString('hex')}`;
