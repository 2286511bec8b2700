import type { CheckTemplate } from '../../shared/check-templates.js';
import { FleetConfigKind } from '../../shared/node.js';
import { createFleetEntryStore } from './fleet-entry-store.js';
import type { FleetEntry } from './fleet-entries.js';

/** A template stored for the whole fleet; a malformed stored value comes with its problem instead. */
export type TemplateEntry = FleetEntry<CheckTemplate>;

/** Check templates saved for the whole fleet, and the template editor of the Services view. */
export const fleetTemplates = createFleetEntryStore<CheckTemplate>(FleetConfigKind.enum['check-templates'], {
  list: (client) => client.call('fleet.checkTemplates.list', {}),
  put: (client, value) => client.call('fleet.checkTemplates.put', { value }),
  remove: (client, id) => client.call('fleet.checkTemplates.remove', { id }),
});

export const useCheckTemplatesStore = fleetTemplates.useStore;
export const checkTemplatesSelectors = fleetTemplates.selectors;
