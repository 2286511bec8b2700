import { type ReactNode, useEffect, useRef, useState, type FormEvent } from 'react';
import type { TimelineKind } from '../../../shared/alert-lifecycle.js';
import type { AlertSignal } from '../../../shared/alert-signals.js';
import type { Alert } from '../../../shared/alerts.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { Facts } from '../../components/facts.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { alertLifecycleSelectors, useAlertLifecycleStore } from '../../stores/alert-lifecycle-store.js';
import { alertsSelectors, useAlertsStore } from '../../stores/alerts-store.js';
import { alertLogsRoute, logsHref } from '../logs/logs-route.js';
import { useAlertAction } from './alert-actions.js';
import { AlertLifecycleBadges } from './alert-lifecycle-badges.js';
import { AlertStateTag } from './alert-tables.js';
import { formatAlertValue } from './rule-draft.js';

const timelineLabels: Record<TimelineKind, string> = {
  raised: 'Raised (pending)',
  firing: 'Firing',
  resolved: 'Resolved',
  acknowledged: 'Acknowledged',
  unacknowledged: 'Unacknowledged',
  ackExpired: 'Acknowledgement expired',
  manuallyResolved: 'Resolved by hand',
};

const expiryOptions = [
  { value: '', label: 'Until it resolves' },
  { value: '3600000', label: '1 hour' },
  { value: '14400000', label: '4 hours' },
  { value: '86400000', label: '24 hours' },
] as const;
type Expiry = (typeof expiryOptions)[number]['value'];

/** Acknowledge with a note and an optional expiry. */
function AcknowledgeForm({ alert }: { alert: Alert }) {
  const client = useClient();
  const acknowledge = useAlertLifecycleStore((s) => s.acknowledge);
  const [note, setNote] = useState('');
  const [expiry, setExpiry] = useState<Expiry>('');
  const { busy, refusal, run } = useAlertAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const untilMs = expiry === '' ? undefined : Date.now() + Number(expiry);
    void run(() => acknowledge(client, alert.id, note, untilMs)).then((outcome) => outcome.ok && setNote(''));
  };
  return (
    <form className="alert-ack-form" aria-label={`Acknowledge ${alert.ruleName}`} onSubmit={submit}>
      <TextField label="Note" value={note} onChange={setNote} hint="What you are doing about it (optional)." />
      <SelectField<Expiry> label="Acknowledged for" value={expiry} options={expiryOptions} onChange={setExpiry} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {alert.acknowledged ? 'Acknowledge again' : 'Acknowledge'}
      </button>
      {refusal && (
        <p className="field-error" role="alert">
          {refusal}
        </p>
      )}
    </form>
  );
}

/**
 * One alert in full: what fired, who is on it, its actions, and its timeline (every change, oldest first). The
 * heading takes the keyboard when the panel opens, so a screen reader announces which alert it is.
 */
export function AlertDetailPanel({
  alert,
  signal,
  valueNow,
  onSilence,
  children,
}: {
  alert: Alert;
  /** What its rule judges, for the values' unit; absent when the rule is not in force here. */
  signal: AlertSignal | undefined;
  /** Its rule's value at the last evaluation; absent when the rule is not in force here. */
  valueNow: number | null | undefined;
  onSilence(): void;
  /** More of its history, after the timeline (what the leader told of it). */
  children?: ReactNode;
}) {
  const client = useClient();
  const detail = useAlertLifecycleStore(alertLifecycleSelectors.detail);
  // The alert is on the node the Alerts view shows.
  const memberId = useAlertsStore(alertsSelectors.memberId);
  const { showDetail, unacknowledge, resolve } = useAlertLifecycleStore.getState();
  const action = useAlertAction();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [alert.id]);
  const open = alert.state !== 'resolved';

  return (
    <Card
      title={
        <span ref={headingRef} tabIndex={-1}>
          Alert: {alert.ruleName}
        </span>
      }
      count={`#${alert.id}`}
      testId="alert-detail"
      className="alert-detail"
      actions={
        <>
          <a className="button" href={logsHref(alertLogsRoute(alert, signal, memberId))}>
            Show log lines
          </a>
          <button type="button" className="button" onClick={() => void showDetail(client, null)}>
            Close
          </button>
        </>
      }
    >
      <Facts
        facts={[
          {
            label: 'State',
            value: (
              <>
                <AlertStateTag state={alert.state} /> <AlertLifecycleBadges alert={alert} />
              </>
            ),
          },
          { label: 'Severity', value: <SeverityBadge severity={alert.severity} /> },
          open
            ? { label: 'Value now', value: formatAlertValue(valueNow ?? null, signal), testId: 'alert-value-now' }
            : {
                label: 'Value when it resolved',
                value: formatAlertValue(alert.value, signal),
                testId: 'alert-value-now',
              },
          {
            label: 'Fired at',
            testId: 'alert-fired-value',
            value:
              alert.firingAt === null ? (
                <span className="muted">not yet (pending)</span>
              ) : (
                <>
                  {formatAlertValue(alert.firingValue, signal)} <span className="muted">on</span>{' '}
                  <Timestamp epochMs={alert.firingAt} />
                </>
              ),
          },
          { label: 'Summary', value: alert.summary, className: 'facts-wide' },
          !!alert.acknowledged?.note && { label: 'Note', value: alert.acknowledged.note, className: 'facts-wide' },
        ]}
      />
      {open && (
        <div className="alert-detail-actions">
          <AcknowledgeForm alert={alert} />
          <div className="row-actions">
            {alert.acknowledged && (
              <button
                type="button"
                className="button"
                disabled={action.busy}
                onClick={() => void action.run(() => unacknowledge(client, alert.id))}
              >
                Unacknowledge
              </button>
            )}
            <button type="button" className="button" onClick={onSilence}>
              Silence…
            </button>
            <button
              type="button"
              className="button"
              disabled={action.busy}
              onClick={() => void action.run(() => resolve(client, alert.id))}
            >
              Resolve
            </button>
          </div>
          {action.refusal && (
            <p className="field-error" role="alert">
              {action.refusal}
            </p>
          )}
        </div>
      )}
      <h3 className="form-section-title">Timeline</h3>
      {detail?.error && (
        <p className="notice notice-error" role="alert">
          Could not load the timeline: {detail.error}
        </p>
      )}
      {detail?.timeline === null && !detail.error && <p className="muted">Loading…</p>}
      {detail?.timeline && (
        <ol className="alert-timeline" data-testid="alert-timeline">
          {detail.timeline.map((entry) => (
            <li key={entry.id} data-kind={entry.kind}>
              <Timestamp epochMs={entry.at} /> <strong>{timelineLabels[entry.kind]}</strong>
              {entry.actor && <span> by {entry.actor}</span>}
              {entry.detail && <span className="muted"> — {entry.detail}</span>}
            </li>
          ))}
        </ol>
      )}
      {children}
    </Card>
  );
}
