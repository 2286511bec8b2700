import type { AlertSignal } from '../../../shared/alert-signals.js';
import type { Alert } from '../../../shared/alerts.js';
import { Severity } from '../../../shared/log-patterns.js';
import { emptyLogsRoute, type LogsRoute } from '../../stores/logs-store.js';
import { Slug } from '../../../shared/services.js';
import { viewHref } from '../../shell/views.js';

const slugOrNull = (value: string | null) => (value !== null && Slug.safeParse(value).success ? value : null);

const timeOrNull = (value: string | null) => {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
};

/** The route in a location hash (`#/logs?node=…&from=…`); a value that does not parse is left out. */
export function parseLogsRoute(hash: string): LogsRoute {
  const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  const severity = Severity.safeParse(query.get('severity'));
  return {
    memberId: query.get('node') || null,
    patternId: slugOrNull(query.get('pattern')),
    source: slugOrNull(query.get('source')),
    severity: severity.success ? severity.data : null,
    from: timeOrNull(query.get('from')),
    to: timeOrNull(query.get('to')),
  };
}

/** The link to the Logs view showing `route`; times as ISO 8601, so a link reads as what it shows. */
export function logsHref(route: Partial<LogsRoute>): string {
  const query = new URLSearchParams();
  const add = (name: string, value: string | null | undefined) => value && query.set(name, value);
  add('node', route.memberId);
  add('pattern', route.patternId);
  add('source', route.source);
  add('severity', route.severity);
  if (route.from != null) add('from', new Date(route.from).toISOString());
  if (route.to != null) add('to', new Date(route.to).toISOString());
  const search = query.toString();
  return search === '' ? viewHref('logs') : `${viewHref('logs')}?${search}`;
}

/** How far before an alert fired its log lines are shown (a log-pattern rule's own window when that is longer). */
export const alertLeadMs = 5 * 60_000;

/**
 * The lines around an alert on its node: from `alertLeadMs` before it fired (or was raised, if it never fired) to
 * its resolution, or open (now, and following) while it is open; a log-pattern alert's pattern pre-selected.
 */
export function alertLogsRoute(
  alert: Pick<Alert, 'startedAt' | 'firingAt' | 'resolvedAt'>,
  signal: AlertSignal | undefined,
  memberId: string | null,
): LogsRoute {
  const pattern = signal?.kind === 'logPattern' ? signal : null;
  const leadMs = Math.max(alertLeadMs, (pattern?.windowSeconds ?? 0) * 1000);
  return {
    ...emptyLogsRoute,
    memberId,
    patternId: pattern?.patternId ?? null,
    from: Math.max(0, (alert.firingAt ?? alert.startedAt) - leadMs),
    to: alert.resolvedAt,
  };
}
