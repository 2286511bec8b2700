import type { HistoryPoint, ResultStatus } from '../../../shared/services.js';
import { formatHourMinute } from '../../format/time.js';
import { statusLabels } from '../../components/status-pill.js';

const severity: Record<ResultStatus, number> = { critical: 3, warning: 2, unknown: 1, passing: 0 };

interface Segment {
  from: number;
  to: number;
  status: ResultStatus | null;
}

/** Splits the window into equal buckets, each showing the worst result in it, and joins equal neighbours. */
export function statusSegments(
  points: readonly HistoryPoint[],
  fromMs: number,
  toMs: number,
  buckets: number,
): Segment[] {
  const size = (toMs - fromMs) / buckets;
  const worst: (ResultStatus | null)[] = Array.from({ length: buckets }, () => null);
  for (const point of points) {
    if (point.at < fromMs || point.at > toMs) continue;
    const index = Math.min(buckets - 1, Math.floor((point.at - fromMs) / size));
    const current = worst[index];
    if (current == null || severity[point.status] > severity[current]) worst[index] = point.status;
  }
  const segments: Segment[] = [];
  worst.forEach((status, index) => {
    const last = segments.at(-1);
    if (last && last.status === status) last.to = fromMs + (index + 1) * size;
    else segments.push({ from: fromMs + index * size, to: fromMs + (index + 1) * size, status });
  });
  return segments;
}

function describe(points: readonly HistoryPoint[]): string {
  const runs = points.reduce((sum, p) => sum + p.count, 0);
  if (runs === 0) return 'no results';
  const counts = new Map<ResultStatus, number>();
  for (const p of points) counts.set(p.status, (counts.get(p.status) ?? 0) + p.count);
  return [...counts.entries()]
    .sort(([a], [b]) => severity[b] - severity[a])
    .map(([status, count]) => `${statusLabels[status].toLowerCase()} ${Math.round((count / runs) * 1000) / 10} %`)
    .join(', ');
}

/** The last 24 hours as coloured segments (10 minutes each, worst result wins); grey where there is no data. */
export function StatusHistoryBar({
  points,
  fromMs,
  toMs,
}: {
  points: readonly HistoryPoint[];
  fromMs: number;
  toMs: number;
}) {
  const buckets = 144;
  const inWindow = points.filter((p) => p.at >= fromMs && p.at <= toMs);
  const segments = statusSegments(inWindow, fromMs, toMs, buckets);
  const scale = buckets / (toMs - fromMs);
  return (
    <figure className="status-history">
      <svg
        className="status-history-bar"
        viewBox={`0 0 ${buckets} 1`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Results over the last 24 hours: ${describe(inWindow)}`}
      >
        {segments.map((segment) => (
          <rect
            key={segment.from}
            className={`segment segment-${segment.status ?? 'none'}`}
            x={(segment.from - fromMs) * scale}
            width={(segment.to - segment.from) * scale}
            y={0}
            height={1}
          >
            <title>
              {formatHourMinute(segment.from)}–{formatHourMinute(segment.to)}:{' '}
              {segment.status ? statusLabels[segment.status] : 'no data'}
            </title>
          </rect>
        ))}
      </svg>
      <figcaption className="status-history-axis">
        <span>24 h ago</span>
        <span>12 h ago</span>
        <span>now</span>
      </figcaption>
    </figure>
  );
}
