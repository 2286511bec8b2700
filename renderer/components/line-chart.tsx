import { useId } from 'react';
import { formatHourMinute } from '../format/time.js';
import { useElementWidth } from '../hooks/use-element-width.js';
import { joinedRuns, perPixel, type ChartPoint } from './chart-columns.js';

export type { ChartPoint } from './chart-columns.js';

/** A point drawn as a dot on top of the line, e.g. a failed check run. */
export interface ChartMarker extends ChartPoint {
  className: string;
  title: string;
}

interface LineChartProps {
  /** Accessible name of the chart; the summary follows it. */
  label: string;
  /** One sentence a screen reader hears instead of the picture: latest value, range. */
  summary: string;
  fromMs: number;
  toMs: number;
  points: readonly ChartPoint[];
  /** Class of the line and area, for their colour. */
  tone?: string;
  markers?: readonly ChartMarker[];
  /** Fixed top of the y axis (100 for percentages, the total for bytes); otherwise rounded up from the data. */
  yMax?: number;
  formatY: (value: number) => string;
  /** Points farther apart than this are not joined: the agent was not sampling in between. */
  maxGapMs: number;
  height?: number;
  emptyText?: string;
  testId?: string;
}

const margin = { top: 10, right: 12, bottom: 22, left: 64 };
/** Room each time label needs on the x axis. */
const xTickSpacing = 110;

/** The next "round" number (1, 2 or 5 times a power of ten) at or above `value`. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}

/** A time series drawn as an SVG line over a fixed time window, at the width of its container. */
export function LineChart(props: LineChartProps) {
  const { label, summary, fromMs, toMs, points, markers = [], formatY, maxGapMs, height = 160 } = props;
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const summaryId = useId();
  const innerWidth = Math.max(0, width - margin.left - margin.right);
  const innerHeight = height - margin.top - margin.bottom;
  const xTicks = Math.max(1, Math.min(4, Math.floor(innerWidth / xTickSpacing)));
  const visible = points.filter((p) => p.at >= fromMs && p.at <= toMs);
  const top = props.yMax ?? niceCeiling(Math.max(0, ...visible.map((p) => p.value)) * 1.1);
  const x = (at: number) => margin.left + ((at - fromMs) / Math.max(1, toMs - fromMs)) * innerWidth;
  const y = (value: number) => margin.top + innerHeight - (Math.min(value, top) / top) * innerHeight;

  const runs = joinedRuns(perPixel(visible, x), maxGapMs);
  const line = runs
    .map((run) => run.map((c, i) => `${i === 0 ? 'M' : 'L'}${c.x.toFixed(1)} ${y(c.value).toFixed(1)}`).join(''))
    .join('');
  const baseline = y(0);
  const area = runs
    .filter((run) => run.length > 1)
    .map(
      (run) =>
        `M${run[0]!.x.toFixed(1)} ${baseline}` +
        run.map((c) => `L${c.x.toFixed(1)} ${y(c.value).toFixed(1)}`).join('') +
        `L${run.at(-1)!.x.toFixed(1)} ${baseline}Z`,
    )
    .join('');
  const lone = runs.filter((run) => run.length === 1).map((run) => run[0]!);
  // One marker per pixel column and kind: a long outage at a 1 s interval is thousands of failed runs.
  const shownMarkers = [
    ...new Map(
      markers
        .filter((m) => m.at >= fromMs && m.at <= toMs)
        .map((m) => [`${Math.round(x(m.at))}-${m.className}`, m] as const),
    ).entries(),
  ];

  return (
    <div className={`line-chart ${props.tone ?? ''}`} ref={ref} data-testid={props.testId}>
      {width > 0 && (
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={label}
          aria-describedby={summaryId}
        >
          {[0, 0.5, 1].map((share) => (
            <g key={share} className="chart-grid">
              <line x1={margin.left} x2={margin.left + innerWidth} y1={y(top * share)} y2={y(top * share)} />
              <text x={margin.left - 8} y={y(top * share)} textAnchor="end" dominantBaseline="middle">
                {formatY(top * share)}
              </text>
            </g>
          ))}
          {Array.from({ length: xTicks + 1 }, (_, i) => fromMs + ((toMs - fromMs) * i) / xTicks).map((at, i) => (
            <text
              key={at}
              className="chart-axis"
              x={x(at)}
              y={height - 6}
              textAnchor={i === 0 ? 'start' : i === xTicks ? 'end' : 'middle'}
            >
              {formatHourMinute(at)}
            </text>
          ))}
          <path className="chart-area" d={area} />
          <path className="chart-line" d={line} />
          {lone.map((c) => (
            <circle key={c.x} className="chart-dot" cx={c.x} cy={y(c.value)} r={2} />
          ))}
          {shownMarkers.map(([key, m]) => (
            <circle key={key} className={`chart-marker ${m.className}`} cx={x(m.at)} cy={y(m.value)} r={3}>
              <title>{m.title}</title>
            </circle>
          ))}
          {visible.length === 0 && (
            <text
              className="chart-empty"
              x={margin.left + innerWidth / 2}
              y={margin.top + innerHeight / 2}
              textAnchor="middle"
            >
              {props.emptyText ?? 'No data yet'}
            </text>
          )}
        </svg>
      )}
      <p id={summaryId} className="visually-hidden">
        {summary}
      </p>
    </div>
  );
}
