import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import { seedWhenConnected } from '../fleet-config/fleet-seed.js';
import type { SettingsRepository } from '../store/settings-repository.js';
import { demoSeed } from './demo-fleet-values.js';
import type { DemoNodeProfile } from './demo-nodes.js';
import { paymentsOutages } from './outage-schedule.js';
import { demoServices } from './demo-services.js';
import { startSampleServers, type SampleServers } from './sample-servers.js';

const removedKey = 'demo.removed';

export interface DemoDataOptions {
  catalog: ServiceCatalog;
  settings: SettingsRepository;
  backend: CoordinationBackend;
  profile: DemoNodeProfile;
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
  private stopSeeding: (() => void) | null = null;

  constructor(private readonly options: DemoDataOptions) {}

  async start(): Promise<void> {
    const { catalog, settings, backend, profile, logger } = this.options;
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
    this.stopSeeding = seedWhenConnected(backend, logger, demoSeed());
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
    this.stopSeeding?.();
    this.stopSeeding = null;
    await this.servers?.close();
    this.servers = null;
  }
}
