import type { BackendConfig } from '../../shared/config.js';
import type { LeaderInfo, MemberRecord } from '../../shared/node.js';

export type Unsubscribe = () => void;

/** A leader-only write refused because the leadership it was fenced by has ended. */
export class FencedError extends Error {
  constructor(token: LeaderInfo) {
    super(`leadership of ${token.id} (lease ${token.leaseId}, revision ${token.revision}) no longer holds`);
    this.name = 'FencedError';
  }
}

/** A conditional write refused because the key's revision was not the one the writer read. */
export class ConflictError extends Error {
  constructor(
    readonly key: string,
    /** The revision the writer expected (null: that the key did not exist). */
    readonly expected: string | null,
  ) {
    super(expected === null ? `${key} already exists` : `${key} changed since revision ${expected}`);
    this.name = 'ConflictError';
  }
}

/**
 * How a write is conditioned. `fence`: only while that leadership holds; `ifRevision`: only if the key is still at
 * that revision (its `KvEntry.revision`), or, with null, only if it does not exist. Both may be given.
 */
export interface PutOptions {
  fence?: LeaderInfo;
  ifRevision?: string | null;
}

/** One write of an atomic `putAll`. */
export interface AtomicWrite {
  key: string;
  value: string;
  ifRevision?: string | null;
}

/** Writes one `putAll` may hold on every adapter (etcd's default limit is 128 operations per transaction). */
export const maxAtomicWrites = 128;

/** A `putAll` must fit one etcd transaction, and name each key once (etcd refuses a key twice in one). */
export function checkAtomicWrites(writes: readonly AtomicWrite[]): void {
  if (writes.length > maxAtomicWrites) {
    throw new RangeError(`putAll takes at most ${maxAtomicWrites} writes, got ${writes.length}`);
  }
  const keys = new Set(writes.map((write) => write.key));
  if (keys.size < writes.length) throw new RangeError('putAll names a key more than once');
}

export type ConnectionState = 'connecting' | 'connected' | 'lost' | 'closed';

export interface BackendStatus {
  kind: BackendConfig['kind'];
  state: ConnectionState;
  lastError: string | null;
}

export interface MemberEntry {
  record: MemberRecord;
  /** When the backend last confirmed the member's lease alive (epoch ms). */
  lastSeen: number;
}

/** A shared value under the fleet prefix; keys are relative to it. Revisions are opaque, increasing strings. */
export interface KvEntry {
  key: string;
  value: string;
  revision: string;
}

export type KvEvent = { type: 'put'; entry: KvEntry } | { type: 'delete'; key: string; revision: string };

/** This node's membership, held by a lease that the backend keeps alive. */
export interface Registration {
  readonly leaseId: string;
  /** Replaces the published record under the same lease. */
  update(record: MemberRecord): Promise<void>;
  /** Called once if the lease is lost (expired or revoked elsewhere); register again to rejoin. */
  onLost(listener: (reason: string) => void): Unsubscribe;
  /** Leaves the fleet at once: the record disappears for every watcher without waiting for the TTL. */
  revoke(): Promise<void>;
}

export interface ConnectOptions {
  /**
   * The TTL this node is going to register with. An adapter may grant the lease (and start its keepalive)
   * while connecting, so that register() is a single write into a live lease.
   */
  leaseTtlSeconds?: number;
}

/** A standing candidacy for leadership, bound to a registration's lease. */
export interface Campaign {
  /**
   * The fencing token while this node leads and its lease is confirmed alive, else null.
   * Leader-only work checks it immediately before acting, never caches it.
   */
  current(): LeaderInfo | null;
  onChange(listener: (leadership: LeaderInfo | null) => void): Unsubscribe;
  /** Gives leadership up (if held) and withdraws the candidacy. */
  resign(): Promise<void>;
}

/**
 * The one port to the distributed engine. Adapters: local (embedded), etcd, consul, static.
 * Everything read through it has been validated; malformed values from other writers are logged and skipped.
 */
export interface CoordinationBackend {
  readonly kind: BackendConfig['kind'];
  connect(options?: ConnectOptions): Promise<void>;
  close(): Promise<void>;
  status(): BackendStatus;
  onStatus(listener: (status: BackendStatus) => void): Unsubscribe;

  register(record: MemberRecord, ttlSeconds: number): Promise<Registration>;
  listMembers(): Promise<MemberEntry[]>;
  /** Calls `listener` with the full member list now and after every change. */
  watchMembers(listener: (members: MemberEntry[]) => void): Unsubscribe;

  campaign(memberId: string, registration: Registration): Campaign;
  /** Calls `listener` with the current leader (null: none) now and after every change. */
  observeLeader(listener: (leader: LeaderInfo | null) => void): Unsubscribe;

  /**
   * Writes a shared value and returns its revision. With `fence`, the write happens only if that leadership
   * still holds at the moment of the write (atomically, in the backend); otherwise it throws FencedError.
   * With `ifRevision`, only if the key is still at that revision (null: absent); otherwise ConflictError.
   * When both are given and both fail, FencedError wins.
   */
  put(key: string, value: string, options?: PutOptions): Promise<string>;
  /**
   * Writes several values at once, each only if its `ifRevision` holds (when given): all of them, or — when any
   * compare fails — none, with ConflictError. Adapters may bound how many a call takes (`maxAtomicWrites`).
   */
  putAll(writes: readonly AtomicWrite[]): Promise<string>;
  get(key: string): Promise<KvEntry | null>;
  list(prefix: string): Promise<KvEntry[]>;
  delete(key: string): Promise<void>;
  /**
   * Calls `listener` with every change under `prefix` from now on. `onResync` is called when the adapter may have
   * missed changes since the call (its watch could only start later, e.g. the backend was down): a consumer that
   * keeps state from a list and this watch lists again then.
   */
  watch(prefix: string, listener: (event: KvEvent) => void, onResync?: () => void): Unsubscribe;
}
