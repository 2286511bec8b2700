import { ListedAlert } from '../fleet-alerts.js';
import { FleetRule } from '../fleet-rules.js';
import { alertLifecycleMethods } from './alert-lifecycle.js';
import { fleetConfigMethods } from './fleet-config.js';
import { method } from './method.js';

const fleetRules = fleetConfigMethods(FleetRule, 'Fleet rules');

/** Rules on the fleet as a whole (member down, split brain, quorum checks, dead letters), evaluated by the leader. */
export const fleetRulesMethods = {
  'fleet.fleetRules.list': fleetRules.list,
  'fleet.fleetRules.put': fleetRules.put,
  'fleet.fleetRules.remove': fleetRules.remove,
  'fleet.alerts.acknowledge': method(
    alertLifecycleMethods['alerts.acknowledge'].request,
    ListedAlert,
    'Acknowledges an open alert of the fleet rules (node fleet) by its id, as the caller; the leader only answers.',
  ),
  'fleet.alerts.unacknowledge': method(
    alertLifecycleMethods['alerts.unacknowledge'].request,
    ListedAlert,
    "Withdraws a fleet alert's acknowledgement; the leader only answers.",
  ),
};
