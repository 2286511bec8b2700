import type { MemberEntry } from './coordination-backend.js';

/**
 * A member is stale once this many of its heartbeats are missing: one failed or slow write (the next one retries a
 * heartbeat later) never marks a healthy member.
 */
export const STALE_AFTER_HEARTBEATS = 3;

/**
 * When this node last saw each member's record written (monotonic clock), to tell which registered members are
 * overdue. Only a write counts (every write carries a new `publishedAt`), not a watch listing the same record again;
 * a reconnection restarts every member's count, as nothing could arrive while this node was cut off.
 */
export class RecordFreshness {
  private readonly seen = new Map<string, { written: number | string; at: number }>();

  constructor(private readonly staleAfterMs: number) {}

  observe(entries: readonly MemberEntry[], at: number): void {
    const listed = new Set<string>();
    for (const { record } of entries) {
      listed.add(record.id);
      const written = record.publishedAt ?? JSON.stringify(record);
      if (this.seen.get(record.id)?.written !== written) this.seen.set(record.id, { written, at });
    }
    for (const id of this.seen.keys()) if (!listed.has(id)) this.seen.delete(id);
  }

  restart(at: number): void {
    for (const entry of this.seen.values()) entry.at = at;
  }

  isStale(id: string, at: number): boolean {
    const entry = this.seen.get(id);
    return entry !== undefined && at - entry.at > this.staleAfterMs;
  }
}
