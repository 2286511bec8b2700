import { AlertRule } from '../../shared/alerts.js';
import type { alertsMethods } from '../../shared/rpc/alerts.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import { historyRetention, PRUNE_INTERVAL_MS } from '../config/history-retention.js';
import { repeat } from '../core/clock.js';
import { AlertsRepository } from '../store/alerts-repository.js';
import { AlertEngine } from './alert-engine.js';
import type { ConditionInputs } from './evaluate-condition.js';
import { alertsHandlers } from './handlers.js';

/** Alert rules (the config file's and the fleet's) evaluated on this node's resources, checks and log matches. */
export function createAlertsCapability(context: CapabilityContext, inputs: ConditionInputs) {
  const { config, clock, store, events, metrics, fleet, summary } = context;
  const engine = new AlertEngine({
    repository: store.repository((db) => new AlertsRepository(db)),
    clock,
    logger: context.logger('alerts'),
    inputs,
    metrics: { firing: metrics.alertsFiring, transitions: metrics.alertTransitions },
    events,
  });
  engine.setConfigRules(config.alertRules);
  const fleetRules = fleet.register('alert-rules', AlertRule, engine);
  const keepResolvedMs = historyRetention(config.history).rollupMs;
  const stops = [
    // Open alerts ride on the node summary: the fleet hears of a change at once.
    events.subscribe((event) => {
      if (event.type === 'alert.changed') summary.changed(true);
    }),
  ];

  return {
    name: 'alerts',
    handlers: alertsHandlers(engine, fleetRules),
    start() {
      stops.push(repeat(clock, PRUNE_INTERVAL_MS, () => engine.prune(clock.now(), keepResolvedMs)));
      engine.prune(clock.now(), keepResolvedMs);
      engine.start();
    },
    stop() {
      engine.stop();
      for (const stop of stops.splice(0)) stop();
    },
    summary: () => ({ openAlerts: engine.openCounts() }),
  } satisfies Capability<keyof typeof alertsMethods>;
}
