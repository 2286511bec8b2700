import './service-signals-card.css';
import { useId, useState } from 'react';
import type { ServiceSignalName, ServiceSignalOrigin, SignalPoint } from '../../../shared/service-signals.js';
import { LineChart, type ChartEnvelope, type ChartPoint } from '../../components/line-chart.js';
import { Timestamp } from '../../components/timestamp.js';
import { TimeRangePicker } from '../../components/time-range-picker.js';
import { defaultTimeRangeMs, describeRange } from '../../components/time-ranges.js';
import { formatMs } from '../../format/numbers.js';
import { formatAgo } from '../../format/time.js';
import { useServiceSignals } from './use-service-signals.js';

/** An expected range per minute (e.g. an anomaly baseline), drawn as a band behind a signal's line. */
export interface SignalBaseline {
  upper: readonly SignalPoint[];
  lower: readonly SignalPoint[];
  title: string;
}

interface SignalChart {
  title: Record<ServiceSignalOrigin, string>;
  format: (value: number) => string;
  tone: string;
}

const perMinute = (value: number) => `${value >= 10 ? Math.round(value) : Number(value.toFixed(1))}/min`;
const percent = (value: number) => `${value >= 10 ? Math.round(value) : Number(value.toFixed(1))} %`;

const charts: Record<ServiceSignalName, SignalChart> = {
  throughput: {
    title: { metrics: 'Requests per minute', checks: 'Check runs per minute' },
    format: perMinute,
    tone: 'tone-throughput',
  },
  errorRate: {
    title: { metrics: 'Error rate (failed requests)', checks: 'Error rate (failed check runs)' },
    format: percent,
    tone: 'tone-error-rate',
  },
  latencyP95: {
    title: { metrics: 'p95 latency of requests', checks: 'p95 latency of check runs' },
    format: formatMs,
    tone: 'tone-latency',
  },
};

const originText: Record<ServiceSignalOrigin, string> = { metrics: 'from /metrics', checks: 'from checks' };

/** Points a minute apart are joined; a missing minute (null) breaks the line. */
const MAX_GAP_MS = 90_000;

const present = (points: readonly SignalPoint[]): ChartPoint[] =>
  points.flatMap((p) => (p.value === null ? [] : [{ at: p.at, value: p.value }]));

function summaryOf(points: readonly ChartPoint[], format: (value: number) => string, range: string): string {
  if (points.length === 0) return `No figures in the ${range}.`;
  const values = points.map((p) => p.value);
  return `Latest ${format(values.at(-1)!)}, highest ${format(Math.max(...values))} over ${points.length} minutes of the ${range}.`;
}

interface ServiceSignalsCardProps {
  serviceId: string;
  now: number;
  /** Per signal, a band of expected values to draw behind its line (anomaly detection's baseline). */
  baselines?: Partial<Record<ServiceSignalName, SignalBaseline>>;
}

/** A service's throughput, error rate and p95 latency per minute, where they come from, and the endpoint's error. */
export function ServiceSignalsCard({ serviceId, now, baselines = {} }: ServiceSignalsCardProps) {
  const [rangeMs, setRangeMs] = useState(defaultTimeRangeMs);
  const { signals, error } = useServiceSignals(serviceId, rangeMs, now);
  const headingId = useId();
  const range = describeRange(rangeMs);
  const scrape = signals?.scrape ?? null;

  return (
    <section className="service-signals" aria-labelledby={headingId} data-testid="service-signals">
      <div className="chart-heading">
        <h3 id={headingId}>Signals, {range}</h3>
        <TimeRangePicker label="Signals range" rangeMs={rangeMs} onChange={setRangeMs} />
      </div>
      {scrape && (
        <p className="muted signals-endpoint">
          Scraping <code>{scrape.url}</code>
          {scrape.lastSuccessAt !== null && <>, last answered {formatAgo(scrape.lastSuccessAt, now)}</>}
        </p>
      )}
      {scrape?.lastError && (
        <p className="field-error" role="alert" data-testid="signals-scrape-error">
          <code className="error-text">{scrape.lastError.message}</code>{' '}
          <span className="muted">
            at <Timestamp epochMs={scrape.lastError.at} />
          </span>
        </p>
      )}
      {error && <p className="field-error">Could not load the signals: {error}</p>}
      <div className="signal-charts">
        {(signals?.signals ?? []).map(({ signal, origin, points }) => {
          const chart = charts[signal];
          const shown = present(points);
          const baseline = baselines[signal];
          const envelope: ChartEnvelope | undefined = baseline && {
            upper: present(baseline.upper),
            lower: present(baseline.lower),
            className: 'signal-baseline',
            title: baseline.title,
          };
          return (
            <div key={signal} data-testid={`signal-${signal}`}>
              <p className="chart-title">
                {chart.title[origin]}{' '}
                <span className="badge signal-origin" data-testid={`signal-origin-${signal}`}>
                  {originText[origin]}
                </span>
              </p>
              <LineChart
                label={`${chart.title[origin]} over the ${range}`}
                summary={summaryOf(shown, chart.format, range)}
                fromMs={now - rangeMs}
                toMs={now}
                points={shown}
                envelope={envelope}
                formatY={chart.format}
                maxGapMs={MAX_GAP_MS}
                height={130}
                tone={chart.tone}
                emptyText={`No figures in the ${range}`}
                testId={`signal-chart-${signal}`}
              />
            </div>
          );
        })}
        {!signals && !error && <p className="muted">Loading…</p>}
      </div>
    </section>
  );
}
