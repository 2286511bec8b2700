import { AlertRule, type AlertRuleInput } from '../../shared/alerts.js';
import { ConflictError, type CoordinationBackend } from '../cluster/coordination-backend.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

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
const ruleKey = (id: string) => `config/alert-rules/${id}`;
const MAX_SEED_ATTEMPTS = 5;

/**
 * Writes the default rules once per fleet, as fleet rules. One atomic write puts them together with a marker,
 * each only if absent: of several nodes starting at once exactly one succeeds, and once the marker exists nothing
 * is written again, so a default an operator deleted stays deleted. A rule id already taken (an operator's rule
 * of that name) is left alone; the others are written. Returns whether this call wrote them.
 */
export async function seedDefaultRules(backend: CoordinationBackend, rules = defaultAlertRules()): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    if (await backend.get(defaultRulesSeededKey)) return false;
    const taken = new Set((await backend.list('config/alert-rules/')).map((entry) => entry.key));
    const writes = rules
      .filter((rule) => !taken.has(ruleKey(rule.id)))
      .map((rule) => ({ key: ruleKey(rule.id), value: JSON.stringify(rule), ifRevision: null }));
    try {
      await backend.putAll([{ key: defaultRulesSeededKey, value: '{}', ifRevision: null }, ...writes]);
      return true;
    } catch (error) {
      // Another node seeded meanwhile (the marker exists now), or someone saved a rule of a default's id: look again.
      if (!(error instanceof ConflictError) || attempt === MAX_SEED_ATTEMPTS) throw error;
    }
  }
}

/**
 * Seeds the defaults once the backend is connected (now, or when it connects), until one attempt has settled it;
 * a failure is logged and tried again at the next connection. Returns the stop function.
 */
export function seedWhenConnected(backend: CoordinationBackend, logger: Logger): () => void {
  let settled = false;
  let running = false;
  const attempt = () => {
    if (settled || running || backend.status().state !== 'connected') return;
    running = true;
    seedDefaultRules(backend)
      .then(
        (wrote) => {
          settled = true;
          logger.info(wrote ? 'default alert rules saved for the fleet' : 'default alert rules were saved before');
        },
        (error: unknown) => logger.warn({ err: errorMessage(error) }, 'saving the default alert rules failed'),
      )
      .finally(() => {
        running = false;
      });
  };
  const unsubscribe = backend.onStatus(attempt);
  attempt();
  return () => {
    settled = true;
    unsubscribe();
  };
}
