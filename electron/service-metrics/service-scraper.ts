import type { ServiceMetrics } from '../../shared/services.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { increases, total } from './counter-increase.js';
import { parseExposition } from './exposition-parser.js';
import { fetchExposition } from './fetch-exposition.js';
import { boundOf, compileSelectors, readScrape, type ScrapeReading, type SeriesValues } from './scrape-reading.js';
import type { ScrapeDelta, SignalMinutesRepository } from './signal-minutes-repository.js';

/** How a service's endpoint answered lately; the last error stays until a scrape succeeds. */
export interface ScrapeStatus {
  url: string;
  lastSuccessAt: number | null;
  lastError: { at: number; message: string } | null;
}

export interface ServiceScraperDeps {
  clock: Clock;
  minutes: Pick<SignalMinutesRepository, 'add'>;
  /** Each scrape's outcome and how long it took, for the agent's own /metrics. */
  observe(outcome: 'ok' | 'error', seconds: number): void;
  fetch?: typeof fetchExposition;
}

/**
 * Scrapes one service's endpoint and stores what its counters and histogram grew by since the previous scrape. A
 * failed scrape (refused, timed out, malformed text, a metric missing) is kept as the service's error and drops the
 * previous reading, so the minutes it covers stay empty rather than showing the next scrape's growth as theirs.
 */
export class ServiceScraper {
  readonly status: ScrapeStatus;
  private previous: { monotonic: number; reading: ScrapeReading } | null = null;
  private readonly selectors;

  constructor(
    private readonly serviceId: string,
    private readonly metrics: ServiceMetrics,
    private readonly deps: ServiceScraperDeps,
  ) {
    this.status = { url: metrics.url, lastSuccessAt: null, lastError: null };
    try {
      this.selectors = compileSelectors(metrics);
    } catch (error) {
      this.selectors = error instanceof Error ? error : new Error(String(error));
    }
  }

  /** One scrape; never throws. A scrape cut short by `stop` records nothing. */
  async scrape(stop: AbortSignal): Promise<void> {
    const { clock } = this.deps;
    const started = clock.monotonic();
    try {
      if (this.selectors instanceof Error) throw this.selectors;
      const text = await (this.deps.fetch ?? fetchExposition)(this.metrics.url, this.metrics.timeoutMs, clock, stop);
      const reading = readScrape(parseExposition(text), this.selectors);
      const monotonic = clock.monotonic();
      const at = clock.now();
      if (this.previous) {
        const fromMs = at - (monotonic - this.previous.monotonic);
        this.deps.minutes.add(
          this.serviceId,
          fromMs,
          at,
          delta(this.previous.reading, reading, this.selectors.latencyToMs),
        );
      }
      this.previous = { monotonic, reading };
      this.status.lastSuccessAt = at;
      this.status.lastError = null;
      this.deps.observe('ok', (monotonic - started) / 1000);
    } catch (error) {
      if (stop.aborted) return;
      this.previous = null;
      this.status.lastError = { at: clock.now(), message: `metrics: ${errorMessage(error)}` };
      this.deps.observe('error', (clock.monotonic() - started) / 1000);
    }
  }
}

function delta(before: ScrapeReading, after: ScrapeReading, latencyToMs: number): ScrapeDelta {
  const grown = (values: SeriesValues | null, previous: SeriesValues | null) =>
    values && increases(previous ?? new Map(), values);
  const errors = grown(after.errors, before.errors);
  const buckets = grown(after.buckets, before.buckets);
  return {
    requests: total(increases(before.requests, after.requests)),
    errors: errors && total(errors),
    buckets: buckets && sumByBound(buckets, latencyToMs),
  };
}

/** Bucket increases summed over the selected series, by bound in ms. */
function sumByBound(buckets: SeriesValues, toMs: number): Map<number, number> {
  const sums = new Map<number, number>();
  for (const [key, value] of buckets) {
    const bound = boundOf(key) * toMs;
    sums.set(bound, (sums.get(bound) ?? 0) + value);
  }
  return sums;
}
