import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { Listeners } from '../../core/listeners.js';
import type { Logger } from '../../core/logger.js';
import type { BackendStatus, ConnectionState, Unsubscribe } from '../coordination-backend.js';

export interface ConnectionHealthOptions {
  clock: Clock;
  logger: Logger;
  /** One cheap request that succeeds only if etcd serves us (reachable, TLS and auth fine). */
  probe(): Promise<void>;
  describe(error: unknown): string;
  /** Time between probes while etcd is unreachable. */
  probeIntervalMs: number;
}

/**
 * The backend's connection state. Any failed request, watch or keepalive triggers a probe rather than flipping
 * the state at once: one etcd member dying fails a stream that reconnects to another member 100 ms later, and
 * that is no outage. The probe decides: failing, the state is `lost` (with the reason) and the probe repeats
 * until etcd answers; any success, the probe's or another request's, makes it `connected` again.
 */
export class ConnectionHealth {
  private state: ConnectionState = 'connecting';
  private lastError: string | null = null;
  private probing = false;
  /** Counts successes, so a probe that fails after another request succeeded does not report an outage. */
  private successes = 0;
  private cancelProbe: (() => void) | null = null;
  private readonly listeners: Listeners<BackendStatus>;

  constructor(private readonly options: ConnectionHealthOptions) {
    this.listeners = new Listeners((error) => options.logger.error({ err: error }, 'a status listener failed'));
  }

  status(): BackendStatus {
    return { kind: 'etcd', state: this.state, lastError: this.lastError };
  }

  onStatus(listener: (status: BackendStatus) => void): Unsubscribe {
    return this.listeners.add(listener);
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** A request succeeded: etcd serves us. */
  succeeded(): void {
    this.successes++;
    if (this.state === 'closed' || this.state === 'connected') return;
    this.cancelProbe?.();
    this.cancelProbe = null;
    if (this.state === 'lost') this.options.logger.info('etcd reachable again');
    this.set('connected');
  }

  /** Something failed; a probe finds out whether etcd is really unreachable. */
  failed(error: unknown): void {
    if (this.state === 'closed') return;
    // lastError comes from the probe: a broken stream's own error ("stream timed out") says less than the
    // probe's ("unreachable", "TLS", "authentication failed").
    this.options.logger.debug({ err: errorMessage(error) }, 'etcd request failed; probing');
    if (!this.cancelProbe) this.runProbe();
  }

  /** The first contact: resolves when etcd answers, rejects with the reason (and keeps probing) when not. */
  async connect(): Promise<void> {
    try {
      await this.options.probe();
      this.succeeded();
    } catch (error) {
      this.markLost(error);
      throw new Error(this.lastError ?? errorMessage(error), { cause: error });
    }
  }

  close(): void {
    this.cancelProbe?.();
    this.cancelProbe = null;
    this.set('closed');
  }

  private runProbe(): void {
    if (this.probing || this.state === 'closed') return;
    this.probing = true;
    const successesBefore = this.successes;
    this.options
      .probe()
      .then(
        () => this.succeeded(),
        (error: unknown) => {
          if (this.successes === successesBefore) this.markLost(error);
        },
      )
      .finally(() => (this.probing = false));
  }

  private markLost(error: unknown): void {
    if (this.state === 'closed') return;
    this.lastError = this.options.describe(error);
    if (this.state !== 'lost') {
      this.options.logger.warn({ reason: this.lastError }, 'etcd unreachable');
      this.set('lost');
    }
    this.cancelProbe?.();
    this.cancelProbe = this.options.clock.setTimer(() => {
      this.cancelProbe = null;
      this.runProbe();
    }, this.options.probeIntervalMs);
  }

  private set(state: ConnectionState): void {
    this.state = state;
    this.listeners.emit(this.status());
  }
}
