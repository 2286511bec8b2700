import type { FleetTarget } from '../../fleet-config/fleet-config.js';

/** The values of one fleet kind in force on this node (silences, maintenance windows), each checked before it is. */
export class FleetValues<T extends { id: string }> implements FleetTarget<T> {
  private readonly values = new Map<string, T>();

  /** `check` throws (naming the field) for a value this node cannot use; the previous value then stays. */
  constructor(private readonly check: (value: T) => void) {}

  applyFleet(value: T): boolean {
    this.check(value);
    const changed = JSON.stringify(this.values.get(value.id)) !== JSON.stringify(value);
    this.values.set(value.id, value);
    return changed;
  }

  withdrawFleet(id: string): boolean {
    return this.values.delete(id);
  }

  fleetIds(): string[] {
    return [...this.values.keys()];
  }

  get(id: string): T | undefined {
    return this.values.get(id);
  }

  list(): T[] {
    return [...this.values.values()];
  }
}
