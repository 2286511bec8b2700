import type { AlertNotice } from '../../../shared/alert-notice.js';

const verbs: Record<AlertNotice['transition'], string> = {
  firing: 'FIRING',
  repeat: 'STILL FIRING',
  resolved: 'RESOLVED',
  acknowledged: 'ACKNOWLEDGED',
};

/** One line naming what happened: `[FIRING] critical: Disk almost full on web-1`. */
export const noticeTitle = ({ transition, alert }: AlertNotice): string =>
  `[${verbs[transition]}] ${alert.severity}: ${alert.ruleName} on ${alert.node}`;

/** The facts a person reads under the title and summary, as `name: value` pairs. */
export function noticeFacts({ alert, fleet }: AlertNotice): Array<[string, string]> {
  const facts: Array<[string, string]> = [
    ['Node', alert.node],
    ['Severity', alert.severity],
    ['Rule', `${alert.ruleName} (${alert.ruleId})`],
    ['Fleet', fleet],
    ['Started', new Date(alert.startedAt).toISOString()],
  ];
  if (alert.resolvedAt !== null) facts.push(['Resolved', new Date(alert.resolvedAt).toISOString()]);
  if (alert.acknowledgedBy) facts.push(['Acknowledged by', alert.acknowledgedBy]);
  const labels = Object.entries(alert.labels).map(([name, value]) => `${name}=${value}`);
  if (labels.length > 0) facts.push(['Labels', labels.join(', ')]);
  return facts;
}

/** The console's alerts view, when the node knows where its console is. */
export const consoleLink = (consoleUrl: string | undefined): string | undefined =>
  consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/#/alerts` : undefined;
