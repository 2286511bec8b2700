import { FleetTaskRecord } from '../../shared/tasks.js';
import { decodeValue } from '../cluster/codecs.js';
import { BackendMirror, type MirroredValue } from '../cluster/backend-mirror.js';
import {
  ConflictError,
  type AtomicWrite,
  type CoordinationBackend,
  type PutOptions,
} from '../cluster/coordination-backend.js';
import { fleetTaskKeys } from '../cluster/fleet-keys.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

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
  private readonly mirror: BackendMirror<FleetTaskRecord>;

  constructor(private readonly deps: FleetTaskStoreDeps) {
    this.mirror = new BackendMirror({
      ...deps,
      prefix: fleetTaskKeys.records,
      schema: FleetTaskRecord,
      belongs: (id, record) => record.id === id,
      what: 'fleet task',
    });
  }

  /** Watches the records and lists them (again until the backend answers); `ready` settles once listed. */
  start(): { ready: Promise<void>; stop: () => void } {
    return this.mirror.start();
  }

  /** Whether the mirror holds every record (listed once): only then may absence mean "gone". */
  get ready(): boolean {
    return this.mirror.ready;
  }

  onChange(listener: () => void): () => void {
    return this.mirror.onChange(listener);
  }

  get(id: string): StoredRecord | undefined {
    return stored(this.mirror.get(id));
  }

  all(): StoredRecord[] {
    return this.mirror.values().map((entry) => ({ record: entry.value, revision: entry.revision }));
  }

  /** Writes a new record; ConflictError if one with this id exists. */
  async create(record: FleetTaskRecord): Promise<void> {
    const key = fleetTaskKeys.record(record.id);
    const value = JSON.stringify(record);
    const revision = await this.deps.backend.put(key, value, { ifRevision: null });
    this.mirror.apply({ key, value, revision });
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
    this.mirror.apply({ key, value, revision });
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
    this.mirror.apply(entry);
    const record = decodeValue(FleetTaskRecord, entry.key, entry.value, this.deps.logger);
    return record?.id === id ? { record, revision: entry.revision } : null;
  }

  async remove(id: string): Promise<void> {
    await this.deps.backend.delete(fleetTaskKeys.record(id));
    this.mirror.drop(id);
  }
}

const stored = (entry: MirroredValue<FleetTaskRecord> | undefined): StoredRecord | undefined =>
  entry && { record: entry.value, revision: entry.revision };
