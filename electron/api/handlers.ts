import type { BackendUpdate, ClusterSettings, ConfigureResult } from '../../shared/cluster-settings.js';
import type {
  ClusterStatus,
  ConnectionTestResult,
  LeaderInfo,
  Member,
  NodeStatus,
  ResourcePoint,
} from '../../shared/node.js';
import type { Alert, AlertRuleState } from '../../shared/alerts.js';
import type {
  LogMatch,
  LogPattern,
  LogPatternState,
  LogSourceState,
  PatternTestResult,
} from '../../shared/log-patterns.js';
import type { CallerContext, RpcRequest } from '../../shared/rpc.js';
import type { FleetConfig } from '../agent/fleet-config.js';
import type { FleetConfigSync } from '../cluster/fleet-config-sync.js';
import { CodedError } from '../core/coded-error.js';
import type { HealthService } from '../health/health-service.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import type { HandlerTable } from './dispatcher.js';

/** What the handlers need from the agent; kept narrow so each handler reads as one line of intent. */
export interface HandlerDeps {
  node: {
    status(): NodeStatus;
    members(): Member[];
    resources(fromMs: number, toMs: number): ResourcePoint[];
  };
  cluster: {
    leader(): LeaderInfo | null;
    status(): ClusterStatus;
    testConnection(backend: BackendUpdate): Promise<ConnectionTestResult>;
    settings(): ClusterSettings;
    /** Saves the backend and restarts the agent on it. */
    configure(backend: BackendUpdate): Promise<ConfigureResult>;
    call(memberId: string, method: string, params: unknown, caller: CallerContext): Promise<unknown>;
  };
  health: HealthService;
  catalog: ServiceCatalog;
  fleet: FleetConfig;
  logs: {
    patterns(): LogPatternState[];
    sourceStates(): LogSourceState[];
    matchList(query: RpcRequest<'logs.matches'>): LogMatch[];
    test(request: RpcRequest<'logs.patterns.test'>): PatternTestResult;
    /** Throws (naming the field) when this node could not compile the pattern. */
    validate(pattern: LogPattern): void;
  };
  alerts: {
    rules(): AlertRuleState[];
    alerts(query: RpcRequest<'alerts.list'>): Alert[];
  };
  /** Removes the demo's sample services for good; 0 when there are none. */
  removeDemo(): Promise<number>;
}

export const createHandlers = ({
  node,
  cluster,
  health,
  catalog,
  fleet,
  logs,
  alerts,
  removeDemo,
}: HandlerDeps): HandlerTable => ({
  'node.status': () => node.status(),
  'cluster.members': () => node.members(),
  'cluster.leader': () => cluster.leader(),
  'cluster.status': () => cluster.status(),
  'cluster.testConnection': ({ backend }) => cluster.testConnection(backend),
  'cluster.settings': () => cluster.settings(),
  'cluster.configure': ({ backend }) => cluster.configure(backend),
  'cluster.call': ({ memberId, method, params }, caller) => cluster.call(memberId, method, params, caller),
  'node.resources': ({ fromMs, toMs }) => ({ points: node.resources(fromMs, toMs) }),
  'services.list': () => health.list(),
  'services.upsert': ({ service }) => {
    catalog.upsert([service], 'api');
    return health.state(service.id);
  },
  'services.remove': ({ id }) => ({ removed: catalog.remove(id) }),
  'services.removeDemo': async () => ({ removed: await removeDemo() }),
  'services.export': () => ({ yaml: catalog.exportYaml() }),
  'services.import': ({ yaml }) => ({ imported: catalog.importYaml(yaml) }),
  'fleet.services.list': async () =>
    (await fleet.services.list()).map(({ id, value, problem }) => ({ id, service: value, problem })),
  'fleet.services.put': async ({ service }) => ({ revision: await fleet.services.put(service.id, service) }),
  'fleet.services.remove': fleetRemove(fleet.services),
  'fleet.logPatterns.list': () => fleet.logPatterns.list(),
  // Checked here first so the console hears at once about a regex no agent could compile.
  'fleet.logPatterns.put': fleetPut(fleet.logPatterns, (pattern) => logs.validate(pattern)),
  'fleet.logPatterns.remove': fleetRemove(fleet.logPatterns),
  'fleet.alertRules.list': () => fleet.alertRules.list(),
  'fleet.alertRules.put': fleetPut(fleet.alertRules),
  'fleet.alertRules.remove': fleetRemove(fleet.alertRules),
  'fleet.checkTemplates.list': () => fleet.checkTemplates.list(),
  'fleet.checkTemplates.put': fleetPut(fleet.checkTemplates),
  'fleet.checkTemplates.remove': fleetRemove(fleet.checkTemplates),
  'logs.patterns.list': () => logs.patterns(),
  'logs.patterns.test': (request) => logs.test(request),
  'logs.sources': () => logs.sourceStates(),
  'logs.matches': (query) => ({ matches: logs.matchList(query) }),
  'alerts.rules.list': () => alerts.rules(),
  'alerts.list': (query) => alerts.alerts(query),
  'checks.history': ({ serviceId, check, fromMs, toMs }) => health.history(serviceId, check, fromMs, toMs),
  'checks.runNow': ({ serviceId, check }) => health.runNow(serviceId, check),
  'checks.report': ({ serviceId, check, status, output }) => {
    health.report(serviceId, check, status, output);
    return { accepted: true as const };
  },
});

const fleetPut =
  <T extends { id: string }>(sync: FleetConfigSync<T>, validate: (value: T) => void = () => {}) =>
  async ({ value }: { value: T }) => {
    try {
      validate(value);
    } catch (error) {
      if (!(error instanceof CodedError)) throw error;
      const issues = error.issues?.map((issue) => ({ ...issue, path: `value.${issue.path}` }));
      throw new CodedError(error.code, error.message, issues);
    }
    return { revision: await sync.put(value.id, value) };
  };

const fleetRemove =
  <T>(sync: FleetConfigSync<T>) =>
  async ({ id }: { id: string }) => {
    await sync.delete(id);
    return { removed: true as const };
  };
