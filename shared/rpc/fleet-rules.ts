import { FleetRule } from '../fleet-rules.js';
import { fleetConfigMethods } from './fleet-config.js';

const fleetRules = fleetConfigMethods(FleetRule, 'Fleet rules');

/** Rules on the fleet as a whole (member down, split brain, quorum checks, dead letters), evaluated by the leader. */
export const fleetRulesMethods = {
  'fleet.fleetRules.list': fleetRules.list,
  'fleet.fleetRules.put': fleetRules.put,
  'fleet.fleetRules.remove': fleetRules.remove,
};
