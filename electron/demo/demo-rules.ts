import { AlertRule, type AlertRuleInput } from '../../shared/alerts.js';
import { LogPattern, type LogPatternInput } from '../../shared/log-patterns.js';

/** What the demo looks for in its log worker's output (resources/demo/log-writer.mjs). */
export function demoLogPatterns(): LogPattern[] {
  const patterns: LogPatternInput[] = [
    {
      id: 'demo-upstream-errors',
      name: 'Upstream errors',
      description: 'Demo: timeouts and resets talking to other services.',
      regex: 'upstream timeout|connection reset by peer',
      sources: ['demo-worker'],
      severity: 'critical',
    },
    {
      id: 'demo-slow-queries',
      name: 'Slow queries',
      description: 'Demo: database queries slower than half a second.',
      regex: String.raw`slow query took \d+ ms`,
      sources: ['demo-worker'],
    },
  ];
  return patterns.map((pattern) => LogPattern.parse(pattern));
}

/** The demo's alert rules: one of each kind; the payments outages fire one and resolve it. */
export function demoAlertRules(): AlertRule[] {
  const rules: AlertRuleInput[] = [
    {
      id: 'demo-upstream-errors',
      name: 'Upstream errors in the log worker',
      severity: 'warning',
      description:
        'More than {{threshold}} upstream errors in a minute on {{node}} ({{value}}): a burst, not the usual few.',
      signal: { kind: 'logPattern', patternId: 'demo-upstream-errors', windowSeconds: 60 },
      // The worker logs about 4 a minute: a burst above 8 is rare, so this fires now and then, not all the time.
      threshold: 8,
    },
    {
      id: 'demo-payments-down',
      name: 'Payment gateway failing',
      severity: 'critical',
      signal: { kind: 'checkStatus', serviceIds: ['demo-payments'], status: 'critical' },
      threshold: 0,
      forSeconds: 5,
    },
    {
      id: 'demo-disk-full',
      name: 'Data disk almost full',
      severity: 'critical',
      signal: { kind: 'resource', metric: 'disk' },
      threshold: 95,
      clearThreshold: 90,
      forSeconds: 60,
    },
  ];
  return rules.map((rule) => AlertRule.parse(rule));
}
