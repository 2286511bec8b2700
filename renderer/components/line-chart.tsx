import './line-chart.css';
import { useId, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { formatClock, formatDateTime, isoTime } from '../format/time.js';
import { useElementWidth } from '../hooks/use-element-width.js';
import { joinedRuns, perPixel, type ChartPoint } from './chart-columns.js';
import { nearestIndex, stepIndex } from './chart-cursor.js';
import { formatTick } from './time-ranges.js';

export type { ChartPoint } from './chart-columns.js';

/** A point drawn as a dot on top of the line, e.g. a failed check run. */
export interface ChartMarker extends ChartPoint {
  className: string;
  title: string;
}

/** A level drawn across the chart, e.g. an alert rule's threshold; `className` styles it (colour, dashes). */
export interface ChartThreshold {
  value: number;
  className: string;
  title: string;
}

/** A stretch of time shaded behind the line, e.g. when a rule would have fired. */
export interface ChartBand {
  fromMs: number;
  toMs: number;
  className: string;
  title: string;
}

/** A range of expected values over time drawn as a shaded band behind the line, e.g. an anomaly baseline. */
export interface ChartEnvelope {
  upper: readonly ChartPoint[];
  lower: readonly ChartPoint[];
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
  thresholds?: readonly ChartThreshold[];
  bands?: readonly ChartBand[];
  envelope?: ChartEnvelope;
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

const DAY_MS = 86_400_000;

/**
 * A time series drawn as an SVG line over a fixed time window, at the width of its container. Hovering it, or
 * focusing it and using the arrow keys, shows a crosshair on the nearest sample with its value and time.
 */
export function LineChart(props: LineChartProps) {
  const { label, summary, fromMs, toMs, points, formatY, maxGapMs, height = 160 } = props;
  const { markers = [], thresholds = [], bands = [] } = props;
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const summaryId = useId();
  const [cursorAt, setCursorAt] = useState<number | null>(null);
  const innerWidth = Math.max(0, width - margin.left - margin.right);
  const innerHeight = height - margin.top - margin.bottom;
  const xTicks = Math.max(1, Math.min(4, Math.floor(innerWidth / xTickSpacing)));
  const visible = points.filter((p) => p.at >= fromMs && p.at <= toMs);
  const envelope = props.envelope && envelopeColumns(props.envelope, fromMs, toMs);
  const top =
    props.yMax ??
    niceCeiling(
      Math.max(
        0,
        ...visible.map((p) => p.value),
        ...thresholds.map((t) => t.value),
        ...(envelope ?? []).map((c) => c.upper),
      ) * 1.1,
    );
  const spanMs = Math.max(1, toMs - fromMs);
  const x = (at: number) => margin.left + ((at - fromMs) / spanMs) * innerWidth;
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

  const cursor = cursorAt === null ? undefined : visible[nearestIndex(visible, cursorAt)];
  const cursorX = cursor ? x(cursor.at) : 0;
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const left = event.currentTarget.getBoundingClientRect().left;
    setCursorAt(fromMs + ((event.clientX - left - margin.left) / Math.max(1, innerWidth)) * spanMs);
  };
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    if (event.key === 'Escape') return setCursorAt(null);
    const current = cursor ? nearestIndex(visible, cursor.at) : visible.length;
    const next = stepIndex(event.key, current, visible.length);
    if (next === null) return;
    event.preventDefault();
    setCursorAt(visible[next]!.at);
  };

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
          tabIndex={visible.length > 0 ? 0 : undefined}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setCursorAt(null)}
          onKeyDown={onKeyDown}
          onBlur={() => setCursorAt(null)}
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
              {formatTick(at, spanMs)}
            </text>
          ))}
          {bands
            .filter((band) => band.toMs >= fromMs && band.fromMs <= toMs)
            .map((band) => {
              const left = x(Math.max(fromMs, band.fromMs));
              return (
                <rect
                  key={`${band.className}-${band.fromMs}`}
                  className={`chart-band ${band.className}`}
                  x={left}
                  y={margin.top}
                  width={Math.max(1, x(Math.min(toMs, band.toMs)) - left)}
                  height={innerHeight}
                >
                  <title>{band.title}</title>
                </rect>
              );
            })}
          {thresholds.map((threshold) => (
            <line
              key={`${threshold.className}-${threshold.value}`}
              className={`chart-threshold ${threshold.className}`}
              x1={margin.left}
              x2={margin.left + innerWidth}
              y1={y(threshold.value)}
              y2={y(threshold.value)}
            >
              <title>{threshold.title}</title>
            </line>
          ))}
          {envelope && props.envelope && (
            <path className={`chart-envelope ${props.envelope.className}`} d={envelopePath(envelope, x, y, maxGapMs)}>
              <title>{props.envelope.title}</title>
            </path>
          )}
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
          {cursor && (
            <g className="chart-crosshair">
              <line x1={cursorX} x2={cursorX} y1={margin.top} y2={margin.top + innerHeight} />
              <circle cx={cursorX} cy={y(cursor.value)} r={3.5} />
            </g>
          )}
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
      {cursor && (
        <p
          className="chart-readout"
          data-testid="chart-readout"
          aria-live="polite"
          style={cursorX > width / 2 ? { right: width - cursorX + 8 } : { left: cursorX + 8 }}
        >
          <strong>{formatY(cursor.value)}</strong> at{' '}
          <time dateTime={isoTime(cursor.at)}>
            {spanMs > DAY_MS ? formatDateTime(cursor.at) : formatClock(cursor.at)}
          </time>
        </p>
      )}
      <p id={summaryId} className="visually-hidden">
        {summary}
      </p>
    </div>
  );
}

interface EnvelopeColumn {
  at: number;
  upper: number;
  lower: number;
}

/** The envelope's times that have both bounds within the window, oldest first. */
function envelopeColumns({ upper, lower }: ChartEnvelope, fromMs: number, toMs: number): EnvelopeColumn[] {
  const lowerAt = new Map(lower.map((p) => [p.at, p.value]));
  const columns = upper.flatMap((p) => {
    const low = lowerAt.get(p.at);
    return low === undefined || p.at < fromMs || p.at > toMs ? [] : [{ at: p.at, upper: p.value, lower: low }];
  });
  return columns.sort((a, b) => a.at - b.at);
}

/** One closed shape per stretch without a gap: along the upper bound, then back along the lower one. */
function envelopePath(
  columns: readonly EnvelopeColumn[],
  x: (at: number) => number,
  y: (value: number) => number,
  maxGapMs: number,
): string {
  const runs: EnvelopeColumn[][] = [];
  for (const [index, column] of columns.entries()) {
    const previous = columns[index - 1];
    if (!previous || column.at - previous.at > maxGapMs) runs.push([column]);
    else runs.at(-1)!.push(column);
  }
  const point = (at: number, value: number) => `${x(at).toFixed(1)} ${y(value).toFixed(1)}`;
  return runs
    .filter((run) => run.length > 1)
    .map(
      (run) =>
        `M${run.map((c) => point(c.at, c.upper)).join('L')}` +
        `L${[...run]
          .reverse()
          .map((c) => point(c.at, c.lower))
          .join('L')}Z`,
    )
    .join('');
}
