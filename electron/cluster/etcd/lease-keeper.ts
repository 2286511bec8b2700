import { EtcdLeaseInvalidError, type Etcd3, type Lease } from 'etcd3';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { Listeners } from '../../core/listeners.js';
import type { Logger } from '../../core/logger.js';
import type { Unsubscribe } from '../coordination-backend.js';
import type { ConnectionHealth } from './connection-health.js';

export interface LeaseKeeperOptions {
  client: Etcd3;
  ttlSeconds: number;
  clock: Clock;
  logger: Logger;
  health: ConnectionHealth;
  describe(error: unknown): string;
}

/** How long before the lease could expire on the server a leader stops acting: a fifth of the TTL, at least 200 ms. */
export const fenceMarginMs = (ttlMs: number) => Math.max(200, ttlMs / 5);

/**
 * One etcd lease, kept alive by etcd3's keepalive stream, that knows how long it is *certainly* alive.
 *
 * etcd extends a lease to (time the server handled the keepalive + TTL). We note the time each keepalive was
 * sent (the `keepaliveFired` events, matched in order with the responses on that stream) on the monotonic
 * clock — a wall-clock step must not make a fresh confirmation look older than the last — so
 * `confirmedAt + TTL` is a lower bound of the server's expiry: until then the lease cannot have expired,
 * whatever the network does. Past it we must assume it has: the lease counts as lost at that moment, even
 * while etcd is unreachable and cannot say so (etcd3 itself reports `lost` only after twice the TTL).
 */
export class LeaseKeeper {
  readonly ttlMs: number;
  private confirmedAt: number;
  private pendingFires: number[] = [];
  private cancelExpiry: () => void = () => {};
  private ended: 'lost' | 'revoked' | 'released' | null = null;
  private readonly lostListeners: Listeners<string>;
  private readonly changeListeners: Listeners<void>;

  private constructor(
    private readonly options: LeaseKeeperOptions,
    private readonly lease: Lease,
    readonly id: string,
    grantSentAt: number,
  ) {
    this.ttlMs = options.ttlSeconds * 1000;
    this.confirmedAt = grantSentAt;
    const onError = (error: unknown) => options.logger.error({ err: error }, 'a lease listener failed');
    this.lostListeners = new Listeners(onError);
    this.changeListeners = new Listeners(onError);
    this.scheduleExpiry();
  }

  /** Grants a lease; rejects with a clear reason when etcd cannot be reached. */
  static async grant(options: LeaseKeeperOptions): Promise<LeaseKeeper> {
    const { client, clock, health } = options;
    const sentAt = clock.monotonic();
    const lease = client.lease(options.ttlSeconds);
    let keeper: LeaseKeeper | null = null;
    // Listeners go on before the grant resolves: etcd3 fires keepalives right after it.
    lease.on('keepaliveEstablished', () => keeper?.onStreamOpened());
    lease.on('keepaliveFired', () => keeper?.onFired());
    lease.on('keepaliveSucceeded', () => keeper?.onConfirmed());
    lease.on('keepaliveFailed', (error) => keeper?.onKeepaliveFailed(error));
    lease.on('lost', (error) => keeper?.declareLost(`lease ${keeper.id} lost: ${errorMessage(error)}`));
    let id: string;
    try {
      id = await lease.grant();
    } catch (error) {
      lease.release();
      health.failed(error);
      throw new Error(`cannot register in etcd: ${options.describe(error)}`, { cause: error });
    }
    health.succeeded();
    keeper = new LeaseKeeper(options, lease, id, sentAt);
    return keeper;
  }

  /** Whether the lease still counts as held (not lost, revoked or released). */
  get held(): boolean {
    return this.ended === null;
  }

  /**
   * Until when (on the clock's monotonic reading) a leader bound to this lease may act: a margin before the
   * earliest possible server expiry.
   */
  fencedUntil(): number {
    return this.ended === null ? this.confirmedAt + this.ttlMs - fenceMarginMs(this.ttlMs) : -Infinity;
  }

  onLost(listener: (reason: string) => void): Unsubscribe {
    return this.lostListeners.add(listener);
  }

  /** Called after every confirmed keepalive and when the lease ends. */
  onChange(listener: () => void): Unsubscribe {
    return this.changeListeners.add(listener);
  }

