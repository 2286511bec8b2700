import { randomBytes } from 'node:crypto';
import type { AgentConfig } from '../../shared/config.js';
import type { AgentState, ClusterStatus, Member, NodeStatus } from '../../shared/node.js';
import { createAlertDeliveryCapability } from '../alert-delivery/capability.js';
import { createAlertsCapability } from '../alerts/capability.js';
import { createAuditCapability } from '../audit/capability.js';
import { createAuthCapability } from '../auth/capability.js';
import { createDispatcher, type Dispatcher } from '../api/dispatcher.js';
import { EventBus } from '../api/event-bus.js';
import { handlerTable } from '../api/handler-table.js';
import { fixedBackendControl, type BackendControl } from '../cluster/backend-control.js';
import { createClusterCapability, type ClusterCapability } from '../cluster/capability.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { createBackend } from '../cluster/create-backend.js';
import type { Clock } from '../core/clock.js';
import { componentLogger, type Logger } from '../core/logger.js';
import { version } from '../core/version.js';
import { createDemoCapability } from '../demo/capability.js';
import { withDemo } from '../demo/demo-config.js';
import { createDesktopNotificationsCapability } from '../desktop-notifications/capability.js';
import type { DesktopNotifierPort } from '../desktop-notifications/desktop-notifier-port.js';
import { createFleetConfigCapability } from '../fleet-config/capability.js';
import { createFleetRulesCapability } from '../fleet-rules/capability.js';
import { FleetConfig } from '../fleet-config/fleet-config.js';
import type { ResourceProbe } from '../health/resource-monitor.js';
import { createLogsCapability } from '../logs/capability.js';
import { createAgentMetrics, type AgentMetrics } from '../metrics/agent-metrics.js';
import { createNodeCapability, type NodeCapability } from '../node/capability.js';
import { createNotificationsCapability } from '../notifications/capability.js';
import { createServiceMetricsCapability } from '../service-metrics/capability.js';
import { createAnomalyCapability } from '../anomaly/capability.js';
import { createServicesCapability } from '../services/capability.js';
import { Store } from '../store/store.js';
import { createTasksCapability } from '../tasks/capability.js';
import type { CapabilityContext, CapabilityLifecycle } from './capability.js';
import { NodeSummaryBoard } from './node-summary-board.js';

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
  /** The desktop app's OS notifications; a headless agent has none. */
  desktopNotifier?: DesktopNotifierPort;
}

/** The composition root: builds the node's capabilities from a validated config and runs their lifecycle. */
export class Agent {
  readonly events: EventBus;
  readonly metrics: AgentMetrics;
  readonly dispatcher: Dispatcher;
  readonly nodeId: string;
  private stateValue: AgentState = 'starting';
  private readonly runId: number;
  private readonly logger: Logger;
  /** Started in this order, stopped in reverse. */
  private readonly capabilities: readonly CapabilityLifecycle[];
  private readonly node: NodeCapability;
  private readonly cluster: ClusterCapability;

