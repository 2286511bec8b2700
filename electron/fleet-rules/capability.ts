import type { FleetAlertRecord, ListedAlert } from '../../shared/fleet-alerts.js';
import { FLEET_NODE, FleetRule, effectiveFleetRules } from '../../shared/fleet-rules.js';
import { callerName } from '../../shared/rpc/caller.js';
import type { fleetRulesMethods } from '../../shared/rpc/fleet-rules.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import { listedAlert } from '../alert-delivery/fleet-alert-list.js';
import type { ClusterCapability } from '../cluster/capability.js';
import { CodedError } from '../core/coded-error.js';
import { fleetConfigHandlers } from '../fleet-config/handlers.js';
import { FleetRulesLeader } from './fleet-rules-leader.js';
import { SavedFleetRules } from './saved-fleet-rules.js';

export interface FleetRulesDeps {
  cluster: Pick<ClusterCapability, 'leadership' | 'onChange' | 'members' | 'status'>;
  /** Whether a silence or maintenance window covers an alert with these labels now (as the list shows it). */
  silenced(labels: Readonly<Record<string, string>>, now: number): boolean;
}

/**
 * Rules on the fleet as a whole, saved as fleet values and evaluated by the leader only; what they raise is
 * published as fleet alerts (node `fleet`) and told through the leader's notification pass like any alert.
 * Every node writes a leave marker when it leaves the fleet (see FleetMembership), so the leader tells a graceful leave
 * from a crash.
 */
export function createFleetRulesCapability(context: CapabilityContext, deps: FleetRulesDeps) {
  const { backend, clock, fleet, node } = context;
  if (node.id === FLEET_NODE) throw new Error(`node id "${FLEET_NODE}" is reserved for alerts of the whole fleet`);
  const saved = new SavedFleetRules();
  const sync = fleet.register('fleet-rules', FleetRule, saved);
  const leader = new FleetRulesLeader({
    backend,
    clock,
    logger: context.logger('fleet-rules'),
    nodeId: node.id,
    rules: () => effectiveFleetRules(saved.list()),
    members: () => deps.cluster.members(),
    leaderClaims: () => deps.cluster.status().leaderClaims,
    leadership: () => deps.cluster.leadership(),
  });
  const stops: Array<() => void> = [];
  let stopLeading: (() => void) | null = null;
  const followLeadership = () => {
    leader.changed();
    const leading = deps.cluster.leadership() !== null;
    if (leading === (stopLeading !== null)) return;
    if (leading) {
      stopLeading = leader.lead();
      return;
    }
    stopLeading?.();
    stopLeading = null;
  };
  const { list, put, remove } = fleetConfigHandlers(sync);
  /** The acknowledged alert as `alerts.list {scope: 'fleet'}` shows it. */
  const listed = ({ alert }: FleetAlertRecord): ListedAlert => {
    const shown = listedAlert(alert, deps.silenced(alert.labels, clock.now()));
    if (!shown) throw new Error(`fleet alert ${alert.id} does not fit the contract`);
    return shown;
  };

  return {
    name: 'fleet-rules',
    leader,
    handlers: {
      'fleet.fleetRules.list': list,
      'fleet.fleetRules.put': put,
      'fleet.fleetRules.remove': remove,
      'fleet.alerts.acknowledge': async ({ id, note, untilMs }, caller) => {
        const now = clock.now();
        if (untilMs !== undefined && untilMs <= now) {
          throw new CodedError('invalid_request', 'untilMs: must be in the future', [
            { path: 'untilMs', message: 'must be in the future' },
          ]);
        }
        const ack = { by: callerName(caller), at: now, note, untilMs: untilMs ?? null };
        return listed(await leader.acknowledge(id, ack));
      },
      'fleet.alerts.unacknowledge': async ({ id }) => listed(await leader.acknowledge(id, null)),
    },
    start() {
      stops.push(deps.cluster.onChange(followLeadership));
      followLeadership();
    },
    stop() {
      for (const stop of stops.splice(0)) stop();
      stopLeading?.();
      stopLeading = null;
      leader.stop();
    },
  } satisfies Capability<keyof typeof fleetRulesMethods> & Record<string, unknown>;
}

export type FleetRulesCapability = ReturnType<typeof createFleetRulesCapability>;
