import { Counter, Histogram } from 'prom-client';
import { ServiceSignalName } from '../../shared/service-signals.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import { historyRetention, PRUNE_INTERVAL_MS } from '../config/history-retention.js';
import { repeat } from '../core/clock.js';
import { CodedError } from '../core/coded-error.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import { CheckSignalReader } from './check-signal-reader.js';
import { ServiceScrapers } from './service-scrapers.js';
import type { ServiceSignalSource } from './service-signal-source.js';
import { SignalMinutesRepository } from './signal-minutes-repository.js';
import { StoredSignalSource } from './stored-signal-source.js';

export interface ServiceMetricsCapability extends Capability<'services.signals'> {
  /** Every service's per-minute signals (anomaly detection reads them). */
  signals: ServiceSignalSource;
}

/**
 * Service signals: each service's own Prometheus endpoint scraped into per-minute requests, errors and latency
 * buckets, and, for a service without one, the same signals read from its checks.
 */
export function createServiceMetricsCapability(
  context: CapabilityContext,
  catalog: ServiceCatalog,
): ServiceMetricsCapability {
  const { config, clock, store, metrics } = context;
  const logger = context.logger('service-metrics');
  const minutes = store.repository((db) => new SignalMinutesRepository(db));
  const registers = [metrics.registry];
  const scrapes = new Counter({
    name: 'fleetdeck_service_metrics_scrapes_total',
    help: "Scrapes of services' own metrics endpoints, by outcome (ok, error)",
    labelNames: ['outcome'],
    registers,
  });
  const scrapeDuration = new Histogram({
    name: 'fleetdeck_service_metrics_scrape_duration_seconds',
    help: "Time to fetch and read a service's metrics endpoint",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const scrapers = new ServiceScrapers({
    catalog,
    minutes,
    clock,
    logger,
    observe(outcome, seconds) {
      scrapes.inc({ outcome });
      scrapeDuration.observe(seconds);
    },
  });
  const source = new StoredSignalSource({
    metrics: minutes,
    checks: store.repository((db) => new CheckSignalReader(db)),
    catalog: {
      ids: () => catalog.list().map((entry) => entry.definition.id),
      metricsOf: (id) => catalog.get(id)?.definition.metrics,
    },
    now: () => clock.now(),
  });
  const retentionMs = historyRetention(config.history).rollupMs;
  const prune = () => {
    minutes.prune(clock.now(), retentionMs).catch((error: unknown) => logger.warn({ err: error }, 'prune failed'));
  };
  let stopPruning = () => undefined as void;

  return {
    name: 'service-metrics',
    signals: source,
    handlers: {
      'services.signals': ({ serviceId, signal, rangeMs }) => {
        if (!catalog.get(serviceId)) throw new CodedError('not_found', `no service "${serviceId}"`);
        const toMs = clock.now();
        return {
          signals: (signal ? [signal] : ServiceSignalName.options).map((name) => ({
            signal: name,
            origin: source.origin(serviceId, name),
            points: source.minutes(serviceId, name, toMs - rangeMs, toMs),
          })),
          scrape: scrapers.status(serviceId),
        };
      },
    },
    start() {
      prune();
      stopPruning = repeat(clock, PRUNE_INTERVAL_MS, prune);
      scrapers.start();
    },
    async stop() {
      stopPruning();
      await scrapers.stop();
    },
  };
}
