import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './rule-preview.css';
import type { RulePreview } from '../../../shared/alert-preview.js';
import type { AlertRule } from '../../../shared/alerts.js';
import { callOn } from '../../client/call-member.js';
import { useClient } from '../../client/client-context.js';
import { messageOf } from '../../client/outcome.js';
import { formatDateTime } from '../../format/time.js';
import { formatAlertValue } from './rule-draft.js';

const CHART_HEIGHT = 180;
const bandColours = { pending: 'rgb(217 119 6 / 18%)', firing: 'rgb(220 38 38 / 22%)' } as const;

type PreviewState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'shown'; rule: AlertRule; preview: RulePreview }
  | { status: 'failed'; message: string };

/**
 * "How would this rule have behaved?": the rule as drafted (null while the draft is invalid) replayed by the agent
 * over this node's last 24 h, as a chart of the values it judges with its thresholds and the pending and firing
 * intervals shaded, and the intervals as text.
 */
export function RulePreviewPanel({
  rule,
  memberId = null,
}: {
  rule: AlertRule | null;
  /** The member whose samples to replay on (null: the node this window talks to). */
  memberId?: string | null;
}) {
  const client = useClient();
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  const show = async () => {
    if (!rule) return;
    setState({ status: 'loading' });
    try {
      setState({ status: 'shown', rule, preview: await callOn(client, memberId, 'alerts.rules.preview', { rule }) });
    } catch (error) {
      setState({ status: 'failed', message: messageOf(error) });
    }
  };
  return (
    <section className="rule-preview field-stack" data-testid="rule-preview" aria-live="polite">
      <div className="field-row">
        <button type="button" className="button" onClick={() => void show()} disabled={!rule}>
          {state.status === 'loading' ? 'Replaying…' : 'Preview on the last 24 h'}
        </button>
        <span className="field-hint">
          {rule ? 'Replays this rule on the samples this node stored.' : 'Complete the rule to preview it.'}
        </span>
      </div>
      {state.status === 'failed' && <p className="field-error">{state.message}</p>}
      {state.status === 'shown' && <PreviewResult rule={state.rule} preview={state.preview} />}
    </section>
  );
}

function PreviewResult({ rule, preview }: { rule: AlertRule; preview: RulePreview }) {
  if (preview.unavailable) return <p className="muted">No preview: {preview.unavailable}.</p>;
  if (preview.series.length === 0) return <p className="muted">No samples stored in the last 24 h.</p>;
  const firing = preview.intervals.filter((interval) => interval.state === 'firing').length;
  return (
    <>
      <PreviewChart rule={rule} preview={preview} />
      <p data-testid="preview-summary">
        {firing === 0 ? 'Would not have fired' : `Would have fired ${firing === 1 ? 'once' : `${firing} times`}`} in the
        last 24 h ({preview.series.length} values judged).
      </p>
      {preview.intervals.length > 0 && (
        <ul className="preview-intervals" data-testid="preview-intervals">
          {preview.intervals.map((interval) => (
            <li key={`${interval.state}-${interval.from}`} data-state={interval.state}>
              {interval.state === 'firing' ? 'Firing' : 'Pending'} from {formatDateTime(interval.from)}{' '}
              {interval.to === null ? 'until now' : `to ${formatDateTime(interval.to)}`}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The thresholds drawn as flat lines: the rule's, and its clear thresholds dashed. */
function thresholdLines(rule: AlertRule): Array<{ label: string; value: number; dash: boolean }> {
  const lines = [{ label: 'threshold', value: rule.threshold, dash: false }];
  if (rule.thresholdHigh !== undefined)
    lines.push({ label: 'upper threshold', value: rule.thresholdHigh, dash: false });
  if (rule.clearThreshold !== undefined) lines.push({ label: 'clears at', value: rule.clearThreshold, dash: true });
  if (rule.clearThresholdHigh !== undefined) {
    lines.push({ label: 'upper clear', value: rule.clearThresholdHigh, dash: true });
  }
  return lines;
}

function PreviewChart({ rule, preview }: { rule: AlertRule; preview: RulePreview }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const times = preview.series.map((point) => point.at / 1000);
    const lines = thresholdLines(rule);
    const data: uPlot.AlignedData = [
      times,
      preview.series.map((point) => point.value),
      ...lines.map((line) => times.map(() => line.value)),
    ];
    const shade = (u: uPlot) => {
      const { ctx, bbox } = u;
      for (const interval of preview.intervals) {
        const left = u.valToPos(interval.from / 1000, 'x', true);
        const right = u.valToPos((interval.to ?? preview.to) / 1000, 'x', true);
        ctx.fillStyle = bandColours[interval.state];
        ctx.fillRect(left, bbox.top, Math.max(1, right - left), bbox.height);
      }
    };
    const chart = new uPlot(
      {
        width: element.clientWidth || 640,
        height: CHART_HEIGHT,
        series: [
          {},
          { label: 'value', stroke: '#2563eb', width: 1.5, value: (_u, v) => formatAlertValue(v, rule.signal) },
          ...lines.map((line) => ({
            label: line.label,
            stroke: line.dash ? '#6b7280' : '#b91c1c',
            dash: line.dash ? [6, 4] : undefined,
            width: 1,
          })),
        ],
        axes: [{}, { values: (_u, ticks) => ticks.map((tick) => formatAlertValue(tick, rule.signal)), size: 70 }],
        hooks: { drawClear: [shade] },
      },
      data,
      element,
    );
    return () => chart.destroy();
  }, [rule, preview]);
  return <div ref={container} className="rule-preview-chart" data-testid="rule-preview-chart" />;
}
