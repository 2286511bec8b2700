import type { Clock } from '../../core/clock.js';

export interface StoredValue {
  value: string;
  createRevision: number;
  modRevision: number;
  modifiedAt: number;
  lease: number | null;
}

export type CoordinatorEvent =
  { type: 'put'; key: string; stored: StoredValue } | { type: 'delete'; key: string; revision: number };

interface Lease {
  ttlMs: number;
  /** On the clock's monotonic reading. */
  expiresAt: number;
  /** Wall-clock time of the last keepalive (a member's "last seen"). */
  refreshedAt: number;
  keys: Set<string>;
}

/** Where the coordinator keeps its durable keys (those without a lease) across restarts: the node's SQLite. */
export interface DurableKeys {
  all(): Array<{ key: string; value: string }>;
  put(key: string, value: string, now: number): void;
  delete(key: string): void;
}

interface Watcher {
  prefix: string;
  listener: (event: CoordinatorEvent) => void;
}

/**
 * The embedded single-process stand-in for etcd behind the `local` backend: a revisioned key space,
 * leases that expire without keepalive, and prefix watches. Several backends may share one (tests do).
 */
export class LocalCoordinator {
  private revision = 0;
  private leaseSeq = 0;
  private readonly values = new Map<string, StoredValue>();
  private readonly leases = new Map<number, Lease>();
  private readonly watchers = new Set<Watcher>();
  private cancelSweep: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly sweepIntervalMs = 250,
    private readonly durable: DurableKeys | null = null,
  ) {
    for (const { key, value } of durable?.all() ?? []) {
      const revision = ++this.revision;
      const now = clock.now();
      this.values.set(key, { value, createRevision: revision, modRevision: revision, modifiedAt: now, lease: null });
    }
    this.scheduleSweep();
  }

  grant(ttlMs: number): number {
    const id = ++this.leaseSeq;
    this.leases.set(id, {
      ttlMs,
      expiresAt: this.clock.monotonic() + ttlMs,
      refreshedAt: this.clock.now(),
      keys: new Set(),
    });
    return id;
  }

  /** Extends the lease by its TTL; false when it has already expired or been revoked. */
  keepAlive(id: number): boolean {
    const lease = this.liveLease(id);
    if (!lease) return false;
    lease.refreshedAt = this.clock.now();
    lease.expiresAt = this.clock.monotonic() + lease.ttlMs;
    return true;
  }

  leaseAlive(id: number): boolean {
    return this.liveLease(id) !== undefined;
  }

  leaseRefreshedAt(id: number): number | undefined {
    return this.leases.get(id)?.refreshedAt;
  }

  revoke(id: number): void {
    const lease = this.leases.get(id);
    if (!lease) return;
    this.leases.delete(id);
    for (const key of lease.keys) this.delete(key);
  }

  put(key: string, value: string, leaseId: number | null = null): number {
    if (leaseId !== null && !this.liveLease(leaseId)) throw new Error(`lease ${leaseId} not found`);
    const previous = this.values.get(key);
    if (previous?.lease != null && previous.lease !== leaseId) this.leases.get(previous.lease)?.keys.delete(key);
    const revision = ++this.revision;
    const stored: StoredValue = {
      value,
      createRevision: previous?.createRevision ?? revision,
      modRevision: revision,
      modifiedAt: this.clock.now(),
      lease: leaseId,
    };
    this.values.set(key, stored);
    if (leaseId !== null) this.leases.get(leaseId)!.keys.add(key);
    if (leaseId === null) this.durable?.put(key, value, stored.modifiedAt);
    else if (previous?.lease === null) this.durable?.delete(key);
    this.emit({ type: 'put', key, stored });
    return revision;
  }

  get(key: string): StoredValue | undefined {
    return this.values.get(key);
  }

  range(prefix: string): Array<[string, StoredValue]> {
    return [...this.values.entries()].filter(([key]) => key.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
  }

  delete(key: string): number | undefined {
    const previous = this.values.get(key);
    if (!previous) return undefined;
    this.values.delete(key);
    if (previous.lease !== null) this.leases.get(previous.lease)?.keys.delete(key);
    else this.durable?.delete(key);
    const revision = ++this.revision;
    this.emit({ type: 'delete', key, revision });
    return revision;
  }

  watch(prefix: string, listener: (event: CoordinatorEvent) => void): () => void {
    const watcher = { prefix, listener };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  close(): void {
    this.cancelSweep?.();
    this.cancelSweep = null;
    this.watchers.clear();
  }

  private liveLease(id: number): Lease | undefined {
    const lease = this.leases.get(id);
    return lease && lease.expiresAt > this.clock.monotonic() ? lease : undefined;
  }

  /** Events are delivered after the write returns, in order, as a remote store would deliver them. */
  private emit(event: CoordinatorEvent): void {
    for (const watcher of this.watchers) {
      if (event.key.startsWith(watcher.prefix)) queueMicrotask(() => watcher.listener(event));
    }
  }

  private scheduleSweep(): void {
    this.cancelSweep = this.clock.setTimer(() => {
      const now = this.clock.monotonic();
      for (const [id, lease] of this.leases) if (lease.expiresAt <= now) this.revoke(id);
      this.scheduleSweep();
    }, this.sweepIntervalMs);
  }
}
