import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import type { SettingsRepository } from '../store/settings-repository.js';
import { demoServices } from './demo-services.js';
import { startSampleServers, type SampleServers } from './sample-servers.js';

const removedKey = 'demo.removed';

export interface DemoDataOptions {
  catalog: ServiceCatalog;
  settings: SettingsRepository;
  clock: Clock;
  random: () => number;
  logger: Logger;
}

/**
 * The demo's sample services and the loopback servers they check. Started on every demo run (with this
 * run's ports) until the user removes them; that choice is remembered.
 */
export class DemoData {
  private servers: SampleServers | null = null;

  constructor(private readonly options: DemoDataOptions) {}

  async start(): Promise<void> {
    const { catalog, settings, logger } = this.options;
    if (settings.get(removedKey) === 'true') {
      logger.info('demo services were removed earlier; not recreating them');
      return;
    }
    this.servers = await startSampleServers(this.options);
    catalog.upsert(demoServices(this.servers), 'demo');
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
    await this.servers?.close();
    this.servers = null;
  }
}
