import type { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import { Listeners } from '../core/listeners.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { decodeValue } from './codecs.js';
import type { CoordinationBackend, KvEntry } from './coordination-backend.js';
import { listUntilAnswered } from './list-until-answered.js';

export interface MirroredValue<T> {
  value: T;
  revision: string;
}

export interface BackendMirrorDeps<T> {
  backend: CoordinationBackend;
  clock: Clock;
  logger: Logger;
  /** Keys under it are mirrored; ids are the keys with the prefix cut off. */
  prefix: string;
  schema: z.ZodType<T>;
  /** Refuses a value stored under a key it does not belong to (it is logged and skipped). */
  belongs?(id: string, value: T): boolean;
  /** What the mirror holds, for its log lines ("fleet task"). */
  what: string;
}

/**
 * The values under one prefix of the coordination backend, mirrored here (a watch, then a list again until the
 * backend answers, and a list again whenever the watch may have missed changes) so a node acts on what the backend
 * holds without asking it. Revisions only move forward: a late list cannot bring back a value deleted meanwhile.
 * Malformed values are logged and skipped.
 */
export class BackendMirror<T> {
  private readonly mirror = new Map<string, MirroredValue<T>>();
  /** Revisions at which values were deleted, so a list answered before a delete cannot bring one back. */
  private readonly deletedAt = new Map<string, bigint>();
  private readonly changes: Listeners<void>;
  private loaded = false;

  constructor(private readonly deps: BackendMirrorDeps<T>) {
    this.changes = new Listeners((error) => deps.logger.error({ err: error }, `a ${deps.what} listener failed`));
  }

  /** Watches the prefix and lists it; `ready` settles once listed. */
  start(): { ready: Promise<void>; stop: () => void } {
    const { backend, prefix } = this.deps;
    const unwatch = backend.watch(
      prefix,
      (event) => {
        if (event.type === 'put') this.apply(event.entry);
        else this.forget(event.key, event.revision);
        this.changes.emit();
      },
      () => void this.relist(),
    );
    const listing = listUntilAnswered(this.deps, prefix);
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

  /** Whether the mirror holds every value (listed once): only then may absence mean "gone". */
  get ready(): boolean {
    return this.loaded;
  }

  onChange(listener: () => void): () => void {
    return this.changes.add(listener);
  }

  get(id: string): MirroredValue<T> | undefined {
    return this.mirror.get(id);
  }

  entries(): Array<[string, MirroredValue<T>]> {
    return [...this.mirror.entries()];
  }

  values(): Array<MirroredValue<T>> {
    return [...this.mirror.values()];
  }

  /** Takes in a value the caller read or wrote itself (a newer revision than the mirror's wins). */
  apply(entry: KvEntry): void {
    const id = entry.key.slice(this.deps.prefix.length);
    const revision = BigInt(entry.revision);
    const known = this.mirror.get(id);
    if (known && BigInt(known.revision) >= revision) return;
    if ((this.deletedAt.get(id) ?? -1n) >= revision) return;
    const value = this.decode(id, entry);
    if (value !== null) this.mirror.set(id, { value, revision: entry.revision });
  }

  /** Forgets a value the caller deleted itself. */
  drop(id: string): void {
    this.mirror.delete(id);
  }

  private forget(key: string, revision: string): void {
    const id = key.slice(this.deps.prefix.length);
    const known = this.mirror.get(id);
    if (known && BigInt(known.revision) > BigInt(revision)) return;
    this.mirror.delete(id);
    // Only a list racing a delete needs these: old ones can go.
    if (this.deletedAt.size > 10_000) this.deletedAt.clear();
    this.deletedAt.set(id, BigInt(revision));
  }

  /** Lists again after the watch may have missed changes: values gone meanwhile are forgotten. */
  private async relist(): Promise<void> {
    const { backend, prefix, logger, what } = this.deps;
    try {
      const entries = await backend.list(prefix);
      const present = new Set(entries.map((entry) => entry.key));
      const revision = entries.reduce(
        (max, entry) => (BigInt(entry.revision) > max ? BigInt(entry.revision) : max),
        0n,
      );
      for (const entry of entries) this.apply(entry);
      for (const [id, known] of this.mirror) {
        const key = prefix + id;
        if (!present.has(key) && BigInt(known.revision) <= revision) this.forget(key, String(revision));
      }
      this.changes.emit();
    } catch (error) {
      logger.warn({ err: errorMessage(error) }, `listing ${what}s again failed; the next change retries`);
    }
  }

  private decode(id: string, entry: KvEntry): T | null {
    const { schema, logger, belongs, what } = this.deps;
    const value = decodeValue(schema, entry.key, entry.value, logger);
    if (value !== null && belongs && !belongs(id, value)) {
      logger.warn({ key: entry.key }, `skipping a ${what} stored under another key`);
      return null;
    }
    return value;
  }
}
