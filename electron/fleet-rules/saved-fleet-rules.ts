import type { FleetRule } from '../../shared/fleet-rules.js';
import type { FleetTarget } from '../fleet-config/fleet-config.js';

/** The fleet rules saved for the whole fleet, as this node holds them (any valid rule applies everywhere). */
export class SavedFleetRules implements FleetTarget<FleetRule> {
  private readonly rules = new Map<string, FleetRule>();

  applyFleet(rule: FleetRule): void {
    this.rules.set(rule.id, rule);
  }

  withdrawFleet(id: string): void {
    this.rules.delete(id);
  }

  fleetIds(): string[] {
    return [...this.rules.keys()];
  }

  list(): FleetRule[] {
    return [...this.rules.values()];
  }
}
