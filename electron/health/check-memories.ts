import type { CheckStatus } from '../../shared/services.js';
import type { CheckMemory } from './check-state-machine.js';

export type StatusCounts = Record<CheckStatus, number>;

/**
 * Every check's memory, by service then check name, with the number of checks in each status kept as memories
 * change: at thousands of checks, recounting on every status change (or scanning every check to find one
 * service's) cost more than running the checks.
 */
export class CheckMemories {
  private readonly byService = new Map<string, Map<string, CheckMemory>>();
  private readonly counts: StatusCounts = { passing: 0, warning: 0, critical: 0, flapping: 0, unknown: 0 };

  get(serviceId: string, checkName: string): CheckMemory | undefined {
    return this.byService.get(serviceId)?.get(checkName);
  }

  set(serviceId: string, checkName: string, memory: CheckMemory): void {
    let checks = this.byService.get(serviceId);
    if (!checks) {
      checks = new Map();
      this.byService.set(serviceId, checks);
    }
    const previous = checks.get(checkName);
    if (previous) this.counts[previous.status] -= 1;
    this.counts[memory.status] += 1;
    checks.set(checkName, memory);
  }

  /** Forgets a service's checks other than `keep`; returns the names forgotten. */
  retain(serviceId: string, keep: readonly string[]): string[] {
    const checks = this.byService.get(serviceId);
    if (!checks) return [];
    const forgotten: string[] = [];
    for (const [name, memory] of checks) {
      if (keep.includes(name)) continue;
      checks.delete(name);
      this.counts[memory.status] -= 1;
      forgotten.push(name);
    }
    if (checks.size === 0) this.byService.delete(serviceId);
    return forgotten;
  }

  serviceIds(): string[] {
    return [...this.byService.keys()];
  }

  /** How many checks are in each status (a copy). */
  statusCounts(): StatusCounts {
    return { ...this.counts };
  }
}
