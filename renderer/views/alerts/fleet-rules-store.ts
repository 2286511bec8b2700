import type { FleetRule } from '../../../shared/fleet-rules.js';
import { FleetConfigKind } from '../../../shared/node.js';
import { createFleetEntryStore } from '../../stores/fleet-entry-store.js';

/** Fleet rules saved for the whole fleet (the defaults are not stored), and the fleet-rule editor of the Alerts view. */
export const fleetRuleEntries = createFleetEntryStore<FleetRule>(FleetConfigKind.enum['fleet-rules'], {
  list: (client) => client.call('fleet.fleetRules.list', {}),
  put: (client, value) => client.call('fleet.fleetRules.put', { value }),
  remove: (client, id) => client.call('fleet.fleetRules.remove', { id }),
});
