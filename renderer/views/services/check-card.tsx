import { useId } from 'react';
import type { CheckDefinition, CheckState, HistoryPoint } from '../../../shared/services.js';
import { useClient } from '../../client/client-context.js';
import { LineChart, type ChartMarker } from '../../components/line-chart.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatMs } from '../../format/numbers.js';
import { formatAgo } from '../../format/time.js';
import { servicesSelectors, useServicesStore } from '../../stores/services-store.js';
import { resultsCaption, uptimeLines } from './data-coverage.js';
import { StatusHistoryBar } from './status-history-bar.js';
import { useLongHistory } from './use-long-history.js';
import { TimeRangePicker } from '../../components/time-range-picker.js';
import { describeRange } from '../../components/time-ranges.js';
import { StatusPill, statusLabels } from '../../components/status-pill.js';

const dayMs = 86_400_000;

/** What the check probes, in one line. */
export function checkTarget(check: CheckDefinition): string {
  switch (check.type) {
    case 'http':
      return `${check.method} ${check.url}`;
    case 'tcp':
      return `TCP ${check.host}:${check.port}`;
    case 'grpc':
      return `gRPC ${check.address}${check.service ? ` (${check.service})` : ''}${check.tls ? ', TLS' : ''}`;
    case 'script':
      return `command "${check.command}" from the node’s config`;
    case 'ttl':
      return `pushed reports, critical after ${formatMs(check.ttlMs)} without one`;
  }
}

function latencySummary(points: readonly HistoryPoint[], range: string): string {
  if (points.length === 0) return `No results in the ${range}.`;
  const latencies = points.map((p) => p.latencyMs);
  const average = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  return `Latest ${formatMs(latencies.at(-1)!)}, average ${formatMs(average)}, highest ${formatMs(Math.max(...latencies))} over ${points.length} results.`;
}

/** The usual spacing of the points, so roll-ups or a slower past interval are still drawn as a line. */
function typicalStep(points: readonly HistoryPoint[]): number {
  const steps = points
    .slice(1)
    .map((point, index) => point.at - points[index]!.at)
    .sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)] ?? 0;
}

interface CheckCardProps {
  serviceId: string;
  definition: CheckDefinition | undefined;
  state: CheckState;
  now: number;
}

/** One check: status, last result, latency over the chosen range, results over the last day, uptime and Run now. */
export function CheckCard({ serviceId, definition, state, now }: CheckCardProps) {
  const client = useClient();
  const history = useServicesStore(servicesSelectors.history(serviceId, state.name));
  const run = useServicesStore(servicesSelectors.run(serviceId, state.name));
  const runNow = useServicesStore((s) => s.runNow);
  const headingId = useId();
  const rangeMs = useServicesStore(servicesSelectors.latencyRangeMs);
  const selectRange = useServicesStore((s) => s.selectLatencyRange);
  const long = useLongHistory(serviceId, state.name, rangeMs, now);
  const points = history?.points ?? [];
  const shown = long.points ?? points.filter((p) => p.at >= now - rangeMs);
  const range = describeRange(rangeMs);
  const failures: ChartMarker[] = shown
    .filter((p) => p.status !== 'passing')
    .map((p) => ({
      at: p.at,
      value: p.latencyMs,
      className: `marker-${p.status}`,
      title: `${statusLabels[p.status]}, ${formatMs(p.latencyMs)}`,
    }));
  const last = state.lastResult;
  const interval = definition?.intervalMs ?? 10_000;

  return (
    <article className="check-card" aria-labelledby={headingId} data-testid={`check-${state.name}`}>
      <header className="check-header">
        <div>
          <h3 id={headingId}>{state.name}</h3>
          <p className="muted check-target">
            <span className="badge">{state.type.toUpperCase()}</span>
            {state.template && <span className="badge template-badge">template {state.template}</span>}
            {definition && (
              <span>
                {checkTarget(definition)}, every {formatMs(definition.intervalMs)}
              </span>
            )}
          </p>
        </div>
        <div className="check-status">
          <StatusPill status={state.status} testId={`check-status-${state.name}`} />
          <span className="muted">
            since <Timestamp epochMs={state.since} />
          </span>
        </div>
      </header>

      <dl className="facts check-facts">
        <div>
          <dt>Last result</dt>
          <dd data-testid={`last-result-${state.name}`}>
            {last ? (
              <>
                <span className={last.status === 'passing' ? undefined : 'result-problem'}>
                  {last.output || statusLabels[last.status]}
                </span>{' '}
                <span className="muted">
                  at <Timestamp epochMs={last.at} /> ({formatAgo(last.at, now)})
                </span>
              </>
            ) : (
              <span className="muted">Not run yet</span>
            )}
          </dd>
        </div>
        {last && last.status !== 'passing' && (
          <div>
            <dt>Error</dt>
            <dd>
              <code className="error-text">{last.output || `${statusLabels[last.status]} without output`}</code>
            </dd>
          </div>
        )}
        <div>
          <dt>Uptime</dt>
          <dd>
            <ul className="uptime-figures" data-testid={`uptime-${state.name}`}>
              {uptimeLines(state.uptime, now).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>

      <div className="check-charts">
        <div>
          <div className="chart-heading">
            <p className="chart-title">Latency, {range}</p>
            <TimeRangePicker label={`Latency range of ${state.name}`} rangeMs={rangeMs} onChange={selectRange} />
          </div>
          <LineChart
            label={`Latency of ${state.name} over the ${range}`}
            summary={latencySummary(shown, range)}
            fromMs={now - rangeMs}
            toMs={now}
            points={shown.map((p) => ({ at: p.at, value: p.latencyMs }))}
            markers={failures}
            formatY={formatMs}
            maxGapMs={Math.max(interval * 3 + (definition?.timeoutMs ?? 0), typicalStep(shown) * 3)}
            height={140}
            tone="tone-latency"
            emptyText={(long.points ?? history?.loadedAt) ? `No results in the ${range}` : 'Loading…'}
          />
          {long.error && (
            <p className="field-error">
              Could not load the {range}: {long.error}
            </p>
          )}
        </div>
        <div>
          <p className="chart-title" data-testid={`results-caption-${state.name}`}>
            {resultsCaption(dayMs, state.uptime.since, now)}
          </p>
          <StatusHistoryBar points={points} fromMs={now - dayMs} toMs={now} />
        </div>
        {history?.error && <p className="field-error">Could not load the history: {history.error}</p>}
      </div>

      <div className="run-now">
        <button
          type="button"
          className="button"
          disabled={run?.running}
          onClick={() => void runNow(client, serviceId, state.name)}
        >
          {run?.running ? 'Running…' : 'Run now'}
        </button>
        <div role="status" className="run-result" data-testid={`run-result-${state.name}`}>
          {run?.error && <span className="field-error">Could not run: {run.error}</span>}
          {run?.result && (
            <>
              <StatusPill status={run.result.status} /> <span>{run.result.output}</span>{' '}
              <span className="muted">
                at <Timestamp epochMs={run.result.at} />
              </span>
            </>
          )}
        </div>
      </div>
    </article>
  );
}
