import type { Alert } from '../../shared/alerts.js';
import type { CapabilityContext, CapabilityLifecycle } from '../agent/capability.js';
import { coalesce } from '../core/coalesce.js';
import { fleetAlertMirror } from './fleet-alert-mirror.js';
import type { ClusterCapability } from '../cluster/capability.js';
import { AlertPublisher } from './alert-publisher.js';
import { listFleetAlerts, type FleetAlertQuery } from './fleet-alert-list.js';
import { NotificationLeader, type NoticeOutbox } from './notification-leader.js';

export interface AlertDeliveryDeps {
  cluster: Pick<ClusterCapability, 'leadership' | 'onChange'>;
  /** The outbox and its delivery loop, which runs on the leader only. */
  outbox: NoticeOutbox & { start(): void; stop(): Promise<void> };
  alerts: { open(): Alert[]; find(id: number): Alert | null; labelsOf(alert: Alert): Record<string, string> };
  /** Whether a silence or maintenance window covers an alert with these labels at `now`. */
  silenced(labels: Readonly<Record<string, string>>, now: number): boolean;
}

/**
 * Alerts that reach people, once for the whole fleet: every node publishes its alerts to the coordination backend
 * (where they outlive it), every node mirrors the fleet's alert records (for the fleet-wide list and its UI), and the
 * leader tells each transition through the outbox — which only the leader runs.
 */
export function createAlertDeliveryCapability(context: CapabilityContext, deps: AlertDeliveryDeps) {
  const { backend, clock, events, config } = context;
  const logger = context.logger('alert-delivery');
  const records = fleetAlertMirror({ backend, clock, logger });
  const publisher = new AlertPublisher({
    backend,
    clock,
    logger,
    nodeId: context.node.id,
    openAlerts: () => deps.alerts.open(),
    findAlert: (id) => deps.alerts.find(id),
    labelsOf: (alert) => deps.alerts.labelsOf(alert),
  });
  const leader = new NotificationLeader({
    backend,
    records,
    outbox: deps.outbox,
    clock,
    logger,
    fleet: config.cluster,
    leadership: () => deps.cluster.leadership(),
    silenced: (alert, now) => deps.silenced(alert.labels, now),
  });
  const stops: Array<() => void> = [];
  let stopLeading: (() => void) | null = null;
  let term: string | null = null;
  const followLeadership = () => {
    const token = deps.cluster.leadership();
    const leading = token !== null;
    const nextTerm = token && `${token.leaseId}@${token.revision}`;
    if (nextTerm !== term) leader.changed();
    term = nextTerm;
    if (leading === (stopLeading !== null)) return;
    if (leading) {
      deps.outbox.start();
      stopLeading = leader.start();
      logger.info('leading: telling the fleet’s alert transitions');
      return;
    }
    stopLeading?.();
    stopLeading = null;
    void deps.outbox.stop();
  };

  // A console redraws the fleet's alerts on this; a burst of record writes is one event.
  const announce = coalesce(clock, 250, () => events.publish({ type: 'fleetAlerts.changed', data: {} }));

  return {
    name: 'alert-delivery',
    records,
    leader,
    publisher,
    /** `alerts.list {scope: 'fleet'}`: every node's alerts as published. */
    list: (query: FleetAlertQuery) =>
      listFleetAlerts(
        records.values().map((entry) => entry.value),
        query,
        (alert) => deps.silenced(alert.labels, clock.now()),
        logger,
      ),
    start() {
      const mirror = records.start();
      stops.push(
        mirror.stop,
        events.subscribe((event) => {
          if (event.type === 'alert.changed') publisher.changed(event.data);
        }),
        records.onChange(announce.trigger),
        announce.cancel,
        deps.cluster.onChange(followLeadership),
      );
      publisher.start();
      followLeadership();
    },
    async stop() {
      for (const stop of stops.splice(0)) stop();
      publisher.stop();
      stopLeading?.();
      stopLeading = null;
      await deps.outbox.stop();
    },
  } satisfies CapabilityLifecycle & Record<string, unknown>;
}

export type AlertDeliveryCapability = ReturnType<typeof createAlertDeliveryCapability>;
