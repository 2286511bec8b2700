import { AlertRule, type AlertRuleInput } from '../../shared/alerts.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { seedOnce, type FleetSeed } from '../fleet-config/fleet-seed.js';

/** The six rules every fleet starts with: enabled, and edited or deleted like any fleet rule. */
export function defaultAlertRules(): AlertRule[] {
  const rules: AlertRuleInput[] = [
    {
      id: 'default-cpu-high',
      name: 'CPU busy',
      description: 'CPU of {{node}} at {{value}}% for 5 minutes (threshold {{threshold}}%).',
      severity: 'warning',
      signal: { kind: 'resource', metric: 'cpu' },
      threshold: 90,
      clearThreshold: 80,
      forSeconds: 300,
    },
    {
      id: 'default-memory-high',
      name: 'Memory almost full',
      description: 'Memory of {{node}} at {{value}}% (threshold {{threshold}}%).',
      severity: 'warning',
      signal: { kind: 'resource', metric: 'memory' },
      threshold: 90,
      clearThreshold: 85,
      forSeconds: 300,
    },
    {
      id: 'default-disk-full',
      name: 'Disk almost full',
      description: 'The data directory disk of {{node}} is {{value}}% full (threshold {{threshold}}%).',
      severity: 'critical',
      signal: { kind: 'resource', metric: 'disk' },
      threshold: 90,
      clearThreshold: 85,
      forSeconds: 60,
    },
    {
      id: 'default-check-errors',
      name: 'Checks failing',
      description: '{{value}}% of check runs failed on {{node}} in the last 5 minutes.',
      severity: 'critical',
      signal: { kind: 'errorRate', serviceIds: [], windowSeconds: 300 },
      threshold: 20,
      clearThreshold: 5,
      forSeconds: 60,
    },
    {
      id: 'default-check-latency',
      name: 'Checks slow',
      description: 'A check on {{node}} took {{value}} ms on average over 5 minutes (threshold {{threshold}} ms).',
      severity: 'warning',
      signal: { kind: 'checkLatency', serviceIds: [], windowSeconds: 300 },
      threshold: 2000,
      clearThreshold: 1500,
      forSeconds: 120,
    },
    {
      id: 'default-dead-tasks',
      name: 'Tasks failed for good',
      description: '{{value}} tasks on {{node}} ran out of attempts; replay or cancel them in Tasks.',
      severity: 'warning',
      signal: { kind: 'taskQueue', measure: 'dead' },
      threshold: 0,
    },
  ];
  return rules.map((rule) => AlertRule.parse(rule));
}

/** Marks that the defaults were written once for the fleet (relative to the fleet's shared values). */
export const defaultRulesSeededKey = 'seeds/alert-rules/v1';

/** The defaults as a fleet seed: written once per fleet, a default an operator deleted stays deleted. */
export const defaultRulesSeed = (rules = defaultAlertRules()): FleetSeed => ({
  name: 'default alert rules',
  marker: defaultRulesSeededKey,
  values: rules.map((rule) => ({ kind: 'alert-rules', id: rule.id, value: rule })),
});

/** Writes the defaults once per fleet (see `seedOnce`); returns whether this call wrote them. */
export const seedDefaultRules = (backend: CoordinationBackend, rules = defaultAlertRules()): Promise<boolean> =>
  seedOnce(backend, defaultRulesSeed(rules));
