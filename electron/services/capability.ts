import { CheckTemplate } from '../../shared/check-templates.js';
import { ServiceDefinition } from '../../shared/services.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import { historyRetention } from '../config/history-retention.js';
import { HealthService, serviceLogsDir } from '../health/health-service.js';
import { ServiceCatalog } from '../health/service-catalog.js';
import { CheckHistoryRepository } from '../store/check-history-repository.js';
import { ServicesRepository } from '../store/services-repository.js';
import { SupervisorEventsRepository } from '../store/supervisor-events-repository.js';
import { servicesHandlers, type ServicesMethod } from './handlers.js';

export interface ServicesCapability extends Capability<ServicesMethod> {
  catalog: ServiceCatalog;
  /** The status of every check (alert conditions read it). */
  checkStatuses(): ReturnType<HealthService['checkStatuses']>;
  /** Runs a check at once (a `check` task). */
  runNow: HealthService['runNow'];
  /** The result of a TTL check, pushed (`checks.report`, or the demo's job queue from inside the agent). */
  report: HealthService['report'];
}

/**
 * The services this node checks and supervises: the catalog (config file, API, fleet, demo), their checks and
 * processes, the fleet's services and check templates.
 */
export function createServicesCapability(context: CapabilityContext): ServicesCapability {
  const { config, clock, random, store, events, metrics, fleet } = context;
  const catalog = new ServiceCatalog({
    configServices: config.services,
    commands: config.commands,
    readDirs: config.files.readDirs,
    repository: store.repository((db) => new ServicesRepository(db)),
    logger: context.logger('services'),
    now: () => clock.now(),
  });
  const health = new HealthService({
    catalog,
    commands: config.commands,
    history: store.repository((db) => new CheckHistoryRepository(db)),
    supervisorEvents: store.repository((db) => new SupervisorEventsRepository(db)),
    logsDir: serviceLogsDir(config.dataDir),
    retention: historyRetention(config.history),
    clock,
    random,
    logger: context.logger('health'),
    metrics,
    events,
  });
  const fleetServices = fleet.register('services', ServiceDefinition, {
    applyFleet: (service) => catalog.applyFleet(service),
    withdrawFleet: (id) => catalog.withdrawFleet(id),
    fleetIds: () => catalog.list().flatMap((e) => (e.source === 'fleet' ? [e.definition.id] : [])),
  });
  const fleetCheckTemplates = fleet.register('check-templates', CheckTemplate, {
    applyFleet: (template) => catalog.applyTemplate(template),
    withdrawFleet: (id) => catalog.withdrawTemplate(id),
    fleetIds: () => catalog.templateIds(),
  });

  return {
    name: 'services',
    handlers: servicesHandlers({ health, catalog, fleetServices, fleetCheckTemplates }),
    catalog,
    checkStatuses: () => health.checkStatuses(),
    runNow: (serviceId, check) => health.runNow(serviceId, check),
    report: (serviceId, check, status, output) => health.report(serviceId, check, status, output),
    start: () => health.start(),
    stop: () => health.stop(),
    summary: () => health.summary(),
  };
}