  /** Writes `key` bound to this lease. */
  async put(key: string, value: string): Promise<void> {
    if (this.ended) throw new Error(`lease ${this.id} is ${this.ended}; register again`);
    try {
      await this.options.client.kv.put({ key: Buffer.from(key), value: Buffer.from(value), lease: this.id });
      this.options.health.succeeded();
    } catch (error) {
      this.noteRequestError(error);
      throw new Error(`cannot write ${key} to etcd: ${this.options.describe(error)}`, { cause: error });
    }
  }

  /** A request bound to this lease failed: the lease may be gone, or etcd unreachable. */
  noteRequestError(error: unknown): void {
    if (error instanceof EtcdLeaseInvalidError) this.declareLost(`lease ${this.id} expired or was revoked in etcd`);
    else this.options.health.failed(error);
  }

  /** Revokes the lease: every key bound to it disappears at once. */
  async revoke(): Promise<void> {
    if (this.ended === 'revoked' || this.ended === 'released') return;
    this.end('revoked');
    try {
      await this.lease.revoke();
    } catch (error) {
      this.options.health.failed(error);
      throw new Error(`cannot revoke lease ${this.id}: ${this.options.describe(error)}`, { cause: error });
    }
  }

  /** Stops keeping the lease alive without revoking it (it expires after the TTL, as after a crash). */
  release(): void {
    if (this.ended) return;
    this.end('released');
  }

  /**
   * Best effort, after a loss: revokes the lease in case the server still holds it. etcd renews every lease by
   * its TTL when it restarts or elects a new raft leader, so after an outage our abandoned lease (and the
   * election key bound to it, which would block the election) could otherwise live a full TTL longer.
   * Retries until etcd answers or `giveUpMs` passes.
   */
  async revokeAbandoned(giveUpMs: number, stopped: () => boolean): Promise<void> {
    const { client, clock, logger } = this.options;
    const deadline = clock.monotonic() + giveUpMs;
    while (!stopped() && clock.monotonic() < deadline) {
      try {
        await client.leaseClient.leaseRevoke({ ID: this.id });
        logger.debug({ leaseId: this.id }, 'revoked the abandoned lease');
        return;
      } catch (error) {
        if (error instanceof EtcdLeaseInvalidError) return; // already gone
        await new Promise<void>((resolve) => clock.setTimer(resolve, 500));
      }
    }
  }

  private onStreamOpened(): void {
    this.pendingFires = [];
  }

  private onFired(): void {
    this.pendingFires.push(this.options.clock.monotonic());
  }

  private onConfirmed(): void {
    const sentAt = this.pendingFires.shift();
    if (this.ended || sentAt === undefined) return;
    this.options.health.succeeded();
    if (sentAt <= this.confirmedAt) return;
    this.confirmedAt = sentAt;
    this.scheduleExpiry();
    this.changeListeners.emit();
  }

  private onKeepaliveFailed(error: unknown): void {
    // The stream is re-opened; answers to keepalives sent on the old one will never come.
    this.pendingFires = [];
    if (!this.ended) this.options.health.failed(error);
  }

  private scheduleExpiry(): void {
    this.cancelExpiry();
    const at = this.confirmedAt + this.ttlMs;
    this.cancelExpiry = this.options.clock.setTimer(
      () => {
        const cause = this.options.health.status().lastError;
        this.declareLost(
          `no keepalive of lease ${this.id} confirmed within its ${this.ttlMs / 1000} s TTL${cause ? ` (${cause})` : ''}`,
        );
      },
      Math.max(0, at - this.options.clock.monotonic()),
    );
  }

  private declareLost(reason: string): void {
    if (this.ended) return;
    this.options.logger.warn({ leaseId: this.id, reason }, 'lease lost');
    this.end('lost');
    this.lostListeners.emit(reason);
  }

  private end(how: 'lost' | 'revoked' | 'released'): void {
    this.ended = how;
    this.cancelExpiry();
    this.pendingFires = [];
    // Stops etcd3's keepalive loop (revoke() stops it as well); emits nothing.
    if (how !== 'revoked') this.lease.release();
    this.changeListeners.emit();
  }
}
