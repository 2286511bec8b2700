import type { Member, NodeStatus, ResourcePoint } from '../../shared/node.js';
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
  health: HealthService;
  catalog: ServiceCatalog;
  /** Removes the demo's sample services for good; 0 when there are none. */
  removeDemo(): Promise<number>;
}

export const createHandlers = ({ node, health, catalog, removeDemo }: HandlerDeps): HandlerTable => ({
  'node.status': () => node.status(),
  'cluster.members': () => node.members(),
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
  'checks.history': ({ serviceId, check, fromMs, toMs }) => health.history(serviceId, check, fromMs, toMs),
  'checks.runNow': ({ serviceId, check }) => health.runNow(serviceId, check),
  'checks.report': ({ serviceId, check, status, output }) => {
    health.report(serviceId, check, status, output);
    return { accepted: true as const };
  },
});
