import type { Capability, CapabilityContext } from '../agent/capability.js';

/**
 * Fleet-wide values (services, log patterns, alert rules, check templates): the kinds the other capabilities
 * registered start syncing once the node has joined; what this node could not apply goes into its summary.
 */
export function createFleetConfigCapability({ fleet, events, summary }: CapabilityContext): Capability {
  const stops: Array<() => void> = [];
  return {
    name: 'fleet-config',
    handlers: {},
    start() {
      stops.push(
        fleet.start(),
        fleet.onErrors(() => summary.changed()),
        fleet.onChanged((kind, id) => events.publish({ type: 'fleetConfig.changed', data: { kind, id } })),
      );
    },
    stop() {
      for (const stop of stops.splice(0)) stop();
    },
    summary: () => ({ configErrors: fleet.errors().slice(0, 50) }),
  };
}
