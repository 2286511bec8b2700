import { AlertRule, type Alert } from '../../shared/alerts.js';
import type { ListedAlert } from '../../shared/fleet-alerts.js';
import { MaintenanceWindow, Silence } from '../../shared/alert-lifecycle.js';
import type { alertLifecycleMethods } from '../../shared/rpc/alert-lifecycle.js';
import type { alertsMethods } from '../../shared/rpc/alerts.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import type { FleetAlertQuery } from '../alert-delivery/fleet-alert-list.js';
import { historyRetention, PRUNE_INTERVAL_MS } from '../config/history-retention.js';
import { repeat } from '../core/clock.js';
import { AlertEngine } from './alert-engine.js';
import { seedWhenConnected } from '../fleet-config/fleet-seed.js';
import { defaultRulesSeed } from './default-rules.js';
import type { ConditionInputs } from './evaluate-condition.js';
import { alertsHandlers } from './handlers.js';
import { AlertLifecycle } from './lifecycle/alert-lifecycle.js';
import { alertLifecycleHandlers } from './lifecycle/handlers.js';
import { LifecycleAlertsRepository } from './lifecycle/lifecycle-alerts-repository.js';
import { isSilenced, type AlertLabels } from './lifecycle/silencing.js';
import { previewRule } from './rule-preview.js';
import { storedInputs } from './signals/stored-inputs.js';

/** What rules read that other capabilities measure live; the rest comes from this node's database. */
export type LiveInputs = Pick<ConditionInputs, 'resources' | 'checks' | 'countLogMatches' | 'serviceSignals'>;

/**
 * Alert rules (the config file's and the fleet's) evaluated on this node's resources, checks and log matches.
 * `fleetAlerts` lists every node's alerts (`alerts.list {scope: 'fleet'}`), which the fleet delivery mirrors.
 */
export function createAlertsCapability(
  context: CapabilityContext,
  live: LiveInputs,
  fleetAlerts: (query: FleetAlertQuery) => ListedAlert[],
) {
  const { config, clock, store, events, metrics, fleet, summary } = context;
  const stored = storedInputs(context);
  const repository = store.repository((db) => new LifecycleAlertsRepository(db));
  const engine = new AlertEngine({
    repository,
    clock,
    logger: context.logger('alerts'),
    inputs: { ...live, ...stored.inputs },
    metrics: { firing: metrics.alertsFiring, transitions: metrics.alertTransitions },
    events,
    node: { id: context.node.id, labels: config.labels },
  });
  engine.setConfigRules(config.alertRules);
  const fleetRules = fleet.register('alert-rules', AlertRule, engine);
  const lifecycle = new AlertLifecycle({
    repository,
    engine,
    clock,
    events,
    logger: context.logger('alerts'),
    node: { id: context.node.id, labels: config.labels },
  });
  const lifecycleFleet = {
    silences: fleet.register('silences', Silence, lifecycle.silences),
    windows: fleet.register('maintenance-windows', MaintenanceWindow, lifecycle.windows),
  };
  const keepResolvedMs = historyRetention(config.history).rollupMs;
  const stops = [
    // Open alerts ride on the node summary: the fleet hears of a change at once.
    events.subscribe((event) => {
      if (event.type === 'alert.changed') summary.changed(true);
    }),
  ];

  return {
    name: 'alerts',
    handlers: {
      ...alertsHandlers(engine, fleetRules, (rule) => previewRule(rule, stored.history, clock.now()), {
        nodeId: context.node.id,
        fleet: fleetAlerts,
      }),
      ...alertLifecycleHandlers(lifecycle, lifecycleFleet),
    },
    /** Acknowledgements, silences and maintenance windows of this node's alerts (`lifecycle.verdict`). */
    lifecycle,
    /** What the fleet delivery publishes, and how it judges silences (on the leader, for any node's alert). */
    delivery: {
      open: () => repository.open(),
      find: (id: number) => repository.get(id) ?? null,
      labelsOf: (alert: Alert) => lifecycle.labelsOf(alert),
      silenced: (labels: AlertLabels, now: number) =>
        isSilenced(labels, now, lifecycle.silences.list(), lifecycle.windows.list()).silenced,
    },
    start() {
      stops.push(repeat(clock, PRUNE_INTERVAL_MS, () => engine.prune(clock.now(), keepResolvedMs)));
      engine.prune(clock.now(), keepResolvedMs);
      engine.start();
      stops.push(seedWhenConnected(context.backend, context.logger('alerts'), defaultRulesSeed()));
      lifecycle.start();
    },
    stop() {
      lifecycle.stop();
      engine.stop();
      for (const stop of stops.splice(0)) stop();
    },
    summary: () => ({ openAlerts: engine.openCounts() }),
  } satisfies Capability<keyof typeof alertsMethods | keyof typeof alertLifecycleMethods> & {
    lifecycle: AlertLifecycle;
    delivery: unknown;
  };
}
