import type { AlertSeverity } from '../../shared/alerts.js';
import { Severity } from '../../shared/log-patterns.js';
import './severity-badge.css';

/** Alerts have one more severity than log patterns: emergency. */
export const severityLabels: Record<AlertSeverity, string> = {
  info: 'Info',
  warning: 'Warning',
  critical: 'Critical',
  emergency: 'Emergency',
};

/** A log pattern's severities in rising order, for a select. */
export const severityOptions: readonly { value: Severity; label: string }[] = Severity.options.map((value) => ({
  value,
  label: severityLabels[value],
}));

/**
 * How serious a log pattern's match or an alert is, in the status colours the other views use; `data-severity`
 * carries the raw value for tests and styles alike.
 */
export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  return (
    <span className={`badge severity-badge severity-${severity}`} data-severity={severity}>
      {severityLabels[severity]}
    </span>
  );
}
