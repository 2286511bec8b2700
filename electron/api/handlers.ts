import type { BackendConfig } from '../../shared/config.js';
import type {
  ClusterStatus,
  ConnectionTestResult,
  LeaderInfo,
  Member,
  NodeStatus,
  ResourcePoint,
} from '../../shared/node.js';
import type { ServiceDefinition } from '../../shared/services.js';
import type { FleetConfigSync } from '../cluster/fleet-config-sync.js';
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
    testConnection(backend: BackendConfig): Promise<ConnectionTestResult>;
    call(memberId: string, method: string, params: unknown): Promise<unknown>;
  };
  health: HealthService;
  catalog: ServiceCatalog;
  fleetServices: FleetConfigSync<ServiceDefinition>;
  /** Removes the demo's sample services for good; 0 when there are none. */
  removeDemo(): Promise<number>;
}

export const createHandlers = ({
  node,
  cluster,
  health,
  catalog,
  fleetServices,
  removeDemo,
}: HandlerDeps): HandlerTable => ({
  'node.status': () => node.status(),
  'cluster.members': () => node.members(),
  'cluster.leader': () => cluster.leader(),
  'cluster.status': () => cluster.status(),
  'cluster.testConnection': ({ backend }) => cluster.testConnection(backend),
  'cluster.call': ({ memberId, method, params }) => cluster.call(memberId, method, params),
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
    (await fleetServices.list()).map(({ id, value, problem }) => ({ id, service: value, problem })),
  'fleet.services.put': async ({ service }) => ({ revision: await fleetServices.put(service.id, service) }),
  'fleet.services.remove': async ({ id }) => {
    await fleetServices.delete(id);
    return { removed: true as const };
  },
  'checks.history': ({ serviceId, check, fromMs, toMs }) => health.history(serviceId, check, fromMs, toMs),
  'checks.runNow': ({ serviceId, check }) => health.runNow(serviceId, check),
  'checks.report': ({ serviceId, check, status, output }) => {
    health.report(serviceId, check, status, output);
    return { accepted: true as const };
  },
});
