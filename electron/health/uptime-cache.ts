import type { UptimeFigures as Uptime } from '../../shared/services.js';
import type { Clock } from '../core/clock.js';

/**
 * Uptime over a month reads tens of thousands of roll-up rows per check, so listing services reuses a figure
 * for a few seconds; a status change drops it at once.
 */
export class UptimeCache {
  private readonly entries = new Map<string, { at: number; value: Uptime }>();

  constructor(
    private readonly compute: (serviceId: string, checkName: string) => Uptime,
    private readonly clock: Clock,
    private readonly maxAgeMs = 15_000,
  ) {}

  get(serviceId: string, checkName: string): Uptime {
    const key = `${serviceId}/${checkName}`;
    const now = this.clock.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.at < this.maxAgeMs) return cached.value;
    const value = this.compute(serviceId, checkName);
    this.entries.set(key, { at: now, value });
    return value;
  }

  forget(serviceId: string, checkName: string): void {
    this.entries.delete(`${serviceId}/${checkName}`);
  }
}
