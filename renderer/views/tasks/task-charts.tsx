import type { TaskStats } from '../../../shared/tasks.js';
import { Card } from '../../components/card.js';
import { LineChart, type ChartPoint } from '../../components/line-chart.js';
import { formatCount, formatMs } from '../../format/numbers.js';

const minuteMs = 60_000;
type Bucket = TaskStats['throughput'][number];

interface ChartSpec {
  /** Also names the CSS tone (`tone-<id>`) and the test hook (`chart-<id>`). */
  id: string;
  title: string;
  label: string;
  points: (buckets: readonly Bucket[]) => ChartPoint[];
  format: (value: number) => string;
  summary: (buckets: readonly Bucket[]) => string;
}

const perMinute = (value: number) => `${Number(value.toFixed(1))}/min`;
const sum = (buckets: readonly Bucket[], value: (b: Bucket) => number) => buckets.reduce((n, b) => n + value(b), 0);
const attempts = (count: number) => `${formatCount(count)} ${count === 1 ? 'attempt' : 'attempts'}`;
const countsOf = (value: (b: Bucket) => number) => (buckets: readonly Bucket[]) =>
  buckets.map((b) => ({ at: b.at, value: value(b) }));

const charts: ChartSpec[] = [
  {
    id: 'task-succeeded',
    title: 'Succeeded per minute',
    label: 'Attempts that succeeded per minute',
    points: countsOf((b) => b.succeeded),
    format: perMinute,
    summary: (buckets) => `${attempts(sum(buckets, (b) => b.succeeded))} succeeded.`,
  },
  {
    id: 'task-failed',
    title: 'Failed per minute',
    label: 'Attempts that failed per minute',
    points: countsOf((b) => b.failed),
    format: perMinute,
    summary: (buckets) => `${attempts(sum(buckets, (b) => b.failed))} failed.`,
  },
  {
    id: 'latency',
    title: 'Mean duration',
    label: 'Mean duration of the attempts that ended each minute',
    points: (buckets) => buckets.flatMap((b) => (b.meanMs === null ? [] : [{ at: b.at, value: b.meanMs }])),
    format: formatMs,
    summary: (buckets) => {
      const means = buckets.flatMap((b) => (b.meanMs === null ? [] : [b.meanMs]));
      return means.length === 0
        ? 'No attempt ended.'
        : `Mean per minute from ${formatMs(Math.min(...means))} to ${formatMs(Math.max(...means))}.`;
    },
  },
];

/** Attempts that ended per minute, by outcome, and how long they took, over the stats window. */
export function TaskCharts({ stats, error }: { stats: TaskStats | null; error: string | null }) {
  const buckets = stats?.throughput ?? [];
  // The window is the agent's own minutes, so no clock of this window's is needed.
  const fromMs = buckets[0]?.at ?? 0;
  const toMs = (buckets.at(-1)?.at ?? 0) + minuteMs;
  const hours = stats ? Math.round(stats.windowMs / 3_600_000) : 1;
  return (
    <Card
      title={`Throughput, last ${hours === 1 ? 'hour' : `${hours} hours`}`}
      errorLead="Could not load the task stats"
      error={error}
      loading={stats === null}
      className="task-charts"
    >
      <div className="task-chart-grid">
        {charts.map((chart) => (
          <div key={chart.id}>
            <p className="chart-title">{chart.title}</p>
            <LineChart
              label={chart.label}
              summary={chart.summary(buckets)}
              fromMs={fromMs}
              toMs={toMs}
              points={chart.points(buckets)}
              tone={`tone-${chart.id}`}
              formatY={chart.format}
              maxGapMs={minuteMs * 1.5}
              height={130}
              emptyText="No attempt ended"
              testId={`chart-${chart.id}`}
            />
          </div>
        ))}
      </div>
    </Card>
  );
}
