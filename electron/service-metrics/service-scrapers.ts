import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import { ServiceScraper, type ScrapeStatus, type ServiceScraperDeps } from './service-scraper.js';
import type { SignalMinutesRepository } from './signal-minutes-repository.js';

interface Running {
  /** The `metrics:` it runs with, to tell a changed definition from an unchanged one. */
  config: string;
  scraper: ServiceScraper;
  abort: AbortController;
  cancelTimer: () => void;
  inFlight: Promise<void>;
}

export interface ServiceScrapersDeps extends Omit<ServiceScraperDeps, 'minutes'> {
  catalog: Pick<ServiceCatalog, 'list' | 'get' | 'onChange'>;
  minutes: Pick<SignalMinutesRepository, 'add' | 'deleteService'>;
  clock: Clock;
  logger: Logger;
}

/**
 * One scrape loop per service with a `metrics:` endpoint, following the catalog live: a new or changed endpoint
 * starts afresh, a removed service's minutes are deleted. Each loop scrapes every `intervalMs`, timed from the
 * start of the previous scrape, never two at once.
 */
export class ServiceScrapers {
  private readonly running = new Map<string, Running>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: ServiceScrapersDeps) {}

  start(): void {
    for (const entry of this.deps.catalog.list()) this.apply(entry.definition.id);
    this.unsubscribe = this.deps.catalog.onChange((ids) => {
      for (const id of ids) this.apply(id);
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await Promise.all([...this.running.keys()].map((id) => this.halt(id)));
  }

  /** The endpoint's last outcome; null for a service without one. */
  status(serviceId: string): ScrapeStatus | null {
    return this.running.get(serviceId)?.scraper.status ?? null;
  }

  private apply(serviceId: string): void {
    const entry = this.deps.catalog.get(serviceId);
    if (!entry) this.deps.minutes.deleteService(serviceId);
    const metrics = entry?.definition.metrics;
    const config = JSON.stringify(metrics ?? null);
    if (this.running.get(serviceId)?.config === config) return;
    void this.halt(serviceId);
    if (!metrics) return;
    const { clock } = this.deps;
    const scraper = new ServiceScraper(serviceId, metrics, this.deps);
    const running: Running = {
      config,
      scraper,
      abort: new AbortController(),
      cancelTimer: () => undefined,
      inFlight: Promise.resolve(),
    };
    const loop = () => {
      const started = clock.monotonic();
      running.inFlight = scraper.scrape(running.abort.signal).then(() => {
        if (running.abort.signal.aborted) return;
        const wait = Math.max(0, metrics.intervalMs - (clock.monotonic() - started));
        running.cancelTimer = clock.setTimer(loop, wait);
      });
    };
    this.running.set(serviceId, running);
    this.deps.logger.info({ serviceId, url: metrics.url }, 'scraping the service’s metrics');
    loop();
  }

  private async halt(serviceId: string): Promise<void> {
    const running = this.running.get(serviceId);
    if (!running) return;
    this.running.delete(serviceId);
    running.abort.abort();
    running.cancelTimer();
    await running.inFlight;
  }
}
