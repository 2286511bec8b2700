import type { Clock } from '../core/clock.js';

export interface FailureLimits {
  /** Failures from one address within `windowMs` that get it refused… */
  maxFailures: number;
  windowMs: number;
  /** …for this long. */
  blockMs: number;
  /** Addresses remembered at most; the longest-quiet is forgotten first (a flood of addresses cannot fill memory). */
  maxAddresses: number;
}

export const defaultFailureLimits: FailureLimits = {
  maxFailures: 10,
  windowMs: 60_000,
  blockMs: 60_000,
  maxAddresses: 10_000,
};

interface AddressRecord {
  /** Monotonic times of the recent failures, oldest first, at most `maxFailures`. */
  failures: number[];
  blockedUntil: number;
}

/** Failed authentications per remote address, on the monotonic clock: too many in a window refuse the address. */
export class FailureLimiter {
  private readonly addresses = new Map<string, AddressRecord>();

  constructor(
    private readonly clock: Pick<Clock, 'monotonic'>,
    private readonly limits: FailureLimits = defaultFailureLimits,
  ) {}

  /** Milliseconds until `address` may try again; 0 when it may now. */
  retryAfterMs(address: string): number {
    const record = this.addresses.get(address);
    return record ? Math.max(0, Math.ceil(record.blockedUntil - this.clock.monotonic())) : 0;
  }

  /** Counts a failure; returns true when this one got the address refused. */
  fail(address: string): boolean {
    const now = this.clock.monotonic();
    const record = this.addresses.get(address) ?? { failures: [], blockedUntil: 0 };
    // Re-inserted, so the map's order is least recently failed first.
    this.addresses.delete(address);
    this.addresses.set(address, record);
    record.failures = [...record.failures.filter((at) => now - at < this.limits.windowMs), now].slice(
      -this.limits.maxFailures,
    );
    if (this.addresses.size > this.limits.maxAddresses) {
      this.addresses.delete(this.addresses.keys().next().value!);
    }
    if (record.failures.length < this.limits.maxFailures || record.blockedUntil > now) return false;
    record.blockedUntil = now + this.limits.blockMs;
    record.failures = [];
    return true;
  }
}
