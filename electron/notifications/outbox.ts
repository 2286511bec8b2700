import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';
import type { NewDelivery, OutboxRepository, PendingDelivery } from './outbox-repository.js';
import type { SendAttempt } from './senders/sender.js';

export interface OutboxPolicy {
  /** Deliveries in flight at once (each to a different stream). */
  concurrency: number;
  /** After this many failed attempts a delivery is `failed`. */
  maxAttempts: number;
  /** The first retry waits about this long; each next one twice as long, up to `maxDelayMs`; ±50 % jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** 20 attempts over about two hours (2 s, 4 s, … then every 10 min), so a receiver down that long still gets it. */
export const defaultOutboxPolicy: OutboxPolicy = {
  concurrency: 16,
  maxAttempts: 20,
  baseDelayMs: 2000,
  maxDelayMs: 10 * 60_000,
};

export interface OutboxOptions {
  repository: OutboxRepository;
  clock: Clock;
  random: () => number;
  /** One attempt at one delivery; never throws. */
  send(delivery: PendingDelivery): Promise<SendAttempt>;
  logger: Logger;
  policy?: Partial<OutboxPolicy>;
}

interface Queued extends PendingDelivery {
  /** Monotonic time of the next attempt (not stored: after a restart every pending delivery is due at once). */
  dueAt: number;
}

/**
 * Sends what the repository holds, retrying with backoff. Deliveries of one stream (one alert to one channel) go one
 * at a time in the order they were enqueued, so a resolved never overtakes its firing; streams go in parallel.
 */
export class Outbox {
  private readonly policy: OutboxPolicy;
  /** Pending deliveries by stream, each in order; only while running. */
  private readonly streams = new Map<string, Queued[]>();
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly settled: Listeners<string>;
  private running = false;
  private cancelWake: (() => void) | null = null;

  constructor(private readonly options: OutboxOptions) {
    this.policy = { ...defaultOutboxPolicy, ...options.policy };
    this.settled = new Listeners((error) => options.logger.error({ err: error }, 'a settled listener failed'));
  }

  /** Stores the deliveries that are new (an id already there changes nothing) and sends them if running. */
  enqueue(deliveries: readonly NewDelivery[]): void {
    const added = this.options.repository.enqueue(deliveries, this.options.clock.now());
    if (!this.running) return;
    for (const delivery of added) this.queue(delivery);
    this.pump();
  }

  /** Starts sending: every pending delivery (also one that was in flight when the last run ended) is due now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const delivery of this.options.repository.pending()) this.queue(delivery);
    this.pump();
  }

  /** Stops sending; waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.cancelWake?.();
    this.cancelWake = null;
    await Promise.all(this.inFlight);
    this.streams.clear();
  }

  /** True when no delivery enqueued under `key` is pending. */
  isSettled(key: string): boolean {
    return !this.options.repository.hasPending(key);
  }

  /** Called with a notice key once its last pending delivery is sent or failed. */
  onSettled(listener: (key: string) => void): () => void {
    return this.settled.add(listener);
  }

  private queue(delivery: PendingDelivery): void {
    const queued = { ...delivery, dueAt: this.options.clock.monotonic() };
    const stream = this.streams.get(delivery.stream);
    if (stream) stream.push(queued);
    else this.streams.set(delivery.stream, [queued]);
  }

  /** Starts every stream whose head is due, up to the concurrency; wakes up when the next one is. */
  private pump(): void {
    if (!this.running) return;
    this.cancelWake?.();
    this.cancelWake = null;
    const now = this.options.clock.monotonic();
    let nextDue = Infinity;
    for (const [stream, queue] of this.streams) {
      // A finished attempt pumps again.
      if (this.busy.size >= this.policy.concurrency) return;
      const head = queue[0];
      if (this.busy.has(stream) || !head) continue;
      if (head.dueAt <= now) this.launch(stream, head);
      else nextDue = Math.min(nextDue, head.dueAt);
    }
    if (nextDue < Infinity) this.cancelWake = this.options.clock.setTimer(() => this.pump(), nextDue - now);
  }

  private launch(stream: string, head: Queued): void {
    this.busy.add(stream);
    const task = this.attempt(head)
      .then((attempt) => this.record(stream, head, attempt))
      .catch((error: unknown) => {
        // The database went away under us: the row stays pending for the next run; this one leaves the stream be.
        this.streams.delete(stream);
        this.options.logger.error({ err: errorMessage(error), deliveryId: head.deliveryId }, 'recording failed');
      })
      .finally(() => {
        this.busy.delete(stream);
        this.inFlight.delete(task);
        this.pump();
      });
    this.inFlight.add(task);
  }

  private async attempt(delivery: Queued): Promise<SendAttempt> {
    try {
      return await this.options.send(delivery);
    } catch (error) {
      return { ok: false, retryable: true, detail: errorMessage(error) };
    }
  }

  private record(stream: string, head: Queued, attempt: SendAttempt): void {
    const { repository, clock, logger } = this.options;
    const attempts = head.attempts + 1;
    const log = { deliveryId: head.deliveryId, channel: head.channelId, attempts, detail: attempt.detail };
    if (!attempt.ok && attempt.retryable && attempts < this.policy.maxAttempts) {
      repository.recordFailure(head.deliveryId, attempt.detail);
      head.attempts = attempts;
      head.dueAt = clock.monotonic() + this.delayAfter(attempts);
      logger.warn(log, 'notification not delivered; will retry');
      return;
    }
    if (attempt.ok) repository.markSent(head.deliveryId, clock.now());
    else {
      repository.markFailed(head.deliveryId, attempt.detail, clock.now());
      logger.error(log, 'notification failed; giving up');
    }
    const queue = this.streams.get(stream);
    queue?.shift();
    if (queue?.length === 0) this.streams.delete(stream);
    if (!repository.hasPending(head.noticeKey)) this.settled.emit(head.noticeKey);
  }

  private delayAfter(attempts: number): number {
    const { baseDelayMs, maxDelayMs } = this.policy;
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
    return Math.round(delay * (0.5 + this.options.random()));
  }
}
