import type { TaskStats } from '../../../shared/tasks.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { LineChart, type ChartPoint } from '../../components/line-chart.js';
import { TimeRangePicker } from '../../components/time-range-picker.js';
import { describeRange } from '../../components/time-ranges.js';
import { formatCount, formatMs } from '../../format/numbers.js';
import { tasksSelectors, useTasksStore } from '../../stores/tasks-store.js';

const minuteMs = 60_000;
type Bucket = TaskStats['throughput'][number];

interface ChartSpec {
  /** Also names the CSS tone (`tone-<id>`) and the test hook (`chart-<id>`). */
  id: string;
  title: string;
  label: string;
  /** `minutes`: how many minutes one bucket spans, so counts read per minute whatever the window. */
  points: (buckets: readonly Bucket[], minutes: number) => ChartPoint[];
  format: (value: number) => string;
  summary: (buckets: readonly Bucket[]) => string;
}

const perMinute = (value: number) => `${Number(value.toFixed(1))}/min`;
const sum = (buckets: readonly Bucket[], value: (b: Bucket) => number) => buckets.reduce((n, b) => n + value(b), 0);
const attempts = (count: number) => `${formatCount(count)} ${count === 1 ? 'attempt' : 'attempts'}`;
const countsOf = (value: (b: Bucket) => number) => (buckets: readonly Bucket[], minutes: number) =>
  buckets.map((b) => ({ at: b.at, value: value(b) / minutes }));

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

/** Attempts that ended per minute, by outcome, and how long they took, over the window picked. */
export function TaskCharts({ stats, error }: { stats: TaskStats | null; error: string | null }) {
  const client = useClient();
  const rangeMs = useTasksStore(tasksSelectors.statsRangeMs);
  const selectRange = useTasksStore((state) => state.selectStatsRange);
  const buckets = stats?.throughput ?? [];
  const bucketMs = stats?.bucketMs ?? minuteMs;
  // The window is the agent's own buckets, so no clock of this window's is needed.
  const fromMs = buckets[0]?.at ?? 0;
  const toMs = (buckets.at(-1)?.at ?? 0) + bucketMs;
  return (
    <Card
      title={`Throughput, ${describeRange(stats?.windowMs ?? rangeMs)}`}
      actions={
        <TimeRangePicker
          label="Throughput range"
          rangeMs={rangeMs}
          onChange={(next) => void selectRange(client, next)}
        />
      }
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
              points={chart.points(buckets, bucketMs / minuteMs)}
              tone={`tone-${chart.id}`}
              formatY={chart.format}
              maxGapMs={bucketMs * 1.5}
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
