import { FleetTaskRecord } from '../../shared/tasks.js';
import { decodeValue } from '../cluster/codecs.js';
import {
  ConflictError,
  type AtomicWrite,
  type CoordinationBackend,
  type KvEntry,
  type PutOptions,
} from '../cluster/coordination-backend.js';
import { fleetTaskKeys } from '../cluster/fleet-keys.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';
import { listUntilAnswered } from './list-until-answered.js';

/** A record as the backend holds it: the revision is what a compare-and-set names. */
export interface StoredRecord {
  record: FleetTaskRecord;
  revision: string;
}

export interface FleetTaskStoreDeps {
  backend: CoordinationBackend;
  clock: Clock;
  logger: Logger;
}

/** A read-modify-write that keeps meeting newer revisions gives up after this many tries. */
const MAX_TRIES = 20;

/**
 * The fleet's task records in the coordination backend, mirrored here (one list, then a watch) so the leader and
 * the members act on what the backend holds. Every change is a compare-and-set on the revision that was read.
 * Malformed records are logged and skipped.
 */
export class FleetTaskStore {
  private readonly mirror = new Map<string, StoredRecord>();
  /** Revisions at which records were deleted, so a list answered before a delete cannot bring one back. */
  private readonly deletedAt = new Map<string, bigint>();
  private readonly changes: Listeners<void>;
  private loaded = false;

  constructor(private readonly deps: FleetTaskStoreDeps) {
    this.changes = new Listeners((error) => deps.logger.error({ err: error }, 'a fleet task listener failed'));
  }

  /** Watches the records and lists them (again until the backend answers); `ready` settles once listed. */
  start(): { ready: Promise<void>; stop: () => void } {
    const unwatch = this.deps.backend.watch(
      fleetTaskKeys.records,
      (event) => {
        if (event.type === 'put') this.apply(event.entry);
        else this.forget(event.key, event.revision);
        this.changes.emit();
      },
      () => void this.relist(),
    );
    const listing = listUntilAnswered(this.deps, fleetTaskKeys.records);
    const ready = listing.entries.then((entries) => {
      for (const entry of entries) this.apply(entry);
      this.loaded = true;
      this.changes.emit();
    });
    return {
      ready,
      stop: () => {
        listing.cancel();
        unwatch();
      },
    };
  }

  /** Lists again after the watch may have missed changes: records gone meanwhile are forgotten. */
  private async relist(): Promise<void> {
    try {
      const entries = await this.deps.backend.list(fleetTaskKeys.records);
      const present = new Set(entries.map((entry) => entry.key));
      const revision = entries.reduce(
        (max, entry) => (BigInt(entry.revision) > max ? BigInt(entry.revision) : max),
        0n,
      );
      for (const entry of entries) this.apply(entry);
      for (const [id, known] of this.mirror) {
        const key = fleetTaskKeys.record(id);
        if (!present.has(key) && BigInt(known.revision) <= revision) this.forget(key, String(revision));
      }
      this.changes.emit();
    } catch (error) {
      this.deps.logger.warn({ err: errorMessage(error) }, 'listing fleet tasks again failed; the next change retries');
    }
  }

  /** Whether the mirror holds every record (listed once): only then may absence mean "gone". */
  get ready(): boolean {
    return this.loaded;
  }

  onChange(listener: () => void): () => void {
    return this.changes.add(listener);
  }

  get(id: string): StoredRecord | undefined {
    return this.mirror.get(id);
  }

  all(): StoredRecord[] {
    return [...this.mirror.values()];
  }

  /** Writes a new record; ConflictError if one with this id exists. */
  async create(record: FleetTaskRecord): Promise<void> {
    const key = fleetTaskKeys.record(record.id);
    const value = JSON.stringify(record);
    const revision = await this.deps.backend.put(key, value, { ifRevision: null });
    this.apply({ key, value, revision });
  }

  /**
   * Writes new records and `alongside` (their idempotency keys) in one atomic write: ConflictError, and nothing
   * written, if any of them exists. The mirror learns them from the watch, with each key's own revision.
   */
  async createAll(records: readonly FleetTaskRecord[], alongside: readonly AtomicWrite[]): Promise<void> {
    const writes = records.map((record) => ({
      key: fleetTaskKeys.record(record.id),
      value: JSON.stringify(record),
      ifRevision: null,
    }));
    await this.deps.backend.putAll([...alongside, ...writes]);
  }

  /** Replaces the record read at `stored.revision` (ConflictError if it changed since; FencedError with a stale fence). */
  async replace(stored: StoredRecord, next: FleetTaskRecord, options: Omit<PutOptions, 'ifRevision'> = {}) {
    const key = fleetTaskKeys.record(next.id);
    const value = JSON.stringify(next);
    const revision = await this.deps.backend.put(key, value, { ...options, ifRevision: stored.revision });
    this.apply({ key, value, revision });
    return { record: next, revision };
  }

  /**
   * Reads the record from the backend, applies `change` and writes it back at the revision read, again on a
   * conflict. `change` returns null to leave the record alone. Null when there is no record (or nothing changed).
   */
  async update(id: string, change: (record: FleetTaskRecord) => FleetTaskRecord | null): Promise<StoredRecord | null> {
    for (let tries = 0; tries < MAX_TRIES; tries += 1) {
      const stored = await this.fetch(id);
      if (!stored) return null;
      const next = change(stored.record);
      if (!next) return null;
      try {
        return await this.replace(stored, { ...next, updatedAt: this.deps.clock.now() });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new Error(`fleet task ${id} kept changing; try again`);
  }

  /** The record as the backend holds it now (not the mirror). */
  async fetch(id: string): Promise<StoredRecord | null> {
    const entry = await this.deps.backend.get(fleetTaskKeys.record(id));
    if (!entry) return null;
    this.apply(entry);
    const record = this.decode(entry);
    return record && { record, revision: entry.revision };
  }

  async remove(id: string): Promise<void> {
    await this.deps.backend.delete(fleetTaskKeys.record(id));
    this.mirror.delete(id);
  }

  private apply(entry: KvEntry): void {
    const id = entry.key.slice(fleetTaskKeys.records.length);
    const revision = BigInt(entry.revision);
    const known = this.mirror.get(id);
    if (known && BigInt(known.revision) >= revision) return;
    if ((this.deletedAt.get(id) ?? -1n) >= revision) return;
    const record = this.decode(entry);
    if (record) this.mirror.set(id, { record, revision: entry.revision });
  }

  private forget(key: string, revision: string): void {
    const id = key.slice(fleetTaskKeys.records.length);
    const known = this.mirror.get(id);
    if (known && BigInt(known.revision) > BigInt(revision)) return;
    this.mirror.delete(id);
    // Only a list racing a delete needs these: old ones can go.
    if (this.deletedAt.size > 10_000) this.deletedAt.clear();
    this.deletedAt.set(id, BigInt(revision));
  }

  private decode(entry: KvEntry): FleetTaskRecord | null {
    const record = decodeValue(FleetTaskRecord, entry.key, entry.value, this.deps.logger);
    if (record && record.id !== entry.key.slice(fleetTaskKeys.records.length)) {
      this.deps.logger.warn({ key: entry.key, id: record.id }, 'skipping a fleet task stored under another id');
      return null;
    }
    return record;
  }
}
