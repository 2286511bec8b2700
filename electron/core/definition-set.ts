import type { DefinitionSource } from '../../shared/log-patterns.js';
import { CodedError } from './coded-error.js';

export interface Definition<T> {
  value: T;
  source: DefinitionSource;
}

/**
 * Named definitions of one kind (log patterns, alert rules) from the node's config file and from the fleet.
 * The config file wins: a fleet value with the id of a config one is refused, so a node's own file always says
 * what runs there.
 */
export class DefinitionSet<T extends { id: string }> {
  private readonly entries = new Map<string, Definition<T>>();

  /** `what` names the kind in refusals: "log pattern", "alert rule". */
  constructor(private readonly what: string) {}

  setConfig(values: readonly T[]): void {
    for (const value of values) this.entries.set(value.id, { value, source: 'config' });
  }

  /** Adds or replaces a fleet value; false when it is already in force unchanged. Throws when the config has the id. */
  applyFleet(value: T): boolean {
    const existing = this.entries.get(value.id);
    if (existing?.source === 'config') {
      throw new CodedError('conflict', `this node defines ${this.what} "${value.id}" in its config file`);
    }
    if (existing && JSON.stringify(existing.value) === JSON.stringify(value)) return false;
    this.entries.set(value.id, { value, source: 'fleet' });
    return true;
  }

  /** Drops a fleet value deleted fleet-wide; false when this node did not have it from the fleet. */
  withdrawFleet(id: string): boolean {
    if (this.entries.get(id)?.source !== 'fleet') return false;
    this.entries.delete(id);
    return true;
  }

  get(id: string): Definition<T> | undefined {
    return this.entries.get(id);
  }

  list(): Array<Definition<T>> {
    return [...this.entries.values()].sort((a, b) => a.value.id.localeCompare(b.value.id));
  }

  fleetIds(): string[] {
    return this.list().flatMap((entry) => (entry.source === 'fleet' ? [entry.value.id] : []));
  }
}
