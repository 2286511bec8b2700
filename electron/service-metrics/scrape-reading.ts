import { parseMetricSelector } from '../../shared/metric-selector.js';
import type { ServiceMetrics } from '../../shared/services.js';
import { compileMatchers, type LabelPredicate } from '../core/label-matchers.js';
import type { Exposition, Sample } from './exposition-parser.js';

/** Cumulative values of the series a scrape found, by series (its labels). */
export type SeriesValues = Map<string, number>;

interface CompiledSelector {
  metric: string;
  test: LabelPredicate;
}

/** What a service's `metrics:` names, compiled once per definition. */
export interface ServiceSelectors {
  requests: CompiledSelector;
  errors: CompiledSelector | null;
  /** The histogram's base name; its buckets are read from `<name>_bucket`. */
  latency: CompiledSelector | null;
  /** Multiplies a bucket bound into milliseconds. */
  latencyToMs: number;
}

/** The series of one scrape that the selectors pick; bucket series are keyed by their `le` first. */
export interface ScrapeReading {
  requests: SeriesValues;
  errors: SeriesValues | null;
  buckets: SeriesValues | null;
}

/** Compiles the selectors (validated by the schema already); a regex RE2 refuses throws, naming the field. */
export function compileSelectors(metrics: ServiceMetrics): ServiceSelectors {
  const compile = (text: string, field: string): CompiledSelector => {
    const parsed = parseMetricSelector(text);
    if (!parsed.ok) throw new Error(`metrics.${field}: ${parsed.error}`);
    return { metric: parsed.selector.metric, test: compileMatchers(parsed.selector.matchers, `metrics.${field}`) };
  };
  const latency = metrics.latency === undefined ? null : compile(metrics.latency, 'latency');
  return {
    requests: compile(metrics.requests, 'requests'),
    errors: metrics.errors === undefined ? null : compile(metrics.errors, 'errors'),
    latency,
    latencyToMs: latency?.metric.endsWith('_milliseconds') ? 1 : 1000,
  };
}

/** Picks the selected series out of a scrape; a metric the text does not mention at all throws "<name> not found". */
export function readScrape(exposition: Exposition, selectors: ServiceSelectors): ScrapeReading {
  const { requests, errors, latency } = selectors;
  return {
    requests: seriesOf(exposition, requests.metric, requests.metric, requests.test),
    errors: errors && seriesOf(exposition, errors.metric, errors.metric, errors.test),
    buckets: latency && seriesOf(exposition, latency.metric, `${latency.metric}_bucket`, latency.test, bucketKey),
  };
}

function seriesOf(
  exposition: Exposition,
  metric: string,
  sampleName: string,
  test: LabelPredicate,
  keyOf: (sample: Sample) => string | null = seriesKey,
): SeriesValues {
  if (!exposition.names.has(metric) && !exposition.names.has(sampleName)) throw new Error(`${metric} not found`);
  const values: SeriesValues = new Map();
  for (const sample of exposition.samples) {
    if (sample.name !== sampleName || Number.isNaN(sample.value) || !test(sample.labels)) continue;
    const key = keyOf(sample);
    if (key !== null) values.set(key, sample.value);
  }
  return values;
}

const seriesKey = (sample: Sample): string => JSON.stringify(Object.entries(sample.labels).sort());

/** `le` then the other labels: a bucket without a numeric `le` is skipped. */
function bucketKey(sample: Sample): string | null {
  const { le, ...rest } = sample.labels;
  const bound = le === undefined ? NaN : le === '+Inf' ? Infinity : Number(le);
  if (Number.isNaN(bound)) return null;
  return `${bound}\u0000${seriesKey({ ...sample, labels: rest })}`;
}

/** The bound of a bucket series key. */
export const boundOf = (key: string): number => Number(key.slice(0, key.indexOf('\u0000')));
