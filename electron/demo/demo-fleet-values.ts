import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { fleetValueKey, type FleetSeed } from '../fleet-config/fleet-seed.js';
import { demoAlertRules, demoLogPatterns } from './demo-rules.js';

/** Marks that the demo's rules and patterns were written once for the fleet. */
export const demoSeededKey = 'seeds/demo/v1';

/**
 * The demo's alert rules and log patterns, saved for the fleet once like any fleet value (so they can be edited,
 * deleted, and removed with the demo), rules first: a rule names a pattern.
 */
export const demoSeed = (): FleetSeed => ({
  name: 'demo alert rules and log patterns',
  marker: demoSeededKey,
  values: [
    ...demoAlertRules().map((rule) => ({ kind: 'alert-rules' as const, id: rule.id, value: rule })),
    ...demoLogPatterns().map((pattern) => ({ kind: 'log-patterns' as const, id: pattern.id, value: pattern })),
  ],
});

/**
 * Deletes the demo's rules and patterns from the fleet, edited or not; every node withdraws them and closes their
 * alerts. The marker stays, so no node seeds them again. Returns how many there were.
 */
export async function removeDemoFleetValues(backend: CoordinationBackend): Promise<number> {
  let removed = 0;
  for (const { kind, id } of demoSeed().values) {
    const key = fleetValueKey(kind, id);
    if (!(await backend.get(key))) continue;
    await backend.delete(key);
    removed += 1;
  }
  return removed;
}
