import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { repeat, type Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import type { ServicesCapability } from '../services/capability.js';
import { seedWhenConnected } from '../fleet-config/fleet-seed.js';
import type { SettingsRepository } from '../store/settings-repository.js';
import { demoSeed } from './demo-fleet-values.js';
import type { DemoNodeProfile } from './demo-nodes.js';
import { paymentsOutages } from './outage-schedule.js';
import { demoQueueReport, demoServices, QUEUE_REPORT_MS } from './demo-services.js';
import { startSampleServers, type SampleServers } from './sample-servers.js';

const removedKey = 'demo.removed';

export interface DemoDataOptions {
  catalog: ServiceCatalog;
  /** Where the job queue's backlog goes (a TTL check's result). */
  report: ServicesCapability['report'];
  settings: SettingsRepository;
  backend: CoordinationBackend;
  profile: DemoNodeProfile;
  /** Whether to save the demo's rules and patterns for the fleet (only in the demo's own: `inDemoFleet`). */
  seedFleet: boolean;
  clock: Clock;
  random: () => number;
  logger: Logger;
}

/**
 * The demo's sample services and the loopback servers they check, started on every demo run (with this run's
 * ports), and its alert rules and log patterns, saved for the fleet once; until the user removes them, a choice
 * that is remembered.
 */
export class DemoData {
  private servers: SampleServers | null = null;
  private stops: Array<() => void> = [];

  constructor(private readonly options: DemoDataOptions) {}

  async start(): Promise<void> {
    const { catalog, settings, backend, profile, seedFleet, logger } = this.options;
    if (settings.get(removedKey) === 'true') {
      logger.info('demo data was removed earlier; not recreating it');
      return;
    }
    this.servers = await startSampleServers({
      ...this.options,
      paymentsOutages: profile.paymentsOutages ? paymentsOutages : null,
    });
    const services = demoServices(this.servers);
    // A demo service an older version had (demo-flaky) goes.
    const ids = new Set(services.map((service) => service.id));
    for (const entry of catalog.list()) {
      if (entry.source === 'demo' && !ids.has(entry.definition.id)) catalog.remove(entry.definition.id);
    }
    catalog.upsert(services, 'demo');
    // The first report comes a period after the start: by then the checks are running.
    const reportQueue = () => {
      const { status, output } = demoQueueReport(profile, this.options.random());
      try {
        this.options.report('demo-queue', 'backlog', status, output);
      } catch (error) {
        logger.warn({ err: errorMessage(error) }, 'reporting the demo job queue failed');
      }
    };
    this.stops.push(repeat(this.options.clock, QUEUE_REPORT_MS, reportQueue));
    if (seedFleet) this.stops.push(seedWhenConnected(backend, logger, demoSeed()));
    logger.info({ services: catalog.list().filter((e) => e.source === 'demo').length }, 'demo services running');
  }

  /** Removes every demo service and stops the sample servers, for good. */
  async remove(): Promise<number> {
    const removed = this.options.catalog.removeDemo();
    this.options.settings.set(removedKey, 'true', this.options.clock.now());
    await this.stop();
    return removed.length;
  }

  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    await this.servers?.close();
    this.servers = null;
  }
}
