import type { servicesMethods } from '../../shared/rpc/services.js';
import type { Handlers } from '../api/handler-table.js';
import type { FleetConfigSync } from '../cluster/fleet-config-sync.js';
import { fleetConfigHandlers, fleetRemove } from '../fleet-config/handlers.js';
import type { HealthService } from '../health/health-service.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import type { CheckTemplate } from '../../shared/check-templates.js';
import type { ServiceDefinition } from '../../shared/services.js';

export interface ServicesHandlerDeps {
  health: HealthService;
  catalog: ServiceCatalog;
  fleetServices: FleetConfigSync<ServiceDefinition>;
  fleetCheckTemplates: FleetConfigSync<CheckTemplate>;
}

/** `services.removeDemo` is the demo capability's, `services.signals` the service-metrics capability's. */
export type ServicesMethod = Exclude<keyof typeof servicesMethods, 'services.removeDemo' | 'services.signals'>;

export function servicesHandlers(deps: ServicesHandlerDeps): Handlers<ServicesMethod> {
  const { health, catalog, fleetServices } = deps;
  // Fleet values are checked against each node's own `commands` and `files.readDirs` where they are applied (a
  // refusal is reported fleet-wide), not against this node's: the console's directories say nothing of the fleet's.
  const checkTemplates = fleetConfigHandlers(deps.fleetCheckTemplates);
  return {
    'services.list': ({ recentResults }) => health.list(recentResults),
    'services.upsert': ({ service }) => {
      catalog.upsert([service], 'api');
      return health.state(service.id);
    },
    'services.remove': ({ id }) => ({ removed: catalog.remove(id) }),
    'services.export': () => ({ yaml: catalog.exportYaml() }),
    'services.import': ({ yaml }) => ({ imported: catalog.importYaml(yaml) }),
    'fleet.services.list': async () =>
      (await fleetServices.list()).map(({ id, value, problem }) => ({ id, service: value, problem })),
    'fleet.services.put': async ({ service }) => ({ revision: await fleetServices.put(service.id, service) }),
    'fleet.services.remove': fleetRemove(fleetServices),
    'fleet.checkTemplates.list': checkTemplates.list,
    'fleet.checkTemplates.put': checkTemplates.put,
    'fleet.checkTemplates.remove': checkTemplates.remove,
    'checks.history': ({ serviceId, check, fromMs, toMs }) => health.history(serviceId, check, fromMs, toMs),
    'checks.runNow': ({ serviceId, check }) => health.runNow(serviceId, check),
    'checks.report': ({ serviceId, check, status, output }) => {
      health.report(serviceId, check, status, output);
      return { accepted: true as const };
    },
  };
}