  private constructor(
    config: AgentConfig,
    private readonly deps: AgentDeps,
    private readonly store: Store,
  ) {
    const { clock } = deps;
    const logger = (component: string) => componentLogger(deps.logger, component);
    this.logger = logger('agent');
    const startedAt = clock.now();
    this.nodeId = config.nodeId ?? store.settings.getOrCreate('node.id', generateNodeId, startedAt);
    const previous = store.runs.latest();
    if (previous && previous.stoppedAt === null) {
      this.logger.warn({ startedAt: previous.startedAt }, 'the previous run did not stop cleanly');
    }
    this.runId = store.runs.start(this.nodeId, version, startedAt);
    this.events = new EventBus(logger('events'));
    this.metrics = createAgentMetrics(version);
    const backend =
      deps.backend ??
      createBackend(config.backend, {
        cluster: config.cluster,
        clock,
        logger: logger('cluster'),
        durableKeys: store.localKv,
      });
    const summary = new NodeSummaryBoard(clock, logger('summary'));
    const context: CapabilityContext = {
      config: withDemo(config, deps.resourcesDir),
      node: { id: this.nodeId, startedAt },
      clock,
      random: deps.random ?? Math.random,
      logger,
      store,
      events: this.events,
      metrics: this.metrics,
      backend,
      fleet: new FleetConfig({
        backend,
        cache: store.fleetConfig,
        now: () => clock.now(),
        logger: logger('fleet-config'),
      }),
      summary,
      call: (method, params, caller) => this.dispatcher.call(method, params, caller),
    };

    this.cluster = createClusterCapability(context, deps.backendControl ?? fixedBackendControl(config.backend));
    this.node = createNodeCapability(context, { probe: deps.probe, cluster: this.cluster });
    const services = createServicesCapability(context);
    const logs = createLogsCapability(context, services.catalog);
    const serviceMetrics = createServiceMetricsCapability(context, services.catalog);
    const anomaly = createAnomalyCapability(context, serviceMetrics.signals);
    const alerts = createAlertsCapability(
      context,
      {
        resources: () => this.node.latest(),
        checks: () => services.checkStatuses(),
        countLogMatches: (patternId, sinceMs) => logs.countSince(patternId, sinceMs),
        serviceSignals: (signal) => anomaly.detector.observations(signal, clock.now()),
      },
      (query) => alertDelivery.list(query),
    );
    const audit = createAuditCapability(context);
    const notifications = createNotificationsCapability(context);
    const alertDelivery = createAlertDeliveryCapability(context, {
      cluster: this.cluster,
      outbox: notifications.service,
      alerts: alerts.delivery,
      silenced: alerts.delivery.silenced,
    });
    const tasks = createTasksCapability(context, {
      cluster: this.cluster,
      // A check run has its own timeout, which bounds the task's wait.
      runCheck: (serviceId, check) => services.runNow(serviceId, check),
    });
    // The demo's sample servers are up before checks start and stay up until they have stopped.
    const capabilities = [
      this.cluster,
      createFleetConfigCapability(context),
      createDemoCapability(context, services),
      services,
      serviceMetrics,
      anomaly,
      logs,
      alerts,
      notifications,
      alertDelivery,
      createDesktopNotificationsCapability(context, { records: alertDelivery.records, port: deps.desktopNotifier }),
      tasks,
      createFleetRulesCapability(context, { cluster: this.cluster, silenced: alerts.delivery.silenced }),
      audit,
      this.node,
      createAuthCapability(context),
    ] as const;
    this.capabilities = capabilities;
    summary.compose(capabilities);
    this.dispatcher = createDispatcher(handlerTable(capabilities), {
      logger: logger('api'),
      onCall: (call) => {
        const { method, outcome, seconds } = call;
        this.metrics.rpcRequests.inc({ method, code: outcome.ok ? 'ok' : outcome.error.code });
        this.metrics.rpcDuration.observe({ method }, seconds);
        audit.record(call);
      },
    });
  }

  /** Opens the database (migrating it) and builds the capabilities; nothing runs until start(). */
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

  /** Starts every capability in order, the first joining the fleet under `apiUrl`; then ready. */
  async start(apiUrl: string): Promise<void> {
    for (const capability of this.capabilities) await capability.start?.({ apiUrl });
    this.setState('ready');
    this.logger.info({ nodeId: this.nodeId, apiUrl }, 'agent ready');
  }

  /** Stops every capability in reverse order (the last leaves the fleet), then closes the database. Idempotent. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopping' || this.stateValue === 'stopped') return;
    this.setState('stopping');
    for (const capability of [...this.capabilities].reverse()) await capability.stop?.();
    this.store.runs.finish(this.runId, this.deps.clock.now());
    this.store.close();
    this.setState('stopped');
    this.logger.info('agent stopped');
  }

  nodeStatus(): NodeStatus {
    return this.node.status();
  }

  members(): Member[] {
    return this.cluster.members();
  }

  clusterStatus(): ClusterStatus {
    return this.cluster.status();
  }

  private setState(state: AgentState): void {
    this.stateValue = state;
    this.metrics.ready.set(state === 'ready' ? 1 : 0);
    this.events.publish({ type: 'agent.state', data: { state } });
  }
}

const generateNodeId = (): string => `node-${randomBytes(4).toString('hex')}`;
