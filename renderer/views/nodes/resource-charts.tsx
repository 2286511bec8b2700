import { useEffect } from 'react';
import type { ResourcePoint } from '../../../shared/node.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { LineChart } from '../../components/line-chart.js';
import { TimeRangePicker } from '../../components/time-range-picker.js';
import { describeRange } from '../../components/time-ranges.js';
import { formatBytes } from '../../format/bytes.js';
import { useNow } from '../../hooks/use-now.js';
import { connectionSelectors, useConnectionStore } from '../../stores/connection-store.js';
import { resourceHistorySelectors, useResourceHistoryStore } from '../../stores/resource-history-store.js';
import { bytesPerSecondCeiling, formatBytesPerSecond, formatLoad } from './rates.js';

/**
 * Samples more than a few intervals apart are not joined: the agent was not sampling in between. The lower median
 * of the steps, so one long pause among few samples does not pass for the interval.
 */
function gapOf(points: readonly ResourcePoint[]): number {
  const steps = points
    .slice(1)
    .map((point, index) => point.at - points[index]!.at)
    .sort((a, b) => a - b);
  const median = steps[Math.floor((steps.length - 1) / 2)] ?? 5000;
  return Math.max(median * 4, 5000);
}

const summaryOf = (
  points: readonly ResourcePoint[],
  value: (p: ResourcePoint) => number,
  format: (v: number) => string,
  range: string,
) => {
  if (points.length === 0) return `No samples in the ${range}.`;
  const values = points.map(value);
  return `Latest ${format(values.at(-1)!)}, lowest ${format(Math.min(...values))}, highest ${format(Math.max(...values))}.`;
};

const percent = (value: number) => `${Math.round(value)} %`;
const bytes = (value: number) => formatBytes(Math.round(value));
/** Axis labels and summaries: "2", "0.5", "1.25" rather than "2.00". */
const load = (value: number) => String(Number(formatLoad(value)));

interface ChartSpec {
  /** Also names the CSS tone (`tone-<id>`) and the test hook (`chart-<id>`). */
  id: string;
  title: string;
  label: string;
  value: (point: ResourcePoint) => number;
  format: (value: number) => string;
  yMax?: (points: readonly ResourcePoint[], latest: ResourcePoint | undefined) => number | undefined;
}

const totalOr = (total: number | undefined) => (total && total > 0 ? total : undefined);
const rateCeiling = (value: (p: ResourcePoint) => number) => (points: readonly ResourcePoint[]) =>
  bytesPerSecondCeiling(points.map(value));
const rx = (p: ResourcePoint) => p.networkRxBytesPerSec;
const tx = (p: ResourcePoint) => p.networkTxBytesPerSec;

const charts: ChartSpec[] = [
  { id: 'cpu', title: 'CPU', label: 'CPU load', value: (p) => p.cpuPercent, format: percent, yMax: () => 100 },
  {
    id: 'memory',
    title: 'Memory used',
    label: 'Memory used',
    value: (p) => p.memoryUsedBytes,
    format: bytes,
    yMax: (_, latest) => totalOr(latest?.memoryTotalBytes),
  },
  {
    id: 'disk',
    title: 'Disk used',
    label: 'Disk used',
    value: (p) => p.diskUsedBytes,
    format: bytes,
    yMax: (_, latest) => totalOr(latest?.diskTotalBytes),
  },
  { id: 'load', title: 'Load average, 1 min', label: 'Load average', value: (p) => p.load1, format: load },
  {
    id: 'network-rx',
    title: 'Network received',
    label: 'Network received',
    value: rx,
    format: formatBytesPerSecond,
    yMax: rateCeiling(rx),
  },
  {
    id: 'network-tx',
    title: 'Network sent',
    label: 'Network sent',
    value: tx,
    format: formatBytesPerSecond,
    yMax: rateCeiling(tx),
  },
];

/**
 * CPU, memory, disk, load and network over the range picked: the history once, then every pushed sample appended.
 * While the connection is lost the charts stop at the last data instead of scrolling on into nothing.
 */
export function ResourceCharts() {
  const client = useClient();
  const { load, selectRange } = useResourceHistoryStore.getState();
  const points = useResourceHistoryStore(resourceHistorySelectors.points);
  const rangeMs = useResourceHistoryStore(resourceHistorySelectors.rangeMs);
  const error = useResourceHistoryStore(resourceHistorySelectors.error);
  const dataAsOf = useConnectionStore(connectionSelectors.dataAsOf);
  const now = useNow(1000);

  useEffect(() => {
    void load(client);
  }, [client, load]);

  const latest = points.at(-1);
  // A pushed sample can be newer than the clock's last tick: the window reaches it at once.
  const toMs = dataAsOf ?? Math.max(now, latest?.at ?? now);
  const range = describeRange(rangeMs);
  const maxGapMs = gapOf(points);
  return (
    <Card
      title={`Resources, ${range}`}
      description={`${points.length} samples`}
      actions={
        <TimeRangePicker
          label="Resources range"
          rangeMs={rangeMs}
          onChange={(next) => void selectRange(client, next)}
        />
      }
      errorLead="Could not load the resource history"
      error={error}
      className="resource-charts"
    >
      <div className="resource-chart-grid">
        {charts.map((chart) => (
          <div key={chart.id}>
            <p className="chart-title">{chart.title}</p>
            <LineChart
              label={`${chart.label} over the ${range}`}
              summary={summaryOf(points, chart.value, chart.format, range)}
              fromMs={toMs - rangeMs}
              toMs={toMs}
              points={points.map((p) => ({ at: p.at, value: chart.value(p) }))}
              yMax={chart.yMax?.(points, latest)}
              formatY={chart.format}
              maxGapMs={maxGapMs}
              tone={`tone-${chart.id}`}
              testId={`chart-${chart.id}`}
            />
          </div>
        ))}
      </div>
    </Card>
  );
}
