import type { Etcd3, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ConnectionHealth } from './connection-health.js';

/** A key under the mirrored prefix as etcd last reported it. */
export interface MirroredKey {
  key: string;
  value: string;
  createRevision: bigint;
  modRevision: bigint;
  /** The lease the key is bound to; "0" for none. */
  lease: string;
}

export type MirrorChange = { type: 'put'; entry: MirroredKey } | { type: 'delete'; key: string; revision: bigint };

export interface PrefixMirrorOptions {
  client: Etcd3;
  prefix: string;
  clock: Clock;
  logger: Logger;
  health: Pick<ConnectionHealth, 'failed' | 'succeeded'>;
  /**
   * Called after the first list, after every watched change and after every re-list. `changes` are the
   * differences from what was reported before: a re-list reports only what really changed meanwhile, so a
   * consumer never sees an event twice nor misses a key's final state.
   */
  onChange(changes: MirrorChange[], resynced: boolean): void;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2000;

/** The exclusive end of the key range holding every key that starts with `prefix`. */
export function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

export function toMirroredKey(kv: IKeyValue): MirroredKey {
  return {
    key: kv.key.toString(),
    value: kv.value.toString(),
    createRevision: BigInt(kv.create_revision),
    modRevision: BigInt(kv.mod_revision),
    lease: String(kv.lease),
  };
}

/**
 * A live copy of every key under one prefix: list (a linearizable range), then watch **from the list's
 * revision + 1**, so no change between the two is missed and none is seen twice.
 *
 * On any watch trouble (the stream broke, etcd cancelled the watch after a compaction, a permission error)
 * the mirror does not trust etcd3's own resume: etcd3 advances its resume revision from the header of the
 * watch-created response, so a second disconnect before the replayed events arrive would skip them. It
 * lists again instead and watches from the new revision, reporting only the differences. The same holds for
 * leadership: nothing here waits on a single key's deletion, every decision is made from the whole prefix.
 */
export class PrefixMirror {
  private readonly keys = new Map<string, MirroredKey>();
  private generation = 0;
  private watcher: Watcher | null = null;
  private cancelRetry: (() => void) | null = null;
  private retryMs = RETRY_MIN_MS;
  private stopped = false;
  private synced = false;
  /** When each key was last seen written or listed (by the injected clock). */
  private readonly seenAt = new Map<string, number>();
  private knownRevision = 0n;

  constructor(private readonly options: PrefixMirrorOptions) {}

  start(): void {
    void this.resync('start');
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.cancelRetry?.();
    this.dropWatcher();
  }

  /** Whether the first list has completed. */
  get ready(): boolean {
    return this.synced;
  }

  entries(): MirroredKey[] {
    return [...this.keys.values()];
  }

  /** The etcd revision this copy is current to (0 before the first list). */
  get revision(): bigint {
    return this.knownRevision;
  }

  get(key: string): MirroredKey | undefined {
    return this.keys.get(key);
  }

  lastSeen(key: string): number | undefined {
    return this.seenAt.get(key);
  }

  /** Lists again and re-watches; `why` is logged. */
  private async resync(why: string): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.dropWatcher();
    const { client, prefix, health, logger, clock } = this.options;
    if (why !== 'start') logger.debug({ prefix, why }, 'listing again and re-watching');
    let response;
    try {
      response = await client.kv.range({ key: Buffer.from(prefix), range_end: prefixEnd(prefix) });
    } catch (error) {
      if (generation !== this.generation) return;
      health.failed(error);
      this.retryLater(`list failed: ${errorMessage(error)}`);
      return;
    }
    if (generation !== this.generation) return;
    health.succeeded();
    this.retryMs = RETRY_MIN_MS;
    const now = clock.now();
    const listed = new Map(response.kvs.map((kv) => [kv.key.toString(), toMirroredKey(kv)]));
    const revision = BigInt(response.header.revision);
    const changes: MirrorChange[] = [];
    for (const [key, entry] of listed) {
      const known = this.keys.get(key);
      if (!known || known.modRevision !== entry.modRevision) changes.push({ type: 'put', entry });
      this.seenAt.set(key, now);
    }
    for (const key of this.keys.keys()) {
      if (!listed.has(key)) {
        changes.push({ type: 'delete', key, revision });
        this.seenAt.delete(key);
      }
    }
    this.keys.clear();
    for (const [key, entry] of listed) this.keys.set(key, entry);
    const first = !this.synced;
    this.synced = true;
    this.knownRevision = revision;
    this.watchFrom(revision + 1n, generation);
    this.emit(changes, !first);
  }

  private watchFrom(revision: bigint, generation: number): void {
    const { client, prefix } = this.options;
    const watcher = client.watch().prefix(prefix).startRevision(String(revision)).watcher();
    this.watcher = watcher;
    const current = () => generation === this.generation && !this.stopped;
    watcher.on('connected', () => {
      if (current()) this.options.health.succeeded();
    });
    watcher.on('data', (response: IWatchResponse) => {
      if (current()) this.apply(response);
    });
    watcher.on('disconnected', (error) => {
      if (!current()) return;
      this.options.health.failed(error);
      void this.resync(`watch disconnected: ${errorMessage(error)}`);
    });
    watcher.on('error', (error) => {
      // etcd cancelled the watch: compacted past our revision, or we may not read the range.
      if (!current()) return;
      this.options.logger.info({ prefix, reason: errorMessage(error) }, 'watch cancelled by etcd; listing again');
      this.retryLater(`watch cancelled: ${errorMessage(error)}`);
    });
  }

  private apply(response: IWatchResponse): void {
    if (response.events.length === 0) {
      // A progress notification: everything up to its revision has been delivered.
      const revision = BigInt(response.header.revision);
      if (revision > this.knownRevision) this.knownRevision = revision;
      return;
    }
    const now = this.options.clock.now();
    const changes: MirrorChange[] = [];
    for (const event of response.events) {
      const key = event.kv.key.toString();
      if (event.type === 'Put') {
        const entry = toMirroredKey(event.kv);
        this.keys.set(key, entry);
        this.seenAt.set(key, now);
        changes.push({ type: 'put', entry });
      } else if (this.keys.delete(key)) {
        this.seenAt.delete(key);
        changes.push({ type: 'delete', key, revision: BigInt(event.kv.mod_revision) });
      }
      // Not the header's revision: etcd may send a catching-up watcher's events in batches under the
      // store's current revision.
      const revision = BigInt(event.kv.mod_revision);
      if (revision > this.knownRevision) this.knownRevision = revision;
    }
    if (changes.length > 0) this.emit(changes, false);
  }

  private emit(changes: MirrorChange[], resynced: boolean): void {
    try {
      this.options.onChange(changes, resynced);
    } catch (error) {
      // etcd3 rethrows listener errors from a watch callback out of band, which would crash the process.
      this.options.logger.error({ err: error }, 'a watch consumer failed');
    }
  }

  private retryLater(why: string): void {
    if (this.stopped) return;
    this.generation++;
    this.dropWatcher();
    this.cancelRetry?.();
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.cancelRetry = this.options.clock.setTimer(() => {
      this.cancelRetry = null;
      void this.resync(why);
    }, delay);
  }

  private dropWatcher(): void {
    const watcher = this.watcher;
    this.watcher = null;
    watcher?.cancel().catch(() => {
      // The stream is gone already; nothing to cancel.
    });
  }
}
