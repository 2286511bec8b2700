import { useState } from 'react';
import './rule-preview.css';
import { PREVIEW_HOURS, type RulePreview } from '../../../shared/alert-preview.js';
import type { AlertRule } from '../../../shared/alerts.js';
import { callOn } from '../../client/call-member.js';
import { useClient } from '../../client/client-context.js';
import { messageOf } from '../../client/outcome.js';
import { LineChart, type ChartThreshold } from '../../components/line-chart.js';
import { formatDateTime } from '../../format/time.js';
import { formatAlertValue } from './rule-draft.js';

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
function thresholdLines(rule: AlertRule): ChartThreshold[] {
  const line = (title: string, value: number | undefined, className: string) =>
    value === undefined ? [] : [{ title: `${title}: ${formatAlertValue(value, rule.signal)}`, value, className }];
  return [
    ...line('Threshold', rule.threshold, 'threshold-fires'),
    ...line('Upper threshold', rule.thresholdHigh, 'threshold-fires'),
    ...line('Clears at', rule.clearThreshold, 'threshold-clears'),
    ...line('Upper clear', rule.clearThresholdHigh, 'threshold-clears'),
  ];
}

/** The replay's points are one per evaluation, so a missing evaluation (no value to judge) breaks the line. */
function evaluationGapMs(series: RulePreview['series']): number {
  const steps = series
    .slice(1)
    .map((point, index) => point.at - series[index]!.at)
    .sort((a, b) => a - b);
  return (steps[Math.floor((steps.length - 1) / 2)] ?? 60_000) * 1.5;
}

function PreviewChart({ rule, preview }: { rule: AlertRule; preview: RulePreview }) {
  const points = preview.series.flatMap((point) =>
    point.value === null ? [] : [{ at: point.at, value: point.value }],
  );
  const values = points.map((point) => point.value);
  const format = (value: number) => formatAlertValue(value, rule.signal);
  return (
    <LineChart
      label={`Values the rule judges over the last ${PREVIEW_HOURS} h`}
      summary={
        values.length === 0
          ? 'No value to judge.'
          : `From ${format(Math.min(...values))} to ${format(Math.max(...values))}, latest ${format(values.at(-1)!)}.`
      }
      fromMs={preview.from}
      toMs={preview.to}
      points={points}
      thresholds={thresholdLines(rule)}
      bands={preview.intervals.map((interval) => ({
        fromMs: interval.from,
        toMs: interval.to ?? preview.to,
        className: `band-${interval.state}`,
        title: interval.state === 'firing' ? 'Would have fired' : 'Would have been pending',
      }))}
      formatY={format}
      maxGapMs={evaluationGapMs(preview.series)}
      height={180}
      testId="rule-preview-chart"
    />
  );
}
