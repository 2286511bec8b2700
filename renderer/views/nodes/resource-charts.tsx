import { useEffect, useId } from 'react';
import type { ResourcePoint } from '../../../shared/node.js';
import { useClient } from '../../client/client-context.js';
import { LineChart } from '../../components/line-chart.js';
import { formatBytes } from '../../format/bytes.js';
import { useNow } from '../../hooks/use-now.js';
import { nodesSelectors, resourceWindowMs, useNodesStore } from '../../stores/nodes-store.js';
import { bytesPerSecondCeiling, formatBytesPerSecond, formatLoad } from './rates.js';

/** Samples more than a few intervals apart are not joined: the agent was not sampling in between. */
function gapOf(points: readonly ResourcePoint[]): number {
  const steps = points
    .slice(1)
    .map((point, index) => point.at - points[index]!.at)
    .sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)] ?? 5000;
  return Math.max(median * 4, 5000);
}

const summaryOf = (
  points: readonly ResourcePoint[],
  value: (p: ResourcePoint) => number,
  format: (v: number) => string,
) => {
  if (points.length === 0) return 'No samples in the last hour.';
  const values = points.map(value);
  return `Latest ${format(values.at(-1)!)}, lowest ${format(Math.min(...values))}, highest ${format(Math.max(...values))}.`;
};

const percent = (value: number) => `${Math.round(value)} %`;
const bytes = (value: number) => formatBytes(Math.round(value));
/** Axis labels and summaries: "2", "0.5", "1.25" rather than "2.00". */
const load = (value: number) => String(Number(formatLoad(value)));

/** CPU, memory, disk, load and network over the last hour: the history once, then every pushed sample appended. */
export function ResourceCharts() {
  const client = useClient();
  const loadResourceHistory = useNodesStore((s) => s.loadResourceHistory);
  const points = useNodesStore(nodesSelectors.resourceHistory);
  const error = useNodesStore(nodesSelectors.resourceHistoryError);
  const now = useNow(1000);
  const headingId = useId();

  useEffect(() => {
    void loadResourceHistory(client);
  }, [client, loadResourceHistory]);

  const latest = points.at(-1);
  const fromMs = now - resourceWindowMs;
  const maxGapMs = gapOf(points);
  return (
    <section className="card resource-charts" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Resources, last hour</h2>
        <span className="muted">{points.length} samples</span>
      </header>
      {error && <p className="field-error">Could not load the resource history: {error}</p>}
      <div className="resource-chart-grid">
        <div>
          <p className="chart-title">CPU</p>
          <LineChart
            label="CPU load over the last hour"
            summary={summaryOf(points, (p) => p.cpuPercent, percent)}
            fromMs={fromMs}
            toMs={now}
            points={points.map((p) => ({ at: p.at, value: p.cpuPercent }))}
            yMax={100}
            formatY={percent}
            maxGapMs={maxGapMs}
            tone="tone-cpu"
            testId="chart-cpu"
          />
        </div>
        <div>
          <p className="chart-title">Memory used</p>
          <LineChart
            label="Memory used over the last hour"
            summary={summaryOf(points, (p) => p.memoryUsedBytes, bytes)}
            fromMs={fromMs}
            toMs={now}
            points={points.map((p) => ({ at: p.at, value: p.memoryUsedBytes }))}
            yMax={latest && latest.memoryTotalBytes > 0 ? latest.memoryTotalBytes : undefined}
            formatY={bytes}
            maxGapMs={maxGapMs}
            tone="tone-memory"
            testId="chart-memory"
          />
        </div>
        <div>
          <p className="chart-title">Disk used</p>
          <LineChart
            label="Disk used over the last hour"
            summary={summaryOf(points, (p) => p.diskUsedBytes, bytes)}
            fromMs={fromMs}
            toMs={now}
            points={points.map((p) => ({ at: p.at, value: p.diskUsedBytes }))}
            yMax={latest && latest.diskTotalBytes > 0 ? latest.diskTotalBytes : undefined}
            formatY={bytes}
            maxGapMs={maxGapMs}
            tone="tone-disk"
            testId="chart-disk"
          />
        </div>
        <div>
          <p className="chart-title">Load average, 1 min</p>
          <LineChart
            label="Load average over the last hour"
            summary={summaryOf(points, (p) => p.load1, load)}
            fromMs={fromMs}
            toMs={now}
            points={points.map((p) => ({ at: p.at, value: p.load1 }))}
            formatY={load}
            maxGapMs={maxGapMs}
            tone="tone-load"
            testId="chart-load"
          />
        </div>
        <div>
          <p className="chart-title">Network received</p>
          <LineChart
            label="Network received over the last hour"
            summary={summaryOf(points, (p) => p.networkRxBytesPerSec, formatBytesPerSecond)}
            fromMs={fromMs}
            toMs={now}
            points={points.map((p) => ({ at: p.at, value: p.networkRxBytesPerSec }))}
            yMax={bytesPerSecondCeiling(points.map((p) => p.networkRxBytesPerSec))}
            formatY={formatBytesPerSecond}
            maxGapMs={maxGapMs}
            tone="tone-network-rx"
            testId="chart-network-rx"
          />
        </div>
        <div>
          <p className="chart-title">Network sent</p>
          <LineChart
            label="Network sent over the last hour"
            summary={summaryOf(points, (p) => p.networkTxBytesPerSec, formatBytesPerSecond)}
            fromMs={fromMs}
            toMs={now}
            points={points.map((p) => ({ at: p.at, value: p.networkTxBytesPerSec }))}
            yMax={bytesPerSecondCeiling(points.map((p) => p.networkTxBytesPerSec))}
            formatY={formatBytesPerSecond}
            maxGapMs={maxGapMs}
            tone="tone-network-tx"
            testId="chart-network-tx"
          />
        </div>
      </div>
    </section>
  );
}
