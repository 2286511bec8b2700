import { FLEET_NODE } from '../../shared/fleet-rules.js';
import { fleetAlertKeys } from '../cluster/fleet-keys.js';

/** Where fleet rules keep their state under the shared values (keys relative to `kv`). */
export const fleetRuleKeys = {
  /** The fleet alerts' records: fleet-alert records of the reserved node. */
  records: fleetAlertKeys.record(`${FLEET_NODE}/`),
  /** The next local id of a fleet alert: ids are never reused, even after a told record was deleted. */
  nextAlertId: 'fleet-rules/next-alert-id',
};
